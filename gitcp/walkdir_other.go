//go:build !linux

package gitcp

import (
	"errors"
	"io"
	"io/fs"
	"os"
)

// dirLister lists folders with os.File.ReadDir on platforms without
// getdents64.
type dirLister struct{ ents []dirEntry }

// newDirLister returns a lister; the top folder is not held open on
// this platform.
func newDirLister(int) dirLister { return dirLister{} }

// openTop and closeTop hold nothing open on this platform.
func openTop(string) int { return -1 }

func closeTop(int) {}

// topReplaced is false: no top folder is held open here.
func topReplaced(int, string) bool { return false }

// lstat is sd.lstat(name).
func (l *dirLister) lstat(sd dirStatter, name string) (fileStat, error) { return sd.lstat(name) }

// dirCacheSupported is false: the folder-listing cache (dircache.go) is
// used on Linux only.
const dirCacheSupported = false

// list opens the folder abs without following a symlink in its last
// component, lists its entries and returns them with a statter on the
// open folder; done closes it. A type the listing does not know is
// fs.ModeIrregular, which the walk lstats. st is not filled here (no
// cache is recorded on this platform).
func (l *dirLister) list(abs, rel string, _ *fileStat) (dirStatter, []dirEntry, func(), error) {
	open := openDirNoFollow
	if rel == "" {
		// The top folder may be reached through a symlink (a work tree
		// at ~/proj where proj is a link): it is listed as the folder
		// the link names; O_NOFOLLOW applies below it.
		open = os.Open
	}
	f, err := open(abs)
	if err != nil {
		return dirStatter{}, nil, nil, err
	}
	des, err := f.ReadDir(-1)
	if err != nil && !errors.Is(err, io.EOF) {
		f.Close()
		return dirStatter{}, nil, nil, err
	}
	l.ents = l.ents[:0]
	for _, de := range des {
		t := de.Type()
		switch t {
		case 0, fs.ModeDir, fs.ModeSymlink:
		default:
			t = fs.ModeIrregular
		}
		l.ents = append(l.ents, dirEntry{name: de.Name(), typ: t})
	}
	return newDirStatter(f, abs), l.ents, func() { f.Close() }, nil
}

// cachedStatter returns the stat data of the folder abs, whose cached
// listing has n names, a statter for those names by path, and a function
// that releases nothing. (The cache is not used on this platform.)
func (l *dirLister) cachedStatter(abs, _ string, n int) (dirStatter, fileStat, func(), error) {
	st, err := lstat(abs)
	return pathStatter(abs), st, func() {}, err
}
