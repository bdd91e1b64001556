package gitcp

import (
	"bufio"
	"encoding/hex"
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
//
// A split index (a "link" extension) is merged with its shared index,
// sharedindex.<id> beside it, as git reads it; the index wf writes back
// is an ordinary one (git splits it again on its next write when
// core.splitIndex is true).
func readIndex(path string) (*index.File, error) {
	idx, err := index.Read(path)
	if err == nil && idx.Link != nil {
		shared := filepath.Join(filepath.Dir(path), "sharedindex."+hex.EncodeToString(idx.Link.Shared[:]))
		var base *index.File
		if base, err = index.Read(shared); err == nil {
			if !base.Exists {
				err = &index.FormatError{Reason: "split index whose shared index " + filepath.Base(shared) + " is missing", Extension: "link"}
			} else {
				idx, err = index.Merge(idx, base)
			}
		}
	}
	var fe *index.FormatError
	if errors.As(err, &fe) {
		return nil, &IndexFormatError{Path: path, Reason: fe.Reason, Extension: fe.Extension}
	}
	return idx, err
}

func indexPath(r *Repo) string { return filepath.Join(r.GitDir, "index") }
