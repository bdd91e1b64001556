package mdstate

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// entriesOf lists st's entries of the EntryReader's kinds, "kind line:
// text" one per line, for comparing a reader's State with ParseState's.
func entriesOf(st *State) string {
	var b strings.Builder
	for _, l := range []struct {
		kind string
		es   []*Entry
	}{{"decisions", st.Decisions}, {"attempts", st.Attempts}, {"timeline", st.Timeline}, {"effects", st.Effects}} {
		for _, e := range l.es {
			fmt.Fprintf(&b, "%s %d: %q\n", l.kind, e.Line, e.Text)
		}
	}
	return b.String()
}

// checkReader reads versions in order with one EntryReader of every kind
// it reads and compares each with ParseState.
func checkReader(t *testing.T, versions ...[]byte) *EntryReader {
	t.Helper()
	r, err := NewEntryReader(entryKinds...)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range versions {
		orig := bytes.Clone(v)
		got, want := entriesOf(r.Read("workflow-state.md", v)), entriesOf(ParseState("workflow-state.md", v))
		if got != want {
			t.Fatalf("%q:\nEntryReader:\n%s\nParseState:\n%s", v, got, want)
		}
		if !bytes.Equal(v, orig) {
			t.Fatalf("Read changed its input")
		}
	}
	return r
}

// entryPool are lines a random workflow-state.md is made of: headings of
// the sections read and of others, items, continuations and the
// constructs that make the reader parse a version whole.
var entryPool = []string{
	"# Workflow State: x", "## Timeline", "## Decisions Log", "## Failed Attempts", "## Side Effects", "## Settings",
	"## Phase Status", "## Blocking Issues", "## Notes", "### Sub", "## 3. Timeline", "## Timeline ##", "##Timeline",
	"#", "##", "- 2026-12-01 09:00 +00:00: status idle -> running", "- decision one", "- (none)", "(none)",
	"  continued line", "continued lazily", "- ", "-", "* star item", "+ plus item", "1. ordered", "  - nested",
	"> quote", "> - quoted item", "| a | b |", "|---|---|", "", "", "", "    indented code", "\t- tab item",
	"- item `code` [l](u)", "- item ending in a backslash\\", "[ref]: /url", "- x\r", "- [ ] box", "  ## indented h2",
	"<!-- c -->", "```", "~~~", "---", "===", "***", "- - -", "Title", "- attempt T3 (test-fail): flaky",
	"- key: value", "- deploy-1: done at 2026", "- a\tb", "-\tx", "- \tx",
	"\t## Timeline", " - spaced item", "   - three spaces", "  para two", "- a <b>tag</b>", "- #hash", "2) two",
}

func randomDoc(rnd func(int) int, n int) []byte {
	var b []byte
	for k := rnd(n); k >= 0; k-- {
		b = append(b, entryPool[rnd(len(entryPool))]...)
		if rnd(15) == 0 {
			b = append(b, '\r')
		}
		b = append(b, '\n')
	}
	if rnd(5) == 0 && len(b) > 0 {
		b = b[:len(b)-1] // no final newline
	}
	return b
}

// TestEntryReaderMatchesParseState: on random documents, and on chains of
// versions where each one edits the one before (lines added at the end,
// inserted, removed, changed), an EntryReader reads the entries
// ParseState reads, text and line.
func TestEntryReaderMatchesParseState(t *testing.T) {
	seed := uint64(7)
	rnd := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int((seed >> 33) % uint64(n))
	}
	for range 3000 {
		checkReader(t, randomDoc(rnd, 30))
	}
	for range 300 {
		lines := strings.Split(string(randomDoc(rnd, 30)), "\n")
		var versions [][]byte
		for range 20 {
			switch op := rnd(4); {
			case op == 0 || len(lines) == 0:
				lines = append(lines, entryPool[rnd(len(entryPool))])
			case op == 1:
				i := rnd(len(lines))
				lines = append(lines[:i], append([]string{entryPool[rnd(len(entryPool))]}, lines[i:]...)...)
			case op == 2:
				i := rnd(len(lines))
				lines = append(lines[:i], lines[i+1:]...)
			default:
				lines[rnd(len(lines))] = entryPool[rnd(len(entryPool))]
			}
			versions = append(versions, []byte(strings.Join(lines, "\n")))
		}
		checkReader(t, versions...)
	}
}

