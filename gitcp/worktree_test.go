package gitcp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// worktreeRepo is a repository with a commit holding a nested file, an
// executable and a symlink.
func worktreeRepo(t *testing.T) (string, Hash) {
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, "a.txt", "a\n")
	gittest.Write(t, dir, "sub/deep/b.go", "package b\n")
	gittest.Write(t, dir, "run.sh", "#!/bin/sh\n")
	os.Chmod(filepath.Join(dir, "run.sh"), 0o755)
	os.Symlink("a.txt", filepath.Join(dir, "link"))
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "one")
	return dir, NewHash(strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD")))
}

// TestAddWorktreeDifferential makes a linked worktree with AddWorktree and
// checks it against git: git worktree list shows it on its branch, git
// status there is clean, git ls-files matches the commit's tree, git fsck
// is clean, and git worktree remove takes it away.
func TestAddWorktreeDifferential(t *testing.T) {
	dir, head := worktreeRepo(t)
	r := discover(t, dir)
	path := filepath.Join(t.TempDir(), "wt-spec")
	wt, err := r.PlanWorktree(path, "wf/spec/api")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.AddWorktree(wt, head, fixedNow()); err != nil {
		t.Fatal(err)
	}
	list := gittest.Git(t, dir, "worktree", "list", "--porcelain")
	if !strings.Contains(list, "worktree "+path+"\nHEAD "+head.String()+"\nbranch refs/heads/wf/spec/api") {
		t.Fatalf("git worktree list:\n%s", list)
	}
	if st := gittest.Git(t, path, "status", "--porcelain=v2", "--untracked-files=all"); st != "" {
		t.Errorf("git status in the new worktree:\n%s", st)
	}
	if got, want := gittest.Git(t, path, "ls-files", "-s"), gittest.Git(t, dir, "ls-files", "-s"); got != want {
		t.Errorf("ls-files\n%s\nwant\n%s", got, want)
	}
	if _, err := gittest.TryGit(path, "diff", "--quiet"); err != nil {
		t.Errorf("git diff in the worktree: %v", err)
	}
	gittest.Git(t, dir, "fsck", "--strict", "--no-progress")
	// wf finds it as a linked worktree.
	lr := discover(t, path)
	if lr.WorktreeName != "wt-spec" || lr.CommonDir != r.CommonDir {
		t.Errorf("discovered %q common %q", lr.WorktreeName, lr.CommonDir)
	}
	// A second plan with the same base name gets a numbered admin folder.
	wt2, _ := r.PlanWorktree(filepath.Join(t.TempDir(), "wt-spec"), "x")
	if wt2.Name != "wt-spec1" {
		t.Errorf("second name %q", wt2.Name)
	}
	// Refusals: the branch exists; the folder is not empty.
	if err := r.AddWorktree(wt2.with("wf/spec/api"), head, fixedNow()); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("existing branch: %v", err)
	}
	if err := r.AddWorktree(Worktree{Path: dir, AdminDir: wt2.AdminDir, Name: wt2.Name, Branch: "refs/heads/other"}, head, fixedNow()); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("non-empty folder: %v", err)
	}
	gittest.Git(t, dir, "worktree", "remove", path)
	if list := gittest.Git(t, dir, "worktree", "list", "--porcelain"); strings.Contains(list, path) {
		t.Errorf("still listed after remove:\n%s", list)
	}
}

func (w Worktree) with(branch string) Worktree { w.Branch = "refs/heads/" + branch; return w }

// TestRemovePartialWorktree: a worktree whose build was interrupted (its
// admin folder still locked "initializing") is removed with its branch,
// after which git worktree prune and list agree; a finished one, or one
// holding a file wf did not write, is left alone.
func TestRemovePartialWorktree(t *testing.T) {
	dir, head := worktreeRepo(t)
	r := discover(t, dir)
	path := filepath.Join(t.TempDir(), "half")
	wt, _ := r.PlanWorktree(path, "wf/spec/half")
	if err := r.AddWorktree(wt, head, fixedNow()); err != nil {
		t.Fatal(err)
	}
	if removed, err := r.RemovePartialWorktree(wt, head); removed || err != nil {
		t.Fatalf("a finished worktree was removed: %v %v", removed, err)
	}
	// As if killed before the end.
	os.WriteFile(filepath.Join(wt.AdminDir, "locked"), []byte("initializing"), 0o644)
	gittest.Write(t, path, "mine.txt", "not wf's\n")
	if removed, err := r.RemovePartialWorktree(wt, head); removed || err == nil || !strings.Contains(err.Error(), "mine.txt") {
		t.Fatalf("a foreign file: removed %v, %v", removed, err)
	}
	os.Remove(filepath.Join(path, "mine.txt"))
	if removed, err := r.RemovePartialWorktree(wt, head); !removed || err != nil {
		t.Fatalf("removed %v, %v", removed, err)
	}
	for _, p := range []string{path, wt.AdminDir} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s is still there", p)
		}
	}
	if _, err := gittest.TryGit(dir, "rev-parse", "--verify", "-q", "refs/heads/wf/spec/half"); err == nil {
		t.Error("the branch is still there")
	}
	gittest.Git(t, dir, "worktree", "prune")
	if list := gittest.Git(t, dir, "worktree", "list", "--porcelain"); strings.Count(list, "worktree ") != 1 {
		t.Errorf("git worktree list:\n%s", list)
	}
	gittest.Git(t, dir, "fsck", "--strict", "--no-progress")
}

// TestAddWorktreeRefusesAttributes: a .gitattributes in the commit could
// make git check out different bytes, so wf refuses and writes nothing.
func TestAddWorktreeRefusesAttributes(t *testing.T) {
	dir, _ := worktreeRepo(t)
	gittest.Write(t, dir, "sub/.gitattributes", "*.go text eol=crlf\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "attrs")
	head := NewHash(strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD")))
	r := discover(t, dir)
	path := filepath.Join(t.TempDir(), "attrs")
	wt, _ := r.PlanWorktree(path, "wf/spec/attrs")
	if err := r.AddWorktree(wt, head, fixedNow()); err == nil || !strings.Contains(err.Error(), "sub/.gitattributes") {
		t.Fatalf("got %v", err)
	}
	for _, p := range []string{path, wt.AdminDir} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s was made", p)
		}
	}
}
