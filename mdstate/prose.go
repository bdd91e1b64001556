package mdstate

import (
	"bytes"
	"sort"
)

// proseEntries adds to st's blockers and waits every block of text under a
// "blockers" or "waits" section that is not a top-level list item and not
// the "(none)" placeholder: a sentence such as "STOP: do not deploy until
// ops rotates the key" is a blocker, not a note. Each run of non-blank
// lines outside the list items is one entry, at its first line; a line
// that is only an ATX heading, a thematic break or an HTML comment is not
// content. The entries of each section are then in line order.
func proseEntries(st *State, s *Source, o *outline, secs []*StateSection) {
	covered := map[int]bool{}
	for _, li := range o.items {
		if li.TopLevel {
			for ln := li.Line; ln <= li.EndLine; ln++ {
				covered[ln] = true
			}
		}
	}
	var blockers, waits []*Entry
	for _, sec := range secs {
		if sec.Kind != "blockers" && sec.Kind != "waits" {
			continue
		}
		first, last := sec.EndLine+1, s.LineOf(max(sec.End-1, 0))
		if sec.End <= s.LineStart(first) {
			continue
		}
		none := map[int]bool{}
		if sec.none.ok() {
			for ln := s.LineOf(sec.none.Start); ln <= s.LineOf(max(sec.none.End-1, sec.none.Start)); ln++ {
				none[ln] = true
			}
		}
		list := &blockers
		if sec.Kind == "waits" {
			list = &waits
		}
		var cur *Entry
		var text [][]byte
		flush := func() {
			if cur != nil {
				cur.Text = joinLines(string(bytes.Join(text, []byte("\n"))))
				*list = append(*list, cur)
			}
			cur, text = nil, nil
		}
		for ln := first; ln <= last; ln++ {
			line := bytes.TrimSpace(s.Line(ln))
			if covered[ln] || none[ln] || len(line) == 0 || notContent(line) || isNone(line) {
				flush()
				continue
			}
			if cur == nil {
				cur = &Entry{Line: ln, Prose: true}
			}
			cur.EndLine = ln
			text = append(text, line)
		}
		flush()
	}
	// One sort per list, so that many sections cost no more than one.
	for _, x := range []struct {
		dst   *[]*Entry
		prose []*Entry
	}{{&st.Blockers, blockers}, {&st.Waits, waits}} {
		if len(x.prose) > 0 {
			*x.dst = append(*x.dst, x.prose...)
			sort.SliceStable(*x.dst, func(i, j int) bool { return (*x.dst)[i].Line < (*x.dst)[j].Line })
		}
	}
}

// notContent reports whether a trimmed line carries no entry: an ATX
// heading, a thematic break, or a line that is one whole HTML comment.
func notContent(line []byte) bool {
	if line[0] == '#' {
		return true
	}
	if bytes.HasPrefix(line, []byte("<!--")) && bytes.HasSuffix(line, []byte("-->")) {
		return true
	}
	if len(line) >= 3 && (line[0] == '-' || line[0] == '*' || line[0] == '_') {
		for _, c := range line {
			if c != line[0] && c != ' ' && c != '\t' {
				return false
			}
		}
		return true
	}
	return false
}
