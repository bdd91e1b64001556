package mdstate

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Todo is a parsed TODO.md.
type Todo struct {
	Src   *Source
	Title string // the first H1, "" if none
	// Items are the checklist items in document order; Items[i].N == i+1.
	Items []*Item
	// Sections are the headings in document order with the items under them.
	Sections []*Section
	// Notes say what was seen but not used, for wf lint.
	Notes []Note
	// Suspects are the lines another task-list reader would show as tasks
	// but that are not Items, in line order. They count as open items in
	// [Todo.Counts] and [Todo.OpenSuspects].
	Suspects []Suspect
	// Deep are the lines nesting deeper than [MaxNesting], which wf does
	// not read.
	Deep []DeepLine
}

// Section is a heading and the items up to the next heading of the same or
// a higher level.
type Section struct {
	Title   string
	Level   int
	Line    int // heading line
	EndLine int // last line of the heading (setext underline)
	// End is the offset where the section ends (the next heading of the same
	// or higher level, or the end of the file).
	End   int
	Items []*Item
}

// Mark is the character inside an item's box.
type Mark byte

const (
	Open    Mark = ' '
	Done    Mark = 'x'
	Skipped Mark = '-'
)

// Item is one checklist line: "- [ ] text", "- [x] text (checkpoint)",
// "- [-] text (skipped: reason)", any of them with a failure annotation
// after the text: "- [ ] text (failed: test-fail 2) <-- CURRENT".
type Item struct {
	N       int    // 1-based number, as in `wf todo list`
	Line    int    // 1-based line of the box
	Depth   int    // 0 for a top-level item
	Mark    Mark   // Open, Done or Skipped ('X' reads as Done)
	Text    string // the item's text without its annotations
	Current bool   // carries "<-- CURRENT"
	// BlockID is a trailing Obsidian block id without its "^" ("abc123"
	// for "- [ ] item ^abc123"), "" if none. It stays last on the line:
	// annotations and the CURRENT marker go before it.
	BlockID    string
	Checkpoint string // "(20260222-0945-plan)" annotation, without parentheses
	Reason     string // skip reason
	Parent     *Item  // enclosing item, nil at the top
	Section    *Section
	// Phase is the title of the nearest H2 above the item ("" if none);
	// TODO.md groups items into phases by H2.
	Phase string
	// Failures is the "(failed: test-fail 2, build-fail 1)" annotation, in
	// written order; nil if none.
	Failures []Failure

	box       int // offset of the mark byte
	prefix    string
	textStart int // offset just after "] "
	paraEnd   int // offset of the end of the first paragraph's last line
	textEnd   int // offset just after the last byte of Text in the file
	endLine   int // last line of the item including sub-items
	current   span
	annot     span
	reason    span
	failures  span
	blockID   span // the blanks and "^id"
}

// Failure is one retry bucket's count of failed attempts on an item.
type Failure struct {
	Bucket string // e.g. "test-fail": lower-case letters, digits and '-'
	Count  int    // >= 1
}

type span struct{ Start, End int }

func (s span) ok() bool { return s.End > s.Start }

// Checked reports whether the item is ticked.
func (it *Item) Checked() bool { return it.Mark == Done }

// IsOpen reports whether the item still needs doing.
func (it *Item) IsOpen() bool { return it.Mark == Open }

// Note is something a parser saw but could not use, with its line.
type Note struct {
	Line int
	Msg  string
}

// The regexps are compiled on first use, not at every start of wf
// (issue 12).
var (
	currentRe    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)[ \t]*<--?[ \t]*CURRENT\b`) })
	checkpointRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`[ \t]+\(([0-9]{8}-[0-9]{4,6}(?:-[A-Za-z0-9._-]+)?)\)[ \t]*$`)
	})
	skipRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[ \t]+\(skipped: (.*)\)[ \t]*$`) })
)

