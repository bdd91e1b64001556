package attr

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/wf-tool/wf/gitcp/internal/wildmatch"
)

// State is the state of one attribute for one path (gitattributes(5),
// "DESCRIPTION").
type State uint8

// The four states of an attribute.
const (
	Unspecified State = iota // no pattern says anything, or "!name"
	Set                      // "name"
	Unset                    // "-name"
	Valued                   // "name=value"
)

// Value is an attribute's state and, when State is Valued, its value.
type Value struct {
	State State
	Text  string
}

// String is the value as git check-attr prints it: "set", "unset",
// "unspecified" or the value itself.
func (v Value) String() string {
	switch v.State {
	case Set:
		return "set"
	case Unset:
		return "unset"
	case Valued:
		return v.Text
	}
	return "unspecified"
}

// assign is one "name", "-name", "!name" or "name=value" of a line.
type assign struct {
	name string
	v    Value
}

// rule is one line: a pattern (or a macro name) and its assignments.
type rule struct {
	pat     string // without a leading "/" or trailing "/"
	mustDir bool   // trailing "/": folders only, so never a file
	noDir   bool   // no "/" in the pattern: matches the base name
	macro   bool   // "[attr]name": pat is the macro's name
	attrs   []assign
}

// File is one parsed attribute file.
type File struct {
	base  string // folder of the file relative to the top, "" for the top and non-tree sources
	rules []rule
}

// Warning is a line git drops, with its reason (git prints the same
// warning on stderr).
type Warning struct {
	Source string // the file's name as given to Parse
	Line   int    // 1-based
	Reason string
}

func (w Warning) String() string { return fmt.Sprintf("%s:%d: %s", w.Source, w.Line, w.Reason) }

// maxLine is git's ATTR_MAX_LINE_LENGTH: longer lines are dropped.
const maxLine = 2048

// Parse returns the rules of an attribute file's content. base is the
// folder holding the file, slash-separated and relative to the top of the
// work tree ("" for the top-level file, info/attributes and the global
// file); source names the file in warnings; macros tells whether "[attr]"
// lines are allowed (git allows them in every file but a nested
// .gitattributes). Lines git drops are reported as warnings, in file
// order.
func Parse(data []byte, base, source string, macros bool) (*File, []Warning) {
	f := &File{base: base}
	var warns []Warning
	line := 0
	for len(data) > 0 {
		line++
		var l []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			l, data = data, nil
		}
		if len(l) >= maxLine {
			warns = append(warns, Warning{source, line, "ignoring overly long attributes line"})
			continue
		}
		r, reason := parseLine(string(l), macros)
		if reason != "" {
			warns = append(warns, Warning{source, line, reason})
			continue
		}
		if r != nil {
			f.rules = append(f.rules, *r)
		}
	}
	return f, warns
}

const blank = " \t\r\n"

// parseLine parses one line as attr.c's parse_attr_line does. It returns
// nil and no reason for a blank or comment line, nil and a reason for a
// line git drops.
func parseLine(l string, macros bool) (*rule, string) {
	l = strings.TrimLeft(l, blank)
	if l == "" || l[0] == '#' {
		return nil, ""
	}
	var pat string
	if l[0] == '"' {
		p, rest, ok := unquoteC(l)
		if ok {
			pat, l = p, rest
		}
	}
	if pat == "" {
		n := strings.IndexAny(l, blank)
		if n < 0 {
			n = len(l)
		}
		pat, l = l[:n], l[n:]
	}
	r := &rule{}
	if name, ok := strings.CutPrefix(pat, "[attr]"); ok && name != "" {
		if !macros {
			return nil, fmt.Sprintf("%s not allowed", pat)
		}
		if !validName(name) {
			return nil, fmt.Sprintf("%s is not a valid attribute name", name)
		}
		r.macro, r.pat = true, name
	} else {
		if strings.HasPrefix(pat, "!") {
			return nil, "negative patterns are ignored in git attributes; use '\\!' for a literal leading exclamation"
		}
		if p, ok := strings.CutSuffix(pat, "/"); ok {
			r.mustDir, pat = true, p
		}
		r.noDir = !strings.Contains(pat, "/")
		r.pat = strings.TrimPrefix(pat, "/")
	}
	for _, tok := range strings.FieldsFunc(l, func(c rune) bool { return strings.ContainsRune(blank, c) }) {
		name, val, hasVal := strings.Cut(tok, "=")
		a := assign{v: Value{State: Set}}
		switch {
		case strings.HasPrefix(name, "-"):
			a.v, name = Value{State: Unset}, name[1:]
		case strings.HasPrefix(name, "!"):
			a.v, name = Value{State: Unspecified}, name[1:]
		case hasVal:
			a.v = Value{State: Valued, Text: val}
		}
		if !validName(name) {
			return nil, fmt.Sprintf("%s is not a valid attribute name", name)
		}
		a.name = name
		r.attrs = append(r.attrs, a)
	}
	return r, ""
}

