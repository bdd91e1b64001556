package resume

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wf-tool/wf/checkpoint"
	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// TestResumeReentry is the re-entry fixture: an interrupted multi-phase
// project with planted facts (the phase, the current item and the reasons
// of its failed attempts, every decision, the uncommitted files, an item
// added by hand, the remaining items of the phase, the conventions file).
// The default output must hold every one, and nothing may contradict
// them: one phase, one status, the current item once, no held item
// offered next.
func TestResumeReentry(t *testing.T) {
	gitEnv(t)
	dir := t.TempDir()
	t.Chdir(dir)
	runGit(t, dir, "init", "-q", "-b", "main")
	ws, _, err := checkpoint.Init(workspace.Options{WorkDir: dir}, checkpoint.InitOptions{Name: "Search API", Phases: []string{"Planning", "Implementing", "Testing"}})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, ws.Path(workspace.TodoFile), `# TODO

## Planning
- [ ] Write the plan
- [ ] Choose the storage

## Implementing
- [ ] Schema migration
- [ ] Pagination for /search
- [ ] Rate limiting middleware
- [ ] Feedback endpoint

## Testing
- [ ] Load test the search path
- [ ] Contract tests for /feedback
`)
	writeFile(t, filepath.Join(dir, "CLAUDE.md"), "# Conventions\nGo; table tests; no globals.\n")
	decisions := []string{
		"PLANTED-DECISION-1 SQLite, not Postgres: one writer, simple ops",
		"PLANTED-DECISION-2 cursor pagination, not offsets",
		"PLANTED-DECISION-3 rate limits per API key, 50 requests/s",
	}
	for _, d := range decisions {
		if _, err := lifecycle.Decide(ws, d); err != nil {
			t.Fatal(err)
		}
	}
	for _, ref := range []string{"1", "2", "3"} {
		if _, err := lifecycle.Mark(ws, ref, mdstate.Done, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	// The phase moved on to Implementing, as wf phase start would set it.
	st, err := os.ReadFile(ws.Path(workspace.StateFile))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, ws.Path(workspace.StateFile), strings.Replace(strings.Replace(string(st), "**Current phase**: Planning", "**Current phase**: Implementing", 1), "**Status**: idle", "**Status**: running", 1))
	if _, err := lifecycle.Next(ws); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "src", "schema.go"), "package src\n")
	if _, err := checkpoint.Checkpoint(ws, checkpoint.CheckpointOptions{Title: "schema done",
		Next: []string{"PLANTED-NEXT-A keep the cursor opaque (base64)", "PLANTED-NEXT-B run go test ./search/..."}}); err != nil {
		t.Fatal(err)
	}
	// The interrupted session: two failed attempts with reasons, a
	// decision, uncommitted work, and a person adds an item by hand.
	if _, err := lifecycle.Fail(ws, "Pagination", "test-fail", "PLANTED-REASON-1 cursor off by one on the last page"); err != nil {
		t.Fatal(err)
	}
	if _, err := lifecycle.Fail(ws, "Pagination", "test-fail", "PLANTED-REASON-2 pagination test still red after fix"); err != nil {
		t.Fatal(err)
	}
	if _, err := lifecycle.Decide(ws, "PLANTED-DECISION-4 keep the old /search route for a release"); err != nil {
		t.Fatal(err)
	}
	decisions = append(decisions, "PLANTED-DECISION-4 keep the old /search route for a release")
	writeFile(t, filepath.Join(dir, "search", "cursor.go"), "package search\n\n// Cursor is opaque.\ntype Cursor string\n")
	writeFile(t, filepath.Join(dir, "src", "schema.go"), "package src\n\n// v2\n")
	td, err := os.ReadFile(ws.Path(workspace.TodoFile))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, ws.Path(workspace.TodoFile), strings.Replace(string(td), "- [ ] Rate limiting middleware\n", "- [ ] PLANTED-HAND-ADDED cache warm-up\n- [ ] Rate limiting middleware\n", 1))

	r, err := Build(ws, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := r.Text()
	t.Logf("default output (%d tokens estimated):\n%s", r.Tokens, out)
	facts := []string{
		"phase Implementing", "status running",
		"#4 Pagination for /search",
		"CLAUDE.md",
		"src/schema.go", "search/cursor.go",
		"PLANTED-NEXT-A", "PLANTED-NEXT-B",
		"- #5 PLANTED-HAND-ADDED cache warm-up", "(by hand)",
		"- #6 Rate limiting middleware", "- #7 Feedback endpoint",
		"attempt 2/3 failed (test-fail): PLANTED-REASON-2 pagination test still red after fix",
		"attempt 1/3 failed (test-fail): PLANTED-REASON-1 cursor off by one on the last page",
	}
	facts = append(facts, decisions...)
	for _, f := range facts {
		if !strings.Contains(out, f) {
			t.Errorf("default output lacks %q", f)
		}
	}
	// Newest failure first.
	if strings.Index(out, "PLANTED-REASON-2") > strings.Index(out, "PLANTED-REASON-1") {
		t.Error("the failed attempts are not newest first")
	}
	// One phase, one status, the current item once.
	for _, p := range []string{"Planning", "Testing"} {
		if regexp.MustCompile(`(?i)phase ` + p).MatchString(out) {
			t.Errorf("the output names phase %s as well", p)
		}
	}
	if n := len(regexp.MustCompile(`status \w+`).FindAllString(out, -1)); n != 1 {
		t.Errorf("%d statuses in the output", n)
	}
	if n := strings.Count(out, "Pagination for /search"); n != 1 {
		t.Errorf("the current item is printed %d times", n)
	}
	for _, w := range r.Warnings {
		if w.Kind == "phase-mismatch" || w.Kind == "stale-heartbeat" {
			t.Errorf("contradicting warning: %+v", w)
		}
	}
	// The closing line agrees: nothing holds the current item.
	if !strings.Contains(out, "When #4 is done: `wf todo done 4`") {
		t.Error("the closing line does not name the current item")
	}
}