// ParseTodo parses a TODO.md. It never fails on Markdown: what it does not
// recognise it keeps and reports in Notes.
func ParseTodo(path string, data []byte) *Todo {
	s := newSource(path, data)
	o := buildOutline(s)
	t := &Todo{Src: s}
	for _, h := range o.headings {
		if h.Level == 1 && t.Title == "" {
			t.Title = h.Text
		}
		if h.Container {
			continue
		}
		t.Sections = append(t.Sections, &Section{Title: h.Text, Level: h.Level, Line: h.Line, EndLine: h.EndLine})
	}
	for i, sec := range t.Sections {
		sec.End = len(data)
		for _, next := range t.Sections[i+1:] {
			if next.Level <= sec.Level {
				sec.End = s.LineStart(next.Line)
				break
			}
		}
	}
	// byOutline[i] is the Item read from o.items[i], nil if none. The
	// Items live in one slab (its capacity is never exceeded, so the
	// pointers stay put), and their prefixes, which are few distinct
	// strings ("- ", "  - "), are shared.
	byOutline := make([]*Item, len(o.items))
	slab := make([]Item, 0, len(o.items))
	prefixes := map[string]string{}
	for oi, li := range o.items {
		if !li.HasPara {
			continue
		}
		after := s.Data[li.ParaStart:s.LineEnd(li.Line)]
		mark, n, ok := readBox(after)
		if !ok {
			continue // a box wf does not know is a Suspect
		}
		slab = append(slab, Item{Line: li.Line, Depth: li.Depth, box: li.ParaStart + 1, endLine: li.EndLine, Mark: mark})
		it := &slab[len(slab)-1]
		prefix := s.Data[s.LineStart(li.Line):li.ParaStart]
		if it.prefix, ok = prefixes[string(prefix)]; !ok {
			it.prefix = string(prefix)
			prefixes[it.prefix] = it.prefix
		}
		it.textStart = li.ParaStart + n
		it.paraEnd = s.LineEnd(li.ParaEnd)
		parseItemText(s, it)
		for p := li.Parent; p >= 0; p = o.items[p].Parent {
			if pi := byOutline[p]; pi != nil {
				it.Parent = pi
				break
			}
		}
		byOutline[oi] = it
		it.N = len(t.Items) + 1
		t.Items = append(t.Items, it)
	}
	// Attach items to their innermost section and their phase (nearest H2).
	si := -1
	for _, it := range t.Items {
		for si+1 < len(t.Sections) && t.Sections[si+1].Line < it.Line {
			si++
		}
		if si < 0 {
			continue
		}
		it.Section = t.Sections[si]
		it.Section.Items = append(it.Section.Items, it)
		for j := si; j >= 0; j-- {
			if t.Sections[j].Level == 2 {
				it.Phase = t.Sections[j].Title
				break
			}
			if t.Sections[j].Level < 2 {
				break
			}
		}
	}
	t.Deep = o.deep
	t.Suspects = findSuspects(t, o)
	return t
}

// readBox reads the checkbox at the start of line, the rest of a line
// from an item's first paragraph on: "[", one of ' ', 'x', 'X' or '-',
// "]", then a blank (space or tab) or the end of the line, the task-list
// item of GitHub Flavored Markdown (https://github.github.com/gfm/#task-list-items-extension-)
// with wf's skip mark '-'. It returns the mark ('X' reads as [Done]) and
// the length of the box with the blank after it (4, or 3 at the end of
// the line); ok is false when line does not start with such a box.
func readBox(line []byte) (mark Mark, n int, ok bool) {
	if len(line) < 3 || line[0] != '[' || line[2] != ']' {
		return 0, 0, false
	}
	switch line[1] {
	case ' ', 'x', '-':
		mark = Mark(line[1])
	case 'X':
		mark = Done
	default:
		return 0, 0, false
	}
	if len(line) == 3 {
		return mark, 3, true
	}
	if line[3] != ' ' && line[3] != '\t' {
		return 0, 0, false
	}
	return mark, 4, true
}

