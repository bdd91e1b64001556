package resume

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/wf-tool/wf/checkpoint/history"
	"github.com/wf-tool/wf/checkpoint/tokens"
)

// The text of wf resume is a list of blocks, each a heading and items.
// Fitting a budget drops items (or swaps them for a short form) in a fixed
// order of stages, cheapest loss first; warnings and the current item go
// last. Token costs are estimated per part and summed (partCost), which is
// not below the estimate of the joined text: each part's estimate rounds
// up, and parts end at line breaks, where the estimator's runs end too.
// The joined text is checked at the end all the same.

// partCost is a part's share of the estimate of the whole text.
func partCost(s string) int { return tokens.EstimatePart(s) }

// rItem is one line (or a few) of a block.
type rItem struct {
	// group is a line printed before the item when the item before it
	// (of those kept) has another group: a day of decisions, the source
	// of next actions.
	group               string
	full, short         string // short == full when there is no shorter form
	fullCost, shortCost int
	shortened           bool
}

func (it *rItem) cost() int {
	if it.shortened {
		return it.shortCost
	}
	return it.fullCost
}

func (it *rItem) text() string {
	if it.shortened {
		return it.short
	}
	return it.full
}

// rBlock is a section of the output.
type rBlock struct {
	key    string
	head   string // heading line, with its newline; "" for none
	items  []rItem
	lo, hi int  // items[lo:hi] are kept
	front  bool // drop from the front (the oldest decisions)
	// what and where name the dropped items for the omission line.
	what, where string
	moreCost    int // cost of the omission line at the current count
}

func (b *rBlock) dropped() int { return len(b.items) - (b.hi - b.lo) }

func (b *rBlock) moreLine() string {
	n := b.dropped()
	if n == 0 {
		return ""
	}
	more := ""
	if b.hi > b.lo {
		more = " more"
	}
	return fmt.Sprintf("(+%d%s %s: %s)\n", n, more, b.what, b.where)
}

// cost is the block's share of the output. A block whose items were all
// dropped prints nothing: the closing line names it (leftOut).
func (b *rBlock) cost() int {
	if b.hi == b.lo {
		return 0
	}
	c := partCost(b.head) + b.moreCost + costNewlineOnly
	group := ""
	for i := b.lo; i < b.hi; i++ {
		if g := b.items[i].group; g != "" && g != group {
			c += partCost(g)
			group = g
		}
		c += b.items[i].cost()
	}
	return c
}

func (b *rBlock) render(sb *strings.Builder) {
	if b.hi == b.lo {
		return
	}
	sb.WriteString(b.head)
	group := ""
	for i := b.lo; i < b.hi; i++ {
		if g := b.items[i].group; g != "" && g != group {
			sb.WriteString(g)
			group = g
		}
		sb.WriteString(b.items[i].text())
	}
	sb.WriteString(b.moreLine())
	sb.WriteString("\n")
}

// costNewlineOnly is the estimate of the blank line after a block.
var costNewlineOnly = partCost("\n")

func newItem(full, short string) rItem {
	it := rItem{full: full, short: short, fullCost: partCost(full)}
	it.shortCost = it.fullCost
	if short != full {
		it.shortCost = partCost(short)
	}
	return it
}

// capText cuts s to at most n bytes (at a rune boundary), marking the cut.
func capText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// capTokens cuts s to at most n estimated tokens (as a part of a text),
// marking the cut.
func capTokens(s string, n int) string {
	if partCost(s) <= n {
		return s
	}
	lo, hi := 0, len(s) // the longest byte length that fits is in [lo, hi)
	for lo+1 < hi {
		m := (lo + hi) / 2
		if partCost(capText(s, m)) <= n {
			lo = m
		} else {
			hi = m
		}
	}
	return capText(s, lo)
}

// defaultDecisions is how many of the newest decisions the budgeted
// output shows; the omission line names the rest and where they are.
const defaultDecisions = 10

// Byte caps of single items, so that one huge line (a pasted log in a
// decision) cannot crowd out everything else.
const (
	capLine   = 600
	capShort  = 160
	capDetail = 200
)

