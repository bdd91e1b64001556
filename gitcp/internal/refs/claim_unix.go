//go:build unix

package refs

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// fileID returns the device and inode of an open file.
func fileID(f *os.File) (dev, ino uint64, ok bool) {
	fi, err := f.Stat()
	if err != nil {
		return 0, 0, false
	}
	return infoID(fi)
}

// infoID returns the device and inode of a stat result.
func infoID(fi fs.FileInfo) (dev, ino uint64, ok bool) {
	st, isStat := fi.Sys().(*syscall.Stat_t)
	if !isStat || st.Ino == 0 {
		return 0, 0, false
	}
	return uint64(st.Dev), uint64(st.Ino), true
}

// linkUnsupported reports a link(2) failure that means "no hard links
// here" rather than a real error.
func linkUnsupported(err error) bool {
	return errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EXDEV) ||
		errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.ENOSYS)
}
