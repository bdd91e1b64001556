package mdstate

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// corpusDir holds real state, TODO and checkpoint files copied byte for byte
// from public repositories. The tests only read them.
const corpusDir = "../../shared/corpus"

// corpusFiles returns every corpus file, or skips the test when the corpus
// is not there (it lives outside the module).
func corpusFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	for _, sub := range []string{"state", "todo", "checkpoint"} {
		m, err := filepath.Glob(filepath.Join(corpusDir, sub, "*.md"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no corpus files under %s; CI must have the shared corpus", corpusDir)
		}
		t.Skipf("no corpus files under %s", corpusDir)
	}
	sort.Strings(files)
	return files
}

func readCorpus(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("corpus file: %v; CI must have the shared corpus", err)
		}
		t.Skipf("corpus file: %v", err)
	}
	return data
}

// changedSpan returns the region [start, end) of old that was replaced to
// give new, and the length of its replacement, from the longest common
// prefix and suffix.
func changedSpan(old, new []byte) (start, end, newLen int) {
	p := 0
	for p < len(old) && p < len(new) && old[p] == new[p] {
		p++
	}
	q := 0
	for q < len(old)-p && q < len(new)-p && old[len(old)-1-q] == new[len(new)-1-q] {
		q++
	}
	return p, len(old) - q, len(new) - q - p
}

// isRefusal reports whether err is one of the editor's own refusals (the
// bytes were not as parsed, or the edit did not parse back as intended).
func isRefusal(err error) bool {
	var v *VerifyError
	var m *MismatchError
	return errors.As(err, &v) || errors.As(err, &m)
}

// refusals counts refusals per corpus run; a refusal on a normal item is a
// bug, so the test lists each one and fails past a small budget.
type refusals struct {
	t     *testing.T
	count int
}

func (r *refusals) check(t *testing.T, what string, err error) bool {
	t.Helper()
	if err == nil {
		return true
	}
	if isRefusal(err) {
		r.count++
		t.Logf("refused: %s: %v", what, err)
		return false
	}
	t.Errorf("%s: unexpected error: %v", what, err)
	return false
}

// sigsExcept returns the items' signatures with item n (1-based, 0 for
// none) left out.
func sigsExcept(items []*Item, n int) []itemSig {
	var out []itemSig
	for _, it := range items {
		if it.N != n {
			out = append(out, sigOf(it))
		}
	}
	return out
}

func equalSigs(a, b []itemSig) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// itemWindow is the byte range of item it's first paragraph: its lines,
// from the start of its first line to the end of its last one.
func itemWindow(s *Source, it *Item) (int, int) {
	return s.LineStart(it.Line), s.LineNext(s.LineOf(it.paraEnd))
}

