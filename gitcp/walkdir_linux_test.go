package gitcp

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
	"golang.org/x/sys/unix"
)

// TestCachedDirStatterMatchesLstat checks that a folder statted through
// its O_PATH descriptor or by path, by its absolute path or by its path
// from the walk's open top folder, gives lstat's stat data, that its names
// are statted as lstat does (through the statter and through the lister),
// and that a symlink in the folder's place is refused rather than
// followed, either way.
func TestCachedDirStatterMatchesLstat(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < pathOpenMin; i++ {
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%d", i)), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("f0", filepath.Join(sub, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("sub", filepath.Join(dir, "via")); err != nil {
		t.Fatal(err)
	}
	top := openTop(dir)
	if top < 0 {
		t.Fatal("openTop failed")
	}
	defer closeTop(top)
	defer statxMissing.Store(false)
	for i, l := range []dirLister{newDirLister(-1), newDirLister(top), newDirLister(-1), newDirLister(top)} {
		// The last two without statx: the fallback stats the same paths.
		statxMissing.Store(i >= 2)
		for _, n := range []int{1, pathOpenMin} {
			sd, st, done, err := l.cachedStatter(sub, "sub", n)
			if err != nil {
				t.Fatal(err)
			}
			want, err := lstat(sub)
			if err != nil {
				t.Fatal(err)
			}
			if !sameDirStat(&st, &want) {
				t.Errorf("top %v, n=%d: folder stat %+v, lstat %+v", l.hasTop, n, st, want)
			}
			for _, name := range []string{"f1", "link"} {
				want, err := lstat(filepath.Join(sub, name))
				if err != nil {
					t.Fatal(err)
				}
				got, err := sd.lstat(name)
				if err != nil || got != want {
					t.Errorf("top %v, n=%d %s: statter %+v (%v), lstat %+v", l.hasTop, n, name, got, err, want)
				}
				got, err = l.lstat(sd, name)
				if err != nil || got != want {
					t.Errorf("top %v, n=%d %s: lister %+v (%v), lstat %+v", l.hasTop, n, name, got, err, want)
				}
			}
			if _, err := sd.lstat("missing"); !os.IsNotExist(err) {
				t.Errorf("top %v, n=%d: missing name: %v", l.hasTop, n, err)
			}
			if _, err := l.lstat(sd, "missing"); !os.IsNotExist(err) {
				t.Errorf("top %v, n=%d: missing name through the lister: %v", l.hasTop, n, err)
			}
			done()
		}
		if _, _, _, err := l.cachedStatter(filepath.Join(dir, "via"), "via", pathOpenMin); err == nil {
			t.Errorf("top %v: a symlink to a folder was opened as the folder", l.hasTop)
		}
		if _, ents, done, err := l.list(filepath.Join(dir, "via"), "via", nil); err == nil {
			done()
			t.Errorf("top %v: a symlink to a folder was listed as the folder: %v", l.hasTop, ents)
		}
		sd, ents, done, err := l.list(sub, "sub", nil)
		if err != nil || len(ents) != pathOpenMin+1 {
			t.Fatalf("top %v: listing sub: %v, %v", l.hasTop, ents, err)
		}
		if got, err := l.lstat(sd, "f1"); err != nil || got.size != 1 {
			t.Errorf("top %v: f1 through a listed folder: %+v, %v", l.hasTop, got, err)
		}
		done()
	}
}

