package rawio

import (
	"io/fs"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// openat2Missing is set once openat2(2) failed with ENOSYS or EPERM (a
// kernel before 5.6, or a seccomp filter that denies it).
var openat2Missing atomic.Bool

// ReadFileBeneath is ReadFile of the file rel (slash-separated, from the
// folder open as top; abs is the same file's absolute path) that refuses
// a symbolic link in any component of rel, not only the last, and a path
// leading out of top: openat2(2) with RESOLVE_NO_SYMLINKS and
// RESOLVE_BENEATH. The open then fails with ELOOP (or EXDEV). A file
// whose folder was swapped for a link to a folder outside the work tree
// after the caller lstat'ed it is so never read through the link. With
// top < 0, or without openat2, it is ReadFile(abs, buf, true).
func ReadFileBeneath(top int, rel, abs string, buf []byte) ([]byte, error) {
	if top < 0 || openat2Missing.Load() {
		return ReadFile(abs, buf, true)
	}
	how := unix.OpenHow{Flags: unix.O_RDONLY | unix.O_CLOEXEC | unix.O_NOFOLLOW, Resolve: unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_BENEATH}
	for {
		fd, err := unix.Openat2(top, rel, &how)
		switch err {
		case nil:
			return readFD(fd, abs, buf)
		case unix.EINTR:
			continue
		case unix.ENOSYS, unix.EPERM:
			openat2Missing.Store(true)
			return ReadFile(abs, buf, true)
		}
		return nil, &fs.PathError{Op: "open", Path: abs, Err: err}
	}
}
