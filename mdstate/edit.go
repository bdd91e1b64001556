package mdstate

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// Edit replaces the bytes [Start, End) of a file, which must equal Old,
// with New.
type Edit struct {
	Start, End int
	Old, New   []byte
}

// MismatchError means the bytes at an edit's offset were not the ones the
// edit expected: the file is not what was parsed, and nothing is written.
type MismatchError struct {
	Path  string
	Line  int
	Want  string
	Found string
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("%s:%d: expected %q here but found %q; nothing was changed", e.Path, e.Line, e.Want, e.Found)
}

// Splice applies edits to src, from the end backwards, after checking each
// edit's Old bytes and that no two edits overlap. src is not modified.
func Splice(s *Source, edits []Edit) ([]byte, error) {
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start > sorted[j].Start })
	prevStart := len(s.Data) + 1
	for _, e := range sorted {
		if e.Start < 0 || e.End < e.Start || e.End > len(s.Data) || e.End > prevStart {
			return nil, fmt.Errorf("%s: internal error: bad edit range [%d,%d)", s.Path, e.Start, e.End)
		}
		if !bytes.Equal(s.Data[e.Start:e.End], e.Old) {
			return nil, &MismatchError{Path: s.Path, Line: s.LineOf(e.Start), Want: string(e.Old), Found: string(s.Data[e.Start:e.End])}
		}
		prevStart = e.Start
	}
	out := append([]byte(nil), s.Data...)
	for _, e := range sorted {
		out = append(out[:e.Start], append(append([]byte(nil), e.New...), out[e.End:]...)...)
	}
	return out, nil
}

// replace is an Edit that swaps the bytes at [start, end) for repl.
func (s *Source) replace(start, end int, repl string) Edit {
	return Edit{Start: start, End: end, Old: append([]byte(nil), s.Data[start:end]...), New: []byte(repl)}
}

// insert is an Edit that inserts text at off.
func (s *Source) insert(off int, text string) Edit {
	return Edit{Start: off, End: off, New: []byte(text)}
}

// noFinalNewline reports whether the file is not empty and its last line
// has no line ending.
func (s *Source) noFinalNewline() bool {
	return len(s.Data) > 0 && s.Data[len(s.Data)-1] != '\n'
}

// insertEnd is an Edit that appends text, whole lines each ending with the
// file's line ending, at the end of the file. When the file has no final
// newline, the line break moves from the end of text to its start, so the
// last line is ended and the file still has no final newline.
func (s *Source) insertEnd(text string) Edit {
	if s.noFinalNewline() {
		text = s.EOL + strings.TrimSuffix(text, s.EOL)
	}
	return s.insert(len(s.Data), text)
}

// VerifyError means an edit, once applied and parsed again, did not have
// the intended effect; nothing was written.
type VerifyError struct {
	Path string
	Msg  string
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("%s: the edit did not parse back as intended (%s); nothing was changed", e.Path, e.Msg)
}
