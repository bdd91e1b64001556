package mdstate

import (
	"bytes"
	"reflect"
	"testing"
)

func TestFindConflictMarkers(t *testing.T) {
	merge := "# TODO\n\n## Planning\n<<<<<<< HEAD\n- [ ] first\n- [x] second\n=======\n- [x] first\n- [ ] second\n>>>>>>> side\n"
	diff3 := "a\n<<<<<<< ours\nx\n||||||| base\ny\n=======\nz\n>>>>>>> theirs\r\nb\n"
	for _, tc := range []struct {
		name string
		in   string
		want []ConflictMarker
	}{
		{"merge", merge, []ConflictMarker{{4, "<<<<<<< HEAD"}, {7, "======="}, {10, ">>>>>>> side"}}},
		{"diff3 and CRLF", diff3, []ConflictMarker{{2, "<<<<<<< ours"}, {4, "||||||| base"}, {6, "======="}, {8, ">>>>>>> theirs"}}},
		{"setext heading is no conflict", "Title\n=======\n\ntext\n", nil},
		{"unclosed block", "<<<<<<< HEAD\nx\n=======\ny\n", nil},
		{"markers need their size", "<<<<<< HEAD\nx\n======\ny\n>>>>>> side\n", nil},
		{"a longer run is no marker", "<<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> side\n", nil},
		{"marker text in an item", "- [ ] fix <<<<<<< HEAD in x\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := FindConflictMarkers([]byte(tc.in))
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	err := CheckConflicts("TODO.md", []byte(merge))
	ce, ok := err.(*ConflictError)
	if !ok || len(ce.Markers) != 3 {
		t.Fatalf("CheckConflicts = %v", err)
	}
	if want := `TODO.md has unresolved git conflict markers: line 4 "<<<<<<< HEAD"; line 7 "======="; line 10 ">>>>>>> side"`; ce.Error() != want {
		t.Errorf("Error() = %s", ce.Error())
	}
}

// FindConflictMarkers never panics, returns lines in order within the
// input, and each marker's text is that line.
func FuzzFindConflictMarkers(f *testing.F) {
	f.Add([]byte("<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> side\n"))
	f.Add([]byte("a\n<<<<<<< ours\nx\n||||||| base\ny\n=======\nz\n>>>>>>> theirs\r\n"))
	f.Add([]byte("Title\n=======\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ms := FindConflictMarkers(data)
		lines := bytes.Split(data, []byte{'\n'})
		prev := 0
		for _, m := range ms {
			if m.Line <= prev || m.Line > len(lines) {
				t.Fatalf("line %d out of order or range", m.Line)
			}
			prev = m.Line
			if got := string(bytes.TrimSuffix(lines[m.Line-1], []byte{'\r'})); got != m.Text {
				t.Fatalf("line %d is %q, marker says %q", m.Line, got, m.Text)
			}
		}
	})
}
