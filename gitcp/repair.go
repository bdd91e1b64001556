package gitcp

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
	defer l.rollback()
	idx, err := readIndex(indexPath(r))
	if err != nil {
		// An unreadable index is what we replace; start from nothing.
		idx = &gitIndex{version: 2}
	}
	old := make(map[string]*ientry, len(idx.entries))
	for i := range idx.entries {
		if idx.entries[i].stage() == 0 {
			old[idx.entries[i].name] = &idx.entries[i]
		}
	}
	head, err := r.Head()
	if err != nil {
		return err
	}
	var entries []ientry
	if !head.Unborn {
		tree, err := r.commitTree(head.Hash)
		if err != nil {
			return err
		}
		err = r.flattenTree(tree, "", func(p string, e treeEntry) error {
			ne := ientry{name: p, mode: e.mode, hash: e.hash}
			if o := old[p]; o != nil {
				if o.mode == e.mode && o.hash == e.hash {
					ne = *o
					ne.xflags &^= xflagIntentToAdd
				} else {
					ne.xflags = o.xflags & xflagSkipWT
				}
			}
			entries = append(entries, ne)
			return nil
		})
		if err != nil {
			return err
		}
	}
	sortEntries(entries)
	if err := l.write(encodeIndex(idx.version, entries, nil), false); err != nil {
		return err
	}
	return l.commit()
}
