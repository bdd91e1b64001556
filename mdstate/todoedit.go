package mdstate

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// itemSig is what must stay equal across an edit for items it did not
// target.
type itemSig struct {
	Text, Checkpoint, Reason, Phase string
	Failures                        string // as formatFailures writes them
	BlockID                         string
	Mark                            Mark
	Current                         bool
	Depth                           int
}

// String writes s as %+v would, with Failures last and only when there
// are some, so messages about items without them read as they always have.
func (s itemSig) String() string {
	out := fmt.Sprintf("{Text:%s Checkpoint:%s Reason:%s Phase:%s Mark:%d Current:%t Depth:%d",
		s.Text, s.Checkpoint, s.Reason, s.Phase, s.Mark, s.Current, s.Depth)
	if s.Failures != "" {
		out += " Failures:" + s.Failures
	}
	return out + "}"
}

func sigOf(it *Item) itemSig {
	return itemSig{it.Text, it.Checkpoint, it.Reason, it.Phase, formatFailures(it.Failures), it.BlockID, it.Mark, it.Current, it.Depth}
}

// apply splices edits into t's file, parses the result and checks it with
// want, which receives the new items and must return an error describing
// the first way they differ from the intent.
func (t *Todo) apply(edits []Edit, want func(after *Todo) error) ([]byte, *Todo, error) {
	out, err := Splice(t.Src, edits)
	if err != nil {
		return nil, nil, err
	}
	after := t.inlineReparse(out, edits)
	if after == nil {
		after = ParseTodo(t.Src.Path, out)
	}
	if err := want(after); err != nil {
		return nil, nil, &VerifyError{Path: t.Src.Path, Msg: err.Error()}
	}
	return out, after, nil
}

// inlineReparse is the parse of out, the result of edits, when every edit
// lies on one item's first line, after its box, and neither removes nor
// inserts a line break or a pipe. Markdown decides block structure from
// the start of each line (list markers, fences, headings, quotes, HTML)
// and, for tables, from the pipes on a line, so such an edit cannot change
// which blocks the file has or where their lines are: only the edited
// items' text and annotations can change, and those are read again from the
// new bytes exactly as ParseTodo reads them. The first line is required
// because it starts with the list marker and the box whatever the edit
// does; a continuation line has no such anchor, and the whole of it can
// decide what it is: "+" alone continues a paragraph but "+ (x)" starts a
// list item, "--- (x)" continues one but "---" underlines a heading. It
// returns nil when an edit does not qualify, and the caller parses the
// whole file.
func (t *Todo) inlineReparse(out []byte, edits []Edit) *Todo {
	touched := make(map[*Item]bool, len(edits))
	for _, e := range edits {
		if bytesAny(e.Old, "\n\r|") || bytesAny(e.New, "\n\r|") {
			return nil
		}
		it := t.itemAt(e.Start)
		if it == nil || e.Start < it.box || e.End > it.paraEnd || e.Start == it.box && e.End == it.box+1 && !isMark(e.New) ||
			t.Src.LineOf(e.Start) != it.Line {
			return nil
		}
		touched[it] = true
	}
	// shift maps an old offset outside every edit to its new offset; an
	// insertion exactly at off moves an end offset (text grew there) but
	// not a start offset.
	shiftBy := func(off int, end bool) int {
		d := 0
		for _, e := range edits {
			if e.End < off || e.End == off && (e.Start < e.End || end) {
				d += len(e.New) - (e.End - e.Start)
			}
		}
		return off + d
	}
	shift := func(off int) int { return shiftBy(off, false) }
	n := &Todo{Src: newSource(t.Src.Path, out), Title: t.Title, Notes: t.Notes, Suspects: t.Suspects, Deep: t.Deep}
	secs := make(map[*Section]*Section, len(t.Sections))
	for _, sec := range t.Sections {
		c := *sec
		c.End = shiftBy(sec.End, true)
		c.Items = nil
		secs[sec] = &c
		n.Sections = append(n.Sections, &c)
	}
	slab := make([]Item, len(t.Items)) // one allocation for the copies
	for i, it := range t.Items {
		c := &slab[i]
		*c = *it
		c.box = shift(it.box)
		c.textStart = shift(it.textStart)
		c.paraEnd = shiftBy(it.paraEnd, true)
		c.textEnd = shift(it.textEnd)
		if touched[it] {
			// The box and the text after it are read as ParseTodo reads them.
			mark, w, ok := readBox(out[c.box-1 : n.Src.LineEnd(it.Line)])
			if !ok {
				return nil
			}
			c.textStart = c.box - 1 + w
			c.Mark = mark
			c.Current, c.Checkpoint, c.Reason, c.Failures, c.BlockID = false, "", "", nil, ""
			c.current, c.annot, c.reason, c.failures, c.blockID = span{}, span{}, span{}, span{}, span{}
			parseItemText(n.Src, c)
		} else {
			c.current = span{shift(it.current.Start), shift(it.current.End)}
			c.annot = span{shift(it.annot.Start), shift(it.annot.End)}
			c.reason = span{shift(it.reason.Start), shift(it.reason.End)}
			c.failures = span{shift(it.failures.Start), shift(it.failures.End)}
			c.blockID = span{shift(it.blockID.Start), shift(it.blockID.End)}
		}
		if it.Section != nil {
			c.Section = secs[it.Section]
			c.Section.Items = append(c.Section.Items, c)
		}
		n.Items = append(n.Items, c)
	}
	for _, c := range n.Items {
		if p := c.Parent; p != nil { // Items[i].N == i+1
			c.Parent = &slab[p.N-1]
		}
	}
	return n
}