// fit renders d.r within budget (0: no budget) and fills the kept parts
// into the Resume.
func (d *resumeData) fit(budget int) {
	r := d.r
	blocks := d.blocks()
	byKey := map[string]*rBlock{}
	for _, b := range blocks {
		byKey[b.key] = b
	}
	var text string
	target := budget
	for attempt := 0; ; attempt++ {
		for _, b := range blocks {
			b.lo, b.hi = 0, len(b.items)
			for i := range b.items {
				b.items[i].shortened = false
			}
			b.moreCost = 0
		}
		// The budget is a ceiling, not a target: the default output
		// shows the newest decisions and says where the rest are.
		capped := false
		if b := byKey["decisions"]; b != nil && budget > 0 && len(b.items) > defaultDecisions {
			b.lo = len(b.items) - defaultDecisions
			b.moreCost = partCost(b.moreLine())
			capped = true
		}
		shortened := budget > 0 && fitBlocks(blocks, byKey, target) || capped
		var sb strings.Builder
		for _, b := range blocks {
			b.render(&sb)
		}
		text = strings.TrimRight(sb.String(), "\n") + "\n"
		if shortened {
			text += leftOut(blocks)
		}
		if budget == 0 || tokens.EstimateTokens(text) <= budget || attempt == 3 {
			break
		}
		target -= tokens.EstimateTokens(text) - budget // the per-line sum was short
	}
	if budget > 0 && tokens.EstimateTokens(text) > budget {
		// Last resort (a budget too small for even the warnings): cut
		// at a line boundary.
		footer := leftOut(nil)
		cut, _ := tokens.TruncateToTokens(text, budget-tokens.EstimateTokens(footer))
		// A heading whose items were all cut goes too.
		for {
			t := strings.TrimRight(cut, "\n")
			i := strings.LastIndexByte(t, '\n')
			if !strings.HasPrefix(t[i+1:], "## ") {
				break
			}
			cut = t[:i+1]
		}
		text = cut + footer
		// Keep in the document only what the text kept.
		for _, b := range blocks {
			for b.hi > b.lo && !strings.Contains(cut, b.items[b.hi-1].text()) {
				b.hi--
			}
		}
	}
	r.text = text
	r.Budget = budget
	r.Tokens = tokens.EstimateTokens(text)
	d.keep(byKey)
}

// fitBlocks applies the stages until the blocks fit target; it reports
// whether anything was dropped or shortened.
func fitBlocks(blocks []*rBlock, byKey map[string]*rBlock, target int) bool {
	total := tokens.Margin
	for _, b := range blocks {
		total += b.cost()
	}
	if total <= target {
		return false
	}
	// The closing line, which grows as blocks empty.
	closing := partCost(leftOut(blocks))
	total += closing
	type stage struct {
		key     string
		keep    int  // drop down to this many items
		shorten bool // swap items for their short form instead
	}
	stages := []stage{
		{key: "summary", keep: 3},
		{key: "sections", keep: 1},
		{key: "read", keep: 4},
		{key: "decisions", keep: 10},
		{key: "next", keep: 5},
		{key: "summary", keep: 0},
		{key: "decisions", keep: 3},
		{key: "specs", keep: 1},
		{key: "sections", keep: 0},
		{key: "footer", keep: 0},
		{key: "next", keep: 3},
		{key: "decisions", keep: 0},
		{key: "retries", keep: 3},
		{key: "read", keep: 2},
		{key: "next", shorten: true},
		{key: "next", keep: 1},
		{key: "specs", keep: 0},
		{key: "retries", keep: 1},
		{key: "command", shorten: true},
		{key: "read", keep: 0},
		{key: "warnings", shorten: true}, // details go, messages stay
		{key: "next", keep: 0},
		{key: "retries", keep: 0},
		{key: "header", shorten: true},
		{key: "current", shorten: true},
		{key: "warnings", keep: 3},
		{key: "command", keep: 0},
		{key: "warnings", keep: 1},
	}
	for _, s := range stages {
		b := byKey[s.key]
		if b == nil {
			continue
		}
		before := b.cost()
		if s.shorten {
			// Shortening one item changes only that item's cost.
			for i := b.hi - 1; i >= b.lo && total > target; i-- {
				it := &b.items[i]
				if !it.shortened && it.short != it.full {
					c := it.cost()
					it.shortened = true
					total += it.cost() - c
				}
			}
			continue
		}
		if b.hi-b.lo <= s.keep || total <= target {
			continue
		}
		// Keep the most items that fit, down to s.keep: the block's cost
		// grows with the items kept, so a binary search finds the count
		// in O(n log n) where dropping one item at a time and pricing
		// the block again was quadratic (thousands of blockers or
		// warnings took seconds).
		lo0, hi0 := b.lo, b.hi
		setKeep := func(k int) {
			if b.front {
				b.lo, b.hi = hi0-k, hi0
			} else {
				b.lo, b.hi = lo0, lo0+k
			}
			b.moreCost = partCost(b.moreLine())
		}
		priced := func(k int) int {
			setKeep(k)
			t := total - before + b.cost()
			if k == 0 {
				t += partCost(leftOut(blocks)) - closing
			}
			return t
		}
		keep := s.keep
		for l, h := s.keep, hi0-lo0-1; l <= h; {
			m := int(uint(l+h) >> 1)
			if priced(m) <= target {
				keep, l = m, m+1
			} else {
				h = m - 1
			}
		}
		setKeep(keep)
		after := b.cost()
		total += after - before
		if keep == 0 {
			c := partCost(leftOut(blocks))
			total += c - closing
			closing = c
		}
		if total <= target {
			break
		}
	}
	return true
}

