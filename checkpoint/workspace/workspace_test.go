package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// newWorkflow makes a repository with a workflow-state.md at its top and a
// sub/folder below it.
func newWorkflow(t *testing.T) string {
	t.Helper()
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, StateFile, "# Workflow State: x\n**Status**: idle\n")
	gittest.Write(t, dir, "sub/folder/keep", "")
	return dir
}

func TestFindWalksUpToTheStateRoot(t *testing.T) {
	dir := newWorkflow(t)
	ws, err := Find(Options{WorkDir: filepath.Join(dir, "sub", "folder")})
	if err != nil {
		t.Fatal(err)
	}
	if ws.Root != dir || ws.Repo == nil || ws.Top() != dir {
		t.Fatalf("root %q top %q repo %v", ws.Root, ws.Top(), ws.Repo != nil)
	}
	if got := ws.Rel(StateFile); got != filepath.Join("..", "..", StateFile) {
		t.Errorf("Rel = %q, want the path from the working directory", got)
	}
}

func TestFindStopsAtTheTopLevel(t *testing.T) {
	outer := t.TempDir()
	gittest.Write(t, outer, StateFile, "# above the repository\n")
	repo := filepath.Join(outer, "repo")
	if err := os.Mkdir(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	gittest.Env(t)
	gittest.Git(t, repo, "init", "-q", "-b", "main")
	_, err := Find(Options{WorkDir: repo})
	var nw *NoWorkflowError
	if !errors.As(err, &nw) || !errors.Is(err, ErrNoWorkflow) || nw.Top != repo {
		t.Fatalf("err = %v, want a NoWorkflowError that stops at %s", err, repo)
	}
}

// --lock-wait reaches gitcp: the wait for git's lock files is the one the
// user gave, not gitcp's default.
func TestLockWaitReachesTheRepository(t *testing.T) {
	dir := newWorkflow(t)
	ws, err := Find(Options{WorkDir: dir, LockWait: 123 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if ws.LockWait != 123*time.Millisecond || ws.Repo.LockWait != 123*time.Millisecond {
		t.Fatalf("lock waits %v / %v, want 123ms for both", ws.LockWait, ws.Repo.LockWait)
	}
}

func TestResolveNeedsTheWorkingDirectory(t *testing.T) {
	if _, _, err := (Options{}).Resolve(); err == nil {
		t.Fatal("Resolve without WorkDir succeeded; library code must not guess it")
	}
}

func TestTopPaths(t *testing.T) {
	dir := newWorkflow(t)
	ws, err := Find(Options{WorkDir: filepath.Join(dir, "sub")})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ws.TopPaths([]string{"folder/keep", filepath.Join(dir, "a b.txt")})
	if err != nil || len(got) != 2 || got[0] != "sub/folder/keep" || got[1] != "a b.txt" {
		t.Fatalf("TopPaths = %q, %v", got, err)
	}
	for _, p := range []string{"../../x", filepath.Dir(dir)} {
		if _, err := ws.TopPaths([]string{p}); err == nil {
			t.Errorf("TopPaths(%q) outside the repository succeeded", p)
		}
	}
}

func TestListsAreFreshCopies(t *testing.T) {
	a := ConventionFiles()
	a[0] = "changed"
	if ConventionFiles()[0] != "CLAUDE.md" {
		t.Fatal("ConventionFiles shares its backing array with callers")
	}
}

func TestIsNone(t *testing.T) {
	for s, want := range map[string]bool{"(none)": true, "None": true, " n/a ": true, "-": true, "": true,
		"none yet: waiting for review": false, "(none) but see below": false} {
		if IsNone(s) != want {
			t.Errorf("IsNone(%q) = %v", s, !want)
		}
	}
}
