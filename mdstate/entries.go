package mdstate

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// An EntryReader reads the entries of some list sections (decisions,
// attempts, timeline, side effects) from many versions of one
// workflow-state.md, such as the versions git history holds, and parses
// each distinct piece of them once: `wf stats` reads hundreds of versions
// that differ from one another by a few lines.
//
// A version is cut, by a scan of its lines, before its top-level ATX
// headings of level 1 and 2 (a line that starts with "# " or "## ") and,
// inside the sections it reads, before every line that starts with "- "
// and then a non-blank character (a top-level list item). Each piece is
// parsed by ParseState, goldmark included, the first time its bytes are
// seen under the same heading line; the same bytes under the same heading
// line give the same entries later. That holds because goldmark opens such
// a line as a new block whatever comes before it, and closes every block
// open before it: both an ATX heading and a non-empty bullet item
// interrupt a paragraph (CommonMark 0.31.2, §4.2 and §5.3), a line at
// column 0 is not indented enough to continue a list item, a block quote
// needs its '>', and indented code its four columns. It does not hold
// inside a fenced code block or an HTML block, where the line is content,
// and the scan cannot see setext headings, headings indented by one to
// three spaces, or front matter. A version holding "```" or "~~~", a line
// that starts (after at most three spaces) with '<', a line indented by
// one to three spaces before '#', a line made only of '=', '-', '*', '_'
// and blanks (a setext underline, a thematic break, an empty bullet), a
// byte order mark or front matter is parsed whole, as ParseState does.
// FuzzEntryReader and TestEntryReaderMatchesParseState check the entries
// against ParseState's.
//
// An EntryReader keeps what it parsed for its whole life (about the size
// of the distinct pieces); it is not safe for concurrent use.
type EntryReader struct {
	kinds map[string]bool
	// pieces maps a heading line, then a piece's bytes, to the entries
	// ParseState reads in that piece under that heading.
	pieces map[string]map[string][]pieceEntry
	// headingKinds maps a heading line to the kind ParseState gives its
	// section.
	headingKinds map[string]string
	// skip maps a heading line to whether its section is surely not of a
	// kind read (guessKind).
	skip map[string]bool
	// Parsed counts the bytes handed to ParseState, for tests and
	// benchmarks: the pieces read for the first time with their headings,
	// and the versions parsed whole.
	Parsed int
}

// pieceEntry is one entry found in a piece: its text and its line counted
// from the piece's first line (0).
type pieceEntry struct {
	text string
	line int
}

// entryKinds are the kinds an EntryReader reads: the sections whose
// entries are list items only ("blockers" and "waits" also take prose,
// "settings" are not entries).
var entryKinds = []string{"decisions", "attempts", "timeline", "effects"}

// NewEntryReader returns an EntryReader of the sections of the given
// kinds, each one of "decisions", "attempts", "timeline" and "effects"
// (an error names any other).
func NewEntryReader(kinds ...string) (*EntryReader, error) {
	r := &EntryReader{kinds: map[string]bool{}, pieces: map[string]map[string][]pieceEntry{}, headingKinds: map[string]string{}, skip: map[string]bool{}}
	for _, k := range kinds {
		ok := false
		for _, e := range entryKinds {
			ok = ok || k == e
		}
		if !ok {
			return nil, fmt.Errorf("EntryReader reads the sections %s, not %q", strings.Join(entryKinds, ", "), k)
		}
		r.kinds[k] = true
	}
	return r, nil
}

// piece is lines Start..End of a version, the whole or a part of the
// section under the heading line Heading.
type piece struct {
	Heading    []byte
	Start, End int
}

