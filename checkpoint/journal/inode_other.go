//go:build !unix

package journal

import "io/fs"

// Inode is 0 on systems without inode numbers: recovery then takes a lock
// file as its own only by the weaker test of size and time.
func Inode(fs.FileInfo) uint64 { return 0 }
