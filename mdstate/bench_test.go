package mdstate

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"github.com/wf-tool/wf/bench/state/benchdata"
)

// The benchmarks run on the 5,000-item TODO.md of package benchdata (about
// 400 KB). BenchmarkGoldmarkRaw5000 is goldmark alone on the same bytes,
// so wf's overhead over the parser reads straight off the two figures.
// bench/state/run.sh times the whole wf process; BENCHMARKS.md has both.

var (
	todo5000  = benchdata.Todo(5000)
	state5000 = benchdata.State(200)
	// todoRich5000 has inline code and a link on every item (525 KB),
	// issue 12's fixture: the Rich benchmarks below compare wf's parse
	// and edit with goldmark's parse of it.
	todoRich5000 = benchdata.TodoRich(5000)
)

func BenchmarkGoldmarkRawRich5000(b *testing.B) {
	p := goldmark.New(goldmark.WithExtensions(extension.Table)).Parser()
	b.SetBytes(int64(len(todoRich5000)))
	b.ReportAllocs()
	reportCPU(b, func() {
		for b.Loop() {
			p.Parse(text.NewReader(todoRich5000))
		}
	})
}

// BenchmarkOutlineParserRich5000 is goldmark alone as wf's outline runs
// it (newParser: blocks only, list items' paragraphs raw), on the same
// bytes as BenchmarkGoldmarkRawRich5000.
func BenchmarkOutlineParserRich5000(b *testing.B) {
	b.SetBytes(int64(len(todoRich5000)))
	b.ReportAllocs()
	reportCPU(b, func() {
		for b.Loop() {
			newParser().Parse(text.NewReader(todoRich5000))
		}
	})
}

func BenchmarkParseTodoRich5000(b *testing.B) {
	b.SetBytes(int64(len(todoRich5000)))
	b.ReportAllocs()
	reportCPU(b, func() {
		for b.Loop() {
			if t := ParseTodo("TODO.md", todoRich5000); len(t.Items) != 5000 {
				b.Fatalf("%d items, want 5000", len(t.Items))
			}
		}
	})
}