// leftOut is the closing line of shortened output: the blocks left out
// whole, and how to see everything.
func leftOut(blocks []*rBlock) string {
	var parts []string
	for _, b := range blocks {
		if b.hi == b.lo && len(b.items) > 0 && b.what != "" {
			parts = append(parts, fmt.Sprintf("%d %s", len(b.items), b.what))
		}
	}
	if len(parts) == 0 {
		return "(Shortened to fit the budget: wf resume --full prints all.)\n"
	}
	return "(Left out to fit the budget: " + strings.Join(parts, ", ") + "; wf resume --full prints all.)\n"
}

// blocks builds the output blocks in display order.
func (d *resumeData) blocks() []*rBlock {
	r := d.r
	sf := d.sn.State.Src.Path
	var out []*rBlock
	add := func(b *rBlock) { out = append(out, b) }

	// Header: where things stand. The short form keeps the phase, status,
	// progress and checkpoint id.
	title := "# Resume"
	if r.Project != "" {
		title += ": " + r.Project
	}
	var facts, brief []string
	if r.Phase != "" {
		facts = append(facts, "phase "+r.Phase)
		brief = append(brief, "phase "+capText(r.Phase, 40))
	}
	if r.Status != "" {
		facts = append(facts, "status "+r.Status)
		brief = append(brief, "status "+capText(r.Status, 20))
	}
	if r.Mode != "" {
		facts = append(facts, "mode "+r.Mode)
	}
	prog := fmt.Sprintf("%d/%d done", r.Progress.Done, r.Progress.Total)
	if r.Progress.Skipped > 0 {
		prog += fmt.Sprintf(" (%d skipped)", r.Progress.Skipped)
	}
	facts = append(facts, prog)
	brief = append(brief, prog)
	if c := r.Checkpoint; c != nil {
		cpFact := "last checkpoint " + history.ShortID(c.ID)
		brief = append(brief, cpFact)
		if c.Title != "" {
			cpFact += fmt.Sprintf(" %q", capText(c.Title, 200))
		}
		var meta []string
		if c.Age != "" {
			meta = append(meta, c.Age)
		}
		if c.Commit != "" {
			meta = append(meta, "commit "+history.Short(c.Commit))
		}
		if c.Ref != "" && c.Ref != "HEAD" && !strings.HasPrefix(c.Ref, "refs/heads/") {
			meta = append(meta, "on "+c.Ref)
		}
		if len(meta) > 0 {
			cpFact += " (" + strings.Join(meta, ", ") + ")"
		}
		facts = append(facts, cpFact)
	} else {
		facts = append(facts, "no checkpoint yet")
		brief = append(brief, "no checkpoint yet")
	}
	if g := r.Git; g != nil {
		switch {
		case g.Branch != "":
			facts = append(facts, "branch "+g.Branch)
		case g.Head != "":
			facts = append(facts, "detached HEAD "+history.Short(g.Head))
		}
	}
	if r.Session != nil {
		// The host's own resume can be offered (claude --resume ID).
		facts = append(facts, "last session "+r.Session.ID)
	}
	full := capText(title, 200) + "\n" + strings.Join(facts, " · ") + "\n"
	shortH := capTokens(title, 20) + "\n" + capTokens(strings.Join(brief, " · "), 40) + "\n"
	add(&rBlock{key: "header", items: []rItem{newItem(full, shortH)}})

	// Warnings.
	if len(r.Warnings) > 0 {
		b := &rBlock{key: "warnings", head: "## Warnings (read these first)\n", what: "warnings", where: "wf resume --full"}
		for _, w := range r.Warnings {
			var f strings.Builder
			f.WriteString("- " + capText(w.Message, capLine*2) + "\n")
			for _, x := range w.Details {
				f.WriteString("  - " + capText(x, capDetail) + "\n")
			}
			b.items = append(b.items, newItem(f.String(), "- "+capTokens(w.Message, 90)+"\n"))
		}
		add(b)
	}

	// The next command, when it is not "continue".
	if c := r.Command; c != nil {
		b := &rBlock{key: "command", head: "## First, before the current item\n", what: "next step", where: "wf resume --full"}
		if c.Command != "" {
			b.items = []rItem{newItem("`"+c.Command+"`: "+capText(c.Why, capLine)+"\n", "`"+c.Command+"`\n")}
		} else {
			b.items = []rItem{newItem(capText(c.Why, capLine)+"\n", capText(c.Why, capShort)+"\n")}
		}
		add(b)
	}

	// What to read first.
	if len(r.Read) > 0 {
		b := &rBlock{key: "read", head: "## Read first, in order\n", what: "files to read", where: "wf resume --full"}
		for i, s := range r.Read {
			size := fmt.Sprintf("%d lines", s.Lines)
			switch {
			case s.Large:
				size = fmt.Sprintf("large, ~%s tokens: read the parts you need", thousands(s.Tokens))
			case s.Lines < 0:
				size = fmt.Sprintf("~%s tokens", thousands(s.Tokens))
			case s.Lines == 1:
				size = "1 line"
			}
			line := fmt.Sprintf("%d. %s (%s): %s\n", i+1, s.Path, size, s.Why)
			b.items = append(b.items, newItem(line, line))
		}
		add(b)
	}

	// The current item, once, with its failed attempts.
	if c := r.Current; c != nil {
		b := &rBlock{key: "current", head: "## Current item\n"}
		loc := fmt.Sprintf("%s:%d", d.sn.Todo.Src.Path, c.Line)
		if c.Phase != "" && !strings.EqualFold(c.Phase, r.Phase) {
			loc += ", phase " + c.Phase
		}
		state := ""
		if c.State != "open" {
			state = " (already " + c.State + ")"
		} else if why := d.currentBlocked(); why != "" {
			state = " (" + why + ")"
		}
		var f strings.Builder
		fmt.Fprintf(&f, "#%d %s%s  (%s)\n", c.N, capText(c.Text, capLine), state, loc)
		for _, l := range attemptLines(r.Attempts, c, d.limits) {
			f.WriteString("- " + l + "\n")
		}
		b.items = []rItem{newItem(f.String(), fmt.Sprintf("#%d %s%s\n", c.N, capText(c.Text, capShort), state))}
		add(b)
	}

	// Items whose retry budget is spent.
	if len(r.Retries) > 0 {
		b := &rBlock{key: "retries", head: "## Retry budget spent (a person decides; do not retry these)\n", what: "items out of retries", where: d.sn.Todo.Src.Path}
		for _, x := range r.Retries {
			line := fmt.Sprintf("- #%d %s (%s:%d): %s\n", x.N, capText(x.Text, capLine), d.sn.Todo.Src.Path, x.Line, strings.Join(x.Buckets, ", "))
			b.items = append(b.items, newItem(line, line))
		}
		add(b)
	}

	// Next actions: the checkpoint's own, labelled, then TODO.md's next
	// open items, each with its number of today.
	if len(r.NextActions) > 0 {
		src := "the checkpoint's Next Actions"
		if r.Checkpoint != nil && r.Checkpoint.File != "" {
			src = r.Checkpoint.File
		}
		b := &rBlock{key: "next", head: "## Next actions\n", what: "next actions", where: src}
		i, prev := 0, ""
		for _, a := range r.NextActions {
			group := ""
			if a.Source != prev {
				switch {
				case a.Source == "checkpoint" && r.Checkpoint != nil:
					group = fmt.Sprintf("From checkpoint %s:\n", history.ShortID(r.Checkpoint.ID))
				case a.Source == "checkpoint":
					group = "From the latest checkpoint:\n"
				case r.Current != nil:
					group = fmt.Sprintf("Then, in order (open items after #%d in %s):\n", r.Current.N, d.sn.Todo.Src.Path)
				default:
					group = fmt.Sprintf("Then, in order (open items of %s):\n", d.sn.Todo.Src.Path)
				}
				prev, i = a.Source, 0
			}
			i++
			var full, short string
			if a.Source == "todo" {
				full = fmt.Sprintf("- #%d %s\n", a.N, capText(a.Text, capLine))
				short = fmt.Sprintf("- #%d %s\n", a.N, capText(a.Text, capShort))
			} else {
				num := ""
				if a.N > 0 {
					num = fmt.Sprintf(" (#%d)", a.N)
				}
				full = fmt.Sprintf("%d. %s%s\n", i, capText(a.Text, capLine), num)
				short = fmt.Sprintf("%d. %s%s\n", i, capText(a.Text, capShort), num)
			}
			it := newItem(full, short)
			it.group = group
			b.items = append(b.items, it)
		}
		add(b)
	}

	// Decisions: the newest are kept.
	if len(d.decisions) > 0 {
		where := fmt.Sprintf("%s:%d (Decisions Log)", sf, d.decisions[0].Line)
		b := &rBlock{key: "decisions", head: "## Key decisions (do not re-evaluate)\n", what: "decisions", where: where, front: true}
		for _, dc := range compactTimes(d.decisions) {
			line := "- " + capText(dc.text, capLine) + "\n"
			it := newItem(line, line)
			if dc.day != "" {
				it.group = dc.day + ":\n"
			}
			b.items = append(b.items, it)
		}
		add(b)
	}

	// The checkpoint's summary.
	if len(r.Summary) > 0 {
		b := &rBlock{key: "summary", head: "## Latest checkpoint's summary\n", what: "summary lines", where: r.Checkpoint.File}
		for _, l := range r.Summary {
			line := capText(l, capLine) + "\n"
			b.items = append(b.items, newItem(line, line))
		}
		add(b)
	}

	// The checkpoint's other sections: each is one item, dropped whole
	// (and then named) when the budget is short.
	if len(r.Sections) > 0 || len(r.SectionsLeft) > 0 {
		b := &rBlock{key: "sections", head: "## More from the latest checkpoint\n", what: "checkpoint sections", where: r.Checkpoint.File}
		if len(r.Sections) == 0 {
			b.head = "" // only the line naming what is left out
		}
		for _, x := range r.Sections {
			body := x.Text
			if !d.full {
				body = capText(body, capLine*2)
			}
			it := newItem("### "+x.Title+"\n"+body+"\n", "### "+x.Title+"\n"+capText(x.Text, capShort)+"\n")
			b.items = append(b.items, it)
		}
		if len(r.SectionsLeft) > 0 {
			line := fmt.Sprintf("(Not shown: %s; read %s.)\n", strings.Join(r.SectionsLeft, ", "), r.Checkpoint.File)
			b.items = append(b.items, newItem(line, line))
		}
		add(b)
	}

	// Delegated specs without a result.
	if len(r.Specs) > 0 {
		b := &rBlock{key: "specs", head: "## Delegated specs: out, or failed\n", what: "open specs", where: "specs/"}
		for _, s := range r.Specs {
			line := "- " + s + "\n"
			b.items = append(b.items, newItem(line, line))
		}
		add(b)
	}

	// The closing line: what to do when the current item is done, or,
	// when something comes first, that it does.
	if line := d.closing(); line != "" {
		add(&rBlock{key: "footer", items: []rItem{newItem(line, line)}})
	}
	return out
}