// parseItemText reads the item's text and its trailing annotations from
// the first paragraph, which may span several lines.
func parseItemText(s *Source, it *Item) {
	raw := s.Data[it.textStart:it.paraEnd]
	// Each regexp below runs only when the literal text it must match is
	// there: unanchored, they would try every offset of every item.
	if bytes.Contains(raw, []byte("<-")) {
		if loc := currentRe().FindIndex(raw); loc != nil {
			it.Current = true
			it.current = span{it.textStart + loc[0], it.textStart + loc[1]}
		}
	}
	// Annotations are read from the text with the CURRENT marker removed.
	body := string(raw)
	if it.Current {
		body = string(raw[:it.current.Start-it.textStart]) + string(raw[it.current.End-it.textStart:])
	}
	mapOff := func(i int) int { // offset in body -> offset in file
		if it.Current && i >= it.current.Start-it.textStart {
			return it.textStart + i + (it.current.End - it.current.Start)
		}
		return it.textStart + i
	}
	// An Obsidian block id ends the text: "item (annotation) ^abc123".
	if strings.Contains(body, "^") {
		if start, id, ok := findBlockID(body); ok {
			it.BlockID = id
			it.blockID = span{mapOff(start), mapOff(start+len(strings.TrimRight(body[start:], " \t\r\n"))-1) + 1}
			body = body[:start]
		}
	}
	if strings.HasSuffix(strings.TrimRight(body, " \t"), ")") { // both annotations end so
		// A checkpoint id holds no "(": its match starts in the blanks
		// before the last "(", so the regexp need not try every offset.
		from := max(strings.LastIndexByte(body, '('), 0)
		for from > 0 && (body[from-1] == ' ' || body[from-1] == '\t') {
			from--
		}
		if m := checkpointRe().FindStringSubmatchIndex(body[from:]); m != nil {
			for i := range m {
				if m[i] >= 0 {
					m[i] += from
				}
			}
			it.Checkpoint = body[m[2]:m[3]]
			it.annot = span{mapOff(m[0]), mapOff(m[3]) + 1} // up to ")": trailing blanks stay
			body = body[:m[0]]
		} else if strings.Contains(body, "(skipped: ") {
			if m := skipRe().FindStringSubmatchIndex(body); m != nil {
				it.Reason = body[m[2]:m[3]]
				it.reason = span{mapOff(m[0]), mapOff(m[3]) + 1}
				body = body[:m[0]]
			}
		}
	}
	// The failure annotation is the last thing left; anything else that
	// only looks like one stays text.
	if strings.Contains(body, failedOpen) {
		if fs, start, end, ok := findFailures(body); ok {
			it.Failures = fs
			it.failures = span{mapOff(start), mapOff(end-1) + 1}
			body = body[:start]
		}
	}
	// The text's end, before a CURRENT marker that follows it.
	te := len(strings.TrimRight(body, " \t\r\n"))
	it.textEnd = it.textStart + te
	if it.Current && te > it.current.Start-it.textStart {
		it.textEnd += it.current.End - it.current.Start
	}
	it.Text = joinLines(body)
}

// findBlockID finds an Obsidian block id at the end of body: blanks, "^",
// one or more ASCII letters, digits and '-', then nothing but blanks and
// line breaks. start is the offset of the blanks before "^".
func findBlockID(body string) (start int, id string, ok bool) {
	t := strings.TrimRight(body, " \t\r\n")
	i := len(t)
	for i > 0 {
		c := t[i-1]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			break
		}
		i--
	}
	if i == len(t) || i < 2 || t[i-1] != '^' || t[i-2] != ' ' && t[i-2] != '\t' {
		return 0, "", false
	}
	start = i - 1
	for start > 0 && (t[start-1] == ' ' || t[start-1] == '\t') {
		start--
	}
	return start, t[i:], true
}

const failedOpen = "(failed: "

// findFailures finds the failure annotation at the end of body: blanks,
// "(failed: ", a well-formed bucket list, ")" and nothing after it but
// blanks and line breaks. start is the offset of the blanks, end the offset
// just after ")".
func findFailures(body string) (fs []Failure, start, end int, ok bool) {
	i := strings.LastIndex(body, failedOpen)
	if i < 0 {
		return nil, 0, 0, false
	}
	start = i
	for start > 0 && (body[start-1] == ' ' || body[start-1] == '\t') {
		start--
	}
	if start == i { // "(failed: " must follow a blank, as the other annotations do
		return nil, 0, 0, false
	}
	rest := body[i+len(failedOpen):]
	k := strings.IndexByte(rest, ')')
	if k < 0 || strings.TrimLeft(rest[k+1:], " \t\r\n") != "" {
		return nil, 0, 0, false
	}
	if fs, ok = parseFailures(rest[:k]); !ok {
		return nil, 0, 0, false
	}
	return fs, start, i + len(failedOpen) + k + 1, true
}

