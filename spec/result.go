package spec

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/wf-tool/wf/mdstate/sections"
)

// Section titles of a result file (DESIGN.md §3.4; seed 002, "Collecting
// and Integrating Results").
const (
	ResStatus   = "Status"
	ResChanges  = "Changes"
	ResDecision = "Decisions"
	ResTests    = "Tests needed"
	ResIssues   = "Issues"
)

// ResultSections returns the five section titles of a result, in order (a
// fresh copy).
func ResultSections() []string {
	return []string{ResStatus, ResChanges, ResDecision, ResTests, ResIssues}
}

// Result statuses.
const (
	Complete = "complete"
	Partial  = "partial"
	// Failed (the spec status) is also the result status "failed".
)

// Change is one entry of a result's Changes.
type Change struct {
	Path    string `json:"path"`
	Added   int    `json:"added"`   // lines added, when the entry says (+N)
	Deleted int    `json:"deleted"` // lines deleted, when the entry says (-N)
	Note    string `json:"note,omitempty"`
	Line    int    `json:"line"`
}

// Result is a parsed, valid result file.
type Result struct {
	Name     string
	Path     string
	Status   string   // complete, partial or failed
	Bucket   string   // the failure bucket the result names ("bucket: test-fail"); "" when none
	Summary  string   // the rest of the Status section's text, on one line
	Changes  []Change // empty for a failed result with no changes
	Decision []string
	Tests    []string
	Issues   []string
}

// ResultError is a result file that wf refuses: every problem, each with
// its line (0 when it is about a missing section) and the fix.
type ResultError struct {
	Path     string
	Problems []Problem
}

func (e *ResultError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s is not a valid result (%d problem", e.Path, len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	b.WriteString(")")
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Hint says what a valid result looks like.
func (e *ResultError) Hint() string {
	return "a result has the sections ## Status (complete, partial or failed), ## Changes, ## Decisions, ## Tests needed and ## Issues; wf spec prompt NAME prints the exact format"
}

// Problem is one thing wrong in a spec or a result file.
type Problem struct {
	File string `json:"file"`
	Line int    `json:"line"` // 1-based; 0 when it is about the file as a whole
	Msg  string `json:"message"`
	Fix  string `json:"fix,omitempty"`
}

func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc += ":" + strconv.Itoa(p.Line)
	}
	s := loc + ": " + p.Msg
	if p.Fix != "" {
		s += " (fix: " + p.Fix + ")"
	}
	return s
}

// The regexps are compiled on first use, not at every start of wf
// (issue 12).
var (
	bucketRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\bbucket:\s*([a-z0-9][a-z0-9_-]*)`) })
	countsRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\(\s*\+(\d+)\s*(?:,|/)?\s*-(\d+)\s*\)|\+(\d+)\s*(?:,|/)?\s*-(\d+)`)
	})
)

// ParseResult reads and validates a result file's bytes; path names it in
// messages. Every section of [ResultSections] must be there (matched
// case-insensitively); the Status section's first word must be complete,
// partial or failed; a complete or partial result must list at least one
// change. Decisions, Tests needed and Issues may say "(none)". It returns
// a [*ResultError] with every problem found.
func ParseResult(name, path string, data []byte) (*Result, error) {
	d := sections.Parse(data)
	r := &Result{Name: name, Path: path}
	var probs []Problem
	find := func(title string) *sections.Section {
		return d.SectionFunc(func(t string) bool {
			return strings.EqualFold(strings.TrimSuffix(strings.TrimSpace(t), ":"), title)
		})
	}
	for _, title := range ResultSections() {
		if find(title) == nil {
			probs = append(probs, Problem{File: path, Msg: "no ## " + title + " section", Fix: "add a \"## " + title + "\" section" + map[bool]string{true: " (write (none) when there is nothing)", false: ""}[title != ResStatus && title != ResChanges]})
		}
	}
	if s := find(ResStatus); s != nil {
		text := strings.TrimSpace(s.Text)
		first, rest, _ := strings.Cut(text, "\n")
		word := strings.ToLower(strings.Trim(strings.Fields(first + " x")[0], "*_`:.,"))
		switch word {
		case Complete, Partial, Failed:
			r.Status = word
			if m := bucketRe().FindStringSubmatch(text); m != nil {
				r.Bucket = strings.ToLower(m[1])
			}
			all := strings.Fields(first + " " + rest)
			sum := bucketRe().ReplaceAllString(strings.Join(all[1:], " "), "")
			r.Summary = strings.Trim(strings.TrimLeft(sum, ":-–— "), ",;. ")
		default:
			line := s.TextLine
			if line == 0 {
				line = s.Line
			}
			got := "nothing"
			if text != "" {
				got = fmt.Sprintf("%q", strings.TrimSpace(first))
			}
			probs = append(probs, Problem{File: path, Line: line, Msg: "## Status says " + got + ", not complete, partial or failed", Fix: "start the section with complete, partial or failed"})
		}
	}
	if s := find(ResChanges); s != nil {
		if !isNone(s.Text) {
			for _, it := range s.Items() {
				c, ok := parseChange(it.Text)
				if !ok {
					continue
				}
				c.Line = it.Line
				r.Changes = append(r.Changes, c)
			}
		}
		if len(r.Changes) == 0 && (r.Status == Complete || r.Status == Partial) {
			probs = append(probs, Problem{File: path, Line: s.Line, Msg: "a " + r.Status + " result lists no changes", Fix: "list each changed file as \"- path (+added -deleted) what changed\""})
		}
	}
	r.Decision = listOf(find(ResDecision))
	r.Tests = listOf(find(ResTests))
	r.Issues = listOf(find(ResIssues))
	if len(probs) > 0 {
		return nil, &ResultError{Path: path, Problems: probs}
	}
	return r, nil
}

// parseChange reads "path (+10 -2) note" (the counts are optional; the
// path may be in backticks).
func parseChange(t string) (Change, bool) {
	ref, ok := ParseFileRef(t)
	if !ok {
		return Change{}, false
	}
	c := Change{Path: strings.TrimSuffix(ref.Path, ":"), Note: ref.Note}
	if m := countsRe().FindStringSubmatchIndex(t); m != nil {
		var a, dl string
		if m[2] >= 0 {
			a, dl = t[m[2]:m[3]], t[m[4]:m[5]]
		} else {
			a, dl = t[m[6]:m[7]], t[m[8]:m[9]]
		}
		c.Added, _ = strconv.Atoi(a)
		c.Deleted, _ = strconv.Atoi(dl)
		c.Note = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(t[m[1]:]), "-–—:"))
	}
	return c, true
}

// listOf returns a section's list items; none for a missing section or
// "(none)".
func listOf(s *sections.Section) []string {
	out := []string{}
	if s == nil || isNone(s.Text) {
		return out
	}
	for _, it := range s.Items() {
		if !isNone(it.Text) {
			out = append(out, it.Text)
		}
	}
	return out
}

// isNone reports whether a section's text says "nothing": empty, "(none)",
// "none", "n/a" or "-", possibly as one list item.
func isNone(text string) bool {
	t := strings.TrimSpace(text)
	if c, ok := sections.CutItem(t); ok {
		t = c
	}
	t = strings.ToLower(strings.Trim(t, "()_*-. "))
	return t == "" || t == "none" || t == "n/a" || t == "nothing"
}
