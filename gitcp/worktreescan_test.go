package gitcp

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestPanicsInScanGoroutinesBecomeErrors: a panic in a walk worker or
// in a WorktreeScan's own goroutine fails the call that waits for it
// with a PanicError, and releases every waiter, instead of ending the
// process (which a wf mcp serving other requests must survive).
func TestPanicsInScanGoroutinesBecomeErrors(t *testing.T) {
	dir := newRecipeRepo(t)
	head := gitHead(t, dir)
	defer func() { testHook = nil }()
	for _, point := range []string{"walk src", "walk ", "scan"} {
		testHook = func(p string) {
			if p == point {
				panic("test panic at " + p)
			}
		}
		r := discover(t, dir)
		_, err := r.DiffStat(head, Hash{})
		var pe *PanicError
		if point != "scan" && !errors.As(err, &pe) {
			t.Errorf("%s: DiffStat returned %v, want a PanicError", point, err)
		}
		s := r.StartWorktreeScan()
		done := make(chan error, 2)
		go func() { _, err := s.EmbeddedGitlinks(); done <- err }()
		go func() { _, err := s.DiffStat(head); done <- err }()
		for range 2 {
			select {
			case err := <-done:
				if point == "scan" && !errors.As(err, &pe) {
					t.Errorf("%s: a waiter got %v, want a PanicError", point, err)
				}
				if point != "scan" && err != nil && !errors.As(err, &pe) {
					t.Errorf("%s: a waiter got %v", point, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s: a waiter of the scan was never released", point)
			}
		}
	}
}

// TestWorktreeScanStop: a scan stopped before its walk began ends with
// errScanStopped, and a stop after DiffStat returned changes nothing.
func TestWorktreeScanStop(t *testing.T) {
	dir := newRecipeRepo(t)
	head := gitHead(t, dir)
	gittest.Write(t, dir, "src/new.go", "package main\n")
	release := make(chan struct{})
	testHook = func(p string) {
		if p == "scan" {
			<-release
		}
	}
	defer func() { testHook = nil }()
	s := discover(t, dir).StartWorktreeScan()
	s.Stop()
	close(release)
	if _, err := s.DiffStat(head); !errors.Is(err, errScanStopped) {
		t.Errorf("stopped scan: DiffStat = %v, want errScanStopped", err)
	}
	testHook = nil
	s = discover(t, dir).StartWorktreeScan()
	stats, err := s.DiffStat(head)
	s.Stop()
	again, err2 := s.DiffStat(head)
	if err != nil || err2 != nil || len(stats) != 1 || len(again) != 1 || stats[0].Path != "src/new.go" {
		t.Errorf("DiffStat %v %v, after Stop %v %v", stats, err, again, err2)
	}
}

// TestWorkTreeThroughSymlink: a work tree discovered through a symlink
// to it (a project at ~/proj where proj is a link) is walked as the
// folder it names: new files at the top and below are found, and the
// diffstat and the commit are git's, run from the same link. Until
// 2026-11-30 the top folder's listing refused the link (O_NOFOLLOW), and
// the walk found no untracked file at all.
func TestWorkTreeThroughSymlink(t *testing.T) {
	dir := newRecipeRepo(t)
	head := gittest.Git(t, dir, "rev-parse", "HEAD")
	gittest.Write(t, dir, "new-top.txt", "new\n")
	gittest.Write(t, dir, "src/new.go", "package main\n")
	gittest.Write(t, dir, "docs/guide.txt", "line one\nchanged\n")
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	r, err := Discover(link)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.DiffStat(NewHash(head), Hash{})
	if err != nil {
		t.Fatal(err)
	}
	scratch := filepath.Join(t.TempDir(), "index")
	gittest.Git(t, link, "read-tree", "--index-output="+scratch, "HEAD")
	env := []string{"GIT_INDEX_FILE=" + scratch}
	if _, err := gitEnvOut(link, env, "add", "-A"); err != nil {
		t.Fatal(err)
	}
	if want := gitDiffStat(t, link, env, "--cached", head); formatStats(got) != want {
		t.Errorf("through the link:\n--- git\n%s\n--- wf\n%s", want, formatStats(got))
	}
	res, err := r.Commit(CommitOptions{Message: "through the link"})
	if err != nil {
		t.Fatal(err)
	}
	wantTree, err := gitEnvOut(link, env, "write-tree")
	if err != nil {
		t.Fatal(err)
	}
	if res.Tree.String() != strings.TrimSpace(wantTree) {
		t.Errorf("commit tree %s, git write-tree %s", res.Tree, wantTree)
	}
}

// TestTopFolderReplacedDuringWalk: when the work tree's folder is renamed
// away and another put in its place while the walk reads it, the walk
// fails with ChangedDuringScanError rather than mixing the folders it
// read through the open top with files it reads by path.
func TestTopFolderReplacedDuringWalk(t *testing.T) {
	dir := newRecipeRepo(t)
	head := gitHead(t, dir)
	gittest.Write(t, dir, "src/new.go", "package main\n")
	testHook = func(p string) {
		if p == "walk src" {
			if err := os.Rename(dir, dir+".old"); err != nil {
				panic(err)
			}
			if err := os.Mkdir(dir, 0o755); err != nil {
				panic(err)
			}
		}
	}
	defer func() { testHook = nil }()
	_, err := discover(t, dir).DiffStat(head, Hash{})
	var ce *ChangedDuringScanError
	if !errors.As(err, &ce) || ce.Path != "." {
		t.Errorf("DiffStat with the top folder replaced: %v, want a ChangedDuringScanError for .", err)
	}
}

// TestPanicsInDiffstatAndLogWorkersBecomeErrors: a panic in one of
// fileStats' workers or of the history walk's workers is the error of
// DiffStat or Log, not the end of the process.
func TestPanicsInDiffstatAndLogWorkersBecomeErrors(t *testing.T) {
	dir := newRecipeRepo(t)
	head := gitHead(t, dir)
	for i := range 6 {
		gittest.Write(t, dir, fmt.Sprintf("src/f%d.go", i), "package main\n")
		gittest.Git(t, dir, "add", "-A")
		gittest.Git(t, dir, "commit", "-q", "-m", fmt.Sprintf("c%d\n\nWf-Checkpoint: 20260101-00000%d-abcd", i, i))
	}
	defer func() { testHook = nil }()
	testHook = func(p string) {
		if p == "filestat src/f3.go" {
			panic("test panic")
		}
	}
	var pe *PanicError
	if _, err := discover(t, dir).DiffStat(head, Hash{}); !errors.As(err, &pe) {
		t.Errorf("DiffStat: %v, want a PanicError", err)
	}
	testHook = func(p string) {
		if p == "log check" {
			panic("test panic")
		}
	}
	// Past the first commits read one by one, the batches go to workers.
	if _, err := discover(t, dir).Log("HEAD", "", 0); !errors.As(err, &pe) {
		t.Errorf("Log: %v, want a PanicError", err)
	}
}
