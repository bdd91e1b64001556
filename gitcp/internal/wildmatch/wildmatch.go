package wildmatch

import "strings"

// Match reports whether s matches the pattern p with git's WM_PATHNAME
// semantics (wildmatch.c): "*" and "?" and bracket expressions never match
// "/", "**" between slashes spans folders, "\\" quotes the next byte, an
// unterminated "[" is a literal. Matching is byte-wise and case-sensitive;
// it never panics, and its backtracking is bounded as git's is.
func Match(p, s string) bool {
	return dowild(p, 0, s, 0) == wmMatch
}

// MatchFold is [Match] with ASCII letters compared without case
// (git's WM_CASEFOLD, used under core.ignorecase).
func MatchFold(p, s string) bool {
	return dowild(asciiLower(p), 0, asciiLower(s), 0) == wmMatch
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
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
