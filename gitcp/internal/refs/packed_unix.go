//go:build unix

package refs

import (
	"io/fs"

	"golang.org/x/sys/unix"
)

// packedStamp is the stat data of a packed-refs file that PackedCache
// compares.
type packedStamp struct {
	dev, ino     uint64
	size         int64
	mtime, ctime int64 // nanoseconds since 1970
}

// statPacked returns the stat data of the file at path (stat(2)).
func statPacked(path string) (packedStamp, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return packedStamp{}, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	return packedStamp{
		dev: uint64(st.Dev), ino: uint64(st.Ino), size: st.Size,
		mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano(),
	}, nil
}
