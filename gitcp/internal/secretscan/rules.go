package secretscan

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

//go:embed wf.json
var wfJSON []byte

// ruleFile is the shape of wf.json. Its model (rules with keywords,
// secret groups, entropy and allowlists) follows gitleaks' documented
// configuration format.
type ruleFile struct {
	Source     string          `json:"source"`
	Allowlists []allowlistData `json:"allowlists"` // apply to every rule of the file
	Rules      []ruleData      `json:"rules"`
}

type ruleData struct {
	ID          string          `json:"id"`
	Description string          `json:"description"`
	Regex       string          `json:"regex"`
	Path        string          `json:"path"`
	SecretGroup int             `json:"secretGroup"`
	Entropy     float64         `json:"entropy"`
	Keywords    []string        `json:"keywords"`
	Allowlists  []allowlistData `json:"allowlists"`
}

type allowlistData struct {
	Description string   `json:"description"`
	Condition   string   `json:"condition"`   // "OR" (default) or "AND"
	RegexTarget string   `json:"regexTarget"` // "secret" (default), "match" or "line"
	Paths       []string `json:"paths"`
	Regexes     []string `json:"regexes"`
	// Stopwords are decoded on first use: most runs never consult them.
	Stopwords json.RawMessage `json:"stopwords"`
}

// rule is one compiled rule. Its regexp is compiled on first use.
type rule struct {
	id, description string
	regex           lazyRegexp
	path            lazyRegexp
	secretGroup     int
	entropy         float64
	keywords        []int // indexes into Scanner.keywords
	multiline       bool  // the regexp reaches over lines: run it on the whole text
	allow           []*allowlist
	set             *ruleSet
}

// ruleSet is one data file: its rules share its allowlists.
type ruleSet struct {
	name  string
	allow []*allowlist
}

type allowlist struct {
	and       bool
	target    string
	paths     lazyRegexp // nil when the allowlist has none
	regexes   lazyRegexp
	stopwords func() ([]string, error) // lower-case; nil when the allowlist has none
}

// lazyRegexp compiles on first use: most allowlists are never consulted
// in a run, and wf runs once per command.
type lazyRegexp func() (*regexp.Regexp, error)

// Scanner holds the compiled rule sets; it is safe for concurrent use and
// never changes after [Default] builds it.
type Scanner struct {
	rules    []*rule
	keywords []string
	match    *matcher
}

// Default is the scanner built from the embedded rule sets, once; the
// error is for a rule file that does not load, which the tests rule out.
var Default = sync.OnceValues(func() (*Scanner, error) {
	return build(wfJSON)
})

// Info describes an embedded rule set, for documentation and tests.
type Info struct {
	Name, Source string
	Rules        int
}

// Sets describes the embedded rule sets.
func Sets() []Info {
	var out []Info
	for _, f := range []struct {
		name string
		data []byte
	}{{"wf", wfJSON}} {
		var rf ruleFile
		if err := json.Unmarshal(f.data, &rf); err == nil {
			out = append(out, Info{Name: f.name, Source: rf.Source, Rules: len(rf.Rules)})
		}
	}
	return out
}

// build loads rule files and compiles their paths and allowlists; a rule's
// regexp is compiled when a file first has one of its keywords.
func build(files ...[]byte) (*Scanner, error) {
	s := &Scanner{}
	word := map[string]int{}
	for i, data := range files {
		var rf ruleFile
		if err := json.Unmarshal(data, &rf); err != nil {
			return nil, fmt.Errorf("rule file %d: %w", i, err)
		}
		set := &ruleSet{name: rf.Source}
		for _, a := range rf.Allowlists {
			al, err := compileAllowlist(a)
			if err != nil {
				return nil, fmt.Errorf("%s: global allowlist: %w", rf.Source, err)
			}
			set.allow = append(set.allow, al)
		}
		for _, rd := range rf.Rules {
			r := &rule{id: rd.ID, description: rd.Description, secretGroup: rd.SecretGroup, entropy: rd.Entropy, set: set}
			if rd.Regex != "" {
				src := rd.Regex // compiled on first use; TestRulesCompile compiles each
				r.multiline = spansLines(src)
				r.regex = sync.OnceValues(func() (*regexp.Regexp, error) { return regexp.Compile(src) })
			}
			if rd.Path != "" {
				src := rd.Path
				r.path = sync.OnceValues(func() (*regexp.Regexp, error) { return regexp.Compile(src) })
			}
			if r.regex == nil && r.path == nil {
				return nil, fmt.Errorf("rule %s has neither regex nor path", rd.ID)
			}
			for _, a := range rd.Allowlists {
				al, err := compileAllowlist(a)
				if err != nil {
					return nil, fmt.Errorf("rule %s: allowlist: %w", rd.ID, err)
				}
				r.allow = append(r.allow, al)
			}
			for _, k := range rd.Keywords {
				k = strings.ToLower(k)
				id, ok := word[k]
				if !ok {
					id = len(s.keywords)
					word[k] = id
					s.keywords = append(s.keywords, k)
				}
				r.keywords = append(r.keywords, id)
			}
			s.rules = append(s.rules, r)
		}
	}
	s.match = newMatcher(s.keywords)
	return s, nil
}

func compileAllowlist(a allowlistData) (*allowlist, error) {
	al := &allowlist{target: a.RegexTarget}
	switch strings.ToUpper(a.Condition) {
	case "", "OR":
	case "AND":
		al.and = true
	default:
		return nil, fmt.Errorf("unknown condition %q", a.Condition)
	}
	switch a.RegexTarget {
	case "", "secret", "match", "line":
	default:
		return nil, fmt.Errorf("unknown regexTarget %q", a.RegexTarget)
	}
	al.paths, al.regexes = joinOr(a.Paths), joinOr(a.Regexes)
	if len(a.Stopwords) > 0 {
		raw := a.Stopwords
		al.stopwords = sync.OnceValues(func() ([]string, error) {
			var ws []string
			if err := json.Unmarshal(raw, &ws); err != nil {
				return nil, err
			}
			for i, w := range ws {
				ws[i] = strings.ToLower(w)
			}
			return ws, nil
		})
	}
	return al, nil
}

// joinOr is regexps as one alternation; nil
// for none.
func joinOr(res []string) lazyRegexp {
	if len(res) == 0 {
		return nil
	}
	parts := make([]string, len(res))
	for i, r := range res {
		parts[i] = "(?:" + r + ")"
	}
	src := strings.Join(parts, "|")
	return sync.OnceValues(func() (*regexp.Regexp, error) { return regexp.Compile(src) })
}

// spansLines reports whether a rule's regexp is written to reach across
// lines: "[\s\S]", line breaks named in it, or the s flag. Other rules
// only meet line breaks through a few \s (see windowLines).
func spansLines(re string) bool {
	for _, m := range []string{`[\s\S`, `\r`, `\n`, `(?s`} {
		if strings.Contains(re, m) {
			return true
		}
	}
	return false
}
