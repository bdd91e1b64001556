package gitcp

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestCommitSeesRefsPackedMeanwhile: a Repo that read a packed branch
// (as one request of wf mcp, which keeps a Repo's packed-refs content)
// commits on top of what git committed and packed since, with the
// packed-refs file's size and modification time unchanged: nothing git
// made is dropped from the branch.
func TestCommitSeesRefsPackedMeanwhile(t *testing.T) {
	dir := gittest.NewRepo(t)
	packed := filepath.Join(dir, ".git", "packed-refs")
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	gittest.Write(t, dir, "a.txt", "a\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "A")
	gittest.Git(t, dir, "pack-refs", "--all")
	if err := os.Chtimes(packed, old, old); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2100 * time.Millisecond) // the change time must not be recent, or nothing is kept
	r := discover(t, dir)
	if _, err := r.Head(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"B", "C"} {
		gittest.Write(t, dir, "a.txt", c+"\n")
		gittest.Git(t, dir, "commit", "-q", "-am", c)
		gittest.Git(t, dir, "pack-refs", "--all")
	}
	if err := os.Chtimes(packed, old, old); err != nil {
		t.Fatal(err)
	}
	gittest.Write(t, dir, "b.txt", "wf\n")
	if _, err := r.Commit(CommitOptions{Message: "wf"}); err != nil {
		var changed *RefChangedError
		if !errors.As(err, &changed) {
			t.Fatal(err)
		}
		return // refused: the branch moved under it, nothing lost
	}
	if got := gittest.Git(t, dir, "log", "--format=%s", "main"); got != "wf\nC\nB\nA" {
		t.Errorf("git log main:\n%s\nwant wf, C, B, A", got)
	}
}

// TestCommitRefusesWhenHeadMovedMeanwhile: HEAD switched to another
// branch after the commit read it (git checkout writes the index first,
// then moves HEAD) is seen under HEAD.lock: the commit fails with
// HeadMovedError and neither branch moves, as git commit refuses in the
// same place.
func TestCommitRefusesWhenHeadMovedMeanwhile(t *testing.T) {
	dir := newRecipeRepo(t)
	gittest.Git(t, dir, "branch", "other")
	mainBefore := gittest.Git(t, dir, "rev-parse", "refs/heads/main")
	gittest.Write(t, dir, "README.md", "# changed\n")
	_, err := discover(t, dir).Commit(CommitOptions{Message: "on main", BeforeRefUpdate: func(Hash) error {
		gittest.Git(t, dir, "symbolic-ref", "HEAD", "refs/heads/other")
		return nil
	}})
	var hm *HeadMovedError
	if !errors.As(err, &hm) || hm.Branch != "refs/heads/main" || hm.Now != "refs/heads/other" {
		t.Fatalf("commit with HEAD moved: %v, want a HeadMovedError from main to other", err)
	}
	if got := gittest.Git(t, dir, "rev-parse", "refs/heads/main"); got != mainBefore {
		t.Errorf("main moved to %s", got)
	}
	if got := gittest.Git(t, dir, "rev-parse", "refs/heads/other"); got != mainBefore {
		t.Errorf("other moved to %s", got)
	}
}