// tailEnd is where text appended to item it goes: the end of its first
// paragraph, or the start of the blanks before its block id, which stays
// last.
func (it *Item) tailEnd() int {
	if it.blockID.ok() && it.blockID.Start >= it.textStart {
		end := it.blockID.Start
		if it.current.ok() && it.current.Start >= end {
			return it.paraEnd // a marker after the id: the id is not last anyway
		}
		return end
	}
	return it.paraEnd
}

// itemAt returns the item whose box-to-paragraph-end range holds off.
func (t *Todo) itemAt(off int) *Item {
	i := sort.Search(len(t.Items), func(i int) bool { return t.Items[i].paraEnd >= off })
	if i < len(t.Items) && t.Items[i].box <= off {
		return t.Items[i]
	}
	return nil
}

func isMark(b []byte) bool {
	return len(b) == 1 && (b[0] == ' ' || b[0] == 'x' || b[0] == 'X' || b[0] == '-')
}

func bytesAny(b []byte, chars string) bool { return bytes.ContainsAny(b, chars) }

// sameExcept checks that after has the items of t, with the items
// numbered in changed replaced by the given signatures, and extra inserted
// at position at (0-based, -1 for none).
func (t *Todo) sameExcept(after *Todo, changed map[int]itemSig, at int, extra *itemSig) error {
	want := make([]itemSig, 0, len(t.Items)+1)
	for _, it := range t.Items {
		if s, ok := changed[it.N]; ok {
			want = append(want, s)
		} else {
			want = append(want, sigOf(it))
		}
	}
	if extra != nil {
		want = append(want[:at], append([]itemSig{*extra}, want[at:]...)...)
	}
	if len(after.Items) != len(want) {
		return fmt.Errorf("expected %d items, found %d", len(want), len(after.Items))
	}
	for i, it := range after.Items {
		if got := sigOf(it); got != want[i] {
			return fmt.Errorf("item %d at line %d reads %+v, expected %+v", it.N, it.Line, got, want[i])
		}
	}
	return nil
}

// SetMark ticks (Done), unticks (Open) or skips (Skipped, with reason) item
// n. Ticking records checkpoint when not empty; unticking removes a
// checkpoint annotation and a skip reason; any change of mark removes the
// CURRENT marker from a ticked or skipped item.
func (t *Todo) SetMark(n int, mark Mark, checkpoint, reason string) ([]byte, *Todo, error) {
	edits, sig, err := t.markEdits(n, mark, checkpoint, reason)
	if err != nil {
		return nil, nil, err
	}
	return t.apply(edits, func(after *Todo) error {
		return t.sameExcept(after, map[int]itemSig{n: sig}, -1, nil)
	})
}

