package mdstate

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// projection is everything of a parsed TODO that later edits rely on,
// offsets included.
func projection(t *Todo) []string {
	var out []string
	for _, s := range t.Sections {
		out = append(out, fmt.Sprintf("section %q L%d end=%d items=%d", s.Title, s.Line, s.End, len(s.Items)))
	}
	for _, it := range t.Items {
		parent := 0
		if it.Parent != nil {
			parent = it.Parent.N
		}
		sec := ""
		if it.Section != nil {
			sec = it.Section.Title
		}
		out = append(out, fmt.Sprintf("%+v parent=%d section=%q box=%d text=%d para=%d end=%d cur=%v annot=%v reason=%v prefix=%q",
			sigOf(it), parent, sec, it.box, it.textStart, it.paraEnd, it.endLine, it.current, it.annot, it.reason, it.prefix))
	}
	return out
}

// TestInlineReparseMatchesFullParse checks the shortcut that spares a
// second goldmark pass for edits inside one item's text: for every item of
// every corpus TODO and case input, tick, skip, untick and move CURRENT, and
// compare the shortcut's result with a full parse of the same bytes.
func TestInlineReparseMatchesFullParse(t *testing.T) {
	files, _ := filepath.Glob("../../shared/corpus/*/*.md")
	cases, _ := filepath.Glob("testdata/*.md")
	files = append(files, cases...)
	if len(files) < 10 {
		t.Skip("corpus not found")
	}
	used := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		td := ParseTodo(f, data)
		for _, it := range td.Items {
			ops := []func() ([]Edit, error){
				func() ([]Edit, error) { e, _, err := td.markEdits(it.N, Done, "20260101-1200-x", ""); return e, err },
				func() ([]Edit, error) { e, _, err := td.markEdits(it.N, Skipped, "", "not needed"); return e, err },
				func() ([]Edit, error) { e, _, err := td.markEdits(it.N, Open, "", ""); return e, err },
				func() ([]Edit, error) { e, _, err := td.currentEdits(it.N); return e, err },
			}
			for k, op := range ops {
				edits, err := op()
				if err != nil || len(edits) == 0 {
					continue
				}
				out, err := Splice(td.Src, edits)
				if err != nil {
					t.Fatal(err)
				}
				fast := td.inlineReparse(out, edits)
				if fast == nil {
					continue
				}
				used++
				full := ParseTodo(f, out)
				if got, want := projection(fast), projection(full); !reflect.DeepEqual(got, want) {
					for i := range want {
						if i >= len(got) || got[i] != want[i] {
							t.Fatalf("%s item %d op %d: shortcut and full parse differ:\nfast %v\nfull %s", f, it.N, k, got[min(i, len(got)-1)], want[i])
						}
					}
					t.Fatalf("%s item %d op %d: shortcut has %d entries, full parse %d", f, it.N, k, len(got), len(want))
				}
			}
		}
	}
	if used < 1000 {
		t.Errorf("the shortcut was taken only %d times", used)
	}
	t.Logf("shortcut compared with a full parse %d times", used)
}
