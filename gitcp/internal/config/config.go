package config

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Config is a flat view of git configuration: keys are "section.key" or
// "section.subsection.key" with section and key lower-cased (as git does;
// the subsection keeps its case); later values win for single-valued
// lookups.
type Config struct {
	vals map[string][]string
	// bare marks the keys whose last value was written without "=" ("[core]
	// autocrlf"): git reads such a key as true, and an empty value ("x =")
	// as false (git-config(1), "Values", boolean).
	bare map[string]bool
	// Cond, when set, decides includeIf conditions for [Config.ReadFile]:
	// it gets the condition as written after "includeIf " (for example
	// "gitdir:~/work/" or "onbranch:feature/") and the path of the file
	// holding it; includeIf.<cond>.path is followed when it returns
	// true. Nil: no includeIf is followed.
	Cond func(cond, file string) bool
}

// New returns an empty Config.
func New() *Config { return &Config{vals: map[string][]string{}, bare: map[string]bool{}} }

// Get returns the last value of key and whether it is set. As in git
// (git-config(1), "Syntax"), the section and the variable name are matched
// without regard to case and a subsection exactly: "diff.Hex.binary" is
// "[diff \"Hex\"] binary", never "[diff \"hex\"]". A key given without
// "=" ("[core] bare") has the value "".
func (c *Config) Get(key string) (string, bool) {
	v := c.vals[canonicalKey(key)]
	if len(v) == 0 {
		return "", false
	}
	return v[len(v)-1], true
}

// canonicalKey returns key as the parser stores it: "section.name" lower
// case, and in "section.subsection.name" the section and name lower case
// and the subsection as it is (it may hold dots).
func canonicalKey(key string) string {
	i, j := strings.IndexByte(key, '.'), strings.LastIndexByte(key, '.')
	if i < 0 || i == j {
		return strings.ToLower(key)
	}
	return strings.ToLower(key[:i]) + key[i:j] + strings.ToLower(key[j:])
}

// Bool returns key's last value read as a git boolean, as git's
// git_config_bool reads it: a key with no "=" is true, an empty value
// false; true, yes, on and false, no, off in any case; an integer (with an
// optional k, m or g suffix) is true unless it is 0. A key that is not set,
// or a value that is none of these (git dies on it), gives def.
func (c *Config) Bool(key string, def bool) bool {
	k := canonicalKey(key)
	v, ok := c.Get(key)
	if !ok {
		return def
	}
	if c.bare[k] {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on":
		return true
	case "false", "no", "off", "":
		return false
	}
	n := strings.TrimSpace(v)
	if l := len(n); l > 0 && strings.ContainsRune("kKmMgG", rune(n[l-1])) {
		n = n[:l-1]
	}
	if i, err := strconv.ParseInt(n, 0, 64); err == nil {
		return i != 0
	}
	return def
}

// GetAll returns every value of key, in the order read, matched as
// [Config.Get] matches it.
func (c *Config) GetAll(key string) []string {
	return append([]string(nil), c.vals[canonicalKey(key)]...)
}

// Keys returns every key set, as [Config.Get] matches them, sorted.
func (c *Config) Keys() []string {
	keys := make([]string, 0, len(c.vals))
	for k := range c.vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ReadFile merges the config file at path into c, following include.path
// and the includeIf.<cond>.path whose condition [Config].Cond accepts, up
// to a depth of 10, at the place they appear; depth is the current
// depth, 0 for a top-level file. Relative include paths are resolved
// against the including file's folder and "~/" against the home folder. A
// file that cannot be read is skipped, as git skips a missing one.
func (c *Config) ReadFile(path string, depth int) {
	data, err := os.ReadFile(path)
	if err != nil || depth > 10 {
		return
	}
	c.parse(data, func(inc, cond string, conditional bool) {
		if conditional && (c.Cond == nil || !c.Cond(cond, path)) {
			return
		}
		inc = ExpandHome(inc)
		if !filepath.IsAbs(inc) {
			inc = filepath.Join(filepath.Dir(path), inc)
		}
		c.ReadFile(inc, depth+1)
	})
}

// ExpandHome replaces a leading "~" or "~/" in p with the home folder; it
// returns p unchanged when it has no such prefix or there is no home.
func ExpandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, p[1:])
		}
	}
	return p
}

// Parse merges data, in git config syntax, into c and calls include (when
// not nil) with the value of each non-empty include.path as it is met. It is
// lenient where git is strict: a malformed line is skipped, never an error.
// Lines longer than 1 MiB end the parse.
func (c *Config) Parse(data []byte, include func(string)) {
	c.parse(data, func(val, _ string, conditional bool) {
		if !conditional && include != nil {
			include(val)
		}
	})
}