// validName is attr.c's attr_name_valid: letters, digits, "-", "." and
// "_", not starting with "-".
func validName(s string) bool {
	if s == "" || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '-' || c == '.' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// unquoteC reads a C-style quoted string at the start of s (git's
// unquote_c_style) and returns it and the rest of s; ok is false when s
// holds no well-formed quoted string.
func unquoteC(s string) (string, string, bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			return b.String(), s[i+1:], true
		case '\\':
			i++
			if i >= len(s) {
				return "", "", false
			}
			switch c = s[i]; c {
			case 'a':
				b.WriteByte('\a')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'v':
				b.WriteByte('\v')
			case '\\', '"':
				b.WriteByte(c)
			case '0', '1', '2', '3':
				if i+2 >= len(s) || s[i+1] < '0' || s[i+1] > '7' || s[i+2] < '0' || s[i+2] > '7' {
					return "", "", false
				}
				b.WriteByte((c-'0')<<6 | (s[i+1]-'0')<<3 | (s[i+2] - '0'))
				i += 2
			default:
				return "", "", false
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", "", false
}

// match reports whether the file path rel (slash-separated, relative to
// the top) matches the rule of a file whose folder is base (attr.c's
// path_matches for a path that is not a folder).
func (r *rule) match(rel, base string, fold bool) bool {
	if r.mustDir {
		return false
	}
	if base != "" {
		if len(rel) <= len(base) || rel[len(base)] != '/' || !prefixEq(rel[:len(base)], base, fold) {
			return false
		}
		rel = rel[len(base)+1:]
	}
	if r.noDir {
		if i := strings.LastIndexByte(rel, '/'); i >= 0 {
			rel = rel[i+1:]
		}
	}
	if fold {
		return wildmatch.MatchFold(r.pat, rel)
	}
	return wildmatch.Match(r.pat, rel)
}

func prefixEq(a, b string, fold bool) bool {
	if fold {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// Builtin is the file of git's built-in macro: "[attr]binary -diff -merge
// -text". It is the lowest-priority source of every stack.
var Builtin, _ = Parse([]byte("[attr]binary -diff -merge -text\n"), "", "[builtin]", true)

// Stack is a chain of attribute files, highest priority first: a lookup
// asks File, then Parent. Build it bottom up in git's order of increasing
// priority: [Builtin], the system file, the global file
// (core.attributesFile), the top-level .gitattributes, each nested
// .gitattributes down to the path's folder, and $GIT_DIR/info/attributes.
type Stack struct {
	Parent *Stack
	File   *File
}

// Push returns a stack with f on top of s (f wins over s). A nil f gives
// s.
func (s *Stack) Push(f *File) *Stack {
	if f == nil || len(f.rules) == 0 {
		return s
	}
	return &Stack{Parent: s, File: f}
}

// Attributes is the outcome of a lookup: every attribute that is not
// Unspecified, by name.
type Attributes map[string]Value

// Get returns the value of the attribute name (the zero Value, Unspecified,
// when nothing sets it).
func (a Attributes) Get(name string) Value { return a[name] }

// Lookup returns the attributes of the file path rel (slash-separated,
// relative to the top of the work tree) as git check-attr -a gives them:
// for each attribute the highest-priority matching line decides, macros
// set on the path expand into their definitions, and "!name" stops lower
// lines from deciding. fold matches patterns without regard to ASCII case
// (core.ignorecase).
func (s *Stack) Lookup(rel string, fold bool) Attributes {
	macros := map[string]*rule{}
	for st := s; st != nil; st = st.Parent {
		if st.File == nil {
			continue
		}
		for i := len(st.File.rules) - 1; i >= 0; i-- {
			r := &st.File.rules[i]
			if r.macro && macros[r.pat] == nil {
				macros[r.pat] = r
			}
		}
	}
	decided := map[string]Value{}
	var fill func(attrs []assign, depth int)
	fill = func(attrs []assign, depth int) {
		for i := len(attrs) - 1; i >= 0; i-- {
			a := attrs[i]
			if _, ok := decided[a.name]; ok {
				continue
			}
			decided[a.name] = a.v
			if m := macros[a.name]; m != nil && a.v.State == Set && depth < 64 {
				fill(m.attrs, depth+1)
			}
		}
	}
	for st := s; st != nil; st = st.Parent {
		if st.File == nil {
			continue
		}
		for i := len(st.File.rules) - 1; i >= 0; i-- {
			r := &st.File.rules[i]
			if !r.macro && r.match(rel, st.File.base, fold) {
				fill(r.attrs, 0)
			}
		}
	}
	out := Attributes{}
	for k, v := range decided {
		if v.State != Unspecified {
			out[k] = v
		}
	}
	return out
}
