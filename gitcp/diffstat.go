package gitcp

import (
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/linediff"
)

// FileStat is the line count of one changed file.
type FileStat struct {
	Path    string
	Kind    ChangeKind
	Added   int // lines added (0 for binary files)
	Deleted int // lines deleted (0 for binary files)
	Binary  bool
}

// DiffStat compares commit from with commit to, or with the work tree when
// to is the zero hash (all changes, as a branch-mode commit would record
// them). A zero from compares with the empty tree.
func (r *Repo) DiffStat(from, to Hash) ([]FileStat, error) {
	var fromTree Hash
	var err error
	if !from.IsZero() {
		if fromTree, err = r.commitTree(from); err != nil {
			return nil, err
		}
	}
	var changes []Change
	var contents map[string][]byte
	if to.IsZero() {
		idx, err := r.readIndexFile(indexPath(r))
		if err != nil {
			return nil, err
		}
		snap, err := r.scan(idx)
		if err != nil {
			return nil, err
		}
		p, err := r.planTree(snap, fromTree, nil)
		if err != nil {
			return nil, err
		}
		changes, contents = p.changes, snap.contents
	} else {
		toTree, err := r.commitTree(to)
		if err != nil {
			return nil, err
		}
		changes, err = r.diffStoredTrees(fromTree, toTree, "")
		if err != nil {
			return nil, err
		}
	}
	return r.fileStats(changes, contents)
}

// fileStats counts added and deleted lines of changes; contents holds the
// new side of files not yet in the object database.
func (r *Repo) fileStats(changes []Change, contents map[string][]byte) ([]FileStat, error) {
	out := make([]FileStat, 0, len(changes))
	for _, c := range changes {
		fs := FileStat{Path: c.Path, Kind: c.Kind}
		if c.OldMode == 0o160000 || c.NewMode == 0o160000 {
			out = append(out, fs)
			continue
		}
		var a, b []byte
		var err error
		if !c.OldHash.IsZero() {
			if a, err = r.readObject(plumbing.BlobObject, c.OldHash); err != nil {
				return nil, err
			}
		}
		if !c.NewHash.IsZero() {
			var ok bool
			if b, ok = contents[c.Path]; !ok {
				if b, err = r.readObject(plumbing.BlobObject, c.NewHash); err != nil {
					return nil, err
				}
			}
		}
		if linediff.IsBinary(a) || linediff.IsBinary(b) {
			fs.Binary = true
		} else {
			fs.Added, fs.Deleted = linediff.Count(a, b)
		}
		out = append(out, fs)
	}
	return out, nil
}

// diffStoredTrees compares two stored trees, reading only differing
// subtrees.
func (r *Repo) diffStoredTrees(a, b Hash, prefix string) ([]Change, error) {
	if a == b {
		return nil, nil
	}
	// Materialise b as a computed node lazily: reuse treeDiff by loading b.
	n, err := r.loadNode(b, "")
	if err != nil {
		return nil, err
	}
	d := &treeDiff{r: r}
	if err := d.diff(a, n, prefix); err != nil {
		return nil, err
	}
	return d.changes, nil
}

// loadNode reads a stored tree into a treeNode (whole subtree).
func (r *Repo) loadNode(h Hash, name string) (*treeNode, error) {
	ents, err := r.readTree(h)
	if err != nil {
		return nil, err
	}
	n := &treeNode{name: name, hash: h}
	for _, e := range ents {
		c := treeChild{mode: e.Mode, name: e.Name, hash: e.ID}
		if e.IsTree() {
			if c.sub, err = r.loadNode(e.ID, e.Name); err != nil {
				return nil, err
			}
		}
		n.children = append(n.children, c)
	}
	return n, nil
}
