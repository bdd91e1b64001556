package gitcp

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/index"
	"github.com/wf-tool/wf/gitcp/internal/odb"
)

// Staged is what [CommitOptions].Stage sees: the work tree scanned and
// planned as a commit on Parent, checked for secrets and size, before any
// object is written. It lets a caller derive content from the changes (wf
// writes a checkpoint file listing them) and add that content to the same
// commit without scanning the work tree twice.
type Staged struct {
	r      *Repo
	p      *plan
	Parent Hash // the new commit's parent; zero for a root commit
	// AllowedSecrets are the changed files that look like secrets and are
	// committed because [CommitOptions].AllowSecret names them.
	AllowedSecrets []AllowedSecret
}

// Changes lists the paths that differ between Parent and the snapshot.
func (s *Staged) Changes() []Change { return s.p.changes }

// DiffStat counts lines changed between commit since (zero: the empty
// tree) and the snapshot about to be committed.
func (s *Staged) DiffStat(since Hash) ([]FileStat, error) {
	changes := s.p.changes
	if since != s.Parent {
		var tree Hash
		if !since.IsZero() {
			var err error
			if tree, err = s.r.commitTree(since); err != nil {
				return nil, err
			}
		}
		d := &treeDiff{r: s.r}
		if err := d.diff(tree, s.p.root, ""); err != nil {
			return nil, err
		}
		changes = d.changes
	}
	return s.r.fileStats(changes, s.p.snap.contents, s.p.snap.entries)
}

// restat reads paths (slash-separated, from the top level) from the work
// tree again and puts them into the snapshot: files written by a Stage
// callback after the scan. A missing path is removed. It returns the paths
// cleaned.
func (r *Repo) restat(snap *snapshot, paths []string) ([]string, error) {
	core := r.coreModes()
	defer snap.conv.done()
	cleaned := make([]string, 0, len(paths))
	lead := newLeadingPaths(r.TopLevel)
	for _, p := range paths {
		p = filepath.ToSlash(filepath.Clean(p))
		cleaned = append(cleaned, p)
		if link := lead.blocked(p); link != "" {
			if _, err := lstat(filepath.Join(r.TopLevel, filepath.FromSlash(link))); err == nil {
				return nil, &SymlinkPathError{Path: p, Link: link}
			}
		}
		es := snap.entries
		i := sort.Search(len(es), func(i int) bool { return es[i].Name >= p })
		exists := i < len(es) && es[i].Name == p && es[i].Stage() == 0
		abs := filepath.Join(r.TopLevel, filepath.FromSlash(p))
		st, err := lstat(abs)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				if exists {
					snap.entries = slices.Delete(es, i, i+1)
				}
				delete(snap.contents, p)
				continue
			}
			return nil, err
		}
		prev := uint32(0)
		if exists {
			prev = es[i].Mode
		}
		mode := modeFromStat(&st, prev, core)
		if mode == 0 || mode == modeGitlink {
			return nil, fmt.Errorf("%s is not a file", p)
		}
		regular := st.mode.Type() == 0
		data, err := readWorktreeFile(abs, readMode(mode, regular))
		if err != nil {
			return nil, err
		}
		if snap.conv != nil && regular {
			var pe *index.Entry
			if exists {
				pe = &es[i]
			}
			if data, err = snap.conv.blob(p, data, pe); err != nil {
				return nil, err
			}
		}
		ne := entryFromStat(p, &st, mode, odb.HashObject(plumbing.BlobObject, data))
		if exists {
			ne.XFlags = es[i].XFlags &^ index.XFlagIntentToAdd
			es[i] = ne
		} else {
			snap.entries = slices.Insert(es, i, ne) // in place when capacity allows
		}
		snap.contents[p] = data
	}
	return cleaned, nil
}

// IndexLockPath is the index lock file of this worktree, which a
// branch-mode commit holds from its start to its end.
func (r *Repo) IndexLockPath() string { return indexPath(r) + ".lock" }

// RefLockPath is the lock file git's lock protocol uses for ref (a full
// name, or "HEAD").
func (r *Repo) RefLockPath(ref string) string { return r.refStore().File(ref) + ".lock" }
