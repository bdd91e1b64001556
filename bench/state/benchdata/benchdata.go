// Package benchdata makes the large, realistic state files wf's
// benchmarks run on: a TODO.md of n items in ten phases (H2 sections) with
// nested sub-items, ticked items carrying checkpoint ids, skipped items
// with reasons, one CURRENT marker, inline code, links and some long
// items, and a workflow-state.md whose phase table matches it. The output
// is deterministic, so every run and every machine measures the same bytes.
package benchdata

import (
	"fmt"
	"strings"
)

// Phases are the ten phase names, in order.
var Phases = []string{
	"Planning", "Research", "Design", "Scaffolding", "Implementing",
	"Hardening", "Testing", "Documentation", "Release", "Maintenance",
}

var words = strings.Fields(`add parse validate route handler schema migration index cache
retry queue worker token session feedback suggestion rate limit middleware config flag
logger metric trace span error budget timeout backoff lock file folder checkpoint resume
phase status summary decision wait approval review build test fixture golden snapshot
client server endpoint payload field column table query filter sort page cursor batch`)

// Todo returns a TODO.md with n items (n >= 10). Items 1..n are spread
// evenly over the ten phases; the first 40% are ticked, a few are skipped,
// and the first open item carries the CURRENT marker. About one item in
// four is a sub-item (some two levels deep), one in twenty is long (two
// or three hundred bytes) and some have inline code and links. At n = 5000
// the file is about 400 KB.
func Todo(n int) []byte {
	current := false
	return TodoWith(n, func(item int) (byte, string) {
		done := item <= n*2/5
		skipped := !done && item%97 == 0
		switch {
		case done && item%3 != 0:
			return 'x', fmt.Sprintf(" (202602%02d-%02d%02d-%s)", 1+item%28, item%24, item%60, words[item%len(words)])
		case done:
			return 'x', ""
		case skipped:
			return '-', fmt.Sprintf(" (skipped: moved to the %s backlog)", words[(item*7)%len(words)])
		case !current:
			current = true
			return ' ', "  <-- CURRENT"
		}
		return ' ', ""
	})
}

// TodoRich is Todo with inline code and a link on every item (issue 12's
// state-file fixture: at n = 5000 about 525 KB), the inline-heavy case
// where goldmark's inline parsing dominates.
func TodoRich(n int) []byte {
	plain := Todo(n)
	var b strings.Builder
	b.Grow(len(plain) + n*40)
	item := 0
	for _, line := range strings.SplitAfter(string(plain), "\n") {
		t := strings.TrimLeft(line, " ")
		if !strings.HasPrefix(t, "- [") {
			b.WriteString(line)
			continue
		}
		item++
		body := strings.TrimSuffix(line, "\n")
		suffix := ""
		if i := strings.Index(body, "  <-- CURRENT"); i >= 0 {
			body, suffix = body[:i], body[i:]
		}
		fmt.Fprintf(&b, "%s `%s_%d.go` [n](#t%d)%s\n",
			body, words[item%len(words)], item, item, suffix)
	}
	return []byte(b.String())
}

