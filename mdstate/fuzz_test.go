package mdstate

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// addSeeds seeds f with every corpus file and every case file's input.
func addSeeds(f *testing.F, add func(data []byte)) {
	for _, sub := range []string{"state", "todo", "checkpoint"} {
		files, _ := filepath.Glob(filepath.Join(corpusDir(f), sub, "*.md"))
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				add(data)
			}
		}
	}
	cases, _ := filepath.Glob(filepath.Join("testdata", "cases", "*.txt"))
	for _, file := range cases {
		ar, err := parseTxtarFile(file)
		if err != nil {
			continue
		}
		for _, fl := range ar.Files {
			if fl.Name == "input.md" {
				add(fl.Data)
				add(bytes.ReplaceAll(fl.Data, []byte("\n"), []byte("\r\n")))
			}
		}
	}
	for _, file := range []string{"design-TODO.md", "design-workflow-state.md"} {
		if data, err := os.ReadFile(filepath.Join("testdata", file)); err == nil {
			add(data)
		}
	}
}

func FuzzParseTodo(f *testing.F) {
	addSeeds(f, func(data []byte) { f.Add(data) })
	f.Fuzz(func(t *testing.T, data []byte) {
		orig := append([]byte(nil), data...)
		td := ParseTodo("TODO.md", data)
		if !bytes.Equal(data, orig) {
			t.Fatal("parse changed its input")
		}
		checkTodoShape(t, td)
		for _, sec := range td.Sections {
			if sec.Line < 1 || sec.Line > td.Src.Lines() || sec.EndLine < sec.Line || sec.End > len(data) {
				t.Errorf("section %q at lines %d-%d end %d of %d lines", sec.Title, sec.Line, sec.EndLine, sec.End, td.Src.Lines())
			}
		}
	})
}

func FuzzParseState(f *testing.F) {
	addSeeds(f, func(data []byte) { f.Add(data) })
	f.Fuzz(func(t *testing.T, data []byte) {
		st := ParseState("workflow-state.md", data)
		n := st.Src.Lines()
		for _, fl := range st.Fields {
			if fl.Line < 1 || fl.Line > n || strings.ContainsAny(fl.Key+fl.Value, "\r\n") {
				t.Errorf("field %q=%q at line %d of %d", fl.Key, fl.Value, fl.Line, n)
			}
			if got := string(data[fl.value.Start:fl.value.End]); got != fl.Value {
				t.Errorf("field %q value %q, its span holds %q", fl.Key, fl.Value, got)
			}
		}
		for _, p := range st.Phases {
			if p.Line < 1 || p.Line > n || strings.ContainsAny(p.Name+p.Status+p.Entered+p.Completed, "\r\n") {
				t.Errorf("phase row %+v of %d lines", *p, n)
			}
		}
		for _, es := range [][]*Entry{st.Blockers, st.Waits, st.Decisions} {
			for _, e := range es {
				if e.Line < 1 || e.Line > n || strings.ContainsAny(e.Text, "\r\n") {
					t.Errorf("entry %+v of %d lines", *e, n)
				}
			}
		}
		for _, s := range st.Settings {
			if s.Line < 1 || s.Line > n || strings.ContainsAny(s.Key+s.Value, "\r\n") {
				t.Errorf("setting %+v of %d lines", *s, n)
			}
		}
	})
}

// FuzzTodoEdit applies one edit, chosen by op and n, to a fuzzed file: it
// must fail cleanly or change only the bytes of its target, the result
// must parse with the same items (one more for an add), the parse the edit
// verified against must be the full parse of its result, and a failure
// edit must leave the target reading the failures it was given, and
// nothing else different.
func FuzzTodoEdit(f *testing.F) {
	addSeeds(f, func(data []byte) {
		for op := range uint8(7) {
			f.Add(data, op, uint16(op*3+1))
		}
	})
	f.Fuzz(func(t *testing.T, data []byte, op uint8, n uint16) {
		td := ParseTodo("TODO.md", data)
		var it *Item
		if len(td.Items) > 0 {
			it = td.Items[int(n)%len(td.Items)]
		}
		var out []byte
		var after *Todo
		var err error
		var fs []Failure
		lo, hi := 0, len(data) // the window the edit may change
		add := false
		switch op % 7 {
		case 0, 1, 2:
			if it == nil {
				return
			}
			mark := []Mark{Done, Open, Skipped}[op%7]
			out, after, err = td.SetMark(it.N, mark, "20260101-1200-fuzz", "fuzzed")
			lo, hi = itemWindow(td.Src, it)
		case 3:
			if it == nil {
				return
			}
			out, after, err = td.SetCurrent(it.N)
			lo, hi = itemWindow(td.Src, it)
			for _, c := range td.Current() {
				a, b := itemWindow(td.Src, c)
				lo, hi = min(lo, a), max(hi, b)
			}
		case 4:
			add = true
			under := 0
			if it != nil && n%3 == 0 {
				under = it.N
			}
			sec := ""
			if len(td.Sections) > 0 && n%3 == 1 {
				sec = td.Sections[int(n)%len(td.Sections)].Title
			}
			out, after, err = td.Add("fuzz item", sec, under)
		case 5, 6:
			if it == nil {
				return
			}
			if op%7 == 5 {
				for i, b := range []string{"test-fail", "build-fail", "tool-error"}[:n%3+1] {
					fs = append(fs, Failure{b, int(n>>2)%20 + i + 1})
				}
			}
			out, after, err = td.SetFailures(it.N, fs)
			lo, hi = itemWindow(td.Src, it)
		}
		if err != nil {
			if !isRefusal(err) && !strings.Contains(err.Error(), "skip needs a reason") {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		a, b, inserted := changedSpan(data, out)
		if add {
			if a != b || inserted <= 0 {
				t.Fatalf("add replaced [%d,%d) instead of inserting", a, b)
			}
		} else if a < b || inserted > 0 {
			if a < lo || b > hi {
				t.Fatalf("edit changed [%d,%d) outside its window [%d,%d)", a, b, lo, hi)
			}
		}
		again := ParseTodo("TODO.md", out)
		want := len(td.Items)
		if add {
			want++
		}
		if len(again.Items) != want || len(after.Items) != want {
			t.Fatalf("%d items after the edit, want %d", len(again.Items), want)
		}
		checkTodoShape(t, again)
		if got, full := projection(after), projection(again); !reflect.DeepEqual(got, full) {
			t.Fatalf("the edit was verified against a parse that is not the file's:\n%q\nfull parse:\n%q", got, full)
		}
		if op%7 == 5 || op%7 == 6 {
			got := again.Items[it.N-1]
			wantSig := sigOf(it)
			wantSig.Failures = formatFailures(fs)
			if sigOf(got) != wantSig || !reflect.DeepEqual(got.Failures, fs) {
				t.Fatalf("after SetFailures item %d reads %v %v, want %v %v", it.N, sigOf(got), got.Failures, wantSig, fs)
			}
			if !equalSigs(sigsExcept(td.Items, it.N), sigsExcept(again.Items, it.N)) {
				t.Fatalf("SetFailures on item %d changed other items", it.N)
			}
			if it.Failures == nil && fs != nil {
				// Removing what was added gives back the file.
				back, _, err := again.SetFailures(it.N, nil)
				if err != nil || !bytes.Equal(back, data) {
					t.Fatalf("removing the failures just added gave %q (err %v), want %q", back, err, data)
				}
			}
		}
	})
}