// markEdits are SetMark's edits and the item's intended reading after them.
func (t *Todo) markEdits(n int, mark Mark, checkpoint, reason string) ([]Edit, itemSig, error) {
	it, err := t.Item(n)
	if err != nil {
		return nil, itemSig{}, err
	}
	s := t.Src
	edits := []Edit{s.replace(it.box, it.box+1, string(mark))}
	sig := sigOf(it)
	sig.Mark = mark
	if it.Current && mark != Open {
		edits = append(edits, s.replace(it.current.Start, it.current.End, ""))
		sig.Current = false
	}
	// The trailing annotation: at most one of checkpoint or skip reason.
	var annot span
	if it.annot.ok() {
		annot = it.annot
	} else if it.reason.ok() {
		annot = it.reason
	}
	newAnnot := ""
	sig.Checkpoint, sig.Reason = "", ""
	switch {
	case mark == Done && checkpoint != "":
		newAnnot = " (" + checkpoint + ")"
		sig.Checkpoint = checkpoint
	case mark == Done && it.Checkpoint != "":
		newAnnot = " (" + it.Checkpoint + ")"
		sig.Checkpoint = it.Checkpoint
	case mark == Skipped:
		reason = oneLine(reason)
		if reason == "" {
			return nil, sig, fmt.Errorf("a skip needs a reason")
		}
		newAnnot = " (skipped: " + reason + ")"
		sig.Reason = reason
	}
	if annot.ok() {
		if annot.Start < it.current.End && it.current.Start < annot.End && it.current.ok() {
			return nil, sig, &VerifyError{Path: s.Path, Msg: "CURRENT marker inside an annotation"}
		}
		if string(s.Data[annot.Start:annot.End]) != newAnnot {
			edits = append(edits, s.replace(annot.Start, annot.End, newAnnot))
		}
	} else if newAnnot != "" {
		end := it.tailEnd()
		if it.current.ok() && it.current.End == end && sig.Current {
			end = it.current.Start // keep the marker last
		}
		end = trimSpaceBefore(s.Data, end, it.textStart)
		edits = append(edits, s.insert(end, newAnnot))
	}
	return edits, sig, nil
}

// SetFailures replaces item n's failure annotation with fs (nil or empty
// removes it), verifying like the other edits. The annotation,
// " (failed: test-fail 2, build-fail 1)", goes right after the item's text:
// before a checkpoint annotation or skip reason and before the CURRENT
// marker. An existing annotation is replaced in place, keeping the blanks
// before it; removing it removes those blanks too. Each bucket must be
// lower-case letters, digits and '-', each count from 1 to 999999999,
// and no bucket may appear twice. Setting what the item already reads
// returns the file unchanged.
func (t *Todo) SetFailures(n int, fs []Failure) ([]byte, *Todo, error) {
	edits, sig, err := t.failureEdits(n, fs)
	if err != nil {
		return nil, nil, err
	}
	if len(edits) == 0 {
		return t.Src.Data, t, nil
	}
	return t.apply(edits, func(after *Todo) error {
		return t.sameExcept(after, map[int]itemSig{n: sig}, -1, nil)
	})
}

// maxFailureCount is the largest count a failure annotation holds; the
// parser reads a longer number as text.
const maxFailureCount = 999999999

// failureEdits are SetFailures' edits and the item's intended reading
// after them.
func (t *Todo) failureEdits(n int, fs []Failure) ([]Edit, itemSig, error) {
	it, err := t.Item(n)
	if err != nil {
		return nil, itemSig{}, err
	}
	seen := make(map[string]bool, len(fs))
	for _, f := range fs {
		switch {
		case !validBucket(f.Bucket):
			return nil, itemSig{}, fmt.Errorf("failure bucket %q is not lower-case letters, digits and '-'", f.Bucket)
		case f.Count < 1 || f.Count > maxFailureCount:
			return nil, itemSig{}, fmt.Errorf("failure count %d for bucket %q is not between 1 and %d", f.Count, f.Bucket, maxFailureCount)
		case seen[f.Bucket]:
			return nil, itemSig{}, fmt.Errorf("failure bucket %q given twice", f.Bucket)
		}
		seen[f.Bucket] = true
	}
	s := t.Src
	sig := sigOf(it)
	sig.Failures = formatFailures(fs)
	inner := ""
	if len(fs) > 0 {
		inner = failedOpen + sig.Failures + ")"
	}
	fsp := it.failures
	switch {
	case fsp.ok():
		if it.current.ok() && fsp.Start < it.current.End && it.current.Start < fsp.End {
			return nil, sig, &VerifyError{Path: s.Path, Msg: "CURRENT marker inside the failure annotation"}
		}
		open := fsp.Start // the "(" after the blanks
		for open < fsp.End && (s.Data[open] == ' ' || s.Data[open] == '\t') {
			open++
		}
		if inner != "" {
			if string(s.Data[open:fsp.End]) == inner {
				return nil, sig, nil
			}
			return []Edit{s.replace(open, fsp.End, inner)}, sig, nil
		}
		start := fsp.Start
		// An annotation that opens a continuation line goes with the line
		// break before it, so no line is left holding only blanks.
		if start > it.textStart && s.Data[start-1] == '\n' {
			start--
			if start > it.textStart && s.Data[start-1] == '\r' {
				start--
			}
		}
		return []Edit{s.replace(start, fsp.End, "")}, sig, nil
	case inner == "":
		return nil, sig, nil
	default:
		return []Edit{s.insert(it.textEnd, " "+inner)}, sig, nil
	}
}

