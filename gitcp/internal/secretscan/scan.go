package secretscan

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Finding is one reason a file looks like a secret.
type Finding struct {
	Rule        string // the rule id, e.g. "private-key" or "url-credentials"
	Description string
	Line        int // 1-based line of the match in the (decoded) text; 0 for a rule on the file name
}

// Scan returns why the file at path (slash-separated, from the top of the
// repository) with content data looks like a secret; nil when it does not.
// Findings are in rule order, at most one per rule and line.
func (s *Scanner) Scan(path string, data []byte) ([]Finding, error) {
	var out []Finding
	text, isText := asText(data)
	var hits [][]int
	if isText {
		hits = s.match.find(text)
	}
	setAllowed := map[*ruleSet]bool{} // a rule set's path allowlists, checked once
	for _, r := range s.rules {
		if r.regex != nil && !isText {
			continue
		}
		if r.regex != nil && len(r.keywords) > 0 && !anyOf(hits, r.keywords) {
			continue
		}
		ok, known := setAllowed[r.set]
		if !known {
			var err error
			if ok, err = pathAllowed(r.set.allow, path); err != nil {
				return nil, fmt.Errorf("%s: %w", r.set.name, err)
			}
			setAllowed[r.set] = ok
		}
		if ok {
			continue
		}
		if ok, err := pathAllowed(r.allow, path); ok || err != nil {
			if err != nil {
				return nil, fmt.Errorf("rule %s: %w", r.id, err)
			}
			continue
		}
		if r.path != nil {
			re, err := r.path()
			if err != nil {
				return nil, fmt.Errorf("rule %s: %w", r.id, err)
			}
			if !re.MatchString(path) {
				continue
			}
		}
		if r.regex == nil {
			out = append(out, Finding{Rule: r.id, Description: r.description})
			continue
		}
		fs, err := r.scan(path, text, r.windows(text, hits))
		if err != nil {
			return nil, fmt.Errorf("rule %s: %w", r.id, err)
		}
		out = append(out, fs...)
	}
	return out, nil
}

func anyOf(hits [][]int, ids []int) bool {
	for _, id := range ids {
		if len(hits[id]) > 0 {
			return true
		}
	}
	return false
}

// windowLines is how many lines after a keyword's line a single-line
// rule may reach: assignment patterns allow a few line breaks
// between a name, its operator and its value ("key:\n  value").
const windowLines = 2

// windows are the parts of text a rule's regexp runs on: the whole text
// for a rule without keywords or one that spans lines (private keys, curl
// commands), else each line holding one of its keywords and the
// windowLines after it, merged where they overlap. Running on short
// windows keeps the scan fast (most lines have no keyword, and Go's
// regexp backtracks on short inputs instead of simulating its NFA) and
// finds what a run on the whole text finds.
func (r *rule) windows(text []byte, hits [][]int) [][2]int {
	if r.multiline || len(r.keywords) == 0 {
		return [][2]int{{0, len(text)}}
	}
	var starts []int
	for _, id := range r.keywords {
		starts = append(starts, hits[id]...)
	}
	slices.Sort(starts)
	var out [][2]int
	for _, st := range starts {
		end := st
		for n := 0; n <= windowLines && end < len(text); n++ {
			if i := bytes.IndexByte(text[end:], '\n'); i >= 0 {
				end += i + 1
			} else {
				end = len(text)
			}
		}
		if k := len(out) - 1; k >= 0 && st <= out[k][1] {
			out[k][1] = max(out[k][1], end)
			continue
		}
		out = append(out, [2]int{st, end})
	}
	return out
}