// TestCorpusProperties parses every corpus file as a TODO and as a state
// file and applies every kind of edit to it, checking that each edit
// changes one contiguous span inside the place it targets and leaves the
// parse of everything else alone.
func TestCorpusProperties(t *testing.T) {
	const maxItems = 50
	var files, items, edits int
	ref := &refusals{t: t}
	for _, path := range corpusFiles(t) {
		name, _ := filepath.Rel(corpusDir, path)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		files++
		t.Run(name, func(t *testing.T) {
			orig := append([]byte(nil), data...)
			todo := ParseTodo(name, data)
			st := ParseState(name, data)
			if !bytes.Equal(data, orig) {
				t.Fatal("parsing changed the input bytes")
			}
			checkTodoShape(t, todo)
			// SetCurrent on the item that is already current, or no
			// edit at all, must give back identical bytes.
			if cur := todo.Current(); len(cur) == 1 {
				out, _, err := todo.SetCurrent(cur[0].N)
				if err != nil || !bytes.Equal(out, data) {
					t.Errorf("SetCurrent on the current item changed the file (err %v)", err)
				}
			}
			if len(todo.Items) == 0 {
				if out, _, err := todo.SetCurrent(0); err != nil || !bytes.Equal(out, data) {
					t.Errorf("SetCurrent(0) with no items changed the file (err %v)", err)
				}
			}
			for i, it := range todo.Items {
				if i >= maxItems {
					break
				}
				items++
				edits += 2
				checkToggle(t, ref, todo, it)
				checkSetCurrent(t, ref, todo, it)
				if i < 20 {
					edits += 5
					checkFailures(t, ref, todo, it)
				}
				if i < 5 {
					edits++
					checkAddUnder(t, ref, todo, it)
				}
			}
			edits++
			checkAdd(t, ref, todo, "", 0)
			for _, sec := range todo.Sections {
				if sec.Level == 2 {
					edits++
					checkAdd(t, ref, todo, sec.Title, 0)
					break
				}
			}
			edits += 2
			checkSetField(t, ref, st, "Status", "running")
			checkAppend(t, ref, st, "decisions", "x")
			if len(st.Phases) > 0 {
				edits++
				checkPhaseCell(t, ref, st, st.Phases[0].Name)
			}
			if !bytes.Equal(data, orig) {
				t.Fatal("an edit changed the input bytes in place")
			}
		})
	}
	t.Logf("corpus: %d files, %d items, %d edits, %d refusals", files, items, edits, ref.count)
	// Refusals must stay rare; each one is logged above.
	if ref.count > 0 {
		t.Errorf("%d edits were refused", ref.count)
	}
}

// checkTodoShape asserts the invariants every parse must hold.
func checkTodoShape(t testing.TB, todo *Todo) {
	t.Helper()
	s := todo.Src
	for i, it := range todo.Items {
		if it.N != i+1 {
			t.Errorf("item %d numbered %d", i+1, it.N)
		}
		if it.Line < 1 || it.Line > s.Lines() {
			t.Errorf("item %d at line %d of %d", it.N, it.Line, s.Lines())
		}
		if strings.ContainsAny(it.Text, "\r\n") {
			t.Errorf("item %d text %q holds a line break", it.N, it.Text)
		}
		if it.box < 0 || it.box >= len(s.Data) || s.Data[it.box] != byte(it.Mark) && !(it.Mark == Done && s.Data[it.box] == 'X') {
			t.Errorf("item %d: box offset %d does not hold its mark %q", it.N, it.box, it.Mark)
		}
		if s.LineOf(it.box) != it.Line {
			t.Errorf("item %d: box on line %d, item on line %d", it.N, s.LineOf(it.box), it.Line)
		}
		if it.Parent != nil && (it.Parent.N >= it.N || it.Parent.Depth >= it.Depth) {
			t.Errorf("item %d: parent %d does not enclose it", it.N, it.Parent.N)
		}
		if it.textEnd < it.textStart || it.textEnd > it.paraEnd {
			t.Errorf("item %d: text ends at %d, outside [%d,%d]", it.N, it.textEnd, it.textStart, it.paraEnd)
		}
		if (it.Failures != nil) != it.failures.ok() {
			t.Errorf("item %d: failures %v with span %v", it.N, it.Failures, it.failures)
		} else if it.Failures != nil {
			fsp := it.failures
			got := string(s.Data[fsp.Start:fsp.End])
			if c := it.current; c.ok() && fsp.Start <= c.Start && c.End <= fsp.End { // a marker inside is no part of it
				got = string(s.Data[fsp.Start:c.Start]) + string(s.Data[c.End:fsp.End])
			}
			got = strings.TrimLeft(got, " \t")
			if want := failedOpen + formatFailures(it.Failures) + ")"; got != want {
				t.Errorf("item %d: failure span holds %q, want %q", it.N, got, want)
			}
			for _, f := range it.Failures {
				if !validBucket(f.Bucket) || f.Count < 1 {
					t.Errorf("item %d: failure %+v", it.N, f)
				}
			}
		}
	}
}