// TestEntryReaderParsesEachPieceOnce: a timeline that grows by two lines
// a version is parsed, over 100 versions, about once: the bytes handed to
// ParseState stay within twice the last version's size, where parsing
// every version whole hands it fifty times as much.
func TestEntryReaderParsesEachPieceOnce(t *testing.T) {
	head := "# Workflow State: x\n\n**Status**: running\n**Last checkpoint**: %d\n\n## Phase Status\n| Phase | Status |\n|---|---|\n| Plan | IN_PROGRESS |\n\n## Decisions Log\n(none)\n\n## Timeline\n"
	var versions [][]byte
	timeline := ""
	total := 0
	for i := range 100 {
		timeline += fmt.Sprintf("- 2026-12-01 09:%02d +00:00: status running -> paused by agent: break %d\n", i%60, i)
		timeline += fmt.Sprintf("- 2026-12-01 09:%02d +00:00: status paused -> running by agent: back %d\n", i%60, i)
		v := []byte(fmt.Sprintf(head, i) + timeline)
		total += len(v)
		versions = append(versions, v)
	}
	r := checkReader(t, versions...)
	if last := len(versions[len(versions)-1]); r.Parsed > 2*last {
		t.Fatalf("parsed %d bytes for 100 versions (%d bytes in all, the last %d)", r.Parsed, total, last)
	}
	if len(r.Read("workflow-state.md", versions[99]).Timeline) != 200 {
		t.Fatal("want 200 timeline entries")
	}
}

// TestEntryReaderRefusesEditsAndKinds: a State an EntryReader read cannot
// be edited, and the reader reads list sections only.
func TestEntryReaderRefusesEditsAndKinds(t *testing.T) {
	r, err := NewEntryReader("timeline")
	if err != nil {
		t.Fatal(err)
	}
	st := r.Read("workflow-state.md", []byte("# S\n\n**Status**: running\n\n## Timeline\n- a\n"))
	if len(st.Timeline) != 1 {
		t.Fatalf("timeline %+v", st.Timeline)
	}
	if _, _, err := st.SetField("Status", "paused"); err == nil || !strings.Contains(err.Error(), "not for editing") {
		t.Fatalf("SetField on a partial State: %v", err)
	}
	if _, _, err := st.AppendEntry("timeline", "b"); err == nil {
		t.Fatal("AppendEntry on a partial State succeeded")
	}
	if _, err := NewEntryReader("timeline", "settings"); err == nil || !strings.Contains(err.Error(), `"settings"`) {
		t.Fatalf("NewEntryReader(settings): %v", err)
	}
}

// FuzzEntryReader reads two versions (the input split at its first NUL)
// with one reader and compares both with ParseState.
func FuzzEntryReader(f *testing.F) {
	f.Add([]byte("## Timeline\n- a\n- b\n\x00## Timeline\n- a\n- b\n- c\n"))
	f.Add([]byte("## Decisions Log\n- a\n  more\n\x00## Decisions Log\n- a\nlazy\n"))
	f.Add([]byte("# T\n## Side Effects\n- k: v\n## Notes\n- n\n\x00## Notes\n- k\n## Side Effects\n- k: v\n"))
	f.Add([]byte("## Timeline\n- a\n```\n- b\n\x00## Timeline\n- a\n<div>\n- b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		a, b, _ := bytes.Cut(data, []byte{0})
		checkReader(t, a, b, a)
	})
}
