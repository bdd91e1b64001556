package mdstate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestDesignTodo pins the parse of the TODO.md example in DESIGN.md §3.2.
func TestDesignTodo(t *testing.T) {
	td := ParseTodo("TODO.md", readTestdata(t, "design-TODO.md"))
	if td.Title != "TODO" {
		t.Errorf("title %q", td.Title)
	}
	if len(td.Items) != 5 {
		t.Fatalf("%d items, want 5", len(td.Items))
	}
	type want struct {
		line       int
		depth      int
		mark       Mark
		text       string
		current    bool
		checkpoint string
		phase      string
		parent     int
	}
	wants := []want{
		{4, 0, Done, "Write the plan", false, "20260222-0945-plan", "Planning", 0},
		{7, 0, Done, "Database schema", false, "20260222-1015-schema", "Implementing", 0},
		{8, 0, Open, "API routes: feedback, suggestions", true, "", "Implementing", 0},
		{9, 1, Open, "validate feedback_type", false, "", "Implementing", 3},
		{10, 0, Open, "Rate limiting middleware", false, "", "Implementing", 0},
	}
	for i, w := range wants {
		it := td.Items[i]
		parent := 0
		if it.Parent != nil {
			parent = it.Parent.N
		}
		got := want{it.Line, it.Depth, it.Mark, it.Text, it.Current, it.Checkpoint, it.Phase, parent}
		if got != w {
			t.Errorf("item %d: got %+v, want %+v", i+1, got, w)
		}
	}
	if cur := td.Current(); len(cur) != 1 || cur[0].N != 3 {
		t.Errorf("current items %v, want [3]", nums(cur))
	}
	if got := strings.Join(td.PhaseNames(), ","); got != "Planning,Implementing" {
		t.Errorf("phases %q", got)
	}
	if done, skipped, total := td.Counts("implementing"); done != 1 || skipped != 0 || total != 4 {
		t.Errorf("Implementing counts %d/%d/%d", done, skipped, total)
	}
	if next := td.NextOpen(); next == nil || next.N != 3 {
		t.Errorf("next open %v", next)
	}
}

// TestDesignState pins the parse of the workflow-state.md example in
// DESIGN.md §3.1.
func TestDesignState(t *testing.T) {
	st := ParseState("workflow-state.md", readTestdata(t, "design-workflow-state.md"))
	if st.Title != "Workflow State: Search API" {
		t.Errorf("title %q", st.Title)
	}
	for key, want := range map[string]string{
		"phase":           "Implementing",
		"Current phase":   "Implementing",
		"status":          "running",
		"mode":            "auto",
		"started":         "2026-02-22 09:00",
		"last checkpoint": "2026-02-22 11:30 (20260222-1130-api-routes)",
	} {
		if got := st.Get(key); got != want {
			t.Errorf("field %q = %q, want %q", key, got, want)
		}
	}
	if len(st.Fields) != 5 {
		t.Errorf("%d fields, want 5", len(st.Fields))
	}
	if st.PhaseTable != 10 || len(st.Phases) != 3 {
		t.Fatalf("phase table at line %d with %d rows, want line 10 with 3", st.PhaseTable, len(st.Phases))
	}
	rows := []PhaseRow{
		{Name: "Planning", Status: "COMPLETE", Entered: "09:00", Completed: "09:45", Line: 12},
		{Name: "Implementing", Status: "IN_PROGRESS", Entered: "09:45", Completed: "--", Line: 13},
		{Name: "Testing", Status: "PENDING", Entered: "--", Completed: "--", Line: 14},
	}
	for i, w := range rows {
		p := st.Phases[i]
		if p.Name != w.Name || p.Status != w.Status || p.Entered != w.Entered || p.Completed != w.Completed || p.Line != w.Line {
			t.Errorf("phase row %d: %+v, want %+v", i, *p, w)
		}
	}
	if len(st.Blockers) != 0 || len(st.Waits) != 0 {
		t.Errorf("blockers %v, waits %v, want none", st.Blockers, st.Waits)
	}
	for _, kind := range []string{"blockers", "waits"} {
		if sec := st.Section(kind); sec == nil || !sec.none.ok() {
			t.Errorf("%s section has no (none) placeholder", kind)
		}
	}
	if len(st.Decisions) != 1 || st.Decisions[0].Text != "2026-02-22 09:15: Chose D1 over Postgres (simpler, sufficient for our scale)" {
		t.Errorf("decisions %+v", st.Decisions)
	}
	if len(st.Settings) != 3 || st.Setting("commit") != "branch" || st.Setting("resume-budget") != "2000" ||
		st.Setting("retry") != "test-fail=3, build-fail=2, tool-error=5" {
		t.Errorf("settings %+v", st.Settings)
	}
	var kinds []string
	for _, sec := range st.Sections {
		kinds = append(kinds, sec.Kind)
	}
	if got := strings.Join(kinds, ","); got != "phases,blockers,waits,decisions,settings" {
		t.Errorf("section kinds %q", got)
	}
	if len(st.Notes) != 0 {
		t.Errorf("notes %+v", st.Notes)
	}
}

