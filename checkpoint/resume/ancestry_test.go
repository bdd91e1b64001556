package resume

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wf-tool/wf/checkpoint"
	"github.com/wf-tool/wf/checkpoint/workspace"
)

// TestResumeHeadMovedMatchesGit: after merges (of a branch that forked
// before the checkpoint too), criss-cross merges and an octopus merge on
// top of the latest checkpoint, with and without a
// commit-graph, the count in resume's head-moved warning is git rev-list
// --count CKPT..HEAD (git is the oracle), and resume never says HEAD
// does not descend from the checkpoint.
func TestResumeHeadMovedMatchesGit(t *testing.T) {
	gitEnv(t)
	dir := t.TempDir()
	t.Chdir(dir)
	runGit(t, dir, "init", "-q", "-b", "main")
	ws, _, err := checkpoint.Init(workspace.Options{WorkDir: dir}, checkpoint.InitOptions{Name: "G", Phases: []string{"Build"}})
	if err != nil {
		t.Fatal(err)
	}
	// History from before the checkpoint, and a branch that forks there.
	writeFile(t, filepath.Join(dir, "early"), "x\n")
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-q", "-m", "before the checkpoint")
	runGit(t, dir, "branch", "early")
	cp, err := checkpoint.Checkpoint(ws, checkpoint.CheckpointOptions{Title: "base"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	commit := func(branch string) {
		t.Helper()
		n++
		runGit(t, dir, "checkout", "-q", branch)
		writeFile(t, filepath.Join(dir, "f", fmt.Sprint(n)), "x\n")
		runGit(t, dir, "add", "-A")
		runGit(t, dir, "commit", "-q", "-m", fmt.Sprint("c", n))
	}
	moved := regexp.MustCompile(`HEAD moved (\d+) commits? past checkpoint`)
	check := func(step string) {
		t.Helper()
		for _, graph := range []bool{false, true} {
			if graph {
				runGit(t, dir, "commit-graph", "write", "--reachable", "--no-progress")
			}
			r, err := Build(ws, Options{Full: true})
			if err != nil {
				t.Fatal(err)
			}
			want, _ := strconv.Atoi(runGit(t, dir, "rev-list", "--count", cp.Commit+"..HEAD"))
			m := moved.FindStringSubmatch(r.Text())
			if m == nil || strings.Contains(r.Text(), "does not descend") {
				t.Fatalf("%s (commit-graph %v): no head-moved count, git says %d:\n%s", step, graph, want, r.Text())
			}
			if got, _ := strconv.Atoi(m[1]); got != want {
				t.Errorf("%s (commit-graph %v): resume says %d commits, git rev-list --count says %d", step, graph, got, want)
			}
		}
	}
	// A branch that forked before the checkpoint, merged in: its fork
	// point is not counted.
	commit("early")
	runGit(t, dir, "checkout", "-q", "main")
	runGit(t, dir, "merge", "-q", "--no-edit", "early")
	check("merge of an older branch")
	// A side branch merged in.
	runGit(t, dir, "branch", "side")
	commit("main")
	commit("side")
	commit("side")
	runGit(t, dir, "checkout", "-q", "main")
	runGit(t, dir, "merge", "-q", "--no-edit", "side")
	check("merge")
	// Criss-cross: a and b merge each other.
	runGit(t, dir, "branch", "a")
	runGit(t, dir, "branch", "b")
	commit("a")
	commit("b")
	runGit(t, dir, "checkout", "-q", "a")
	runGit(t, dir, "merge", "-q", "--no-edit", "b~0")
	runGit(t, dir, "checkout", "-q", "b")
	runGit(t, dir, "merge", "-q", "--no-edit", "a~1")
	commit("a")
	commit("b")
	runGit(t, dir, "checkout", "-q", "main")
	runGit(t, dir, "merge", "-q", "--no-edit", "a")
	runGit(t, dir, "merge", "-q", "--no-edit", "b")
	check("criss-cross")
	// Octopus: three branches at once.
	for _, b := range []string{"x", "y", "z"} {
		runGit(t, dir, "branch", b, "main")
	}
	for _, b := range []string{"x", "y", "z", "main"} {
		commit(b)
		commit(b)
	}
	runGit(t, dir, "checkout", "-q", "main")
	runGit(t, dir, "merge", "-q", "--no-edit", "x", "y", "z")
	if p := strings.Fields(runGit(t, dir, "log", "-1", "--format=%P")); len(p) != 4 {
		t.Fatalf("not an octopus merge: %v", p)
	}
	check("octopus")
}
