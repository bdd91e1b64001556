package resume

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/mdstate"
)

// Item references. A number printed by resume is always an item's number
// in TODO.md as it is now: a checkpoint's next actions name items by a
// number copied when the checkpoint was written, so resume finds each
// such item again by its identity (text, phase and checkpoint annotation,
// read from the checkpoint's own TODO.md when git has it) and prints its
// number of today, or says that it is gone.

// NextAction is one line of "Next actions": the latest checkpoint's own
// (Source "checkpoint"), or an open TODO item after the current one
// (Source "todo"). N is the TODO item's number in TODO.md as it is now (0
// when the action names no item); Missing is set when the checkpoint named
// an item that TODO.md no longer has.
type NextAction struct {
	Text    string `json:"text"`
	Source  string `json:"source"`
	N       int    `json:"n,omitempty"`
	Line    int    `json:"line,omitempty"`
	Phase   string `json:"phase,omitempty"`
	Missing bool   `json:"missing,omitempty"`
}

// derivedRef matches the next actions wf writes itself when a checkpoint
// is given none: "alpha (TODO item 1, in progress)", "beta (TODO item 2)".
var derivedRef = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(.*) \(TODO item (\d+)(, in progress)?\)$`) })

// itemKey is an item's identity: what stays when numbers move.
type itemKey struct{ text, phase, checkpoint string }

func keyOf(it *mdstate.Item) itemKey { return itemKey{it.Text, it.Phase, it.Checkpoint} }

// findItem finds the item of td with identity k: the same text, phase and
// annotation, else the same text and phase, else the only item with that
// text. nil when none (or several) match.
func findItem(td *mdstate.Todo, k itemKey) *mdstate.Item {
	for _, match := range []func(it *mdstate.Item) bool{
		func(it *mdstate.Item) bool { return keyOf(it) == k },
		func(it *mdstate.Item) bool { return it.Text == k.text && it.Phase == k.phase },
		func(it *mdstate.Item) bool { return it.Text == k.text },
	} {
		var found *mdstate.Item
		n := 0
		for _, it := range td.Items {
			if match(it) {
				found = it
				n++
			}
		}
		if n == 1 {
			return found
		}
		if n > 1 && k.phase == "" {
			return nil
		}
	}
	return nil
}

// itemBlocked says why an open item must not be offered as the next thing
// to do: its retry budget is spent, or a blocker or a wait names it
// (quoted, as wf writes them, or as the whole entry). "" when nothing
// holds it.
func (d *resumeData) itemBlocked(it *mdstate.Item) string {
	if sp := lifecycle.SpentBuckets(it, d.limits); len(sp) > 0 {
		return "out of retries: " + strings.Join(sp, ", ")
	}
	names := func(text string) bool {
		return strings.Contains(text, strconv.Quote(it.Text)) || strings.Contains(text, "\""+it.Text+"\"") || strings.HasSuffix(text, ": "+it.Text) || text == it.Text
	}
	for _, e := range d.blockers {
		if names(e.Text) {
			return "blocked"
		}
	}
	for _, e := range d.waits {
		if names(e.Text) {
			return "waiting"
		}
	}
	return ""
}

// nextActions fills r.NextActions: the checkpoint's own next actions
// (item references resolved by identity), then up to five open TODO items
// after the current one that nothing holds.
func (d *resumeData) nextActions(cpNext []string) {
	r, td := d.r, d.sn.Todo
	var oldTodo *mdstate.Todo
	if d.oldTodo != nil {
		oldTodo = d.oldTodo
	}
	then := d.thenItems(5)
	inThen := map[*mdstate.Item]bool{}
	for _, it := range then {
		inThen[it] = true
	}
	var cur *mdstate.Item
	if c := td.Current(); len(c) > 0 {
		cur = c[0]
	}
	for _, a := range cpNext {
		if strings.HasPrefix(a, "(none") {
			continue
		}
		m := derivedRef().FindStringSubmatch(a)
		if m == nil {
			r.NextActions = append(r.NextActions, NextAction{Text: a, Source: "checkpoint"})
			continue
		}
		k := itemKey{text: m[1]}
		if n, _ := strconv.Atoi(m[2]); oldTodo != nil && n >= 1 && n <= len(oldTodo.Items) && oldTodo.Items[n-1].Text == m[1] {
			k = keyOf(oldTodo.Items[n-1])
		} else if oldTodo == nil {
			k.phase = "" // unknown: match by text alone
		}
		it := findItem(td, k)
		if it == nil && k.phase != "" {
			it = findItem(td, itemKey{text: k.text})
		}
		switch {
		case it == nil:
			r.NextActions = append(r.NextActions, NextAction{Text: m[1] + " (no longer in TODO.md: removed or reworded since the checkpoint)", Source: "checkpoint", Missing: true})
		case !it.IsOpen() || it == cur || inThen[it]:
			// Done by now, or shown as the current item or below.
		default:
			why := d.itemBlocked(it)
			text := it.Text
			if why != "" {
				text += " (" + why + ": do not start it)"
			}
			r.NextActions = append(r.NextActions, NextAction{Text: text, Source: "checkpoint", N: it.N, Line: it.Line, Phase: it.Phase})
		}
	}
	for _, it := range then {
		r.NextActions = append(r.NextActions, NextAction{Text: it.Text, Source: "todo", N: it.N, Line: it.Line, Phase: it.Phase})
	}
}

// thenItems returns up to n open items after the current one (from the
// top when there is none) that nothing holds, in file order.
func (d *resumeData) thenItems(n int) []*mdstate.Item {
	td := d.sn.Todo
	start := 0
	if c := td.Current(); len(c) > 0 {
		start = c[0].N // the items after it
	}
	var out []*mdstate.Item
	for _, it := range td.Items[start:] {
		if len(out) == n {
			break
		}
		if it.IsOpen() && !it.Current && d.itemBlocked(it) == "" {
			out = append(out, it)
		}
	}
	return out
}

// attemptLines are the current item's failed attempts with their reasons,
// newest first: "attempt 2/3 failed (test-fail): pagination test still
// red". Counts the annotation has but Failed Attempts lacks (attempts
// recorded before wf kept reasons, or by hand) are said as counts.
func attemptLines(as []lifecycle.Attempt, it *lifecycle.ItemView, limits map[string]int) []string {
	var out []string
	seen := map[string]int{}
	for _, a := range as {
		line := fmt.Sprintf("attempt %d/%d failed (%s)", a.Count, a.Limit, a.Bucket)
		if a.Reason != "" {
			line += ": " + capText(a.Reason, capShort)
		}
		out = append(out, line)
		if a.Count > seen[a.Bucket] {
			seen[a.Bucket] = a.Count
		}
	}
	for _, f := range it.Failures {
		if f.Count > seen[f.Bucket] {
			l := limits[f.Bucket]
			if l > 0 {
				out = append(out, fmt.Sprintf("%s: %d/%d failed (no reason recorded)", f.Bucket, f.Count, l))
			} else {
				out = append(out, fmt.Sprintf("%s: %d failed (no reason recorded)", f.Bucket, f.Count))
			}
		}
	}
	return out
}

// currentBlocked says why the current item must not be continued, "" when
// nothing holds it.
func (d *resumeData) currentBlocked() string {
	c := d.sn.Todo.Current()
	if len(c) == 0 || !c[0].IsOpen() {
		return ""
	}
	return d.itemBlocked(c[0])
}

// closing is the last line: what to do when the current item is done. It
// agrees with what comes before it: nothing to continue while the
// workflow is paused, waiting or finished, or the current item is held.
func (d *resumeData) closing() string {
	r := d.r
	status := strings.ToLower(strings.TrimSpace(r.Status))
	switch status {
	case "paused", "completed", "stopped":
		return ""
	}
	if r.Current == nil || r.Current.State != "open" {
		return ""
	}
	n := r.Current.N
	if why := d.currentBlocked(); why != "" {
		return fmt.Sprintf("Do not continue #%d (%s) until a person decides.\n", n, why)
	}
	if r.Command != nil && r.Command.Command == "" {
		// Blocked or waiting: the step above comes first, and may take a
		// person.
		return fmt.Sprintf("Once that is resolved and #%d is done: `wf todo done %d`, then `wf checkpoint -m \"<what is done>\"`.\n", n, n)
	}
	if r.Git == nil {
		return fmt.Sprintf("When #%d is done: `wf todo done %d` (checkpoints need a git repository).\n", n, n)
	}
	pre := "When"
	if r.Command != nil {
		pre = "Then, when"
	}
	return fmt.Sprintf("%s #%d is done: `wf todo done %d`, then `wf checkpoint -m \"<what is done>\"`.\n", pre, n, n)
}

