package ignore

import (
	"bufio"
	"bytes"
	"strings"
)

// Rule is one line of an ignore file, with git's semantics: a pattern
// without a slash matches the base name at any depth below the file's
// folder; a pattern with a slash is anchored there and matched with
// wildmatch's WM_PATHNAME rules ("*" stops at "/", "**/" spans folders).
type Rule struct {
	pat     string
	base    string // folder of the ignore file, relative to the top, "" for top-level sources
	neg     bool
	dirOnly bool
	noSlash bool
}

// List is the rules of one source, chained to lower-priority sources
// (the parent folder's .gitignore, then info/exclude, then core.excludesFile).
type List struct {
	Parent *List
	Rules  []Rule
}

// Parse returns the rules of an ignore file's content, in file order.
// base is the folder holding the file, slash-separated and relative to the
// top of the work tree ("" for the top and for info/exclude and
// core.excludesFile). Blank lines and comments are dropped, trailing spaces
// too unless escaped, and "!" negates; a trailing "/" matches folders only.
// Parsing never fails: git has no invalid ignore line. Lines longer than
// 64 KiB end the file (bufio.Scanner's limit).
func Parse(data []byte, base string) []Rule {
	var rules []Rule
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" || line[0] == '#' {
			continue
		}
		// Trailing spaces are dropped unless escaped.
		for strings.HasSuffix(line, " ") && !strings.HasSuffix(line, "\\ ") {
			line = line[:len(line)-1]
		}
		if line == "" { // a line of spaces (found by FuzzParseMatch)
			continue
		}
		r := Rule{base: base}
		if line[0] == '!' {
			r.neg = true
			line = line[1:]
		} else if strings.HasPrefix(line, `\!`) || strings.HasPrefix(line, `\#`) {
			line = line[1:]
		}
		if strings.HasSuffix(line, "/") {
			r.dirOnly = true
			line = strings.TrimRight(line, "/")
		}
		if line == "" {
			continue
		}
		r.noSlash = !strings.Contains(line, "/")
		r.pat = strings.TrimPrefix(line, "/")
		rules = append(rules, r)
	}
	return rules
}

// Match reports whether the path rel (slash-separated, relative to the
// top of the work tree; isDir when it is a folder) matches the rule,
// ignoring the rule's negation.
func (r *Rule) Match(rel string, isDir bool) bool {
	if r.dirOnly && !isDir {
		return false
	}
	if r.base != "" {
		if len(rel) <= len(r.base) || rel[len(r.base)] != '/' || rel[:len(r.base)] != r.base {
			return false
		}
		rel = rel[len(r.base)+1:]
	}
	if r.noSlash {
		if i := strings.LastIndexByte(rel, '/'); i >= 0 {
			rel = rel[i+1:]
		}
	}
	return wildmatch(r.pat, 0, rel, 0)
}

// InSparse reports whether the path rel (slash-separated, from the top of
// the work tree) is inside the sparse checkout whose patterns (the
// gitignore syntax of .git/info/sparse-checkout) are rules, as git's
// path_in_sparse_checkout decides: the last rule matching rel (a file)
// decides, a negated rule excludes; when none matches, rel's folders are
// tried, nearest first; when none of those matches either, rel is
// outside. Cone-mode patterns ("/*", "!/*/", "/dir/") give cone mode's
// answer this way.
func InSparse(rules []Rule, rel string) bool {
	isDir := false
	for rel != "" {
		for i := len(rules) - 1; i >= 0; i-- {
			if rules[i].Match(rel, isDir) {
				return !rules[i].neg
			}
		}
		j := strings.LastIndexByte(rel, '/')
		if j < 0 {
			break
		}
		rel, isDir = rel[:j], true
	}
	return false
}

// Ignored reports whether the path rel (slash-separated, relative to the
// top; isDir when it is a folder) is ignored by l and its parents: the
// most specific source first and, inside a source, the last matching line
// first; a negated rule un-ignores. It does not look at rel's folders: the
// caller does not descend into an ignored folder, as git does not. A nil
// List ignores nothing.
func (l *List) Ignored(rel string, isDir bool) bool {
	for ; l != nil; l = l.Parent {
		for i := len(l.Rules) - 1; i >= 0; i-- {
			if l.Rules[i].Match(rel, isDir) {
				return !l.Rules[i].neg
			}
		}
	}
	return false
}

// Wildmatch reports whether s matches pattern with git's wildmatch.c and
// WM_PATHNAME ("*" and "?" stop at "/", "**/" spans folders), as git
// matches includeIf "gitdir:", "onbranch:" and "hasconfig:remote.*.url:"
// patterns; with caseFold both are compared lower-cased (WM_CASEFOLD, for
// "gitdir/i:").
func Wildmatch(pattern, s string, caseFold bool) bool {
	if caseFold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	return wildmatch(pattern, 0, s, 0)
}

