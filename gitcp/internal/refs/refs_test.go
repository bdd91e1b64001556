package refs

import (
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestResolveAgainstGit resolves loose, packed, shadowed and symbolic
// refs, and a linked worktree's HEAD, and compares with git rev-parse.
func TestResolveAgainstGit(t *testing.T) {
	dir := gittest.NewRepo(t)
	g := func(args ...string) string { return gittest.Git(t, dir, args...) }
	gittest.Write(t, dir, "a.txt", "a\n")
	g("add", "-A")
	g("commit", "-q", "-m", "one")
	g("branch", "packed")
	g("branch", "shadowed")
	g("tag", "-a", "-m", "t", "v1")
	g("pack-refs", "--all")
	gittest.Write(t, dir, "a.txt", "b\n")
	g("commit", "-q", "-am", "two")
	g("update-ref", "refs/heads/shadowed", "HEAD") // loose over packed
	g("symbolic-ref", "refs/heads/alias", "refs/heads/packed")
	wt := filepath.Join(t.TempDir(), "wt")
	g("worktree", "add", "-q", "-b", "side", wt, "packed")

	main := Store{GitDir: filepath.Join(dir, ".git"), CommonDir: filepath.Join(dir, ".git")}
	linked := Store{GitDir: filepath.Join(dir, ".git", "worktrees", "wt"), CommonDir: main.CommonDir}
	for _, c := range []struct {
		s    Store
		name string
	}{
		{main, "HEAD"}, {main, "refs/heads/main"}, {main, "refs/heads/packed"},
		{main, "refs/heads/shadowed"}, {main, "refs/heads/alias"}, {main, "refs/tags/v1"},
		{linked, "HEAD"}, {linked, "refs/heads/side"},
	} {
		id, found, err := c.s.Resolve(c.name)
		if err != nil || !found {
			t.Errorf("%s in %s: %v %v", c.name, c.s.GitDir, found, err)
			continue
		}
		d := dir
		if c.s == linked {
			d = wt
		}
		if want := gittest.Git(t, d, "rev-parse", c.name); hex.EncodeToString(id[:]) != want {
			t.Errorf("%s in %s: %x, git rev-parse says %s", c.name, c.s.GitDir, id, want)
		}
	}
	for _, name := range []string{"refs/heads/none", "refs/heads/main/below-a-loose-ref"} {
		if _, found, err := main.Resolve(name); found || err != nil {
			t.Errorf("%s: found %v, %v; want missing", name, found, err)
		}
	}
	// A symbolic ref to a missing ref is missing, as HEAD on an unborn branch.
	g("symbolic-ref", "refs/heads/dangling", "refs/heads/none")
	if _, found, err := main.Resolve("refs/heads/dangling"); found || err != nil {
		t.Errorf("dangling: found %v, %v", found, err)
	}
	// A cycle ends with an error.
	g("symbolic-ref", "refs/heads/loop", "refs/heads/loop2")
	g("symbolic-ref", "refs/heads/loop2", "refs/heads/loop")
	if _, _, err := main.Resolve("refs/heads/loop"); err == nil {
		t.Error("symbolic ref loop resolved")
	}
	// A corrupt packed-refs file is an error naming it.
	os.WriteFile(main.PackedFile(), []byte("# pack-refs with: peeled\nnot a ref line\n"), 0o644)
	if _, _, err := main.Resolve("refs/heads/packed"); err == nil || !strings.Contains(err.Error(), main.PackedFile()) {
		t.Errorf("corrupt packed-refs: %v", err)
	}
}

func TestStorePaths(t *testing.T) {
	s := Store{GitDir: "/wt", CommonDir: "/common"}
	for _, c := range []struct{ name, file, log string }{
		{"HEAD", "/wt/HEAD", "/wt/logs/HEAD"},
		{"refs/heads/main", "/common/refs/heads/main", "/common/logs/refs/heads/main"},
		{"refs/bisect/bad", "/wt/refs/bisect/bad", "/wt/logs/refs/bisect/bad"},
		{"refs/worktree/x", "/wt/refs/worktree/x", "/wt/logs/refs/worktree/x"},
		{"refs/rewritten/y", "/wt/refs/rewritten/y", "/wt/logs/refs/rewritten/y"},
	} {
		if got := filepath.ToSlash(s.File(c.name)); got != c.file {
			t.Errorf("File(%s) = %s, want %s", c.name, got, c.file)
		}
		if got := filepath.ToSlash(s.LogFile(c.name)); got != c.log {
			t.Errorf("LogFile(%s) = %s, want %s", c.name, got, c.log)
		}
	}
}

func TestLock(t *testing.T) {
	target := filepath.Join(t.TempDir(), "ref")
	l, err := Acquire(target, 0)
	if err != nil {
		t.Fatal(err)
	}
	if l.Path() != target+".lock" {
		t.Fatalf("lock path %s", l.Path())
	}
	var be *BusyError
	if _, err := Acquire(target, 50*time.Millisecond); !errors.As(err, &be) || be.Path != target+".lock" {
		t.Fatalf("second lock: %v", err)
	}
	if _, err := l.Write([]byte("new\n")); err != nil {
		t.Fatal(err)
	}
	if err := l.Sync(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("target visible before commit: %v", err)
	}
	if err := l.Commit(); err != nil {
		t.Fatal(err)
	}
	l.Rollback() // after Commit: nothing to do
	if data, err := os.ReadFile(target); err != nil || string(data) != "new\n" {
		t.Fatalf("target %q %v", data, err)
	}
	if _, err := os.Stat(l.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("lock file left after commit: %v", err)
	}
	// Rollback leaves the target as it was and frees the lock.
	l, err = Acquire(target, 0)
	if err != nil {
		t.Fatal(err)
	}
	l.Write([]byte("discarded\n"))
	l.Rollback()
	l.Rollback()
	if data, _ := os.ReadFile(target); string(data) != "new\n" {
		t.Fatalf("target %q after rollback", data)
	}
	// A lock that goes away within the wait is taken.
	l, _ = Acquire(target, 0)
	go func() { time.Sleep(30 * time.Millisecond); l.Rollback() }()
	l2, err := Acquire(target, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	l2.Rollback()
	var nilLock *Lock
	nilLock.Rollback()
}

// TestReadLogTail checks that only the last megabyte is read, the line
// cut in the middle is dropped, and limit counts from the newest.
func TestReadLogTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "logs", "HEAD")
	var ids [][20]byte
	var b strings.Builder
	for i := 0; b.Len() < logTail+50000; i++ {
		var old, nw [20]byte
		nw[0], nw[1], nw[2] = byte(i>>16), byte(i>>8), byte(i)
		if len(ids) > 0 {
			old = ids[len(ids)-1]
		}
		ids = append(ids, nw)
		b.WriteString(LogLine(old, nw, "A <a@example.com> 1700000000 +0000", "commit: a message of some length"))
	}
	if err := AppendLog(path, b.String()); err != nil {
		t.Fatal(err)
	}
	all, err := ReadLog(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	lineLen := len(LogLine([20]byte{}, [20]byte{}, "A <a@example.com> 1700000000 +0000", "commit: a message of some length"))
	if want := logTail / lineLen; len(all) != want {
		t.Errorf("%d entries from the last megabyte, want %d", len(all), want)
	}
	for i, e := range all {
		if e.New != ids[len(ids)-1-i] || e.Time.Unix() != 1700000000 || e.Message != "commit: a message of some length" {
			t.Fatalf("entry %d: %+v", i, e)
		}
	}
	if some, _ := ReadLog(path, 3); len(some) != 3 || some[0] != all[0] || some[2] != all[2] {
		t.Errorf("limit 3: %+v", some)
	}
	if none, err := ReadLog(filepath.Join(t.TempDir(), "missing"), 0); none != nil || err != nil {
		t.Errorf("missing reflog: %v %v", none, err)
	}
}
