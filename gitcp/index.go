package gitcp

import (
	"bufio"
	"errors"
	"path/filepath"

	"github.com/wf-tool/wf/gitcp/internal/index"
	"github.com/wf-tool/wf/gitcp/internal/refs"
)

// writeIndex streams the index for entries into the lock file through a
// buffer, hashing as it goes, so the whole file is never held in memory.
func writeIndex(l *refs.Lock, version uint32, entries []index.Entry, tree []byte) error {
	bw := bufio.NewWriterSize(l, 64<<10)
	if err := index.Write(bw, version, entries, tree); err != nil {
		return err
	}
	return bw.Flush()
}

// readIndex decodes the index file at path with [index.Read], turning its
// format errors into [IndexFormatError].
func readIndex(path string) (*index.File, error) {
	idx, err := index.Read(path)
	var fe *index.FormatError
	if errors.As(err, &fe) {
		return nil, &IndexFormatError{Path: path, Reason: fe.Reason, Extension: fe.Extension}
	}
	return idx, err
}

func indexPath(r *Repo) string { return filepath.Join(r.GitDir, "index") }