// TestFileReplacedByLinkDuringScan replaces a file the walk lstat'ed as
// regular by a symlink before it is hashed: the scan refuses with
// ChangedDuringScanError and its hint, and reads nothing through the
// link.
func TestFileReplacedByLinkDuringScan(t *testing.T) {
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, "a.txt", "a\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "a")
	gittest.Write(t, dir, "a.txt", "edited\n")
	outside := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(outside, []byte("not ours\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := discover(t, dir)
	idx, err := r.readIndexFile(indexPath(r))
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.walkWorktree(idx, false, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "a.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "a.txt")); err != nil {
		t.Fatal(err)
	}
	s := &snapshot{idx: idx, contents: map[string][]byte{}}
	s.conv = r.newConversion(idx.Entries, res.sawAttrFile)
	err = r.hashDirty(s, idx, res, nil)
	s.conv.done()
	var ce *ChangedDuringScanError
	if !errors.As(err, &ce) || ce.Path != "a.txt" || ce.Hint() == "" {
		t.Fatalf("hashDirty: %v, want a ChangedDuringScanError for a.txt", err)
	}
	for p, c := range s.contents {
		if strings.Contains(string(c), "not ours") {
			t.Errorf("%s was read through the link", p)
		}
	}
}

// TestListerLstatMatchesLstat: the walk's statx(2) with a reused path
// buffer gives what lstat(2) gives, for every file type (a regular and
// an executable file, a folder, a symlink, a FIFO and a socket), through
// a folder statter by path and one on an open folder, and a missing name
// is an error; with statx taken as missing, the fallback gives the same.
func TestListerLstatMatchesLstat(t *testing.T) {
	dir := t.TempDir()
	mk := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	mk(os.WriteFile(filepath.Join(dir, "file"), []byte("data"), 0o644))
	mk(os.WriteFile(filepath.Join(dir, "exec"), []byte("#!/bin/sh\n"), 0o755))
	mk(os.Mkdir(filepath.Join(dir, "folder"), 0o750))
	mk(os.Symlink("file", filepath.Join(dir, "link")))
	mk(unix.Mkfifo(filepath.Join(dir, "fifo"), 0o600))
	if fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0); err == nil {
		mk(unix.Bind(fd, &unix.SockaddrUnix{Name: filepath.Join(dir, "sock")}))
		defer unix.Close(fd)
	}
	names := []string{"file", "exec", "folder", "link", "fifo", "sock"}
	var ol dirLister
	open, st, done, err := ol.cachedStatter(dir, "", pathOpenMin)
	if err != nil || open.fd < 0 {
		t.Fatalf("cachedStatter: %v (fd %d)", err, open.fd)
	}
	defer done()
	if want, err := lstat(dir); err != nil || st != want {
		t.Fatalf("folder: %+v, lstat %+v (%v)", st, want, err)
	}
	for _, missing := range []bool{false, true} {
		statxMissing.Store(missing)
		var l dirLister
		for _, sd := range []dirStatter{pathStatter(dir), open} {
			for _, name := range names {
				want, werr := lstat(filepath.Join(dir, name))
				got, err := l.lstat(sd, name)
				if errors.Is(werr, os.ErrNotExist) && name == "sock" {
					continue // no socket on this system
				}
				if err != nil || werr != nil || got != want {
					t.Errorf("statx missing %v, fd %d, %s: %+v (%v), lstat %+v (%v)", missing, sd.fd, name, got, err, want, werr)
				}
			}
			if _, err := l.lstat(sd, "none"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("statx missing %v, fd %d: a missing name gives %v", missing, sd.fd, err)
			}
		}
	}
	statxMissing.Store(false)
}

// swapAtHook makes testHook, at the named point, replace the work
// tree's folder a by a symlink to out (the folder moved to a-moved), once;
// it skips the test where openat2(2) is missing, since the walk and the
// reads then fall back to openat, which checks only a path's last
// component.
func swapAtHook(t *testing.T, point, dir, out string) {
	t.Helper()
	if _, err := unix.Openat2(unix.AT_FDCWD, ".", &unix.OpenHow{Flags: unix.O_PATH, Resolve: unix.RESOLVE_NO_SYMLINKS}); err == unix.ENOSYS || err == unix.EPERM {
		t.Skip("openat2(2) is not available here")
	}
	t.Cleanup(func() { testHook = nil })
	testHook = func(p string) {
		if p != point {
			return
		}
		testHook = nil
		if err := os.Rename(filepath.Join(dir, "a"), filepath.Join(dir, "a-moved")); err != nil {
			panic(err)
		}
		if err := os.Symlink(out, filepath.Join(dir, "a")); err != nil {
			panic(err)
		}
	}
}

// TestFolderSwappedForSymlinkDuringWalk: a folder replaced by a symlink
// to a folder outside the work tree while the walk runs is not listed
// through the link (openat2's RESOLVE_NO_SYMLINKS checks every component
// of the path from the top; O_NOFOLLOW checks only the last), so nothing
// from outside is committed. Found in review: the outside folder's files
// were committed as untracked files of the tree.
func TestFolderSwappedForSymlinkDuringWalk(t *testing.T) {
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, "top.txt", "t\n")
	gittest.Write(t, dir, "a/b/x", "inside\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-qm", "base")
	out := t.TempDir()
	gittest.Write(t, out, "b/x", "inside\n")
	gittest.Write(t, out, "b/secret-from-outside", "OUTSIDE\n")
	swapAtHook(t, "walk a/b", dir, out)
	_, err := discover(t, dir).Commit(CommitOptions{Message: "x"})
	var ce *ChangedDuringScanError
	if err != nil && !errors.Is(err, ErrNothingToCommit) && !errors.As(err, &ce) {
		t.Fatalf("commit: %v", err)
	}
	if ls := gittest.Git(t, dir, "ls-tree", "-r", "HEAD"); strings.Contains(ls, "secret-from-outside") {
		t.Errorf("a file read through a symlink out of the tree was committed:\n%s", ls)
	}
}

// TestParentSwappedBeforeHashing: a changed file whose parent folder is
// swapped for a symlink to an outside folder after the walk statted it,
// before it is read to be hashed, is not read through the link: the
// commit fails with ChangedDuringScanError and nothing from outside is
// in any commit.
func TestParentSwappedBeforeHashing(t *testing.T) {
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, "a/b/x", "inside\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-qm", "base")
	gittest.Write(t, dir, "a/b/x", "changed inside\n")
	out := t.TempDir()
	gittest.Write(t, out, "b/x", "OUTSIDE\n")
	swapAtHook(t, "hash", dir, out)
	_, err := discover(t, dir).Commit(CommitOptions{Message: "x"})
	var ce *ChangedDuringScanError
	if !errors.As(err, &ce) || ce.Path != "a/b/x" {
		t.Errorf("commit: %v, want a ChangedDuringScanError for a/b/x", err)
	}
	if got := gittest.Git(t, dir, "show", "HEAD:a/b/x"); got != "inside" {
		t.Errorf("HEAD:a/b/x is %q", got)
	}
}
