//go:build !unix

package refs

import "os"

// packedStamp is the stat data of a packed-refs file that PackedCache
// compares: here only the size and the modification time, which also
// stands for the change time.
type packedStamp struct {
	size         int64
	mtime, ctime int64 // nanoseconds since 1970
}

// statPacked returns the stat data of the file at path (os.Stat).
func statPacked(path string) (packedStamp, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return packedStamp{}, err
	}
	t := fi.ModTime().UnixNano()
	return packedStamp{size: fi.Size(), mtime: t, ctime: t}, nil
}
