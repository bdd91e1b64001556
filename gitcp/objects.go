package gitcp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/odb"
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

// hasObject reports whether the object database holds h.
func (r *Repo) hasObject(h Hash) bool {
	return r.storage().HasEncodedObject(h.toPlumbing()) == nil
}

// writeObject stores data as a loose object (zlib, written to a temporary
// file and renamed into place by the go-git storer) unless it exists.
func (r *Repo) writeObject(t plumbing.ObjectType, data []byte, want Hash) (Hash, error) {
	if want.IsZero() {
		want = odb.HashObject(t, data)
	}
	if r.hasObject(want) {
		return want, nil
	}
	st := r.storage()
	obj := st.NewEncodedObject()
	obj.SetType(t)
	obj.SetSize(int64(len(data)))
	w, err := obj.Writer()
	if err != nil {
		return Hash{}, err
	}
	if _, err := w.Write(data); err != nil {
		return Hash{}, err
	}
	w.Close()
	ph, err := st.SetEncodedObject(obj)
	if err != nil {
		return Hash{}, err
	}
	got := fromPlumbing(ph)
	if got != want {
		return Hash{}, fmt.Errorf("object hash mismatch: wrote %s, expected %s", got, want)
	}
	return got, nil
}

// readObject returns the raw content of an object of the expected type.
func (r *Repo) readObject(t plumbing.ObjectType, h Hash) ([]byte, error) {
	// The own reader first: mmapped packs with their .idx, deltas
	// resolved, and loose objects. go-git's storage decodes every pack
	// index into memory and caches objects, several times slower for the
	// few reads a command makes.
	r.objOnce.Do(func() {
		r.objDB = odb.Open(filepath.Join(r.CommonDir, "objects"))
		r.objRd = odb.NewReader(r.objDB)
	})
	r.objMu.Lock()
	if r.objRd != nil {
		typ, data, err := r.objRd.Read(h)
		if err == nil {
			if typ != t {
				r.objMu.Unlock()
				return nil, fmt.Errorf("read %s %s: object is a %s", t, h, typ)
			}
			out := bytes.Clone(data) // data is the reader's buffer
			r.objMu.Unlock()
			return out, nil
		}
		if !errors.Is(err, odb.ErrNotHere) {
			r.objMu.Unlock()
			return nil, fmt.Errorf("read %s %s: %w", t, h, err)
		}
	}
	r.objMu.Unlock()
	// Alternates, v1 pack indexes, packs the reader could not map.
	obj, err := r.storage().EncodedObject(t, h.toPlumbing())
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", t, h, err)
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	buf := make([]byte, 0, obj.Size())
	b := bytes.NewBuffer(buf)
	if _, err := io.Copy(b, rd); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// treeEntry is one entry of a tree object.
type treeEntry struct {
	mode uint32
	name string
	hash Hash
}

func (e treeEntry) isTree() bool { return e.mode == modeTree }

// parseTree decodes raw tree content.
func parseTree(data []byte) ([]treeEntry, error) {
	var out []treeEntry
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp < 0 {
			return nil, errors.New("malformed tree")
		}
		mode, err := strconv.ParseUint(string(data[:sp]), 8, 32)
		if err != nil {
			return nil, errors.New("malformed tree mode")
		}
		data = data[sp+1:]
		nul := bytes.IndexByte(data, 0)
		if nul < 0 || len(data) < nul+21 {
			return nil, errors.New("malformed tree")
		}
		e := treeEntry{mode: uint32(mode), name: string(data[:nul])}
		copy(e.hash[:], data[nul+1:nul+21])
		data = data[nul+21:]
		out = append(out, e)
	}
	return out, nil
}

// readTree reads and parses a tree; the zero hash is the empty tree.
func (r *Repo) readTree(h Hash) ([]treeEntry, error) {
	if h.IsZero() {
		return nil, nil
	}
	data, err := r.readObject(plumbing.TreeObject, h)
	if err != nil {
		return nil, err
	}
	return parseTree(data)
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
func (r *Repo) flattenTree(h Hash, prefix string, fn func(path string, e treeEntry) error) error {
	ents, err := r.readTree(h)
	if err != nil {
		return err
	}
	for _, e := range ents {
		p := prefix + e.name
		if e.isTree() {
			if err := r.flattenTree(e.hash, p+"/", fn); err != nil {
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
