package gitcp

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestCommitsSince counts as git rev-list --count base..from does on a
// history with a merge, and says when base is not an ancestor.
func TestCommitsSince(t *testing.T) {
	dir := gittest.NewRepo(t)
	commit := func(name string) Hash {
		gittest.Write(t, dir, name, name+"\n")
		gittest.Git(t, dir, "add", "-A")
		gittest.Git(t, dir, "commit", "-q", "-m", name)
		return NewHash(gittest.Git(t, dir, "rev-parse", "HEAD"))
	}
	commit("a")
	base := commit("b")
	gittest.Git(t, dir, "checkout", "-q", "-b", "side")
	side := commit("s1")
	commit("s2")
	gittest.Git(t, dir, "checkout", "-q", "-")
	commit("c")
	gittest.Git(t, dir, "merge", "-q", "--no-edit", "side")
	head := commit("d")
	r := discover(t, dir)

	want, _ := strconv.Atoi(gittest.Git(t, dir, "rev-list", "--count", base.String()+".."+head.String()))
	n, reached, err := r.CommitsSince(head, base, 0)
	if err != nil || !reached || n != want {
		t.Errorf("CommitsSince(head, base) = %d, %v, %v; git rev-list says %d", n, reached, err, want)
	}
	if n, reached, _ := r.CommitsSince(head, head, 0); n != 0 || !reached {
		t.Errorf("CommitsSince(head, head) = %d, %v", n, reached)
	}
	// side's commits are not ancestors of base: not reached, whole walk.
	if n, reached, _ := r.CommitsSince(base, side, 0); reached || n != 2 {
		t.Errorf("CommitsSince(base, side) = %d, %v; want 2 (a, b), false", n, reached)
	}
	if n, reached, _ := r.CommitsSince(head, side, 2); reached || n != 2 {
		t.Errorf("with max 2: %d, %v", n, reached)
	}
}

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