// parseFailures reads "test-fail 2, build-fail 1": buckets separated by
// ", ", each a valid bucket name, one space and a count written without
// leading zeros, no bucket twice. Anything else is not a failure list.
func parseFailures(s string) ([]Failure, bool) {
	var fs []Failure
	for part := range strings.SplitSeq(s, ", ") {
		bucket, num, ok := strings.Cut(part, " ")
		if !ok || !validBucket(bucket) || num == "" || num[0] == '0' || len(num) > 9 {
			return nil, false
		}
		n := 0
		for i := 0; i < len(num); i++ {
			if num[i] < '0' || num[i] > '9' {
				return nil, false
			}
			n = n*10 + int(num[i]-'0')
		}
		for _, f := range fs {
			if f.Bucket == bucket {
				return nil, false
			}
		}
		fs = append(fs, Failure{bucket, n})
	}
	return fs, true
}

// validBucket reports whether b is a failure bucket name: one or more
// lower-case ASCII letters, digits and '-'.
func validBucket(b string) bool {
	if b == "" {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// formatFailures writes fs as the inside of a failure annotation,
// "test-fail 2, build-fail 1".
func formatFailures(fs []Failure) string {
	var b strings.Builder
	for i, f := range fs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.Bucket)
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(f.Count))
	}
	return b.String()
}

// joinLines turns a paragraph's lines into one line of text.
func joinLines(s string) string {
	if strings.IndexByte(s, '\n') < 0 && strings.IndexByte(s, '\r') < 0 {
		return strings.TrimSpace(s) // one line, as most items are
	}
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	return strings.TrimSpace(strings.Join(fields, " "))
}

// Current returns the items carrying the CURRENT marker.
func (t *Todo) Current() []*Item {
	var out []*Item
	for _, it := range t.Items {
		if it.Current {
			out = append(out, it)
		}
	}
	return out
}

// NextOpen returns the first open item in document order, or nil.
func (t *Todo) NextOpen() *Item {
	for _, it := range t.Items {
		if it.IsOpen() {
			return it
		}
	}
	return nil
}

// Counts returns done, skipped and total item counts for items whose phase
// is phase; phase "*" counts every item. Every [Suspect] line counts in
// total as an open item, so total-done-skipped is never 0 while one
// exists.
func (t *Todo) Counts(phase string) (done, skipped, total int) {
	total = len(t.OpenSuspects(phase))
	for _, it := range t.Items {
		if phase != "*" && !strings.EqualFold(it.Phase, phase) {
			continue
		}
		total++
		switch it.Mark {
		case Done:
			done++
		case Skipped:
			skipped++
		}
	}
	return
}

// OpenSuspects returns the [Suspect] lines whose phase is phase ("*" for
// all): lines that count as open items although wf cannot read them.
func (t *Todo) OpenSuspects(phase string) []Suspect {
	if phase == "*" {
		return t.Suspects
	}
	var out []Suspect
	for _, x := range t.Suspects {
		if strings.EqualFold(x.Phase, phase) {
			out = append(out, x)
		}
	}
	return out
}

// AllDone reports whether every item is done or skipped and no [Suspect]
// line is left: only then may a caller say that the work is finished.
func (t *Todo) AllDone() bool { return t.NextOpen() == nil && len(t.Suspects) == 0 }

// PhaseNames returns the distinct H2 titles that hold items, in order.
func (t *Todo) PhaseNames() []string {
	var out []string
	seen := map[string]bool{}
	last := ""
	for _, it := range t.Items {
		if it.Phase == "" || it.Phase == last { // runs of items share a phase
			continue
		}
		last = it.Phase
		if k := strings.ToLower(it.Phase); !seen[k] {
			seen[k] = true
			out = append(out, it.Phase)
		}
	}
	return out
}

func trimEOL(b []byte) []byte { return bytes.TrimRight(b, "\r\n") }
