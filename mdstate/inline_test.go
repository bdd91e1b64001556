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
		out = append(out, fmt.Sprintf("%+v parent=%d section=%q box=%d text=%d textEnd=%d para=%d end=%d cur=%v annot=%v reason=%v failures=%v %v prefix=%q",
			sigOf(it), parent, sec, it.box, it.textStart, it.textEnd, it.paraEnd, it.endLine, it.current, it.annot, it.reason, it.failures, it.Failures, it.prefix))
	}
	return out
}

// TestInlineReparseMatchesFullParse checks the shortcut that spares a
// second goldmark pass for edits inside one item's text: for every item of
// every corpus TODO and case input, tick, skip, untick, move CURRENT and
// set, change and remove failures, and compare the shortcut's result with a
// full parse of the same bytes. The first items of each file are then given
// a failure annotation and edited again, so the edits also meet one.
func TestInlineReparseMatchesFullParse(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir(t), "*", "*.md"))
	cases, _ := filepath.Glob("testdata/*.md")
	files = append(files, cases...)
	if len(files) < 10 {
		t.Fatalf("only %d files: the corpus is empty", len(files))
	}
	ops := []func(td *Todo, n int) ([]Edit, error){
		func(td *Todo, n int) ([]Edit, error) {
			e, _, err := td.markEdits(n, Done, "20260101-1200-x", "")
			return e, err
		},
		func(td *Todo, n int) ([]Edit, error) {
			e, _, err := td.markEdits(n, Skipped, "", "not needed")
			return e, err
		},
		func(td *Todo, n int) ([]Edit, error) { e, _, err := td.markEdits(n, Open, "", ""); return e, err },
		func(td *Todo, n int) ([]Edit, error) { e, _, err := td.currentEdits(n); return e, err },
		func(td *Todo, n int) ([]Edit, error) {
			e, _, err := td.failureEdits(n, []Failure{{"test-fail", 2}})
			return e, err
		},
		func(td *Todo, n int) ([]Edit, error) {
			e, _, err := td.failureEdits(n, []Failure{{"build-fail", 1}, {"test-fail", 12}})
			return e, err
		},
		func(td *Todo, n int) ([]Edit, error) { e, _, err := td.failureEdits(n, nil); return e, err },
	}
	used, usedFailing := 0, 0
	// compare applies op to item n of td and, when the shortcut is taken,
	// compares it with a full parse.
	compare := func(f string, td *Todo, n, k int) bool {
		edits, err := ops[k](td, n)
		if err != nil || len(edits) == 0 {
			return false
		}
		out, err := Splice(td.Src, edits)
		if err != nil {
			t.Fatal(err)
		}
		fast := td.inlineReparse(out, edits)
		if fast == nil {
			return false
		}
		full := ParseTodo(f, out)
		if got, want := projection(fast), projection(full); !reflect.DeepEqual(got, want) {
			for i := range want {
				if i >= len(got) || got[i] != want[i] {
					t.Fatalf("%s item %d op %d: shortcut and full parse differ:\nfast %v\nfull %s", f, n, k, got[min(i, len(got)-1)], want[i])
				}
			}
			t.Fatalf("%s item %d op %d: shortcut has %d entries, full parse %d", f, n, k, len(got), len(want))
		}
		return true
	}
	inputs := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[f] = data
	}
	caseFiles, _ := filepath.Glob(filepath.Join("testdata", "cases", "*.txt"))
	for _, f := range caseFiles {
		ar, err := parseTxtarFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, fl := range ar.Files {
			if fl.Name == "input.md" {
				inputs[f] = fl.Data
			}
		}
	}
	for f, data := range inputs {
		td := ParseTodo(f, data)
		for _, it := range td.Items {
			for k := range ops {
				if compare(f, td, it.N, k) {
					used++
				}
			}
			if it.N > 12 {
				continue
			}
			out, _, err := td.SetFailures(it.N, []Failure{{"tool-error", 1}})
			if err != nil {
				continue
			}
			failing := ParseTodo(f, out)
			for k := range ops {
				if compare(f, failing, it.N, k) {
					usedFailing++
				}
			}
		}
	}
	if used < 1000 || usedFailing < 1000 {
		t.Errorf("the shortcut was taken only %d times, %d on items with failures", used, usedFailing)
	}
	t.Logf("shortcut compared with a full parse %d times, %d on items with failures", used, usedFailing)
}