// SetCurrent moves the CURRENT marker to item n (0 removes every marker).
func (t *Todo) SetCurrent(n int) ([]byte, *Todo, error) {
	edits, changed, err := t.currentEdits(n)
	if err != nil {
		return nil, nil, err
	}
	if len(edits) == 0 {
		return t.Src.Data, t, nil
	}
	return t.apply(edits, func(after *Todo) error { return t.sameExcept(after, changed, -1, nil) })
}

// currentEdits are SetCurrent's edits and the changed items' readings.
func (t *Todo) currentEdits(n int) ([]Edit, map[int]itemSig, error) {
	s := t.Src
	var edits []Edit
	changed := map[int]itemSig{}
	for _, it := range t.Items {
		if it.Current && it.N != n {
			edits = append(edits, s.replace(it.current.Start, it.current.End, ""))
			sig := sigOf(it)
			sig.Current = false
			changed[it.N] = sig
		}
	}
	if n != 0 {
		it, err := t.Item(n)
		if err != nil {
			return nil, nil, err
		}
		if !it.Current {
			end := trimSpaceBefore(s.Data, it.tailEnd(), it.textStart)
			edits = append(edits, s.insert(end, "  <-- CURRENT"))
			sig := sigOf(it)
			sig.Current = true
			changed[it.N] = sig
		}
	}
	return edits, changed, nil
}

// Add appends an open item with text. It goes after the last item of
// section sec (matched by title, case-insensitively), or as a sub-item at
// the end of item under's sub-items when under > 0. With neither, it goes
// after the last item of the file, or at the end of the file.
func (t *Todo) Add(text, sec string, under int) ([]byte, *Todo, error) {
	text = oneLine(text)
	if text == "" {
		return nil, nil, fmt.Errorf("the item text is empty")
	}
	s := t.Src
	eol := s.EOL
	var off int
	var line string
	var at int // index in Items of the new item
	newSig := itemSig{Text: text, Mark: Open}
	switch {
	case under > 0:
		parent, err := t.Item(under)
		if err != nil {
			return nil, nil, err
		}
		var last *Item
		for _, it := range t.Items {
			if it.Parent == parent {
				last = it
			}
		}
		newSig.Phase, newSig.Depth = parent.Phase, parent.Depth+1
		if last != nil {
			off, line, at = t.afterItem(last)
		} else {
			line = childPrefix(parent.prefix) + "[ ] "
			off = s.LineNext(parent.endLine)
			at = lastDescendant(t, parent).N
		}
	case sec != "":
		var target *Section
		for _, x := range t.Sections {
			if strings.EqualFold(x.Title, sec) {
				target = x
				break
			}
		}
		if target == nil {
			// A new phase section at the end of the file.
			pre := ""
			if len(s.Data) > 0 {
				pre = eol
			}
			ins := pre + "## " + oneLine(sec) + eol + "- [ ] " + text + eol
			newSig.Phase = oneLine(sec)
			return t.apply([]Edit{s.insertEnd(ins)}, func(after *Todo) error {
				return t.sameExcept(after, nil, len(t.Items), &newSig)
			})
		}
		newSig.Phase = phaseAt(t, target)
		var last *Item
		for _, it := range target.Items {
			if it.Depth == 0 || last == nil || it.Depth <= last.Depth {
				last = it
			}
		}
		if last != nil {
			for last.Parent != nil && last.Parent.Section == target {
				last = last.Parent
			}
			off, line, at = t.afterItem(last)
		} else {
			return t.addToEmptySection(target, text, newSig)
		}
	default:
		if len(t.Items) == 0 {
			pre := ""
			if len(s.Data) > 0 {
				pre = eol
			}
			if len(t.Sections) > 0 {
				newSig.Phase = phaseAt(t, t.Sections[len(t.Sections)-1])
			}
			return t.apply([]Edit{s.insertEnd(pre + "- [ ] " + text + eol)}, func(after *Todo) error {
				return t.sameExcept(after, nil, 0, &newSig)
			})
		}
		last := t.Items[len(t.Items)-1]
		for last.Parent != nil {
			last = last.Parent
		}
		newSig.Phase = last.Phase
		off, line, at = t.afterItem(last)
	}
	ins := line + text + eol
	if off == len(s.Data) && len(s.Data) > 0 && s.Data[len(s.Data)-1] != '\n' {
		ins = eol + line + text // keep the file's missing final newline
	}
	return t.apply([]Edit{s.insert(off, ins)}, func(after *Todo) error {
		return t.sameExcept(after, nil, at, &newSig)
	})
}

