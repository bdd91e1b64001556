//go:build unix

package gitcp

import (
	"errors"
	"io/fs"

	"golang.org/x/sys/unix"
)

// lstat returns the stat data of path, not following a final symlink.
func lstat(path string) (fileStat, error) {
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != nil {
		return fileStat{}, &fs.PathError{Op: "lstat", Path: path, Err: err}
	}
	return fromUnixStat(&st), nil
}

// dirStatter lstats the entries of one folder: fstatat on its open file
// descriptor, so no path is built or resolved again, or by path when the
// folder is not open (a listing from the folder cache).
type dirStatter struct {
	fd  int
	dir string // used when fd < 0
	// rel is dir's path from the walk's top folder, "" for the top
	// itself or when unknown (Linux: the walk's lister stats by it,
	// relative to the top folder it holds open).
	rel string
}

// pathStatter lstats the entries of the folder dir by their paths.
func pathStatter(dir string) dirStatter { return dirStatter{fd: -1, dir: dir} }

// lstat returns the stat data of name inside the folder.
func (d dirStatter) lstat(name string) (fileStat, error) {
	if d.fd < 0 {
		return lstat(d.dir + "/" + name)
	}
	var st unix.Stat_t
	if err := unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return fileStat{}, &fs.PathError{Op: "fstatat", Path: name, Err: err}
	}
	return fromUnixStat(&st), nil
}

func fromUnixStat(st *unix.Stat_t) fileStat {
	return fileStat{
		mode:   modeFromUnix(uint32(st.Mode)),
		size:   st.Size,
		mtimeS: int64(st.Mtim.Sec), mtimeN: int64(st.Mtim.Nsec),
		ctimeS: int64(st.Ctim.Sec), ctimeN: int64(st.Ctim.Nsec),
		dev: uint64(st.Dev), ino: uint64(st.Ino),
		uid: st.Uid, gid: st.Gid,
	}
}

// modeFromUnix is the fileStat mode of a stat st_mode: the type (folder,
// regular file, symlink, or irregular for anything else) and the
// permission bits.
func modeFromUnix(mode uint32) fs.FileMode {
	var m fs.FileMode
	switch mode & unix.S_IFMT {
	case unix.S_IFDIR:
		m = fs.ModeDir
	case unix.S_IFREG:
	case unix.S_IFLNK:
		m = fs.ModeSymlink
	default:
		m = fs.ModeIrregular
	}
	return m | fs.FileMode(mode&0o777)
}

// isSymlinkLoop reports the error of opening a symlink with O_NOFOLLOW.
func isSymlinkLoop(err error) bool { return errors.Is(err, unix.ELOOP) }
