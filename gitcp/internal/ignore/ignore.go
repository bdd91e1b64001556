package ignore

import (
	"bufio"
	"bytes"
	"github.com/wf-tool/wf/gitcp/internal/wildmatch"
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
	fold    bool // core.ignorecase: match without regard to ASCII case
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
	return ParseFold(data, base, false)
}

// ParseFold is [Parse] for core.ignorecase: with fold set, the rules
// match patterns and the file's folder without regard to ASCII case, as
// git's WM_CASEFOLD does.
func ParseFold(data []byte, base string, fold bool) []Rule {
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
		r := Rule{base: base, fold: fold}
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
		if len(rel) <= len(r.base) || rel[len(r.base)] != '/' || !(rel[:len(r.base)] == r.base || r.fold && strings.EqualFold(rel[:len(r.base)], r.base)) {
			return false
		}
		rel = rel[len(r.base)+1:]
	}
	if r.noSlash {
		if i := strings.LastIndexByte(rel, '/'); i >= 0 {
			rel = rel[i+1:]
		}
	}
	if r.fold {
		return wildmatch.MatchFold(r.pat, rel)
	}
	return wildmatch.Match(r.pat, rel)
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
