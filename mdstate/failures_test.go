package mdstate

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// failureFiles are small TODO.md files in the shapes wf must edit without
// damage: CRLF, a byte order mark, tabs, nested and wrapped items, a block
// quote, a table and a fence that hold no items, no final newline.
var failureFiles = map[string]string{
	"plain":          "# TODO\n\n## Implementing\n- [x] Database schema (20260222-101500-1c2d-schema)\n- [ ] API routes\n- [-] Docs (skipped: later)\n",
	"crlf":           "# TODO\r\n\r\n## Implementing\r\n- [x] Database schema (20260222-0945-db)\r\n- [ ] API routes: feedback,\r\n  suggestions\r\n  - [ ] validate\r\n- [ ] Rate limiting\r\n",
	"bom":            "\xef\xbb\xbf- [ ] first\n- [x] second (20260101-1200)\n",
	"tabs":           "-\t[ ] API routes\n\t-\t[ ] validate\tfeedback\n\t\t-\t[x] deeper (20260101-1200-x)\n",
	"quote":          "> - [ ] quoted\n>   and wrapped\n> - [x] done (20260101-1200)\n",
	"other":          "- [ ] before\n\n| - [ ] cell | x |\n|---|---|\n| - [ ] row | y |\n\n```\n- [ ] fenced (failed: a 1)\n```\n\n- [ ] after\n",
	"nofinalnewline": "- [ ] one\n- [ ] two\n  continued",
}

// TestFailuresRoundTrips adds failures to every item of failureFiles, then
// ticks, unticks, skips and unskips it: the failure annotation stays byte
// for byte, each undo gives back the file as it was before, and removing
// the failures gives back the original file.
func TestFailuresRoundTrips(t *testing.T) {
	fs := []Failure{{"test-fail", 2}, {"build-fail", 1}}
	for name, src := range failureFiles {
		orig := []byte(src)
		td := ParseTodo("TODO.md", orig)
		if want := map[string]int{"plain": 3, "crlf": 4, "tabs": 3}[name]; len(td.Items) != max(want, 2) {
			t.Fatalf("%s: %d items", name, len(td.Items))
		}
		for _, it := range td.Items {
			if it.Failures != nil {
				t.Fatalf("%s item %d: failures %v in a file without any", name, it.N, it.Failures)
			}
			with, wtd, err := td.SetFailures(it.N, fs)
			if err != nil {
				t.Fatalf("%s item %d: %v", name, it.N, err)
			}
			if !strings.Contains(string(with), "(failed: test-fail 2, build-fail 1)") {
				t.Fatalf("%s item %d: no annotation in %q", name, it.N, with)
			}
			if got := wtd.Items[it.N-1]; !reflect.DeepEqual(got.Failures, fs) || got.Text != it.Text {
				t.Fatalf("%s item %d: reads %v %q", name, it.N, got.Failures, got.Text)
			}
			annot := func(td *Todo) string {
				x := td.Items[it.N-1]
				return string(td.Src.Data[x.failures.Start:x.failures.End])
			}
			want := annot(wtd)
			// Close the item and open it again; or open it and close it again
			// as it was.
			var seq []func(*Todo) ([]byte, *Todo, error)
			switch it.Mark {
			case Open:
				seq = []func(*Todo) ([]byte, *Todo, error){
					func(x *Todo) ([]byte, *Todo, error) { return x.SetMark(it.N, Done, "20260301-0900-t", "") },
					func(x *Todo) ([]byte, *Todo, error) { return x.SetMark(it.N, Open, "", "") },
					func(x *Todo) ([]byte, *Todo, error) { return x.SetMark(it.N, Skipped, "", "not now") },
					func(x *Todo) ([]byte, *Todo, error) { return x.SetMark(it.N, Open, "", "") },
				}
			case Done:
				seq = []func(*Todo) ([]byte, *Todo, error){
					func(x *Todo) ([]byte, *Todo, error) { return x.SetMark(it.N, Open, "", "") },
					func(x *Todo) ([]byte, *Todo, error) { return x.SetMark(it.N, Done, it.Checkpoint, "") },
				}
			case Skipped:
				seq = []func(*Todo) ([]byte, *Todo, error){
					func(x *Todo) ([]byte, *Todo, error) { return x.SetMark(it.N, Open, "", "") },
					func(x *Todo) ([]byte, *Todo, error) { return x.SetMark(it.N, Skipped, "", it.Reason) },
				}
			}
			cur := wtd
			for k, op := range seq {
				_, next, err := op(cur)
				if err != nil {
					t.Fatalf("%s item %d step %d: %v", name, it.N, k, err)
				}
				if got := annot(next); got != want {
					t.Fatalf("%s item %d step %d: annotation %q, want %q", name, it.N, k, got, want)
				}
				if x := next.Items[it.N-1]; x.annot.ok() && x.annot.Start < x.failures.End || x.reason.ok() && x.reason.Start < x.failures.End {
					t.Fatalf("%s item %d step %d: failure annotation not before the other one in %q", name, it.N, k, next.Src.Data)
				}
				cur = next
			}
			if !bytes.Equal(cur.Src.Data, with) {
				t.Fatalf("%s item %d: round trip gave\n%q\nwant\n%q", name, it.N, cur.Src.Data, with)
			}
			// SetCurrent puts the marker after the annotation.
			_, ctd, err := cur.SetCurrent(it.N)
			if err != nil || annot(ctd) != want || !ctd.Items[it.N-1].Current || ctd.Items[it.N-1].current.Start < ctd.Items[it.N-1].failures.End {
				t.Fatalf("%s item %d: SetCurrent: %v", name, it.N, err)
			}
			for _, empty := range [][]Failure{nil, {}} {
				back, btd, err := cur.SetFailures(it.N, empty)
				if err != nil || !bytes.Equal(back, orig) || btd.Items[it.N-1].Failures != nil {
					t.Fatalf("%s item %d: removing gave %q (err %v), want %q", name, it.N, back, err, orig)
				}
			}
		}
	}
}

func TestSetFailuresRefuses(t *testing.T) {
	td := ParseTodo("TODO.md", []byte("- [ ] one (failed: a 1)\n"))
	for _, c := range []struct {
		fs   []Failure
		want string
	}{
		{[]Failure{{"", 1}}, "bucket"},
		{[]Failure{{"Test", 1}}, "bucket"},
		{[]Failure{{"a b", 1}}, "bucket"},
		{[]Failure{{"a,", 1}}, "bucket"},
		{[]Failure{{"a", 0}}, "count"},
		{[]Failure{{"a", -1}}, "count"},
		{[]Failure{{"a", maxFailureCount + 1}}, "count"},
		{[]Failure{{"a", 1}, {"a", 2}}, "twice"},
	} {
		if _, _, err := td.SetFailures(1, c.fs); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("SetFailures(%v): error %v, want one about %s", c.fs, err, c.want)
		}
	}
	if _, _, err := td.SetFailures(2, nil); err == nil {
		t.Errorf("SetFailures on a missing item succeeded")
	}
	out, _, err := td.SetFailures(1, []Failure{{"a", maxFailureCount}})
	if err != nil || string(out) != "- [ ] one (failed: a 999999999)\n" {
		t.Errorf("largest count: %q, %v", out, err)
	}
}