// parse is [Config.Parse] that also reports includeIf.<cond>.path values
// (conditional, with cond as written in the section header).
func (c *Config) parse(data []byte, include func(val, cond string, conditional bool)) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	// A buffer the size of the file (most are a few hundred bytes), not
	// 64 KiB for each of the several files a repository's config reads.
	sc.Buffer(make([]byte, 0, min(len(data)+1, 64*1024)), 1<<20)
	var section string
	var pending string
	for sc.Scan() {
		line := pending + sc.Text()
		pending = ""
		// Line continuation (outside comments; good enough).
		if strings.HasSuffix(line, "\\") && !strings.HasSuffix(line, "\\\\") {
			pending = line[:len(line)-1]
			continue
		}
		s := strings.TrimSpace(line)
		if s == "" || s[0] == '#' || s[0] == ';' {
			continue
		}
		if s[0] == '[' {
			end := strings.LastIndexByte(s, ']')
			if end < 0 {
				continue
			}
			hdr := s[1:end]
			rest := strings.TrimSpace(s[end+1:])
			if q := strings.IndexByte(hdr, '"'); q >= 0 {
				name := strings.ToLower(strings.TrimSpace(hdr[:q]))
				sub := strings.TrimSuffix(hdr[q+1:], `"`)
				sub = unescapeSubsection(sub)
				section = name + "." + sub
			} else {
				hdr = strings.TrimSpace(hdr)
				// "[section]", or the deprecated "[section.subsection]",
				// whose subsection git lower-cases too (git-config(1)).
				section = strings.ToLower(hdr)
			}
			if strings.HasPrefix(section, ".") {
				// No section name ("[.x]", "[\"x\"]"): git refuses the
				// file; its keys are skipped (found by FuzzParse).
				section = ""
			}
			if rest == "" || rest[0] == '#' || rest[0] == ';' {
				continue
			}
			s = rest // "[core] bare = false" on one line
		}
		key, val := s, ""
		hasVal := false
		if i := strings.IndexByte(s, '='); i >= 0 {
			key, val, hasVal = strings.TrimSpace(s[:i]), s[i+1:], true
		}
		if section == "" || key == "" {
			continue
		}
		if hasVal {
			val = unquoteConfigValue(val)
		}
		full := section + "." + strings.ToLower(key)
		c.set(full, val, hasVal)
		if include != nil && val != "" {
			if full == "include.path" {
				include(val, "", false)
			} else if cond, ok := strings.CutPrefix(section, "includeif."); ok && strings.ToLower(key) == "path" {
				include(val, cond, true)
			}
		}
	}
}

// set adds a value of key (in the form Keys lists); hasVal is false for a
// key written without "=".
func (c *Config) set(key, val string, hasVal bool) {
	c.vals[key] = append(c.vals[key], val)
	c.bare[key] = !hasVal
}

// ReadEnv adds the configuration given in the environment, as git reads it
// after every file (its "command" scope; git-config(1), "ENVIRONMENT"):
// GIT_CONFIG_COUNT with GIT_CONFIG_KEY_<n> and GIT_CONFIG_VALUE_<n>, then
// GIT_CONFIG_PARAMETERS, the list of single-quoted 'key'='value' (or
// 'key', or the older 'key=value') that git -c passes to the processes it
// starts (hooks, aliases). getenv is os.Getenv in wf. A malformed entry is
// an error, as git refuses to run with one.
func (c *Config) ReadEnv(getenv func(string) string) error {
	if v := getenv("GIT_CONFIG_COUNT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("GIT_CONFIG_COUNT=%q is not a count", v)
		}
		for i := range n {
			key := getenv(fmt.Sprintf("GIT_CONFIG_KEY_%d", i))
			if key == "" {
				return fmt.Errorf("GIT_CONFIG_KEY_%d is missing (GIT_CONFIG_COUNT=%d)", i, n)
			}
			if err := c.setEnv(key, getenv(fmt.Sprintf("GIT_CONFIG_VALUE_%d", i)), true); err != nil {
				return err
			}
		}
	}
	rest := getenv("GIT_CONFIG_PARAMETERS")
	for {
		rest = strings.TrimLeft(rest, " \t\n")
		if rest == "" {
			return nil
		}
		key, after, ok := sqDequote(rest)
		if !ok {
			return fmt.Errorf("GIT_CONFIG_PARAMETERS: bogus format near %q", rest)
		}
		var val string
		hasVal := false
		switch {
		case strings.HasPrefix(after, "="): // 'key'='value'
			if val, after, ok = sqDequote(after[1:]); !ok {
				return fmt.Errorf("GIT_CONFIG_PARAMETERS: bogus value near %q", after)
			}
			hasVal = true
		case after == "" || strings.ContainsRune(" \t\n", rune(after[0])): // 'key' or 'key=value'
			if k, v, found := strings.Cut(key, "="); found {
				key, val, hasVal = k, v, true
			}
		default:
			return fmt.Errorf("GIT_CONFIG_PARAMETERS: bogus format near %q", after)
		}
		if err := c.setEnv(key, val, hasVal); err != nil {
			return err
		}
		rest = after
	}
}

