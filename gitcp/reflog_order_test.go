package gitcp

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestReflogWrittenUnderRefLock checks, against git commit on a copy of
// the same state, that a reflog that cannot be written fails the commit
// with the branch unchanged: git appends the reflog line while it holds
// the ref's lock and gives up the update when it cannot
// (refs/files-backend.c, files_transaction_finish). Here the branch's log
// is a folder with a file in it, which neither can replace.
func TestReflogWrittenUnderRefLock(t *testing.T) {
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, "a.txt", "a\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "base")
	base := gittest.Git(t, dir, "rev-parse", "HEAD")
	logs := filepath.Join(dir, ".git", "logs", "refs", "heads", "main")
	if err := os.Remove(logs); err != nil {
		t.Fatal(err)
	}
	gittest.Write(t, dir, ".git/logs/refs/heads/main/keep", "x\n")
	gittest.Write(t, dir, "a.txt", "a changed\n")

	oracle := t.TempDir()
	if out, err := exec.Command("cp", "-a", dir+"/.", oracle).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	if out, err := gittest.TryGit(oracle, "commit", "-q", "-a", "-m", "x"); err == nil {
		t.Fatalf("git commit succeeded with an unwritable reflog; the oracle changed:\n%s", out)
	}
	if got := gittest.Git(t, oracle, "rev-parse", "HEAD"); got != base {
		t.Fatalf("git moved main to %s", got)
	}

	r := discover(t, dir)
	if _, err := r.Commit(CommitOptions{Message: "checkpoint\n\nWf-Checkpoint: 1"}); err == nil {
		t.Fatal("Commit succeeded with an unwritable reflog; git refuses")
	}
	if got := gittest.Git(t, dir, "rev-parse", "HEAD"); got != base {
		t.Errorf("main moved to %s with no reflog line; git leaves it at %s", got, base)
	}
	if _, err := os.Lstat(filepath.Join(dir, ".git", "refs", "heads", "main.lock")); !os.IsNotExist(err) {
		t.Errorf("main.lock left behind: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, ".git", "HEAD.lock")); !os.IsNotExist(err) {
		t.Errorf("HEAD.lock left behind: %v", err)
	}
}