// TodoWith returns a TODO.md with the layout of Todo (the same n items,
// texts, phases, nesting and notes) whose items are marked by mark: for
// item i (1..n, called once each, in order) it returns the box (' ', 'x'
// or '-') and the suffix written after the item's text on its line, such
// as " (checkpoint-id)", " (skipped: reason)", "  <-- CURRENT" or "".
func TodoWith(n int, mark func(i int) (box byte, suffix string)) []byte {
	var b strings.Builder
	b.Grow(n * 85)
	b.WriteString("# TODO\n\nThe plan for the search API rewrite. Items are ticked by `wf todo done`;\n")
	b.WriteString("people edit this file by hand too.\n")
	per := n / len(Phases)
	item := 0
	for p, phase := range Phases {
		fmt.Fprintf(&b, "\n## %s\n\n", phase)
		if p%3 == 1 {
			fmt.Fprintf(&b, "Notes for %s: keep the [design doc](docs/design.md#%s) open.\n\n", strings.ToLower(phase), strings.ToLower(phase))
		}
		count := per
		if p == len(Phases)-1 {
			count = n - item
		}
		depth := 0
		for k := 0; k < count; k++ {
			item++
			// Depth: a top-level item, then sometimes one or two levels of
			// sub-items under it.
			switch {
			case k == 0:
				depth = 0
			case item%4 == 1 && depth < 2:
				depth++
			case item%4 == 1:
				depth = 0
			case item%4 == 2 && depth > 0:
				// stay
			default:
				depth = 0
			}
			b.WriteString(strings.Repeat("  ", depth))
			box, suffix := mark(item)
			fmt.Fprintf(&b, "- [%c] %s%s\n", box, text(item), suffix)
		}
	}
	return []byte(b.String())
}

// ItemPhase is the index in Phases of the section that holds item i
// (1..n) of Todo(n) and TodoWith(n, …).
func ItemPhase(n, i int) int {
	return min((i-1)/(n/len(Phases)), len(Phases)-1)
}

// ItemText is item i's text in Todo and TodoWith, without box or suffix;
// other generators use it for realistic one-line texts.
func ItemText(i int) string { return text(i) }

// text is item i's text: a few words, sometimes long, with inline code or
// a link now and then.
func text(i int) string {
	n := 3 + i%7
	if i%20 == 7 {
		n = 30 + i%20 // a long item
	}
	var b strings.Builder
	fmt.Fprintf(&b, "T%d", i)
	for k := 0; k < n; k++ {
		b.WriteByte(' ')
		w := words[(i*31+k*17)%len(words)]
		switch {
		case k == 2 && i%5 == 0:
			b.WriteString("`" + w + "_" + words[(i+k)%len(words)] + "()`")
		case k == 3 && i%11 == 0:
			b.WriteString("[" + w + "](https://example.com/issues/" + fmt.Sprint(i) + ")")
		default:
			b.WriteString(w)
		}
	}
	return b.String()
}

// State returns a workflow-state.md for the TODO.md of Todo: the phase
// table lists the ten phases (the first four COMPLETE, Implementing
// IN_PROGRESS), with a decisions log of decisions entries.
func State(decisions int) []byte {
	var b strings.Builder
	b.WriteString(`# Workflow State: Search API

**Current phase**: Implementing
**Status**: running
**Mode**: auto
**Started**: 2026-02-01 09:00 +00:00
**Last checkpoint**: 2026-02-22 11:30 +00:00 (20260222-1130-api-routes)

## Phase Status
| Phase | Status | Entered | Completed |
|---|---|---|---|
`)
	for p, phase := range Phases {
		switch {
		case p < 4:
			fmt.Fprintf(&b, "| %s | COMPLETE | 2026-02-%02d | 2026-02-%02d |\n", phase, 1+p*2, 2+p*2)
		case p == 4:
			fmt.Fprintf(&b, "| %s | IN_PROGRESS | 2026-02-10 | -- |\n", phase)
		default:
			fmt.Fprintf(&b, "| %s | PENDING | -- | -- |\n", phase)
		}
	}
	b.WriteString("\n## Blocking Issues\n(none)\n\n## Waiting\n- approval from @lead for the schema change\n\n## Decisions Log\n")
	for i := 0; i < decisions; i++ {
		fmt.Fprintf(&b, "- 2026-02-%02d %02d:%02d +00:00: chose %s over %s (%s)\n", 1+i%28, i%24, i%60,
			words[i%len(words)], words[(i*3+1)%len(words)], text(i+1))
	}
	b.WriteString("\n## Settings\n- commit: branch\n- resume-budget: 2000\n- retry: test-fail=3, build-fail=2, tool-error=5\n")
	return []byte(b.String())
}
