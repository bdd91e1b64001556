package gitcp

import (
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wf-tool/wf/gitcp/internal/index"
	"github.com/wf-tool/wf/gitcp/internal/refs"
	"github.com/wf-tool/wf/gitcp/internal/tree"
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

// readIndexFile decodes the index file at path with [index.Read],
// turning its format errors into [IndexFormatError].
//
// A split index (a "link" extension) is merged with its shared index,
// sharedindex.<id> beside it, as git reads it; the index wf writes back
// is an ordinary one (git splits it again on its next write when
// core.splitIndex is true).
//
// A sparse index is expanded: each sparse
// directory entry becomes the entries of its tree, skip-worktree and
// without stat data, as git's ensure_full_index does. The index wf writes
// back is a full one (git makes it sparse again on its next write while
// index.sparse is true).
func (r *Repo) readIndexFile(path string) (*index.File, error) {
	idx, err := readSplitIndex(path)
	if err != nil || !idx.Sparse {
		return idx, err
	}
	var out []index.Entry
	for _, e := range idx.Entries {
		if e.Mode != modeTree || !strings.HasSuffix(e.Name, "/") {
			out = append(out, e)
			continue
		}
		err := r.flattenTree(Hash(e.Hash), e.Name, func(p string, te tree.Entry) error {
			out = append(out, index.Entry{Name: p, Mode: te.Mode, Hash: te.ID, XFlags: index.XFlagSkipWorktree})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("expanding the sparse index entry %s: %w", e.Name, err)
		}
	}
	index.Sort(out)
	// The cache-tree of a sparse index counts a sparse folder as one
	// entry: it does not describe the expanded entries.
	idx.Entries, idx.Sparse, idx.Tree = out, false, nil
	if idx.Version < 3 {
		idx.Version = 3 // skip-worktree needs the extended flags
	}
	return idx, nil
}

// readSplitIndex is index.Read with a split index merged.
func readSplitIndex(path string) (*index.File, error) {
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
