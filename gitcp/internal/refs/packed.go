package refs

import (
	"os"
	"sync"
	"time"
)

// PackedCache keeps the content of a packed-refs file between the lookups
// of one command (a gitcp.Repo holds one): a command resolves several refs
// that are not loose (wf resume: HEAD's branch, the checkpoint ref, the
// branch a checkpoint names), and a repository with many tags has a
// packed-refs file of hundreds of kilobytes, read whole at each lookup.
//
// The content is used again only while the file's stat data is what it
// was when it was read: device, inode, size, modification time and
// change time, git's own rule (stat_validity_check, refs/packed-backend.c).
// Every writer of packed-refs renames a new file over it, which changes
// the change time even when the inode is reused and the size and
// modification time are the same; a file read within two seconds of its
// last change is not kept at all, as a change in the same tick of a
// coarse clock would not show. The zero value is ready to use; it is
// safe for concurrent use.
type PackedCache struct {
	mu    sync.Mutex
	path  string
	stamp packedStamp
	data  []byte
}

// packedRacy is how recent a change may be for the content not to be
// kept: more than the 2 seconds of the coarsest file system clocks.
const packedRacy = 2 * time.Second

// read returns the content of the packed-refs file at path, from the
// cache when its stat data is unchanged; the content is shared and must
// not be modified. Errors are stat(2)'s and os.ReadFile's.
func (c *PackedCache) read(path string) ([]byte, error) {
	st, err := statPackedFile(path)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.data != nil && c.path == path && c.stamp == st {
		return c.data, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c.path, c.data = "", nil
	if now := time.Now(); now.Sub(time.Unix(0, st.mtime)) >= packedRacy && now.Sub(time.Unix(0, st.ctime)) >= packedRacy {
		// Stat data taken before the read: a file replaced in between
		// has other stat data at the next lookup, which reads it again.
		c.path, c.stamp, c.data = path, st, data
	}
	return data, nil
}

// statPackedFile is statPacked; tests replace it to give stat data a
// file system cannot be made to give (an inode handed out again).
var statPackedFile = statPacked

// readPacked returns the content of the store's packed-refs file, through
// s.Packed when it is set.
func (s Store) readPacked() ([]byte, error) {
	if s.Packed == nil {
		return os.ReadFile(s.PackedFile())
	}
	return s.Packed.read(s.PackedFile())
}
