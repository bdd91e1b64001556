//go:build unix

package journal

import (
	"io/fs"
	"syscall"
)

// Inode is the inode number of the file fi describes, which tells a lock
// file wf created from one another process created at the same path
// since; 0 when unknown.
func Inode(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