// afterItem returns where a sibling of it goes (after it and its
// sub-items), the prefix of the new line, and the new item's index.
func (t *Todo) afterItem(it *Item) (off int, prefix string, at int) {
	p := listPrefix(it.prefix)
	return t.Src.LineNext(it.endLine), leadingPrefix(it.prefix) + p + "[ ] ", lastDescendant(t, it).N
}

func (t *Todo) addToEmptySection(sec *Section, text string, sig itemSig) ([]byte, *Todo, error) {
	s := t.Src
	eol := s.EOL
	// After the section's last non-blank line, before any sub-heading.
	end := sec.End
	for _, x := range t.Sections {
		if x.Line > sec.Line && s.LineStart(x.Line) < end {
			end = s.LineStart(x.Line)
			break
		}
	}
	ln := s.LineOf(max(end-1, 0))
	if end == len(s.Data) && (len(s.Data) == 0 || s.Data[len(s.Data)-1] != '\n') {
		ln = s.Lines()
	}
	for ln > sec.EndLine && len(trimEOL(s.Line(ln))) == 0 {
		ln--
	}
	off := s.LineNext(ln)
	ins := eol + "- [ ] " + text + eol // a blank line after the section's text
	if ln == sec.EndLine {
		ins = "- [ ] " + text + eol // straight under the heading
	}
	if off == len(s.Data) && s.noFinalNewline() {
		ins = eol + strings.TrimSuffix(ins, eol) // keep the missing final newline
	}
	if s.LineNext(ln) < len(s.Data) && len(trimEOL(s.Line(ln+1))) > 0 {
		ins += eol
	}
	at := 0
	for _, it := range t.Items {
		if it.Line < ln {
			at = it.N
		}
	}
	return t.apply([]Edit{s.insert(off, ins)}, func(after *Todo) error {
		return t.sameExcept(after, nil, at, &sig)
	})
}

func lastDescendant(t *Todo, it *Item) *Item {
	last := it
	for _, x := range t.Items[it.N:] {
		d := x
		for d != nil && d != it {
			d = d.Parent
		}
		if d == nil {
			break
		}
		last = x
	}
	return last
}

func phaseAt(t *Todo, sec *Section) string {
	for i := len(t.Sections) - 1; i >= 0; i-- {
		x := t.Sections[i]
		if x.Line > sec.Line {
			continue
		}
		if x.Level == 2 {
			return x.Title
		}
		if x.Level < 2 {
			return ""
		}
	}
	return ""
}

// childPrefix is the prefix of a first sub-item of an item whose line
// starts with prefix: indented to the item's content column (tabs
// expanded), with the same bullet, or "1." for an ordered item, since an
// ordered sub-list must start at 1 to follow the item's paragraph.
func childPrefix(prefix string) string {
	lead := leadingPrefix(prefix)
	rest := prefix[len(lead):]
	col := 0
	for i := 0; i < len(prefix); i++ {
		if prefix[i] == '\t' {
			col += 4 - col%4
		} else {
			col++
		}
	}
	leadCol := 0
	for i := 0; i < len(lead); i++ {
		if lead[i] == '\t' {
			leadCol += 4 - leadCol%4
		} else {
			leadCol++
		}
	}
	marker := rest
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	if j > 0 {
		marker = "1" + rest[j:]
	}
	if marker == "" {
		marker = "- "
	}
	return lead + strings.Repeat(" ", col-leadCol) + marker
}

// leadingPrefix is the part of an item line's prefix before its bullet.
func leadingPrefix(prefix string) string {
	i := 0
	for i < len(prefix) && (prefix[i] == ' ' || prefix[i] == '\t' || prefix[i] == '>') {
		i++
	}
	return prefix[:i]
}

// listPrefix is the bullet and the spacing after it, for a new sibling; an
// ordered marker is numbered on by one.
func listPrefix(prefix string) string {
	rest := prefix[len(leadingPrefix(prefix)):]
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	if j > 0 {
		n := 0
		fmt.Sscanf(rest[:j], "%d", &n)
		return fmt.Sprintf("%d", n+1) + rest[j:]
	}
	if rest == "" {
		return "- "
	}
	return rest
}

func trimSpaceBefore(data []byte, end, floor int) int {
	for end > floor && (data[end-1] == ' ' || data[end-1] == '\t') {
		end--
	}
	return end
}

// oneLine collapses text to a single line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Item returns item n (1-based).
func (t *Todo) Item(n int) (*Item, error) {
	if n < 1 || n > len(t.Items) {
		return nil, fmt.Errorf("%s has no item %d (it has %d)", t.Src.Path, n, len(t.Items))
	}
	return t.Items[n-1], nil
}