// Read returns the entries of the reader's kinds in data (one version of
// the file at path): a State in which only Decisions, Attempts, Timeline
// and Effects, those of the reader's kinds, are read, each with its text
// and line as ParseState gives them. Such a State refuses every edit (the
// edits return an error); its Src is data. A version the scan cannot cut
// safely is parsed whole by ParseState, and that State, read in full, is
// returned.
func (r *EntryReader) Read(path string, data []byte) *State {
	s := newSource(path, data)
	cuts, ok := scanCuts(s)
	if !ok {
		r.Parsed += len(data)
		return ParseState(path, data)
	}
	// The pieces of every H2 section whose title is of a wanted kind, or
	// that the scan cannot classify surely (ParseState then decides), in
	// file order: a section is cut before each top-level bullet item.
	// entries[i] are pieces[i]'s entries once known; pending are the
	// indexes of the pieces not seen before.
	pieces := make([]piece, 0, s.Lines())
	var entries [][]pieceEntry
	var pending []int
	for i, c := range cuts {
		if c.level != 2 {
			continue
		}
		heading := s.Line(c.line)
		skip, seen := r.skip[string(heading)]
		if !seen {
			kind, sure := guessKind(heading)
			skip = sure && !r.kinds[kind]
			r.skip[string(heading)] = skip
		}
		if skip {
			continue
		}
		last := s.Lines()
		if i+1 < len(cuts) {
			last = cuts[i+1].line - 1
		}
		known := r.pieces[string(heading)]
		start := c.line + 1
		for ln := c.line + 2; ln <= last+1; ln++ {
			if ln <= last && !startsItem(s.Line(ln)) {
				continue
			}
			p := piece{heading, start, ln - 1}
			es, ok := known[string(s.Data[s.LineStart(p.Start):s.LineNext(p.End)])]
			if !ok {
				pending = append(pending, len(pieces))
			}
			pieces = append(pieces, p)
			entries = append(entries, es)
			start = ln
		}
	}
	if len(pending) > 0 {
		todo := make([]piece, len(pending))
		for k, i := range pending {
			todo[k] = pieces[i]
		}
		r.parsePieces(path, s, todo)
		for _, i := range pending {
			p := pieces[i]
			entries[i] = r.pieces[string(p.Heading)][string(s.Data[s.LineStart(p.Start):s.LineNext(p.End)])]
		}
	}
	st := &State{Src: s, partial: true}
	counts := map[string]int{}
	n := 0
	for i, p := range pieces {
		kind := r.headingKinds[string(p.Heading)]
		if !r.kinds[kind] {
			entries[i] = nil
		}
		counts[kind] += len(entries[i])
		n += len(entries[i])
	}
	slab := make([]Entry, 0, n) // one allocation for the version's entries
	st.Decisions = make([]*Entry, 0, counts["decisions"])
	st.Attempts = make([]*Entry, 0, counts["attempts"])
	st.Timeline = make([]*Entry, 0, counts["timeline"])
	st.Effects = make([]*Entry, 0, counts["effects"])
	for i, p := range pieces {
		kind := r.headingKinds[string(p.Heading)]
		for _, e := range entries[i] {
			slab = append(slab, Entry{Text: e.text, Line: p.Start + e.line})
			en := &slab[len(slab)-1]
			switch kind {
			case "decisions":
				st.Decisions = append(st.Decisions, en)
			case "attempts":
				st.Attempts = append(st.Attempts, en)
			case "timeline":
				st.Timeline = append(st.Timeline, en)
			case "effects":
				st.Effects = append(st.Effects, en)
			}
		}
	}
	return st
}

