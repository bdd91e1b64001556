package gitcp

import (
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
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
//
// An index that [Repo.readIndexShared] read and that is still the file
// at path (same size, times and inode) is returned instead of being read
// again; the caller then owns it.
func (r *Repo) readIndexFile(path string) (*index.File, error) {
	if idx := r.takeIndex(path); idx != nil {
		return idx, nil
	}
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

// readIndexShared is readIndexFile for a caller that only reads the
// index: the index it returns is kept (until the next readIndexFile of the
// same unchanged file takes it), so that wf resume, which lists the
// embedded gitlinks and then compares the work tree with the checkpoint,
// decodes the index once (4 MB for 38,000 files). The caller must not
// modify it.
func (r *Repo) readIndexShared(path string) (*index.File, error) {
	before, err := lstat(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	idx, err := r.readIndexFile(path)
	if err != nil || before.mode == 0 {
		return idx, err
	}
	r.idxMu.Lock()
	r.idxKept, r.idxPath, r.idxStat = idx, path, before
	r.idxMu.Unlock()
	return idx, nil
}

// takeIndex returns the index kept by readIndexShared for path when the
// file there is still the one it read (same stat data), and forgets it:
// the caller may modify it. Otherwise nil.
func (r *Repo) takeIndex(path string) *index.File {
	r.idxMu.Lock()
	idx, p, st := r.idxKept, r.idxPath, r.idxStat
	r.idxKept = nil
	r.idxMu.Unlock()
	if idx == nil || p != path {
		return nil
	}
	now, err := lstat(path)
	if err != nil || now != st {
		return nil
	}
	return idx
}
