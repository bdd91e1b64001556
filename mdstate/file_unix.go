//go:build unix

package mdstate

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// openNoBlock opens path for reading with O_NONBLOCK, so that opening a
// named pipe swapped in after a Stat returns at once instead of waiting for
// a writer (open(2)). Regular files ignore the flag.
func openNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|unix.O_NONBLOCK, 0)
}

// isNotDir reports whether err says that a parent of the path is not a
// folder (ENOTDIR).
func isNotDir(err error) bool { return errors.Is(err, unix.ENOTDIR) }

// checkWritable returns a [*FileError] (from [readOnly]) when this process
// may not write the file target, which path names: access(2) with W_OK
// answers for the real user and also sees a read-only mount.
func checkWritable(path, target string) error {
	if err := unix.Access(target, unix.W_OK); err != nil {
		return readOnly(path, err)
	}
	return nil
}

// syncDir makes a rename or link in dir durable by fsync(2) on the folder.
// Some file systems cannot sync a folder and say EINVAL or ENOTSUP; that is
// not an error, as the rename or link happened.
func syncDir(dir string) error {
	return syncFolder(dir, func(err error) bool {
		return errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOTSUP)
	})
}
