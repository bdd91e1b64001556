//go:build !unix

package gitcp

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// lstat returns the stat data of path, not following a final symlink.
// Only type, permissions, size and mtime are known here; the other fields
// are zero (see [fileStat]).
func lstat(path string) (fileStat, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return fileStat{}, err
	}
	return fromFileInfo(fi), nil
}

// dirStatter lstats the entries of one folder by path.
type dirStatter struct{ dir string }

func newDirStatter(_ *os.File, dir string) dirStatter { return dirStatter{dir: dir} }

// pathStatter lstats the entries of the folder dir by their paths.
func pathStatter(dir string) dirStatter { return dirStatter{dir: dir} }

// lstat returns the stat data of name inside the folder.
func (d dirStatter) lstat(name string) (fileStat, error) {
	return lstat(filepath.Join(d.dir, name))
}

func fromFileInfo(fi fs.FileInfo) fileStat {
	m := fi.Mode()
	t := m.Type()
	switch {
	case t == 0, t == fs.ModeDir, t == fs.ModeSymlink:
	default:
		t = fs.ModeIrregular
	}
	mt := fi.ModTime()
	return fileStat{
		mode:   t | m.Perm(),
		size:   fi.Size(),
		mtimeS: mt.Unix(), mtimeN: int64(mt.Nanosecond()),
	}
}

// openDirNoFollow opens the folder path, refusing a symlink (checked
// first: this platform has no O_NOFOLLOW).
func openDirNoFollow(path string) (*os.File, error) {
	if fi, err := os.Lstat(path); err == nil && fi.Mode().Type() == fs.ModeSymlink {
		return nil, &fs.PathError{Op: "open", Path: path, Err: errSymlink}
	}
	return os.Open(path)
}

var errSymlink = errors.New("is a symlink")

func isSymlinkLoop(err error) bool { return errors.Is(err, errSymlink) }
