package gitcp

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestCommitStageReplanMatchesGit: files a Stage callback writes (a new
// file in a new nested folder, a changed file in an untouched folder, a
// changed file in a folder the scan already changed, a removed file, a new
// top-level file) end up in a tree equal to what "git add -A" gives, with
// a clean git status, through the incremental re-plan.
func TestCommitStageReplanMatchesGit(t *testing.T) {
	dir := gittest.NewRepo(t)
	for _, p := range []string{"a.txt", "d1/x.txt", "d1/y.txt", "d2/sub/z.txt", "d2/w.txt", "d3/v.txt", "d3/gone.txt", "d3-x/q", "d3.x/q"} {
		gittest.Write(t, dir, p, p+"\n")
	}
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "base")
	gittest.Write(t, dir, "d1/x.txt", "changed by the user\n")
	gittest.Write(t, dir, "new/user.txt", "added by the user\n")

	r := discover(t, dir)
	var sawChanges int
	res, err := r.Commit(CommitOptions{Message: "cp\n\nWf-Checkpoint: 1", Now: fixedNow,
		Stage: func(s *Staged) ([]string, error) {
			sawChanges = len(s.Changes())
			gittest.Write(t, dir, "d1/y.txt", "changed in stage (scan-changed folder)\n")
			gittest.Write(t, dir, "d2/sub/z.txt", "changed in stage (clean folder)\n")
			gittest.Write(t, dir, "cp/deep/er/new.md", "new nested\n")
			gittest.Write(t, dir, "top.md", "new top\n")
			gittest.Write(t, dir, "d3/v2.txt", "new in clean folder\n")
			os.Remove(filepath.Join(dir, "d3", "gone.txt"))
			return []string{"d1/y.txt", "./d2/sub/z.txt", "cp/deep/er/new.md", "top.md", "d3/v2.txt", "d3/gone.txt"}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if sawChanges != 2 {
		t.Errorf("Stage saw %d changes, want 2", sawChanges)
	}
	if st := gittest.Git(t, dir, "status", "--porcelain"); st != "" {
		t.Errorf("git status not clean:\n%s", st)
	}
	// A fresh index, so git's answer does not come from our cache-tree.
	env := append(os.Environ(), "GIT_INDEX_FILE="+filepath.Join(t.TempDir(), "index"))
	for _, args := range [][]string{{"add", "-A"}, {"write-tree"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v %s", args, err, out)
		}
		if args[0] == "write-tree" && strings.TrimSpace(string(out)) != res.Tree.String() {
			t.Errorf("tree %s, git add -A gives %s", res.Tree, out)
		}
	}
	// And our cache-tree must be right: git write-tree from our index.
	if got := gittest.Git(t, dir, "write-tree"); got != res.Tree.String() {
		t.Errorf("write-tree from our index %s, want %s", got, res.Tree)
	}
	if len(res.Changes) != 8 {
		t.Errorf("%d changes, want 8: %+v", len(res.Changes), res.Changes)
	}
	gittest.Git(t, dir, "fsck", "--strict", "--no-dangling")
}
