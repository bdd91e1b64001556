//go:build !unix

package refs

import (
	"io/fs"
	"os"
)

// fileID is not available here: [AcquireClaimed] falls back to [Acquire].
func fileID(*os.File) (dev, ino uint64, ok bool) { return 0, 0, false }

func infoID(fs.FileInfo) (dev, ino uint64, ok bool) { return 0, 0, false }

func linkUnsupported(error) bool { return true }