// keep fills the Resume's lists with what the text kept, and Omitted with
// what it left out.
func (d *resumeData) keep(byKey map[string]*rBlock) {
	r := d.r
	omit := func(b *rBlock) {
		if b != nil && b.dropped() > 0 && b.what != "" {
			r.Omitted = append(r.Omitted, Omission{What: b.what, Count: b.dropped(), Where: b.where})
		}
	}
	if b := byKey["warnings"]; b != nil {
		for i := range r.Warnings {
			if b.items[i].shortened {
				r.Warnings[i].Details = nil
			}
		}
		r.Warnings = r.Warnings[b.lo:b.hi]
		omit(b)
	}
	if b := byKey["command"]; b != nil && b.hi == b.lo {
		r.Command = nil
		omit(b)
	}
	if b := byKey["read"]; b != nil {
		kept := b.hi - b.lo
		if kept < len(r.Read) {
			r.Read = r.Read[:kept]
		}
		omit(b)
	}
	if b := byKey["current"]; b != nil && b.items[0].shortened {
		r.Current.Text = capText(r.Current.Text, capShort)
	}
	if b := byKey["next"]; b != nil {
		r.NextActions = r.NextActions[b.lo:b.hi]
		omit(b)
	}
	if b := byKey["decisions"]; b != nil {
		for _, e := range d.decisions[b.lo:b.hi] {
			r.Decisions = append(r.Decisions, e.Text)
		}
		omit(b)
	}
	if b := byKey["summary"]; b != nil {
		r.Summary = r.Summary[b.lo:b.hi]
		omit(b)
	}
	if b := byKey["specs"]; b != nil {
		r.Specs = r.Specs[b.lo:b.hi]
		omit(b)
	}
	if b := byKey["sections"]; b != nil {
		if n := b.hi - b.lo; n < len(r.Sections) {
			r.Sections = r.Sections[:n]
		}
		omit(b)
	}
	if b := byKey["retries"]; b != nil {
		r.Retries = r.Retries[b.lo:b.hi]
		omit(b)
	}
}

// thousands writes n with commas: 704,512.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