func checkToggle(t *testing.T, ref *refusals, todo *Todo, it *Item) {
	t.Helper()
	s := todo.Src
	mark, cp, reason := Done, "20260101-1200-corpus", ""
	switch it.Mark {
	case Done:
		mark, cp = Open, ""
	case Skipped:
		mark, cp = Open, ""
	}
	if it.N%7 == 3 && it.Mark == Open {
		mark, cp, reason = Skipped, "", "not needed here"
	}
	out, after, err := todo.SetMark(it.N, mark, cp, reason)
	if !ref.check(t, "SetMark item "+strconv.Itoa(it.N)+" line "+strconv.Itoa(it.Line), err) {
		return
	}
	a, b, _ := changedSpan(s.Data, out)
	ws, we := itemWindow(s, it)
	if a < ws || b > we {
		t.Errorf("SetMark item %d (lines %d-%d) changed bytes [%d,%d) outside [%d,%d)", it.N, it.Line, s.LineOf(it.paraEnd), a, b, ws, we)
	}
	if !equalSigs(sigsExcept(todo.Items, it.N), sigsExcept(after.Items, it.N)) {
		t.Errorf("SetMark item %d changed other items", it.N)
	}
	if again := ParseTodo(s.Path, out); len(again.Items) != len(todo.Items) {
		t.Fatalf("SetMark item %d: %d items after, %d before", it.N, len(again.Items), len(todo.Items))
	}
	got := after.Items[it.N-1]
	if got.Mark != mark || got.Text != it.Text || got.Line != it.Line {
		t.Errorf("SetMark item %d: after the edit it reads %+v", it.N, sigOf(got))
	}
	if mark == Done && got.Checkpoint != cp {
		t.Errorf("SetMark item %d: checkpoint %q, want %q", it.N, got.Checkpoint, cp)
	}
	if mark == Open && (got.Checkpoint != "" || got.Reason != "") {
		t.Errorf("SetMark item %d: undo kept annotation %q/%q", it.N, got.Checkpoint, got.Reason)
	}
	if mark == Skipped && got.Reason != reason {
		t.Errorf("SetMark item %d: reason %q", it.N, got.Reason)
	}
	if mark != Open && got.Current {
		t.Errorf("SetMark item %d: still current after closing it", it.N)
	}
}

// checkFailures gives it a failure annotation, changes it, ticks or
// unticks the item and untoggles it, and removes the annotation again:
// each edit must stay inside the item's paragraph and leave every other
// item alone, the mark edits must keep the annotation byte for byte, and
// the last edit must give back the original file.
func checkFailures(t *testing.T, ref *refusals, todo *Todo, it *Item) {
	t.Helper()
	s := todo.Src
	what := "SetFailures item " + strconv.Itoa(it.N) + " line " + strconv.Itoa(it.Line)
	fs := []Failure{{"test-fail", 2}, {"build-fail", 1}}
	step := func(td *Todo, out []byte, after *Todo, err error, fs []Failure) bool {
		t.Helper()
		if !ref.check(t, what, err) {
			return false
		}
		a, b, _ := changedSpan(td.Src.Data, out)
		ws, we := itemWindow(td.Src, td.Items[it.N-1])
		if a < b && (a < ws || b > we) {
			t.Errorf("%s changed bytes [%d,%d) outside [%d,%d)", what, a, b, ws, we)
		}
		if !equalSigs(sigsExcept(td.Items, it.N), sigsExcept(after.Items, it.N)) {
			t.Errorf("%s changed other items", what)
		}
		if got := after.Items[it.N-1]; !reflect.DeepEqual(got.Failures, fs) || got.Text != it.Text {
			t.Errorf("%s: reads %v %q, want %v %q", what, got.Failures, got.Text, fs, it.Text)
			return false
		}
		return true
	}
	if it.Failures != nil {
		return
	}
	out1, td1, err := todo.SetFailures(it.N, fs[:1])
	if !step(todo, out1, td1, err, fs[:1]) {
		return
	}
	out2, td2, err := td1.SetFailures(it.N, fs)
	if !step(td1, out2, td2, err, fs) {
		return
	}
	annot := string(out2[td2.Items[it.N-1].failures.Start:td2.Items[it.N-1].failures.End])
	mark, cp := Done, "20260101-1200-corpus"
	if it.Mark != Open {
		mark, cp = Open, ""
	}
	out3, td3, err := td2.SetMark(it.N, mark, cp, "")
	if !step(td2, out3, td3, err, fs) {
		return
	}
	got := td3.Items[it.N-1]
	if string(out3[got.failures.Start:got.failures.End]) != annot || got.Mark != mark || got.Checkpoint != cp {
		t.Errorf("%s: SetMark %c made it read %v", what, mark, sigOf(got))
	}
	if got.annot.ok() && got.annot.Start < got.failures.End {
		t.Errorf("%s: checkpoint annotation before the failure annotation", what)
	}
	out4, td4, err := td3.SetFailures(it.N, nil)
	if !step(td3, out4, td4, err, nil) {
		return
	}
	out5, _, err := td1.SetFailures(it.N, nil)
	if ref.check(t, what, err) && !bytes.Equal(out5, s.Data) {
		t.Errorf("%s: removing the failures just added did not give back the file", what)
	}
}