// parsePieces parses pieces of s (in file order) with ParseState in one
// document, each under its heading line (written again where the heading
// changes), and records their entries and the headings' kinds.
func (r *EntryReader) parsePieces(path string, s *Source, pieces []piece) {
	var doc []byte
	addLine := func(b []byte) {
		doc = append(doc, b...)
		if len(b) == 0 || b[len(b)-1] != '\n' {
			doc = append(doc, '\n')
		}
	}
	type placed struct {
		piece
		first, last int // lines in doc
	}
	at := make([]placed, 0, len(pieces))
	headings := map[int]string{} // line in doc -> heading
	var prev []byte
	line := 1
	for _, p := range pieces {
		// A piece that does not start with a top-level item is the first
		// of its section and follows its heading line in the version; one
		// that does starts a block whatever comes before it.
		if prev == nil || !bytes.Equal(p.Heading, prev) || !startsItem(s.Line(p.Start)) {
			addLine(p.Heading)
			headings[line] = string(p.Heading)
			line++
			prev = p.Heading
		}
		addLine(s.Data[s.LineStart(p.Start):s.LineNext(p.End)])
		at = append(at, placed{p, line, line + p.End - p.Start})
		line += p.End - p.Start + 1
	}
	r.Parsed += len(doc)
	st := ParseState(path, doc)
	for ln, h := range headings {
		kind := ""
		for _, sec := range st.Sections {
			if sec.Line == ln {
				kind = sec.Kind
			}
		}
		r.headingKinds[h] = kind
	}
	found := make([][]pieceEntry, len(at))
	for _, list := range [][]*Entry{st.Decisions, st.Attempts, st.Timeline, st.Effects} {
		for _, e := range list {
			i := sort.Search(len(at), func(i int) bool { return at[i].last >= e.Line })
			if i < len(at) && at[i].first <= e.Line {
				found[i] = append(found[i], pieceEntry{text: e.Text, line: e.Line - at[i].first})
			}
		}
	}
	for i, p := range at {
		byBytes := r.pieces[string(p.Heading)]
		if byBytes == nil {
			byBytes = map[string][]pieceEntry{}
			r.pieces[string(p.Heading)] = byBytes
		}
		byBytes[string(s.Data[s.LineStart(p.Start):s.LineNext(p.End)])] = found[i]
	}
}

// guessKind classifies an H2 line ("## Title") as sectionKind would
// classify goldmark's text of it; sure is false when the title holds a
// byte that goldmark's heading text might not keep as it is (a closing
// '#' sequence, an escape).
func guessKind(line []byte) (kind string, sure bool) {
	title := bytes.TrimSpace(bytes.TrimLeft(line, "#"))
	if bytes.ContainsAny(title, "#\\\r") {
		return "", false
	}
	return sectionKind(string(title)), true
}

// cut is a line where an EntryReader cuts a version: an ATX heading of
// level 1 or 2 at column 0.
type cut struct{ line, level int }

// scanCuts returns the ATX headings of level 1 and 2 at column 0 of s,
// and false when s holds anything that can make such a line something
// else or hide a heading from the scan (see EntryReader).
func scanCuts(s *Source) ([]cut, bool) {
	if s.BOM > 0 || s.FrontMatter > 0 || bytes.Contains(s.Data, []byte("```")) || bytes.Contains(s.Data, []byte("~~~")) {
		return nil, false
	}
	var cuts []cut
	for ln := 1; ln <= s.Lines(); ln++ {
		line := s.Line(ln)
		i := 0
		for i < len(line) && i < 4 && line[i] == ' ' {
			i++
		}
		if i < len(line) && i < 4 && (line[i] == '<' || line[i] == '#' && i > 0) {
			return nil, false
		}
		if onlyRuleBytes(line) {
			return nil, false
		}
		n := 0
		for n < len(line) && line[n] == '#' {
			n++
		}
		if n >= 1 && n <= 2 && (n == len(line) || line[n] == ' ' || line[n] == '\t') {
			cuts = append(cuts, cut{ln, n})
		}
	}
	return cuts, true
}

// onlyRuleBytes reports whether line holds a non-blank byte and nothing
// but '=', '-', '*', '_', spaces and tabs.
func onlyRuleBytes(line []byte) bool {
	seen := false
	for _, c := range line {
		switch c {
		case '=', '-', '*', '_':
			seen = true
		case ' ', '\t':
		default:
			return false
		}
	}
	return seen
}

// startsItem reports whether line starts a top-level bullet item that can
// interrupt a paragraph: "-" at column 0, a space, then a non-blank byte.
func startsItem(line []byte) bool {
	if len(line) < 2 || line[0] != '-' || line[1] != ' ' {
		return false
	}
	rest := bytes.TrimLeft(line[2:], " \t")
	return len(rest) > 0
}