// decisionTime matches the time wf writes before a decision:
// "2026-11-30 03:35 +00:00: text".
var decisionTime = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::\d{2})?(?: ?([+-]\d{2}:?\d{2}|Z|UTC))?: (.*)$`)
})

type compactDecision struct{ day, text string }

// compactTimes prints decisions with the shortest unambiguous time: the
// day once (as a group line, with the offset when all of that day's share
// one), the time of day on each line. Entries without a time stay as they
// are.
func compactTimes(es []*mdstate.Entry) []compactDecision {
	out := make([]compactDecision, len(es))
	offsets := map[string]map[string]bool{}
	ms := make([][]string, len(es))
	for i, e := range es {
		ms[i] = decisionTime().FindStringSubmatch(e.Text)
		if m := ms[i]; m != nil {
			if offsets[m[1]] == nil {
				offsets[m[1]] = map[string]bool{}
			}
			offsets[m[1]][m[3]] = true
		}
	}
	for i, e := range es {
		m := ms[i]
		if m == nil {
			out[i] = compactDecision{text: e.Text}
			continue
		}
		day, tm := m[1], m[2]
		if len(offsets[day]) == 1 {
			if m[3] != "" {
				day += " (" + m[3] + ")"
			}
		} else if m[3] != "" {
			tm += " " + m[3]
		}
		out[i] = compactDecision{day: day, text: tm + " " + m[4]}
	}
	return out
}

// itemInText matches the item references wf writes into blockers:
// `TODO item 35 "text"`.
var itemInText = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`TODO item (\d+) ("(?:[^"\\]|\\.)*")`) })

// renumber rewrites the item references in a blocker or a wait with the
// item's number in TODO.md as it is now ("#36 "text""), or says that the
// item is gone: the number in the entry was copied when it was written.
func (d *resumeData) renumber(s string) string {
	return itemInText().ReplaceAllStringFunc(s, func(m string) string {
		sm := itemInText().FindStringSubmatch(m)
		text, err := strconv.Unquote(sm[2])
		if err != nil {
			return m
		}
		if it := findItem(d.sn.Todo, itemKey{text: text}); it != nil {
			return fmt.Sprintf("#%d %s", it.N, sm[2])
		}
		return sm[2] + " (no longer in TODO.md)"
	})
}