func checkSetCurrent(t *testing.T, ref *refusals, todo *Todo, it *Item) {
	t.Helper()
	s := todo.Src
	out, after, err := todo.SetCurrent(it.N)
	if !ref.check(t, "SetCurrent item "+strconv.Itoa(it.N)+" line "+strconv.Itoa(it.Line), err) {
		return
	}
	ws, we := itemWindow(s, it)
	for _, c := range todo.Current() {
		cs, ce := itemWindow(s, c)
		ws, we = min(ws, cs), max(we, ce)
	}
	a, b, _ := changedSpan(s.Data, out)
	if a < b && (a < ws || b > we) || a > we {
		t.Errorf("SetCurrent item %d changed bytes [%d,%d) outside [%d,%d)", it.N, a, b, ws, we)
	}
	if cur := after.Current(); len(cur) != 1 || cur[0].N != it.N {
		t.Errorf("SetCurrent item %d: current items after: %v", it.N, nums(cur))
	}
	for i, x := range after.Items {
		want := sigOf(todo.Items[i])
		want.Current = x.N == it.N
		if sigOf(x) != want {
			t.Errorf("SetCurrent item %d: item %d reads %+v, want %+v", it.N, x.N, sigOf(x), want)
		}
	}
}

func checkAddUnder(t *testing.T, ref *refusals, todo *Todo, parent *Item) {
	t.Helper()
	s := todo.Src
	out, after, err := todo.Add("added sub-item", "", parent.N)
	if !ref.check(t, "Add under item "+strconv.Itoa(parent.N)+" line "+strconv.Itoa(parent.Line), err) {
		return
	}
	a, b, n := changedSpan(s.Data, out)
	if a != b || n <= 0 {
		t.Errorf("Add under %d replaced bytes [%d,%d) instead of inserting", parent.N, a, b)
	}
	if len(after.Items) != len(todo.Items)+1 {
		t.Fatalf("Add under %d: %d items after, %d before", parent.N, len(after.Items), len(todo.Items))
	}
	var added *Item
	for _, x := range after.Items {
		if x.Text == "added sub-item" {
			added = x
		}
	}
	if added == nil || added.Parent == nil || added.Parent.Line != parent.Line || added.Depth != parent.Depth+1 {
		t.Errorf("Add under %d: new item not a child of it", parent.N)
	} else if !equalSigs(sigsExcept(todo.Items, 0), sigsExcept(after.Items, added.N)) {
		t.Errorf("Add under %d changed other items", parent.N)
	}
}

