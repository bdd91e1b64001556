package lifecycle

import (
	"regexp"
	"strings"
	"sync"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// The timeline: an append-only "## Timeline" section of
// workflow-state.md with one line for every change of status, phase,
// mode or wait (DESIGN.md §6: "Every change is a line in ## Timeline
// (time, from → to, who, why)"):
//
//	- 2026-11-30 06:10 +00:00: status running -> paused by alice: lunch
//	- 2026-11-30 06:12 +00:00: phase Testing PENDING -> IN_PROGRESS by agent
//	- 2026-11-30 06:20 +00:00: wait w2 pending -> approved by bob: looks good
//
// wf only appends to it. Git history of the file is the record that
// counts: `wf stats` reads the history, so a line deleted by hand does not
// change what happened.

// Actors a change is made by when WF_ACTOR names nobody.
const (
	ActorAgent = "agent"
	ActorHuman = "human"
)

// Change is one timeline line.
type Change struct {
	When string `json:"when"` // as written (workspace.Timestamp)
	// Subject is what changed: "status", "mode", "phase <name>" or
	// "wait <id>".
	Subject string `json:"subject"`
	From    string `json:"from"`
	To      string `json:"to"`
	Who     string `json:"who"`
	Why     string `json:"why,omitempty"`
	// Line is the line in workflow-state.md (0 for a change not read from
	// the file).
	Line int `json:"line,omitempty"`
}

// Phase returns the phase name of a "phase <name>" change, "" for others.
func (c Change) Phase() string {
	if p, ok := strings.CutPrefix(c.Subject, "phase "); ok {
		return p
	}
	return ""
}

// changeRe matches a timeline line; compiled on first use, not at
// start-up (issue 12).
var changeRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(\d{4}-\d\d-\d\d \d\d:\d\d(?: [+-]\d\d:\d\d)?): (status|mode|phase .+?|wait w\d+) (\S+) -> (\S+) by (\S+)(?:: (.*))?$`)
})

// Who normalises an actor name for the timeline: one word (blanks become
// "_"); empty is [ActorAgent].
func Who(actor string) string {
	actor = workspace.OneLine(actor)
	if actor == "" {
		return ActorAgent
	}
	return strings.ReplaceAll(actor, " ", "_")
}

// FormatChange writes c as a timeline line (without the list bullet).
func FormatChange(c Change) string {
	s := c.When + ": " + c.Subject + " " + orDashes(c.From) + " -> " + orDashes(c.To) + " by " + Who(c.Who)
	if why := workspace.OneLine(c.Why); why != "" {
		s += ": " + why
	}
	return s
}

func orDashes(s string) string {
	s = strings.ReplaceAll(workspace.OneLine(s), " ", "_")
	if s == "" {
		return "--"
	}
	return s
}

// ParseChange reads a timeline line; ok is false for a line in another
// shape (written by hand), which wf keeps and ignores.
func ParseChange(s string) (c Change, ok bool) {
	m := changeRe().FindStringSubmatch(s)
	if m == nil {
		return c, false
	}
	return Change{When: m[1], Subject: m[2], From: m[3], To: m[4], Who: m[5], Why: m[6]}, true
}

// Timeline returns the parsed timeline of st, oldest first; lines in
// another shape are left out.
func Timeline(st *mdstate.State) []Change {
	var out []Change
	for _, e := range st.Timeline {
		if c, ok := ParseChange(e.Text); ok {
			c.Line = e.Line
			out = append(out, c)
		}
	}
	return out
}

// appendChange adds c, stamped now, to the timeline of st.
func appendChange(w *workspace.Workspace, st *mdstate.State, c Change) ([]byte, *mdstate.State, error) {
	if c.When == "" {
		c.When = w.Now().Format(workspace.Timestamp)
	}
	return st.AppendEntry("timeline", FormatChange(c))
}

// LastChangeTo returns the newest timeline change of subject whose To is
// to, and false when there is none.
func LastChangeTo(st *mdstate.State, subject, to string) (Change, bool) {
	tl := Timeline(st)
	for i := len(tl) - 1; i >= 0; i-- {
		if strings.EqualFold(tl[i].Subject, subject) && strings.EqualFold(tl[i].To, to) {
			return tl[i], true
		}
	}
	return Change{}, false
}

// LastChange returns the newest timeline change of subject, and false
// when there is none.
func LastChange(st *mdstate.State, subject string) (Change, bool) {
	tl := Timeline(st)
	for i := len(tl) - 1; i >= 0; i-- {
		if strings.EqualFold(tl[i].Subject, subject) {
			return tl[i], true
		}
	}
	return Change{}, false
}
