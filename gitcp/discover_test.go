package gitcp

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestDiscoverCeiling: GIT_CEILING_DIRECTORIES stops the walk up as in git.
func TestDiscoverCeiling(t *testing.T) {
	dir := gittest.NewRepo(t)
	sub := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Discover(sub); err != nil {
		t.Fatalf("without a ceiling: %v", err)
	}
	t.Setenv("GIT_CEILING_DIRECTORIES", "relative/ignored"+string(filepath.ListSeparator)+dir)
	if _, err := Discover(sub); !errors.Is(err, ErrNotRepository) {
		t.Errorf("ceiling at the top: %v, want ErrNotRepository", err)
	}
	if _, err := Discover(dir); err != nil {
		t.Errorf("starting in the ceiling folder itself: %v", err)
	}
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Join(dir, "a"))
	if _, err := Discover(sub); !errors.Is(err, ErrNotRepository) {
		t.Errorf("ceiling at a/: %v", err)
	}
}

// TestReflog reads HEAD's reflog newest first, as git reflog lists it.
func TestReflog(t *testing.T) {
	dir := gittest.NewRepo(t)
	for _, m := range []string{"one", "two", "three"} {
		gittest.Write(t, dir, m, m)
		gittest.Git(t, dir, "add", "-A")
		gittest.Git(t, dir, "commit", "-q", "-m", m)
	}
	gittest.Git(t, dir, "reset", "-q", "--hard", "HEAD~1")
	r := discover(t, dir)
	es, err := r.Reflog("HEAD", 0)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(gittest.Git(t, dir, "reflog", "--format=%H %gs"), "\n")
	if len(es) != len(want) {
		t.Fatalf("%d entries, git reflog lists %d", len(es), len(want))
	}
	for i, e := range es {
		if got := e.New.String() + " " + e.Message; got != want[i] {
			t.Errorf("entry %d: %q, git says %q", i, got, want[i])
		}
	}
	if es, _ := r.Reflog("HEAD", 2); len(es) != 2 {
		t.Errorf("limit 2: %d entries", len(es))
	}
	if es, err := r.Reflog("refs/heads/none", 0); err != nil || len(es) != 0 {
		t.Errorf("missing reflog: %v, %v", es, err)
	}
}
