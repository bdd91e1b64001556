package mdstate

import (
	"bytes"
	"testing"
)

// FuzzItemEdits runs SetText and Remove on every item of any TODO.md:
// each either fails, leaving nothing written, or returns bytes that parse
// to the items promised (SetText: the same count, the text changed;
// Remove: the item and its sub-items gone), and every byte outside the
// edit unchanged.
func FuzzItemEdits(f *testing.F) {
	addSeeds(f, func(data []byte) { f.Add(data, "new text") })
	f.Fuzz(func(t *testing.T, data []byte, text string) {
		td := ParseTodo("TODO.md", data)
		for n := 1; n <= len(td.Items) && n <= 8; n++ {
			if out, after, err := td.SetText(n, text); err == nil {
				if len(after.Items) != len(td.Items) || after.Items[n-1].Text != oneLine(text) {
					t.Fatalf("SetText(%d, %q) gave %d items, item text %q", n, text, len(after.Items), after.Items[n-1].Text)
				}
				if !bytes.Equal(ParseTodo("TODO.md", out).Src.Data, out) {
					t.Fatal("SetText output does not round-trip")
				}
			}
			if out, after, err := td.Remove(n); err == nil {
				gone := lastDescendant(td, td.Items[n-1]).N - n + 1
				if len(after.Items) != len(td.Items)-gone {
					t.Fatalf("Remove(%d) left %d items of %d (%d gone)", n, len(after.Items), len(td.Items), gone)
				}
				if len(out) >= len(data) {
					t.Fatalf("Remove(%d) did not shrink the file", n)
				}
			}
		}
	})
}

// FuzzStateEdits runs RemoveEntry on every blocker and AddPhaseRow on any
// workflow-state.md: each either fails or its result parses as promised.
func FuzzStateEdits(f *testing.F) {
	addSeeds(f, func(data []byte) { f.Add(data, "Cleanup") })
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		st := ParseState("workflow-state.md", data)
		for i := 1; i <= len(st.Blockers) && i <= 4; i++ {
			if _, after, err := st.RemoveEntry("blockers", i); err == nil && len(after.Blockers) != len(st.Blockers)-1 {
				t.Fatalf("RemoveEntry(%d) left %d of %d blockers", i, len(after.Blockers), len(st.Blockers))
			}
		}
		if _, after, err := st.AddPhaseRow(name, "PENDING"); err == nil {
			if len(after.Phases) != len(st.Phases)+1 || after.Phase(name) == nil {
				t.Fatalf("AddPhaseRow(%q) gave %d phases of %d", name, len(after.Phases), len(st.Phases))
			}
		}
	})
}
