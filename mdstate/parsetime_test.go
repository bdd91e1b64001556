package mdstate

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"
)

// parseBoth parses data as both state files, as every wf command does.
func parseBoth(data []byte) (*Todo, *State) {
	return ParseTodo("TODO.md", data), ParseState("workflow-state.md", data)
}

// hangGuard fails t when parse has not returned after limit. It is a
// guard against a hang, far above any real parse time, never a benchmark.
func hangGuard(t *testing.T, limit time.Duration, parse func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { parse(); close(done) }()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("parse still running after %v", limit)
	}
}

// TestDeepNestingNotParsed: a line of 40,000 nested list markers (80 KB;
// 38 s per command before) is not handed to goldmark: it is a DeepLine
// and, being task-shaped, a Suspect that counts as open; the lines around
// it are read as usual.
func TestDeepNestingNotParsed(t *testing.T) {
	for _, tc := range []struct{ name, line string }{
		{"dashes", strings.Repeat("- ", 40000) + "[ ] deep"},
		{"quotes", strings.Repeat("> ", 40000) + "- [ ] deep"},
		{"ordered", strings.Repeat("1. ", 30000) + "[ ] deep"},
		{"mixed", strings.Repeat("> * 2) ", 10000) + "[ ] deep"},
		{"indented", strings.Repeat(" ", 200) + "- [ ] deep"},
	} {
		// The same line first in a file that starts with a byte order
		// mark: the BOM once kept line 1 from being checked.
		t.Run(tc.name+"-bom-line1", func(t *testing.T) {
			data := []byte("\xef\xbb\xbf" + tc.line + "\n- [ ] after\n")
			var td *Todo
			var st *State
			hangGuard(t, 30*time.Second, func() { td, st = parseBoth(data) })
			if len(td.Deep) != 1 || td.Deep[0].Line != 1 || len(st.Deep) != 1 {
				t.Fatalf("Deep = %+v (state %+v), want line 1", td.Deep, st.Deep)
			}
			if len(td.Items) != 1 || td.Items[0].Text != "after" {
				t.Fatalf("items = %+v", td.Items)
			}
		})
		t.Run(tc.name, func(t *testing.T) {
			data := []byte("# TODO\n\n## Planning\n- [ ] before\n" + tc.line + "\n- [ ] after\n")
			var td *Todo
			var st *State
			hangGuard(t, 30*time.Second, func() { td, st = parseBoth(data) })
			if len(td.Deep) != 1 || td.Deep[0].Line != 5 || len(st.Deep) != 1 {
				t.Fatalf("Deep = %+v (state %+v), want line 5", td.Deep, st.Deep)
			}
			if len(td.Items) != 2 || td.Items[0].Text != "before" || td.Items[1].Text != "after" {
				t.Fatalf("items = %+v", td.Items)
			}
			if len(td.Suspects) != 1 || td.Suspects[0].Line != 5 || td.Suspects[0].Kind != SuspectTooDeep {
				t.Fatalf("Suspects = %+v", td.Suspects)
			}
			if _, _, total := td.Counts("Planning"); total != 3 {
				t.Fatalf("total = %d, want 3 (the deep line counts as open)", total)
			}
		})
	}
}

// TestNestingBound: MaxNesting levels are read, one more is not, and
// indentation alone (a line with no marker) is never deep.
func TestNestingBound(t *testing.T) {
	for _, tc := range []struct {
		line string
		deep bool
	}{
		{strings.Repeat("- ", MaxNesting) + "[ ] x", false},
		{strings.Repeat("- ", MaxNesting+1) + "[ ] x", true},
		{strings.Repeat("> ", MaxNesting+1) + "x", true},
		{strings.Repeat(" ", 10000) + "text", false},
		{strings.Repeat(" ", 2*MaxNesting-2) + "- [ ] x", false},
		{strings.Repeat(" ", 2*MaxNesting) + "- [ ] x", true},
		{strings.Repeat("-", 5000), false},
		{strings.Repeat("1", 5000) + ". x", false},
	} {
		if got := nesting([]byte(tc.line)) > MaxNesting; got != tc.deep {
			t.Errorf("nesting(%.40q…) = %d, deep %t, want %t", tc.line, nesting([]byte(tc.line)), got, tc.deep)
		}
	}
}

