package gitcp

import (
	"github.com/wf-tool/wf/gitcp/internal/index"
	"github.com/wf-tool/wf/gitcp/internal/tree"
)

// RepairIndex rewrites the index from HEAD's tree under index.lock, keeping
// the stat data of entries whose path, mode and blob are unchanged (so they
// stay clean) and zeroing it for the others (so git re-hashes them). The
// work tree is not touched; it is "git reset --mixed HEAD" without the
// reflog. Use it after a crash left the branch moved but the index not
// (see the package documentation); a stale index.lock must be removed
// first. Skip-worktree bits are kept for paths still in HEAD.
func (r *Repo) RepairIndex() error {
	l, err := r.acquireLock(indexPath(r))
	if err != nil {
		return err
	}
	defer l.Rollback()
	idx, err := r.readIndexFile(indexPath(r))
	if err != nil {
		// An unreadable index is what we replace; start from nothing.
		idx = &index.File{Version: 2}
	}
	old := make(map[string]*index.Entry, len(idx.Entries))
	for i := range idx.Entries {
		if idx.Entries[i].Stage() == 0 {
			old[idx.Entries[i].Name] = &idx.Entries[i]
		}
	}
	head, err := r.Head()
	if err != nil {
		return err
	}
	var entries []index.Entry
	if !head.Unborn {
		headTree, err := r.commitTree(head.Hash)
		if err != nil {
			return err
		}
		err = r.flattenTree(headTree, "", func(p string, e tree.Entry) error {
			ne := index.Entry{Name: p, Mode: e.Mode, Hash: e.ID}
			if o := old[p]; o != nil {
				if o.Mode == e.Mode && o.Hash == e.ID {
					ne = *o
					ne.XFlags &^= index.XFlagIntentToAdd
				} else {
					ne.XFlags = o.XFlags & index.XFlagSkipWorktree
				}
			}
			entries = append(entries, ne)
			return nil
		})
		if err != nil {
			return err
		}
	}
	index.Sort(entries)
	if _, err := l.Write(index.Encode(idx.Version, entries, nil)); err != nil {
		return err
	}
	return l.Commit()
}