// setEnv adds a key given in the environment, which must have a section
// and a name.
func (c *Config) setEnv(key, val string, hasVal bool) error {
	i, j := strings.IndexByte(key, '.'), strings.LastIndexByte(key, '.')
	if i <= 0 || j == len(key)-1 {
		return fmt.Errorf("config key %q given in the environment has no section or no name", key)
	}
	c.set(canonicalKey(key), val, hasVal)
	return nil
}

// sqDequote reads one single-quoted word at the start of s, as git's
// sq_dequote_step does: inside quotes everything is literal, and a quote
// or a "!" escaped with a backslash between two quoted parts stands for
// itself. It returns the word, what follows it, and false when s does not
// start with a quoted word.
func sqDequote(s string) (word, rest string, ok bool) {
	if !strings.HasPrefix(s, "'") {
		return "", s, false
	}
	var b strings.Builder
	s = s[1:]
	for {
		i := strings.IndexByte(s, '\'')
		if i < 0 {
			return "", s, false
		}
		b.WriteString(s[:i])
		s = s[i+1:]
		if len(s) >= 3 && s[0] == '\\' && (s[1] == '\'' || s[1] == '!') && s[2] == '\'' {
			b.WriteByte(s[1])
			s = s[3:]
			continue
		}
		return b.String(), s, true
	}
}

// unescapeSubsection reads a quoted subsection as git's config parser
// does: a backslash takes the next character as it is (`\"` is `"`, `\\`
// is `\`, and `\d` is `d`).
func unescapeSubsection(sub string) string {
	if !strings.Contains(sub, `\`) {
		return sub
	}
	var b strings.Builder
	for i := 0; i < len(sub); i++ {
		if sub[i] == '\\' && i+1 < len(sub) {
			i++
		}
		b.WriteByte(sub[i])
	}
	return b.String()
}

func unquoteConfigValue(v string) string {
	var b strings.Builder
	inQuote := false
	v = strings.TrimLeft(v, " \t")
	trailing := 0 // count of unquoted trailing spaces to trim
	for i := 0; i < len(v); i++ {
		ch := v[i]
		switch {
		case ch == '"':
			inQuote = !inQuote
			trailing = 0
		case ch == '\\' && i+1 < len(v):
			i++
			switch v[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'b':
				b.WriteByte('\b')
			default:
				b.WriteByte(v[i])
			}
			trailing = 0
		case (ch == '#' || ch == ';') && !inQuote:
			return strings.TrimRight(b.String()[:b.Len()-trailing], " \t")
		default:
			b.WriteByte(ch)
			if !inQuote && (ch == ' ' || ch == '\t') {
				trailing++
			} else {
				trailing = 0
			}
		}
	}
	out := b.String()
	return out[:len(out)-trailing]
}

// GlobalPaths returns the system (unless GIT_CONFIG_NOSYSTEM), XDG and
// ~/.gitconfig files in git's reading order (later wins). GIT_CONFIG_GLOBAL
// and GIT_CONFIG_SYSTEM override the respective files, as in git.
func GlobalPaths() []string {
	var out []string
	if v := os.Getenv("GIT_CONFIG_NOSYSTEM"); v == "" || v == "0" || strings.EqualFold(v, "false") {
		if p := os.Getenv("GIT_CONFIG_SYSTEM"); p != "" {
			out = append(out, p)
		} else {
			out = append(out, "/etc/gitconfig")
		}
	}
	if p := os.Getenv("GIT_CONFIG_GLOBAL"); p != "" {
		return append(out, p)
	}
	if x := XDGConfigHome(); x != "" {
		out = append(out, filepath.Join(x, "git", "config"))
	}
	if h, err := os.UserHomeDir(); err == nil {
		out = append(out, filepath.Join(h, ".gitconfig"))
	}
	return out
}

// XDGConfigHome returns $XDG_CONFIG_HOME, else ~/.config, else "" when
// there is no home folder.
func XDGConfigHome() string {
	if x := os.Getenv("XDG_CONFIG_HOME"); x != "" {
		return x
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".config")
	}
	return ""
}

// GetKey returns the last value of a key exactly as [Config.Keys] lists
// it (section and name lower-cased, the subsection in its own case), and
// whether it is set: [Config.Get] for a key already in that form.
func (c *Config) GetKey(key string) (string, bool) {
	v := c.vals[key]
	if len(v) == 0 {
		return "", false
	}
	return v[len(v)-1], true
}