// adversarial returns inputs of about size bytes built by repeating the
// shapes that made goldmark or wf's own passes slow: deep nesting on a
// line, many lazy continuation lines under deep containers, many sections
// (a per-block section lookup was quadratic), and long runs of the bytes
// the annotation readers look for.
func adversarial(size int) map[string][]byte {
	rep := func(unit string, n int) string { return strings.Repeat(unit, max(n/len(unit), 1)) }
	shapes := map[string]string{
		"dash-line":    rep("- ", size) + "[ ] x\n",
		"quote-line":   rep("> ", size) + "- [ ] x\n",
		"deep-lazy":    strings.Repeat("- ", MaxNesting) + "[ ] x\n" + rep("lazy\n", size),
		"quote-lazy":   strings.Repeat("> ", MaxNesting) + "x\n" + rep("lazy\n", size),
		"headings":     rep("## h\n- [ ] x\n", size),
		"state-lists":  rep("## Blocking Issues\nSTOP\n- b\n", size),
		"suspects":     rep("- [~] x\n", size),
		"current-runs": "- [ ] x" + rep(" <-", size) + "\n",
		"paren-runs":   "- [ ] x" + rep(" (", size) + "\n",
		"caret-runs":   "- [ ] x" + rep(" ^a", size) + "\n",
		"failed-runs":  "- [ ] x" + rep(" (failed: a 1", size) + ")\n",
		"html":         rep("<details>\n- [ ] x\n", size),
		"fences":       rep("```\n- [ ] x\n", size),
	}
	out := make(map[string][]byte, len(shapes))
	for k, v := range shapes {
		out[k] = []byte("# TODO\n\n## Planning\n" + v)
	}
	return out
}

// TestAdversarialInputsFinish parses 1 MB of each adversarial shape. The
// limit is a hang guard only (a quadratic shape took minutes); measure
// with BenchmarkAdversarial, and per command with
// bench/adversarial/runcpu.py.
func TestAdversarialInputsFinish(t *testing.T) {
	if testing.Short() {
		t.Skip("1 MB inputs")
	}
	for name, data := range adversarial(1 << 20) {
		t.Run(name, func(t *testing.T) {
			hangGuard(t, 60*time.Second, func() { parseBoth(data) })
		})
	}
}

// BenchmarkAdversarial parses 1 MB of each adversarial shape as both
// files: go test -run '^$' -bench Adversarial ./mdstate/
func BenchmarkAdversarial(b *testing.B) {
	for name, data := range adversarial(1 << 20) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				parseBoth(data)
			}
		})
	}
}

// FuzzParseTime fuzzes for time, not only for panics: the input is a
// pattern repeated to fill small and large sizes, and parsing 8 times the
// bytes may take at most 32 times as long (linear work gives 8, quadratic
// 64), once the large parse takes long enough (30 ms) to be measured
// above noise. Each size is parsed three times and the fastest counts;
// a failure is measured twice more before it is reported. (goldmark's
// quadratic nesting allocates linearly and reads its input linearly, so
// neither allocations nor reader calls measure its work: time does.)
func FuzzParseTime(f *testing.F) {
	for _, seed := range []string{"- ", "> ", "1. ", "- [ ] x\n", "## h\n", "x\n=\n", "|", "[", " <-", " (", " ^a",
		"<details>\n", "```\n", "- [~] x\n", "  - [ ] x\n", "> - ", "* 1) ", "STOP\n", "- [ ] a (failed: b 1",
		"\t- ", "lazy\n", "[a]: <", "<!--"} {
		f.Add(seed, "[ ] x\n")
	}
	f.Fuzz(func(t *testing.T, pattern, tail string) {
		if pattern == "" || len(pattern) > 64 || len(tail) > 256 {
			return
		}
		build := func(size int) []byte {
			return []byte(strings.Repeat(pattern, size/len(pattern)+1) + tail)
		}
		fastest := func(data []byte) time.Duration {
			best := time.Duration(1<<63 - 1)
			for range 3 {
				runtime.GC()
				start := time.Now()
				parseBoth(data)
				best = min(best, time.Since(start))
			}
			return best
		}
		small, large := build(8<<10), build(64<<10)
		ts, tl := fastest(small), fastest(large)
		for range 2 { // measure again: a shared machine is noisy
			if tl > 30*time.Millisecond && tl > 32*ts {
				ts, tl = fastest(small), fastest(large)
			}
		}
		if tl > 30*time.Millisecond && tl > 32*ts {
			t.Fatalf("pattern %q: %d bytes parse in %v, %d bytes in %v: work grows faster than the input", pattern, len(small), ts, len(large), tl)
		}
		if bytes.Count(large, []byte("\n")) < 0 { // keep large alive past the timing
			t.Fatal("unreachable")
		}
	})
}