func BenchmarkTodoDoneRich5000(b *testing.B) {
	b.SetBytes(int64(len(todoRich5000)))
	b.ReportAllocs()
	reportCPU(b, func() {
		for b.Loop() {
			t := ParseTodo("TODO.md", todoRich5000)
			if _, _, err := t.SetMark(2500, Done, "20260222-1130-api-routes", ""); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkGoldmarkRaw5000(b *testing.B) {
	p := goldmark.New(goldmark.WithExtensions(extension.Table)).Parser()
	b.SetBytes(int64(len(todo5000)))
	b.ReportAllocs()
	for b.Loop() {
		p.Parse(text.NewReader(todo5000))
	}
}

func BenchmarkParseTodo5000(b *testing.B) {
	b.SetBytes(int64(len(todo5000)))
	b.ReportAllocs()
	for b.Loop() {
		if t := ParseTodo("TODO.md", todo5000); len(t.Items) != 5000 {
			b.Fatalf("%d items, want 5000", len(t.Items))
		}
	}
}

// BenchmarkTodoDone5000 is the work of `wf todo done N` without the I/O:
// parse, tick one item in the middle, and the re-parse that verifies it.
func BenchmarkTodoDone5000(b *testing.B) {
	b.SetBytes(int64(len(todo5000)))
	b.ReportAllocs()
	for b.Loop() {
		t := ParseTodo("TODO.md", todo5000)
		if _, _, err := t.SetMark(2500, Done, "20260222-1130-api-routes", ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTodoAdd5000 adds an item to the last phase: the edit that looks
// for the section's last item and its last sub-item.
func BenchmarkTodoAdd5000(b *testing.B) {
	b.SetBytes(int64(len(todo5000)))
	b.ReportAllocs()
	for b.Loop() {
		t := ParseTodo("TODO.md", todo5000)
		if _, _, err := t.Add("one more item", "Maintenance", 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseState200(b *testing.B) {
	b.SetBytes(int64(len(state5000)))
	b.ReportAllocs()
	for b.Loop() {
		if st := ParseState("workflow-state.md", state5000); len(st.Phases) != 10 {
			b.Fatalf("%d phases, want 10", len(st.Phases))
		}
	}
}

// TestBlockOnlyOutline checks that the outline from wf's block-only
// goldmark parser (no inline parsers, see newParser) is the one the full parser
// gives, on the benchmark file and on random documents made of lines that
// mix block and inline syntax.
func TestBlockOnlyOutline(t *testing.T) {
	full := goldmark.New(goldmark.WithExtensions(extension.Table))
	check := func(data []byte) {
		t.Helper()
		s := newSource("TODO.md", data)
		want := outlineWith(full.Parser(), s)
		got := buildOutline(s)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: block-only outline\n%+v\nfull parser\n%+v", data, got, want)
		}
	}
	check(todo5000)
	check(state5000)
	pool := []string{"# T", "## Phase", "- [ ] a `code` b", "- [x] *em* [l](u) (20260101-0101-x)",
		"  - [ ] sub <b>x</b>", "    - [-] deep (skipped: r)", "| a | b |", "|---|---|", "| `x|y` | \\| |",
		"```", "~~~", "    code", "> - [ ] q", "<div>", "</div>", "[ref]: /url", "[ref]", "text **bold",
		"===", "---", "", "", "1. [ ] one", "2) x", "- [ ] a\\", "* [ ] b  ", "\t- [ ] tab", "<!-- c -->",
		"- ![img](x.png) `", "***", "- [ ] <-- CURRENT", "Title", "- [ ] x [a]: b",
		"- [x]: /url", "[x]: /url \"t\"", "[ ]: /u", "- [-]:", "  [X]: <u>", "- [ ]\t[r]: /u", "    - [x] deep code?"}
	seed := uint64(1)
	rnd := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int((seed >> 33) % uint64(n))
	}
	for range 5000 {
		var b []byte
		for k := rnd(25); k >= 0; k-- {
			b = append(b, pool[rnd(len(pool))]...)
			if rnd(10) == 0 {
				b = append(b, '\r')
			}
			b = append(b, '\n')
		}
		check(b)
	}
}

// stateVersions300 are 300 versions of a workflow-state.md whose timeline
// grows by two lines a version and whose last-checkpoint field changes
// every time, as in the history of bench/stats/run.sh.
func stateVersions300() [][]byte {
	head := "# Workflow State: Stats bench\n\n**Current phase**: Planning\n**Status**: running\n**Last checkpoint**: 2026-12-01 09:00 +00:00 (%d)\n\n" +
		"## Phase Status\n| Phase | Status | Entered | Completed |\n|---|---|---|---|\n| Planning | PENDING | -- | -- |\n\n" +
		"## Blocking Issues\n(none)\n\n## Waiting\n(none)\n\n## Decisions Log\n(none)\n\n## Settings\n- commit: branch\n\n## Timeline\n"
	var vs [][]byte
	timeline := ""
	for i := range 300 {
		timeline += fmt.Sprintf("- 2026-12-01 %02d:%02d +00:00: status running -> paused by agent: break %d\n", i/60%24, i%60, i)
		timeline += fmt.Sprintf("- 2026-12-01 %02d:%02d +00:00: status paused -> running by agent: back %d\n", i/60%24, i%60, i)
		vs = append(vs, []byte(fmt.Sprintf(head, i)+timeline))
	}
	return vs
}

// BenchmarkParseStateVersions300 parses 300 versions whole, as wf stats
// did; BenchmarkEntryReaderVersions300 reads their timeline, attempts and
// decisions with one EntryReader, as wf stats does now.
func BenchmarkParseStateVersions300(b *testing.B) {
	vs := stateVersions300()
	b.ReportAllocs()
	reportCPU(b, func() {
		for b.Loop() {
			for _, v := range vs {
				ParseState("workflow-state.md", v)
			}
		}
	})
}

func BenchmarkEntryReaderVersions300(b *testing.B) {
	vs := stateVersions300()
	b.ReportAllocs()
	reportCPU(b, func() {
		for b.Loop() {
			r, err := NewEntryReader("timeline", "attempts", "decisions")
			if err != nil {
				b.Fatal(err)
			}
			for _, v := range vs {
				r.Read("workflow-state.md", v)
			}
		}
	})
}
