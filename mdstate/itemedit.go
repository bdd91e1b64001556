package mdstate

import (
	"fmt"
	"regexp"
	"sync"
)

// SetText replaces item n's text with text (made one line), keeping its
// box, annotations (checkpoint, skip reason, failures), CURRENT marker
// and sub-items byte for byte. A text that would read back as something
// else (an annotation, a marker) fails verification and nothing changes.
func (t *Todo) SetText(n int, text string) ([]byte, *Todo, error) {
	text = oneLine(text)
	if text == "" {
		return nil, nil, fmt.Errorf("the item text is empty")
	}
	it, err := t.Item(n)
	if err != nil {
		return nil, nil, err
	}
	if it.Text == text {
		return t.Src.Data, t, nil
	}
	start, end := it.textStart, it.textEnd
	if it.current.ok() && it.current.Start >= start && it.current.End <= end {
		// The marker sits inside the text: keep it after the new text.
		return nil, nil, &VerifyError{Path: t.Src.Path, Msg: fmt.Sprintf("line %d: the CURRENT marker sits inside the item's text; move it to the end of the line first", it.Line)}
	}
	sig := sigOf(it)
	sig.Text = text
	return t.apply([]Edit{t.Src.replace(start, end, text)}, func(after *Todo) error {
		return t.sameExcept(after, map[int]itemSig{n: sig}, -1, nil)
	})
}

// itemMarkerRe is an item line's prefix up to its box: blanks and quote
// markers, then one list marker.
var itemMarkerRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[ \t>]*(?:[-+*]|[0-9]{1,9}[.)])[ \t]+$`) })

// Remove deletes item n with its sub-items: the lines from its box line
// to its last line. It refuses an item whose line also holds another
// list's marker ("1. - [ ] x"), where removing the line would remove
// more than the item.
func (t *Todo) Remove(n int) ([]byte, *Todo, error) {
	it, err := t.Item(n)
	if err != nil {
		return nil, nil, err
	}
	if !itemMarkerRe().MatchString(it.prefix) {
		return nil, nil, fmt.Errorf("%s:%d: the item shares its line with other Markdown (%q); edit the file by hand", t.Src.Path, it.Line, it.prefix)
	}
	s := t.Src
	last := lastDescendant(t, it)
	gone := map[int]bool{}
	for _, x := range t.Items[it.N-1 : last.N] {
		gone[x.N] = true
	}
	start, end := s.LineStart(it.Line), s.LineNext(it.endLine)
	edits := []Edit{}
	// An ordered list must go on starting at the removed item's number:
	// a sub-list that starts at 2 no longer interrupts the paragraph
	// above it, and would become its text.
	if last.N < len(t.Items) {
		next := t.Items[last.N]
		if next.Parent == it.Parent && next.Depth == it.Depth {
			a, b := orderedNumber(it.prefix), orderedNumber(next.prefix)
			if a.ok() && b.ok() && it.prefix[a.Start:a.End] != next.prefix[b.Start:b.End] {
				base := s.LineStart(next.Line)
				edits = append(edits, s.replace(base+b.Start, base+b.End, it.prefix[a.Start:a.End]))
			}
		}
	}
	if end == len(s.Data) && s.noFinalNewline() && start > 0 {
		// The last line has no line ending: take the one before it, so the
		// file still ends without one.
		start--
		if start > 0 && s.Data[start-1] == '\r' {
			start--
		}
	}
	edits = append(edits, s.replace(start, end, ""))
	return t.apply(edits, func(after *Todo) error {
		want := make([]itemSig, 0, len(t.Items))
		for _, x := range t.Items {
			if !gone[x.N] {
				want = append(want, sigOf(x))
			}
		}
		if len(after.Items) != len(want) {
			return fmt.Errorf("expected %d items, found %d", len(want), len(after.Items))
		}
		for i, x := range after.Items {
			if got := sigOf(x); got != want[i] {
				return fmt.Errorf("item %d at line %d reads %+v, expected %+v", x.N, x.Line, got, want[i])
			}
		}
		return nil
	})
}

// orderedNumber is the span of the number of an ordered list marker in an
// item's prefix; empty when the marker is a bullet.
func orderedNumber(prefix string) span {
	i := len(leadingPrefix(prefix))
	j := i
	for j < len(prefix) && prefix[j] >= '0' && prefix[j] <= '9' {
		j++
	}
	if j == i {
		return span{}
	}
	return span{i, j}
}