// TestCorpusFacts pins a few facts about real files.
func TestCorpusFacts(t *testing.T) {
	t.Run("waveterm front matter", func(t *testing.T) {
		name := "state/wavetermdev__waveterm__.claude__workflow-state.md"
		data := readCorpus(t, name)
		st := ParseState(name, data)
		f := st.Field("phase")
		if f == nil || f.Key != "current_phase" || f.Value != "Implementation" || f.Line != 4 || !f.inFront {
			t.Fatalf("phase field %+v", f)
		}
		if st.Get("status") != "in_progress" {
			t.Errorf("status %q", st.Get("status"))
		}
		if st.Title != "Phased Development Workflow - OMP Theme Configurator Integration" {
			t.Errorf("title %q", st.Title)
		}
		// The front matter is lines 1-8; no heading may come from it
		// (its closing "---" would otherwise make a setext H2).
		td := ParseTodo(name, data)
		for _, h := range buildOutline(td.Src).headings {
			if h.Line <= 8 {
				t.Errorf("heading %q at line %d inside the front matter", h.Text, h.Line)
			}
		}
		if td.Title != st.Title || len(td.Sections) == 0 || td.Sections[0].Line != 10 {
			t.Errorf("TODO view: title %q, first section %+v", td.Title, td.Sections)
		}
		out, after, err := st.SetField("phase", "Review")
		if err != nil {
			t.Fatal(err)
		}
		if after.Get("phase") != "Review" || !strings.Contains(string(out), "\ncurrent_phase: Review\n") {
			t.Errorf("front matter field not set in place:\n%s", out[:200])
		}
	})
	t.Run("zakijariwala CRLF", func(t *testing.T) {
		name := "state/zakijariwala__run.to__workflow-state.md"
		data := readCorpus(t, name)
		st := ParseState(name, data)
		if st.Src.EOL != "\r\n" {
			t.Errorf("EOL %q", st.Src.EOL)
		}
		if st.Title != "Workflow State" {
			t.Errorf("title %q", st.Title)
		}
		want := map[string]string{
			"Revision": "1", "Last Updated": "2026-05-14", "Trigger": "Initial cold audit",
			"Last successful run": "2026-05-14 10:00 AM (Cold Audit)", "Current status": "IDLE",
			"Active blockers": "None", "Last drift check": "2026-05-14 - CLEAN",
		}
		for _, f := range st.Fields {
			if strings.ContainsAny(f.Key+f.Value, "\r\n") {
				t.Errorf("field %q=%q holds a line ending", f.Key, f.Value)
			}
			if w, ok := want[f.Key]; ok {
				if f.Value != w {
					t.Errorf("field %q = %q, want %q", f.Key, f.Value, w)
				}
				delete(want, f.Key)
			}
		}
		if len(want) != 0 {
			t.Errorf("fields not found: %v", want)
		}
		out, _, err := st.SetField("Current status", "RUNNING")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), "- **Current status**: RUNNING\r\n") {
			t.Errorf("field not set with CRLF kept")
		}
	})
	t.Run("fenced boxes are not items", func(t *testing.T) {
		name := "todo/Vvkmnn__dotfiles__.claude__TODO.md"
		data := readCorpus(t, name)
		td := ParseTodo(name, data)
		lines := strings.Split(string(data), "\n")
		for _, ln := range []int{381, 385, 386, 410, 411} {
			if !strings.Contains(lines[ln-1], "[ ]") && !strings.Contains(lines[ln-1], "[x]") {
				t.Fatalf("line %d is %q: corpus changed?", ln, lines[ln-1])
			}
		}
		if len(td.Items) != 0 {
			t.Errorf("%d items from fenced boxes, first at line %d", len(td.Items), td.Items[0].Line)
		}
		// Adding an item leaves every fenced box as it was.
		out, after, err := td.Add("real item", "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(after.Items) != 1 || !strings.HasPrefix(string(out), string(data)) {
			t.Errorf("add: %d items; prefix kept %v", len(after.Items), strings.HasPrefix(string(out), string(data)))
		}
	})
	t.Run("CRLF TODO with setext headings", func(t *testing.T) {
		name := "todo/Alalf__SCFF-DirectShow-Filter__doc__TODO.md"
		data := readCorpus(t, name)
		td := ParseTodo(name, data)
		if td.Src.EOL != "\r\n" || td.Title == "" {
			t.Errorf("EOL %q title %q", td.Src.EOL, td.Title)
		}
		for _, sec := range td.Sections {
			if sec.EndLine != sec.Line+1 {
				t.Errorf("setext heading %q spans lines %d-%d", sec.Title, sec.Line, sec.EndLine)
			}
		}
	})
	t.Run("wide spacing and no final newline", func(t *testing.T) {
		name := "todo/1587causalai__llm-code-survey__docs__TODO.md"
		data := readCorpus(t, name)
		td := ParseTodo(name, data)
		if len(td.Items) == 0 {
			t.Fatal("no items")
		}
		last := td.Items[len(td.Items)-1]
		out, _, err := td.Add("new sibling", "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if out[len(out)-1] == '\n' {
			t.Errorf("Add gave the file a final newline")
		}
		if !strings.Contains(string(out), "\n"+leadingPrefix(last.prefix)+"-   [ ] new sibling") &&
			!strings.Contains(string(out), "\n"+leadingPrefix(last.prefix)+listPrefix(last.prefix)+"[ ] new sibling") {
			t.Errorf("new sibling does not copy the bullet spacing %q", last.prefix)
		}
	})
}