func checkAdd(t *testing.T, ref *refusals, todo *Todo, sec string, under int) {
	t.Helper()
	s := todo.Src
	out, after, err := todo.Add("added item", sec, under)
	if !ref.check(t, "Add section="+sec, err) {
		return
	}
	a, b, n := changedSpan(s.Data, out)
	if a != b || n <= 0 {
		t.Errorf("Add (section %q) replaced bytes [%d,%d) instead of inserting", sec, a, b)
	}
	if len(after.Items) != len(todo.Items)+1 {
		t.Fatalf("Add (section %q): %d items after, %d before", sec, len(after.Items), len(todo.Items))
	}
	var added *Item
	for _, x := range after.Items {
		if x.Text == "added item" && x.Mark == Open {
			added = x
		}
	}
	if added == nil {
		t.Fatalf("Add (section %q): no new item", sec)
	}
	if added.Depth != 0 && !(sec == "" && len(todo.Items) > 0) {
		t.Errorf("Add (section %q): new item at depth %d", sec, added.Depth)
	}
	if sec != "" && !strings.EqualFold(added.Section.Title, sec) {
		t.Errorf("Add (section %q): new item lands in %q", sec, added.Section.Title)
	}
	if !equalSigs(sigsExcept(todo.Items, 0), sigsExcept(after.Items, added.N)) {
		t.Errorf("Add (section %q) changed other items", sec)
	}
}

func checkSetField(t *testing.T, ref *refusals, st *State, key, value string) {
	t.Helper()
	s := st.Src
	f := st.Field(key)
	out, after, err := st.SetField(key, value)
	if !ref.check(t, "SetField "+key, err) {
		return
	}
	if after.Get(key) != value {
		t.Errorf("SetField %s: reads back %q", key, after.Get(key))
	}
	a, b, n := changedSpan(s.Data, out)
	if f != nil {
		if f.Value == value {
			if !bytes.Equal(out, s.Data) {
				t.Errorf("SetField to the same value changed the file")
			}
			return
		}
		if a < s.LineStart(f.Line) || b > s.LineEnd(f.Line) {
			t.Errorf("SetField %s changed [%d,%d) outside line %d", key, a, b, f.Line)
		}
	} else if a != b || n <= 0 {
		t.Errorf("SetField %s (new) replaced [%d,%d) instead of inserting", key, a, b)
	}
}

func checkAppend(t *testing.T, ref *refusals, st *State, kind, text string) {
	t.Helper()
	s := st.Src
	sec := st.Section(kind)
	out, after, err := st.AppendEntry(kind, text)
	if !ref.check(t, "AppendEntry "+kind, err) {
		return
	}
	if len(after.Decisions) != len(st.Decisions)+1 || after.Decisions[len(after.Decisions)-1].Text != text {
		t.Errorf("AppendEntry: decisions after: %d, before %d", len(after.Decisions), len(st.Decisions))
	}
	a, b, n := changedSpan(s.Data, out)
	if sec != nil && sec.none.ok() {
		if a < sec.none.Start || b > sec.none.End {
			t.Errorf("AppendEntry replaced [%d,%d) outside the (none) line [%d,%d)", a, b, sec.none.Start, sec.none.End)
		}
	} else if a != b || n <= 0 {
		t.Errorf("AppendEntry replaced [%d,%d) instead of inserting", a, b)
	}
	if sec != nil && (a < s.LineStart(sec.Line) || a > sec.End) {
		t.Errorf("AppendEntry changed [%d,%d) outside its section [%d,%d)", a, b, s.LineStart(sec.Line), sec.End)
	}
}

func checkPhaseCell(t *testing.T, ref *refusals, st *State, phase string) {
	t.Helper()
	s := st.Src
	row := st.Phase(phase)
	out, after, err := st.SetPhaseCell(phase, "status", "COMPLETE | done")
	if !ref.check(t, "SetPhaseCell "+phase, err) {
		return
	}
	if got := after.Phase(phase); got == nil || got.Status != "COMPLETE | done" {
		t.Errorf("SetPhaseCell %s: status reads %+v", phase, got)
	}
	a, b, _ := changedSpan(s.Data, out)
	if a < s.LineStart(row.Line) || b > s.LineEnd(row.Line) {
		t.Errorf("SetPhaseCell changed [%d,%d) outside row line %d", a, b, row.Line)
	}
}

func nums(items []*Item) []int {
	var out []int
	for _, it := range items {
		out = append(out, it.N)
	}
	return out
}
