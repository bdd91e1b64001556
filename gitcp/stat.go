package gitcp

import "io/fs"

// fileStat is the part of lstat(2) that an index entry records. Where the
// platform gives no ctime, inode, device, uid or gid (see stat_other.go)
// they are zero: entries written by git then never look clean and are
// hashed again, which is slow but correct.
type fileStat struct {
	mode           fs.FileMode // type bits (fs.ModeDir, fs.ModeSymlink, fs.ModeIrregular) and permissions
	size           int64
	mtimeS, mtimeN int64
	ctimeS, ctimeN int64
	dev, ino       uint64
	uid, gid       uint32
}
