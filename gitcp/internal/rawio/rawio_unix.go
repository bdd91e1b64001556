//go:build unix

package rawio

import (
	"io/fs"

	"golang.org/x/sys/unix"
)

// ReadFile reads the whole file at path into buf's storage (grown when
// too small) and returns the bytes read, which may share buf's storage.
// With noFollow, a symbolic link at path is not followed: the open fails
// with ELOOP (a file the caller lstat'ed as regular and that became a
// link since is not read through). Errors are *fs.PathError values, as
// the os package's, so errors.Is(err, fs.ErrNotExist) holds for a
// missing file.
func ReadFile(path string, buf []byte, noFollow bool) ([]byte, error) {
	flags := unix.O_RDONLY | unix.O_CLOEXEC
	if noFollow {
		flags |= unix.O_NOFOLLOW
	}
	var fd int
	var err error
	for {
		fd, err = unix.Open(path, flags, 0)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return readFD(fd, path, buf)
}

// readFD reads the open file fd (named path in errors) as ReadFile does,
// and closes it.
func readFD(fd int, path string, buf []byte) ([]byte, error) {
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	// +1: the read that sees the end of the file, for a file that grew.
	if size := st.Size; size >= 0 && size < 1<<40 && int64(cap(buf)) < size+1 {
		buf = make([]byte, 0, size+1)
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := unix.Read(fd, buf[len(buf):cap(buf)])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
}