// wildmatch matches s against pattern p with git's WM_PATHNAME semantics.
func wildmatch(p string, pi int, s string, si int) bool {
	return dowild(p, pi, s, si) == wmMatch
}

// Results of dowild. As in git's wildmatch.c, the two aborts tell the
// enclosing "*" loops that trying further positions cannot succeed, which
// keeps patterns like "*a*a*a*a*b" from backtracking exponentially.
const (
	wmNoMatch         = iota
	wmMatch           // s matches
	wmAbortAll        // s ran out before the pattern: no later start helps
	wmAbortToStarStar // a "*" met a "/": only an enclosing "**" may go on
)

func dowild(p string, pi int, s string, si int) int {
	for pi < len(p) {
		c := p[pi]
		if si >= len(s) && c != '*' {
			return wmAbortAll
		}
		switch c {
		case '\\':
			pi++
			if pi >= len(p) || s[si] != p[pi] {
				return wmNoMatch
			}
			pi++
			si++
		case '?':
			if s[si] == '/' {
				return wmNoMatch
			}
			pi++
			si++
		case '[':
			if s[si] == '/' {
				return wmNoMatch
			}
			ok, np := matchBracket(p, pi, s[si])
			if np < 0 { // unterminated: a literal '['
				if s[si] != '[' {
					return wmNoMatch
				}
				pi++
				si++
				continue
			}
			if !ok {
				return wmNoMatch
			}
			pi = np
			si++
		case '*':
			star := pi
			for pi < len(p) && p[pi] == '*' {
				pi++
			}
			if pi-star >= 2 && (star == 0 || p[star-1] == '/') && (pi == len(p) || p[pi] == '/') {
				if pi == len(p) {
					return wmMatch
				}
				if r := dowild(p, pi+1, s, si); r == wmMatch || r == wmAbortAll {
					return r
				}
				for k := si; k < len(s); k++ {
					if s[k] != '/' {
						continue
					}
					if r := dowild(p, pi+1, s, k+1); r == wmMatch || r == wmAbortAll {
						return r
					}
				}
				return wmAbortAll
			}
			if pi == len(p) {
				if strings.IndexByte(s[si:], '/') < 0 {
					return wmMatch
				}
				return wmAbortToStarStar
			}
			for k := si; k <= len(s); k++ {
				if r := dowild(p, pi, s, k); r != wmNoMatch {
					return r
				}
				if k < len(s) && s[k] == '/' {
					return wmAbortToStarStar
				}
			}
			return wmAbortAll
		default:
			if s[si] != c {
				return wmNoMatch
			}
			pi++
			si++
		}
	}
	if si == len(s) {
		return wmMatch
	}
	return wmNoMatch
}

// matchBracket matches ch against the bracket expression at p[pi] ('[').
// It returns the position after ']' or -1 if unterminated.
func matchBracket(p string, pi int, ch byte) (bool, int) {
	i := pi + 1
	neg := false
	if i < len(p) && (p[i] == '!' || p[i] == '^') {
		neg = true
		i++
	}
	matched := false
	first := true
	for i < len(p) {
		c := p[i]
		if c == ']' && !first {
			return matched != neg, i + 1
		}
		first = false
		if c == '[' && i+1 < len(p) && p[i+1] == ':' {
			if end := strings.Index(p[i+2:], ":]"); end >= 0 {
				if classMatch(p[i+2:i+2+end], ch) {
					matched = true
				}
				i += 2 + end + 2
				continue
			}
		}
		if c == '\\' && i+1 < len(p) {
			i++
			c = p[i]
		}
		if i+2 < len(p) && p[i+1] == '-' && p[i+2] != ']' {
			hi := p[i+2]
			step := 3
			if hi == '\\' && i+3 < len(p) {
				hi = p[i+3]
				step = 4
			}
			if ch >= c && ch <= hi {
				matched = true
			}
			i += step
			continue
		}
		if ch == c {
			matched = true
		}
		i++
	}
	return false, -1
}

func classMatch(class string, c byte) bool {
	switch class {
	case "alnum":
		return isAlpha(c) || isDigit(c)
	case "alpha":
		return isAlpha(c)
	case "digit":
		return isDigit(c)
	case "lower":
		return c >= 'a' && c <= 'z'
	case "upper":
		return c >= 'A' && c <= 'Z'
	case "space":
		return c == ' ' || (c >= '\t' && c <= '\r')
	case "blank":
		return c == ' ' || c == '\t'
	case "punct":
		return c > ' ' && c < 127 && !isAlpha(c) && !isDigit(c)
	case "xdigit":
		return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
	case "print":
		return c >= ' ' && c < 127
	case "graph":
		return c > ' ' && c < 127
	case "cntrl":
		return c < ' ' || c == 127
	}
	return false
}

func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
