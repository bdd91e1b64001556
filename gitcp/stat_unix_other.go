//go:build unix && !linux

package gitcp

import (
	"os"

	"golang.org/x/sys/unix"
)

// newDirStatter lstats the entries of the open folder f (walkdir_other.go).
func newDirStatter(f *os.File, _ string) dirStatter { return dirStatter{fd: int(f.Fd())} }

// openDirNoFollow opens the folder path for reading its entries, failing
// (ELOOP or ENOTDIR) when its last component is a symlink: a folder the
// walk met may have been replaced by a link since.
func openDirNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|unix.O_NOFOLLOW|unix.O_DIRECTORY, 0)
}
