package gitcp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/odb"
	"github.com/wf-tool/wf/gitcp/internal/rawio"
	"github.com/wf-tool/wf/gitcp/internal/tree"
)

// readWorktreeFile returns the blob content of a work-tree path: the file
// bytes, or the link target for a symlink.
func readWorktreeFile(abs string, mode uint32) ([]byte, error) {
	if mode == modeSymlink {
		t, err := os.Readlink(abs)
		if err != nil {
			return nil, err
		}
		return []byte(t), nil
	}
	return os.ReadFile(abs)
}

// readWorktreeFileInto is readWorktreeFile reading a regular file into
// buf's storage (grown when too small), for callers that hash many files
// and keep few; the result may share buf's storage. A regular file that
// became a symbolic link since the walk's lstat is not read through: on
// Unix systems its open fails with ELOOP (rawio.ReadFile's noFollow).
//
// top is the work tree's top folder held open (openTop, -1 when not) and
// rel the file's path from it: the file is then read with no symlink in
// any component of rel (rawio.ReadFileBeneath), so a folder swapped for a
// link after the walk's lstat is not read through either.
func readWorktreeFileInto(top int, rel, abs string, mode uint32, buf []byte) ([]byte, error) {
	if mode == modeSymlink {
		return readWorktreeFile(abs, mode)
	}
	return rawio.ReadFileBeneath(top, rel, abs, buf)
}

// hasObject reports whether the object database (alternates included)
// holds h: the own mapped indexes and loose objects first, go-git's
// storage only when they cannot be sure (packs the own reader does not
// map, alternates nested too deep).
func (r *Repo) hasObject(h Hash) bool {
	if db := r.objectDB(); db != nil { // nil after Close
		if found, sure := db.Has(h); found || sure {
			return found
		}
	}
	r.fallbackMu.Lock()
	defer r.fallbackMu.Unlock()
	return r.storage().HasEncodedObject(h.toPlumbing()) == nil
}

// objectDB returns the repository's own object reader's database, opened
// on first use.
func (r *Repo) objectDB() *odb.DB {
	r.objOnce.Do(func() {
		r.objDB = odb.Open(filepath.Join(r.CommonDir, "objects"))
		r.objRd = odb.NewReader(r.objDB)
	})
	return r.objDB
}

// writeObject stores data as a loose object ([Repo.writeLoose]) unless it
// exists, and returns its id; want, when not zero, is the id the caller
// expects, checked against the content before anything is written.
func (r *Repo) writeObject(t plumbing.ObjectType, data []byte, want Hash) (Hash, error) {
	got := odb.HashObject(t, data)
	if !want.IsZero() && got != want {
		return Hash{}, fmt.Errorf("object hash mismatch: %s holds %s, expected %s", t, got, want)
	}
	want = got
	if r.hasObject(want) {
		return want, nil
	}
	if err := r.writeLoose(t, data, want); err != nil {
		return Hash{}, err
	}
	return want, nil
}

// readObject returns the raw content of an object of the expected type.
func (r *Repo) readObject(t plumbing.ObjectType, h Hash) ([]byte, error) {
	var out []byte
	err := r.viewObject(t, h, func(data []byte, own bool) error {
		if own {
			out = data
		} else {
			out = bytes.Clone(data) // data is the reader's buffer
		}
		return nil
	})
	return out, err
}

// viewObject calls fn with the raw content of the object h, which must be
// of type t, and returns fn's error. When own is false, data is the
// shared reader's buffer: fn must not keep it (it runs under the reader's
// lock, so it must not read objects either).
func (r *Repo) viewObject(t plumbing.ObjectType, h Hash, fn func(data []byte, own bool) error) error {
	// The own reader first: mmapped packs with their .idx, deltas
	// resolved, and loose objects. go-git's storage decodes every pack
	// index into memory and caches objects, several times slower for the
	// few reads a command makes.
	r.objectDB()
	r.objMu.Lock()
	if r.objRd != nil {
		typ, data, err := r.objRd.Read(h)
		if err == nil {
			defer r.objMu.Unlock()
			if typ != t {
				return fmt.Errorf("read %s %s: object is a %s", t, h, typ)
			}
			return fn(data, false)
		}
		if !errors.Is(err, odb.ErrNotHere) {
			r.objMu.Unlock()
			return fmt.Errorf("read %s %s: %w", t, h, err)
		}
	}
	r.objMu.Unlock()
	data, err := r.readFallback(t, h)
	if err != nil {
		return err
	}
	return fn(data, true)
}

// readFallback reads the object h of type t through go-git's storage:
// alternates, v1 pack indexes, packs the own reader could not map.
// go-git's storage is not safe for concurrent use, so the reads of all
// goroutines (the history walk and a [WorktreeScan], the workers of
// fileStats) take turns on fallbackMu.
func (r *Repo) readFallback(t plumbing.ObjectType, h Hash) ([]byte, error) {
	r.fallbackMu.Lock()
	defer r.fallbackMu.Unlock()
	obj, err := r.storage().EncodedObject(t, h.toPlumbing())
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", t, h, err)
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	b := bytes.NewBuffer(make([]byte, 0, obj.Size()))
	if _, err := io.Copy(b, rd); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// readTree reads and parses a tree; the zero hash is the empty tree.
func (r *Repo) readTree(h Hash) ([]tree.Entry, error) {
	if h.IsZero() {
		return nil, nil
	}
	var ents []tree.Entry
	err := r.viewObject(plumbing.TreeObject, h, func(data []byte, _ bool) error {
		var err error
		ents, err = tree.Parse(data) // Parse copies what it keeps
		return err
	})
	return ents, err
}

// commitTree returns the tree hash of a commit by scanning its header.
func (r *Repo) commitTree(c Hash) (Hash, error) {
	data, err := r.readObject(plumbing.CommitObject, c)
	if err != nil {
		return Hash{}, err
	}
	if len(data) < 46 || string(data[:5]) != "tree " {
		return Hash{}, fmt.Errorf("malformed commit %s", c)
	}
	return NewHash(string(data[5:45])), nil
}

// flattenTree lists every non-tree entry under tree h with full paths.
func (r *Repo) flattenTree(h Hash, prefix string, fn func(path string, e tree.Entry) error) error {
	ents, err := r.readTree(h)
	if err != nil {
		return err
	}
	for _, e := range ents {
		p := prefix + e.Name
		if e.IsTree() {
			if err := r.flattenTree(e.ID, p+"/", fn); err != nil {
				return err
			}
			continue
		}
		if err := fn(p, e); err != nil {
			return err
		}
	}
	return nil
}