func (r *rule) scan(path string, text []byte, windows [][2]int) ([]Finding, error) {
	re, err := r.regex()
	if err != nil {
		return nil, err
	}
	var matches [][]int
	for _, w := range windows {
		for _, m := range re.FindAllSubmatchIndex(text[w[0]:w[1]], -1) {
			for i := range m {
				if m[i] >= 0 {
					m[i] += w[0]
				}
			}
			matches = append(matches, m)
		}
	}
	var out []Finding
	lastLine := -1
	cur := &lineCursor{text: text, n: 1}
	for _, m := range matches {
		start, end := m[0], m[1]
		// gitleaks trims line breaks around the match.
		for start < end && text[start] == '\n' {
			start++
		}
		for end > start && text[end-1] == '\n' {
			end--
		}
		match := text[start:end]
		secret := match
		switch {
		case r.secretGroup > 0 && 2*r.secretGroup+1 < len(m):
			if m[2*r.secretGroup] >= 0 {
				secret = text[m[2*r.secretGroup]:m[2*r.secretGroup+1]]
			}
		case r.secretGroup == 0:
			for g := 1; 2*g+1 < len(m); g++ {
				if m[2*g] >= 0 && m[2*g+1] > m[2*g] {
					secret = text[m[2*g]:m[2*g+1]]
					break
				}
			}
		}
		n, lineStart, lineEnd := cur.at(start)
		if n == lastLine {
			continue // one finding per line is enough
		}
		// The line as allowlists see it, at most lineContext bytes either
		// side of the match, so a long line costs linear time.
		line := text[max(lineStart, start-lineContext):min(max(lineEnd, end), end+lineContext)]
		if r.entropy != 0 && entropy(secret) <= r.entropy {
			continue
		}
		if ok, err := findingAllowed(r.set.allow, path, secret, match, line); ok || err != nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		if ok, err := findingAllowed(r.allow, path, secret, match, line); ok || err != nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		lastLine = n
		out = append(out, Finding{Rule: r.id, Description: r.description, Line: n})
	}
	return out, nil
}

// lineContext bounds the line an allowlist sees around a match.
const lineContext = 2048

// lineCursor finds the line of increasing offsets in linear time overall.
type lineCursor struct {
	text       []byte
	pos, n     int // offsets below pos are counted; n is pos's line
	start, end int // the current line's start, and its end once known
	endKnown   bool
}

// at returns the 1-based line of off (not below the previous off) and
// that line's start and end (without its line break).
func (c *lineCursor) at(off int) (n, start, end int) {
	for c.pos < off {
		i := bytes.IndexByte(c.text[c.pos:off], '\n')
		if i < 0 {
			c.pos = off
			break
		}
		c.pos += i + 1
		c.n++
		c.start, c.endKnown = c.pos, false
	}
	if !c.endKnown {
		c.end = len(c.text)
		if i := bytes.IndexByte(c.text[c.start:], '\n'); i >= 0 {
			c.end = c.start + i
		}
		c.endKnown = true
	}
	return c.n, c.start, c.end
}

// pathAllowed is gitleaks' check before scanning: an OR allowlist whose
// paths match, or an AND allowlist of paths only.
func pathAllowed(as []*allowlist, path string) (bool, error) {
	for _, a := range as {
		if a.paths == nil {
			continue
		}
		if a.and && (a.regexes != nil || a.stopwords != nil) {
			continue // checked with each finding
		}
		re, err := a.paths()
		if err != nil {
			return false, err
		}
		if re.MatchString(path) {
			return true, nil
		}
	}
	return false, nil
}

// findingAllowed is gitleaks' check of one finding: an OR allowlist
// allows it when its regexps match the target or the secret holds a
// stopword; an AND allowlist needs every check it has to pass.
func findingAllowed(as []*allowlist, path string, secret, match, line []byte) (bool, error) {
	for _, a := range as {
		target := secret
		switch a.target {
		case "match":
			target = match
		case "line":
			target = line
		}
		regexOK := false
		if a.regexes != nil && len(target) > 0 {
			re, err := a.regexes()
			if err != nil {
				return false, err
			}
			regexOK = re.Match(target)
		}
		stopOK := false
		if a.stopwords != nil {
			words, err := a.stopwords()
			if err != nil {
				return false, err
			}
			stopOK = hasStopword(words, secret)
		}
		if !a.and {
			if regexOK || stopOK {
				return true, nil
			}
			continue
		}
		ok := true
		if a.paths != nil {
			re, err := a.paths()
			if err != nil {
				return false, err
			}
			ok = re.MatchString(path)
		}
		if a.regexes != nil {
			ok = ok && regexOK
		}
		if a.stopwords != nil {
			ok = ok && stopOK
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

func hasStopword(words []string, secret []byte) bool {
	if len(secret) == 0 {
		return false
	}
	s := strings.ToLower(string(secret))
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// entropy is the Shannon entropy of s's characters in bits, as gitleaks
// computes it (per rune, over the byte length).
func entropy(s []byte) float64 {
	if len(s) == 0 {
		return 0
	}
	counts := map[rune]int{}
	for _, r := range string(s) {
		counts[r]++
	}
	inv := 1 / float64(len(s))
	var h float64
	for _, c := range counts {
		f := float64(c) * inv
		h -= f * math.Log2(f)
	}
	return h
}
