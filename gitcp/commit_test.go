package gitcp

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

func TestCommitBranchMatchesGitAddAll(t *testing.T) {
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, "a.txt", "a\n")
	gittest.Write(t, dir, "dir/b.txt", "b\n")
	gittest.Write(t, dir, "dir/sub/c.txt", "c\n")
	gittest.Write(t, dir, "exec.sh", "#!/bin/sh\n")
	gittest.Write(t, dir, "del.txt", "gone soon\n")
	gittest.Write(t, dir, "staged.txt", "v1\n")
	gittest.Write(t, dir, "a-b.txt", "order\n")
	gittest.Write(t, dir, "a.c/x", "order\n")
	os.Symlink("a.txt", filepath.Join(dir, "link"))
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "base")

	gittest.Write(t, dir, "a.txt", "a changed\n")
	gittest.Write(t, dir, "dir/new.txt", "new\n")
	gittest.Write(t, dir, "x/y/z.txt", "deep\n")
	os.Remove(filepath.Join(dir, "del.txt"))
	os.Chmod(filepath.Join(dir, "exec.sh"), 0o755)
	os.Remove(filepath.Join(dir, "link"))
	os.Symlink("dir/b.txt", filepath.Join(dir, "link"))
	os.Symlink("x", filepath.Join(dir, "dirlink"))
	gittest.Write(t, dir, "staged.txt", "v2\n")
	gittest.Git(t, dir, "add", "staged.txt")
	gittest.Write(t, dir, "dir/sub/c.txt", "c staged\n")
	gittest.Git(t, dir, "add", "dir/sub/c.txt")
	gittest.Write(t, dir, "dir/sub/c.txt", "c worktree\n")

	oracle := t.TempDir()
	if out, err := exec.Command("cp", "-a", dir+"/.", oracle).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	gittest.Git(t, oracle, "add", "-A")
	gittest.Git(t, oracle, "commit", "-q", "-m", "x")
	wantTree := gittest.Git(t, oracle, "rev-parse", "HEAD^{tree}")

	res := commit(t, dir, CommitOptions{Message: "Checkpoint: api routes\n\nWf-Checkpoint: 20260222-1130-api\nWf-Phase: Implementing\nWf-Status: running\n", Now: fixedNow})
	if got := gittest.Git(t, dir, "rev-parse", "HEAD^{tree}"); got != wantTree {
		t.Errorf("tree %s, git add -A gives %s\n%s", got, wantTree, gittest.Git(t, dir, "diff", "--stat", "HEAD", wantTree))
	}
	if res.Tree.String() != wantTree {
		t.Errorf("result tree %s want %s", res.Tree, wantTree)
	}
	if got := gittest.Git(t, dir, "rev-parse", "HEAD"); got != res.Hash.String() {
		t.Errorf("HEAD %s want %s", got, res.Hash)
	}
	gittest.Git(t, dir, "fsck", "--strict", "--no-dangling")
	if st := gittest.Git(t, dir, "status", "--porcelain"); st != "" {
		t.Errorf("git status not clean after commit:\n%s", st)
	}
	tr := gittest.Git(t, dir, "log", "-1", "--format=%(trailers:key=Wf-Checkpoint,valueonly)")
	if tr != "20260222-1130-api" {
		t.Errorf("trailer %q", tr)
	}
	if rl := gittest.Git(t, dir, "reflog", "-1", "--format=%H %gs"); rl != res.Hash.String()+" commit: Checkpoint: api routes" {
		t.Errorf("reflog %q", rl)
	}
	if rl := gittest.Git(t, dir, "reflog", "show", "main", "-1", "--format=%H"); rl != res.Hash.String() {
		t.Errorf("branch reflog %q", rl)
	}
	if a := gittest.Git(t, dir, "log", "-1", "--format=%an <%ae> %at|%cn"); a != "Ann Author <ann@example.com> 1700000000|Carl Committer" {
		t.Errorf("author %q", a)
	}
	kinds := map[string]ChangeKind{}
	for _, c := range res.Changes {
		kinds[c.Path] = c.Kind
	}
	want := map[string]ChangeKind{"a.txt": Modified, "dir/new.txt": Added, "x/y/z.txt": Added, "del.txt": Deleted,
		"exec.sh": Modified, "link": Modified, "dirlink": Added, "staged.txt": Modified, "dir/sub/c.txt": Modified}
	for p, k := range want {
		if kinds[p] != k {
			t.Errorf("change %s: %v want %v", p, kinds[p], k)
		}
	}
	if len(kinds) != len(want) {
		t.Errorf("changes %v", kinds)
	}
	// A second commit with nothing changed reports it.
	r := discover(t, dir)
	if _, err := r.Commit(CommitOptions{Message: "again"}); err != ErrNothingToCommit {
		t.Errorf("second commit: %v", err)
	}
	// The index written keeps git fast: the cache-tree is valid.
	if out := gittest.Git(t, dir, "ls-files", "--stage"); !strings.Contains(out, "120000") {
		t.Errorf("symlink mode missing:\n%s", out)
	}
}
