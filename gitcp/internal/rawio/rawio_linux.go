package rawio

import (
	"io/fs"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// openat2Missing is set once openat2(2) failed with ENOSYS or EPERM (a
// kernel before 5.6, or a seccomp filter that denies it).
var openat2Missing atomic.Bool

// OpenBeneath opens rel (slash-separated) below the folder open as top
// with flags, refusing a symbolic link in any component of rel, not only
// the last, and a path leading out of top: openat2(2) with
// RESOLVE_NO_SYMLINKS and RESOLVE_BENEATH, the open then failing with
// ELOOP (or EXDEV). A folder swapped for a link to a folder outside the
// work tree is so never opened through the link. Without openat2 it is
// openat(2), which checks only the last component (against O_NOFOLLOW in
// flags). The error is the system call's, unwrapped; EINTR is retried.
func OpenBeneath(top int, rel string, flags int) (int, error) {
	if !openat2Missing.Load() {
		how := unix.OpenHow{Flags: uint64(flags), Resolve: unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_BENEATH}
		for {
			fd, err := unix.Openat2(top, rel, &how)
			switch err {
			case unix.EINTR:
				continue
			case unix.ENOSYS, unix.EPERM:
				openat2Missing.Store(true)
			default:
				return fd, err
			}
			break
		}
	}
	for {
		fd, err := unix.Openat(top, rel, flags, 0)
		if err != unix.EINTR {
			return fd, err
		}
	}
}

// ReadFileBeneath is ReadFile of the file rel (from the folder open as
// top; abs is the same file's absolute path, for errors) opened with
// [OpenBeneath]: a file whose folder was swapped for a link after the
// caller lstat'ed it is not read through the link. With top < 0 it is
// ReadFile(abs, buf, true).
func ReadFileBeneath(top int, rel, abs string, buf []byte) ([]byte, error) {
	if top < 0 {
		return ReadFile(abs, buf, true)
	}
	fd, err := OpenBeneath(top, rel, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: abs, Err: err}
	}
	return readFD(fd, abs, buf)
}
