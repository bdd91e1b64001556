package gitcp

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/index"
	"github.com/wf-tool/wf/gitcp/internal/linediff"
	"github.com/wf-tool/wf/gitcp/internal/odb"
	"github.com/wf-tool/wf/gitcp/internal/tree"
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
	if to.IsZero() {
		idx, err := r.readIndexFile(indexPath(r))
		if err != nil {
			return nil, err
		}
		snap, err := r.scan(idx, false)
		if err != nil {
			return nil, err
		}
		return r.diffStatWorktree(from, snap)
	}
	var fromTree Hash
	if !from.IsZero() {
		var err error
		if fromTree, err = r.commitTree(from); err != nil {
			return nil, err
		}
	}
	toTree, err := r.commitTree(to)
	if err != nil {
		return nil, err
	}
	changes, err := r.diffStoredTrees(fromTree, toTree, "")
	if err != nil {
		return nil, err
	}
	return r.fileStats(changes, nil, nil)
}

// fileStats counts added and deleted lines of changes; contents holds the
// new side of files not yet in the object database. The blobs are read and
// counted by up to four goroutines (GOMAXPROCS), each with its own object
// reader, and the result keeps the order of changes: `git show --stat`
// reads both sides of every changed file too, and this is where its time
// goes (inflating loose objects and resolving pack deltas).
//
// Binary files are those git's diff would call binary: the diff attribute
// first ([conversion.diffBinary], looked up in the attribute files of the
// work tree, then of the index's skip-worktree entries, entries may be
// nil), then the content (a NUL byte in the first 8,000 bytes). A gitlink
// counts as the line "Subproject commit HEX", as git diff shows it.
func (r *Repo) fileStats(changes []Change, contents map[string][]byte, entries []index.Entry) ([]FileStat, error) {
	out := make([]FileStat, len(changes))
	if len(changes) == 0 {
		return out, nil
	}
	attrs, _ := r.newAttrStack(entries, true)
	forced := make([]int8, len(changes))
	for i := range changes {
		forced[i] = attrs.diffBinary(changes[i].Path)
	}
	errs := make([]error, len(changes))
	workers := min(runtime.GOMAXPROCS(0), 4, len(changes)/2)
	if workers <= 1 {
		rd := r.blobReader()
		for i := range changes {
			out[i], errs[i] = r.fileStat(rd, &changes[i], contents, forced[i])
			if errs[i] != nil {
				return nil, errs[i]
			}
		}
		return out, nil
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rd := r.blobReader()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(changes) {
					return
				}
				out[i], errs[i] = r.fileStatRecovering(rd, &changes[i], contents, forced[i])
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fileStat counts the lines of one change, reading its blobs with rd;
// forced is the diff attribute's verdict (diffBinary).
func (r *Repo) fileStat(rd *odb.Reader, c *Change, contents map[string][]byte, forced int8) (FileStat, error) {
	fs := FileStat{Path: c.Path, Kind: c.Kind}
	if forced > 0 {
		fs.Binary = true
		return fs, nil
	}
	// The old side is copied out of rd's buffer; the new side is read
	// last and counted before rd reads again, so it may stay there.
	side := func(mode FileMode, h Hash, work bool) ([]byte, error) {
		switch {
		case h.IsZero():
			return nil, nil
		case mode == modeGitlink:
			return []byte("Subproject commit " + h.String() + "\n"), nil
		case work:
			if b, ok := contents[c.Path]; ok {
				return b, nil
			}
		}
		return r.readBlobWith(rd, h, !work)
	}
	a, err := side(c.OldMode, c.OldHash, false)
	if err != nil {
		return fs, err
	}
	b, err := side(c.NewMode, c.NewHash, true)
	if err != nil {
		return fs, err
	}
	if forced == 0 && (linediff.IsBinary(a) || linediff.IsBinary(b)) {
		fs.Binary = true
	} else {
		fs.Added, fs.Deleted = linediff.Count(a, b)
	}
	return fs, nil
}

// fileStatRecovering is r.fileStat with a panic returned as a
// [PanicError]: it runs in fileStats' worker goroutines, where a panic
// would end the process.
func (r *Repo) fileStatRecovering(rd *odb.Reader, c *Change, contents map[string][]byte, forced int8) (fs FileStat, err error) {
	defer recoverInto(&err, "counting the lines of "+c.Path, nil)
	if testHook != nil {
		testHook("filestat " + c.Path)
	}
	return r.fileStat(rd, c, contents, forced)
}

// blobReader returns an object reader of its own for one goroutine, nil
// when the object database is closed (reads then go through readObject).
func (r *Repo) blobReader() *odb.Reader {
	if db := r.objectDB(); db != nil {
		return odb.NewReader(db)
	}
	return nil
}

// readBlobWith reads the blob h with rd (a reader owned by the calling
// goroutine), falling back to readObject for objects rd cannot reach
// (alternates nested too deep, packs it could not map). With keep, the
// bytes are the caller's; without, they may be rd's buffer, valid until
// rd reads again.
func (r *Repo) readBlobWith(rd *odb.Reader, h Hash, keep bool) ([]byte, error) {
	if rd != nil {
		typ, data, err := rd.Read(h)
		if err == nil {
			if typ != plumbing.BlobObject {
				return nil, fmt.Errorf("read %s %s: object is a %s", plumbing.BlobObject, h, typ)
			}
			if keep {
				data = bytes.Clone(data)
			}
			return data, nil
		}
		if !errors.Is(err, odb.ErrNotHere) {
			return nil, fmt.Errorf("read %s %s: %w", plumbing.BlobObject, h, err)
		}
	}
	return r.readObject(plumbing.BlobObject, h) // its go-git fallback takes turns
}

// diffStoredTrees compares two stored trees (zero: the empty tree) and
// returns the changes in git's tree order, reading only the subtrees whose
// ids differ on the two sides, as git diff-tree -r does; a folder present
// on one side only is listed file by file.
func (r *Repo) diffStoredTrees(a, b Hash, prefix string) ([]Change, error) {
	d := &storedDiff{r: r}
	if err := d.diff(a, b, prefix); err != nil {
		return nil, err
	}
	return d.changes, nil
}

// storedDiff is the recursion of diffStoredTrees.
type storedDiff struct {
	r       *Repo
	changes []Change
}

func (d *storedDiff) diff(a, b Hash, prefix string) error {
	if a == b {
		return nil
	}
	olds, err := d.r.readTree(a)
	if err != nil {
		return err
	}
	news, err := d.r.readTree(b)
	if err != nil {
		return err
	}
	i, j := 0, 0
	for i < len(olds) || j < len(news) {
		var c int
		switch {
		case i == len(olds):
			c = 1
		case j == len(news):
			c = -1
		default:
			c = tree.Compare(olds[i].Name, olds[i].IsTree(), news[j].Name, news[j].IsTree())
		}
		switch {
		case c < 0: // only in a
			if err := d.side(prefix, olds[i], Deleted); err != nil {
				return err
			}
			i++
		case c > 0: // only in b
			if err := d.side(prefix, news[j], Added); err != nil {
				return err
			}
			j++
		default:
			o, n := olds[i], news[j]
			i++
			j++
			switch {
			case o.IsTree() && n.IsTree():
				if err := d.diff(o.ID, n.ID, prefix+o.Name+"/"); err != nil {
					return err
				}
			case o.IsTree() || n.IsTree():
				// Equal names in tree order are both folders or both not
				// ("a/" sorts apart from "a"); kept for safety.
				if err := d.side(prefix, o, Deleted); err != nil {
					return err
				}
				if err := d.side(prefix, n, Added); err != nil {
					return err
				}
			case o.Mode != n.Mode || o.ID != n.ID:
				d.changes = append(d.changes, changedEntry(prefix+o.Name, o.Mode, n.Mode, o.ID, n.ID))
			}
		}
	}
	return nil
}

// side records the entry e of one side only (kind Added or Deleted), every
// file under it when it is a folder.
func (d *storedDiff) side(prefix string, e tree.Entry, kind ChangeKind) error {
	add := func(p string, e tree.Entry) error {
		c := Change{Path: p, Kind: kind}
		if kind == Added {
			c.NewMode, c.NewHash = FileMode(e.Mode), e.ID
		} else {
			c.OldMode, c.OldHash = FileMode(e.Mode), e.ID
		}
		d.changes = append(d.changes, c)
		return nil
	}
	if !e.IsTree() {
		return add(prefix+e.Name, e)
	}
	return d.r.flattenTree(e.ID, prefix+e.Name+"/", add)
}