// TestResumeItemNumbersProperty: after random hand edits to TODO.md
// (inserting, deleting and moving items) between a checkpoint and
// resume, every item number resume prints (in the text and in --json)
// names the item with that text in wf todo list (TODO.md's numbering now).
func TestResumeItemNumbersProperty(t *testing.T) {
	gitEnv(t)
	dir := t.TempDir()
	t.Chdir(dir)
	runGit(t, dir, "init", "-q", "-b", "main")
	ws, _, err := checkpoint.Init(workspace.Options{WorkDir: dir}, checkpoint.InitOptions{Name: "P", Phases: []string{"Planning", "Implementing"}})
	if err != nil {
		t.Fatal(err)
	}
	var todo strings.Builder
	todo.WriteString("# TODO\n\n## Planning\n")
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&todo, "- [ ] plan item %d\n", i)
	}
	todo.WriteString("\n## Implementing\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&todo, "- [ ] build item %d\n", i)
	}
	writeFile(t, ws.Path(workspace.TodoFile), todo.String())
	if _, err := lifecycle.Mark(ws, "1", mdstate.Done, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := lifecycle.Next(ws); err != nil {
		t.Fatal(err)
	}
	// No --next: the checkpoint's next actions are wf's "(TODO item N)".
	if _, err := checkpoint.Checkpoint(ws, checkpoint.CheckpointOptions{Title: "base"}); err != nil {
		t.Fatal(err)
	}
	base, err := os.ReadFile(ws.Path(workspace.TodoFile))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(19))
	refs := []*regexp.Regexp{
		regexp.MustCompile(`(?m)^#(\d+) (.+?)(?: \(out of retries.*?\)|)  \(`), // the current item
		regexp.MustCompile(`(?m)^- #(\d+) (.+)$`),                              // then, in order
		regexp.MustCompile(`(?m)^\d+\. (.+) \(#(\d+)\)$`),                      // the checkpoint's, renumbered
	}
	for iter := 0; iter < 40; iter++ {
		lines := strings.Split(strings.TrimSuffix(string(base), "\n"), "\n")
		isItem := func(i int) bool { return strings.HasPrefix(lines[i], "- [") }
		for e := 0; e < 1+rng.Intn(5); e++ {
			var items []int
			for i := range lines {
				if isItem(i) {
					items = append(items, i)
				}
			}
			switch rng.Intn(3) {
			case 0: // insert a new item before a random item
				at := items[rng.Intn(len(items))]
				lines = append(lines[:at], append([]string{fmt.Sprintf("- [ ] new item %d-%d", iter, e)}, lines[at:]...)...)
			case 1: // delete an item
				if len(items) > 3 {
					at := items[rng.Intn(len(items))]
					lines = append(lines[:at], lines[at+1:]...)
				}
			case 2: // move an item
				from := items[rng.Intn(len(items))]
				l := lines[from]
				lines = append(lines[:from], lines[from+1:]...)
				to := 0
				for to == 0 || !strings.HasPrefix(lines[to-1], "- [") && !strings.HasPrefix(lines[to-1], "## ") {
					to = 1 + rng.Intn(len(lines)-1)
				}
				lines = append(lines[:to], append([]string{l}, lines[to:]...)...)
			}
		}
		writeFile(t, ws.Path(workspace.TodoFile), strings.Join(lines, "\n")+"\n")
		sn, err := ws.Read()
		if err != nil {
			t.Fatal(err)
		}
		r, err := Build(ws, Options{})
		if err != nil {
			t.Fatal(err)
		}
		out := r.Text()
		check := func(n int, text, where string) {
			if n < 1 || n > len(sn.Todo.Items) || sn.Todo.Items[n-1].Text != text {
				t.Fatalf("iteration %d: %s names #%d %q, but TODO.md's item %d is another:\n%s\n--- output:\n%s", iter, where, n, text, n, strings.Join(lines, "\n"), out)
			}
		}
		found := 0
		for k, re := range refs {
			for _, m := range re.FindAllStringSubmatch(out, -1) {
				num, text := m[1], m[2]
				if k == 2 {
					num, text = m[2], m[1]
				}
				n, _ := strconv.Atoi(num)
				check(n, text, "the text")
				found++
			}
		}
		if found == 0 {
			t.Fatalf("iteration %d: no item numbers in the output:\n%s", iter, out)
		}
		for _, a := range r.NextActions {
			if a.N > 0 {
				check(a.N, strings.SplitN(a.Text, " (", 2)[0], "--json next_actions")
			}
		}
		if r.Current != nil {
			check(r.Current.N, r.Current.Text, "--json current")
		}
	}
}
