package wildmatch

import (
	"strings"
	"testing"
)

// wildmatchRef is wildmatch as it was before the aborts of dowild: plain
// backtracking, exponential on some patterns, kept as the oracle that the
// aborts change no answer.
func wildmatchRef(p string, pi int, s string, si int) bool {
	for pi < len(p) {
		c := p[pi]
		switch c {
		case '\\':
			pi++
			if pi >= len(p) || si >= len(s) || s[si] != p[pi] {
				return false
			}
			pi++
			si++
		case '?':
			if si >= len(s) || s[si] == '/' {
				return false
			}
			pi++
			si++
		case '[':
			if si >= len(s) || s[si] == '/' {
				return false
			}
			ok, np := matchBracket(p, pi, s[si])
			if np < 0 { // unterminated: a literal '['
				if s[si] != '[' {
					return false
				}
				pi++
				si++
				continue
			}
			if !ok {
				return false
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
					return true
				}
				if wildmatchRef(p, pi+1, s, si) {
					return true
				}
				for k := si; k < len(s); k++ {
					if s[k] == '/' && wildmatchRef(p, pi+1, s, k+1) {
						return true
					}
				}
				return false
			}
			if pi == len(p) {
				return strings.IndexByte(s[si:], '/') < 0
			}
			for k := si; k <= len(s); k++ {
				if wildmatchRef(p, pi, s, k) {
					return true
				}
				if k < len(s) && s[k] == '/' {
					return false
				}
			}
			return false
		default:
			if si >= len(s) || s[si] != c {
				return false
			}
			pi++
			si++
		}
	}
	return si == len(s)
}

// FuzzWildmatch compares wildmatch with wildmatchRef on short inputs.
func FuzzWildmatch(f *testing.F) {
	for _, c := range wildmatchCases {
		f.Add(c.pat, c.s)
	}
	f.Fuzz(func(t *testing.T, p, s string) {
		if len(p) > 24 || len(s) > 24 || strings.Count(p, "*") > 6 {
			return // the oracle is exponential
		}
		if got, want := Match(p, s), wildmatchRef(p, 0, s, 0); got != want {
			t.Fatalf("wildmatch(%q, %q) = %v, reference %v", p, s, got, want)
		}
	})
}

// TestWildmatchNoBacktrackingBlowUp: without the aborts this takes
// minutes (each "*a" multiplies the work by the text length).
func TestWildmatchNoBacktrackingBlowUp(t *testing.T) {
	p := strings.Repeat("*a", 30) + "*b"
	s := strings.Repeat("a", 200)
	if Match(p, s) {
		t.Fatal("matched")
	}
	if !Match(p, s+"b") {
		t.Fatal("did not match")
	}
}

func TestMatch(t *testing.T) {
	for _, c := range wildmatchCases {
		if got := Match(c.pat, c.s); got != c.want {
			t.Errorf("Match(%q, %q) = %v", c.pat, c.s, got)
		}
	}
}

func TestMatchFold(t *testing.T) {
	if !MatchFold("*.TXT", "a.txt") || !MatchFold("Docs/*", "docs/A") || MatchFold("a/*", "B/c") {
		t.Fatal("MatchFold")
	}
}

var wildmatchCases = []struct {
	pat, s string
	want   bool
}{
	{"*.log", "a.log", true}, {"*.log", "a/b.log", false}, {"a/**/b", "a/b", true},
	{"a/**/b", "a/x/y/b", true}, {"**/foo", "x/foo", true}, {"**/foo", "foo", true},
	{"foo/**", "foo/x/y", true}, {"foo/**", "foo", false}, {"[a-c]x", "bx", true},
	{"[!a-c]x", "bx", false}, {"?", "/", false}, {"a*b", "a/b", false}, {`\*`, "*", true},
}
