package gitcp

import (
	"slices"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/index"
	"github.com/wf-tool/wf/gitcp/internal/odb"
	"github.com/wf-tool/wf/gitcp/internal/tree"
)

// ChangeKind classifies a [Change].
type ChangeKind int

// Change kinds.
const (
	Added ChangeKind = iota + 1
	Modified
	Deleted
	TypeChanged // regular file, symlink or submodule became another of these
)

func (k ChangeKind) String() string {
	switch k {
	case Added:
		return "added"
	case Modified:
		return "modified"
	case Deleted:
		return "deleted"
	case TypeChanged:
		return "typechange"
	}
	return "unknown"
}

// Change is one path that differs between two snapshots. Modes and hashes
// are zero on the side where the path does not exist.
type Change struct {
	Path             string // slash-separated, relative to the top level
	Kind             ChangeKind
	OldMode, NewMode FileMode
	OldHash, NewHash Hash
}

// treeNode is a tree computed in memory from sorted index entries.
type treeNode struct {
	name     string
	data     []byte
	hash     Hash
	count    int // index entries covered (for the cache-tree)
	children []treeChild
	// lazy, when not nil, marks a node whose id came from the index's
	// cache-tree: children and data are built from its entries only when
	// a comparison needs them (expand).
	lazy *lazyTree
}

// lazyTree is what a node taken from the cache-tree is built from.
type lazyTree struct {
	entries []index.Entry // the folder's entries
	prefix  string        // the folder, as "a/b/"
}

// expand builds the children and data of a node taken from the
// cache-tree. Its id becomes the one computed, which differs from the
// cache-tree's only when that was stale.
func (n *treeNode) expand() {
	if n.lazy == nil {
		return
	}
	built, _ := buildTree(n.lazy.entries, 0, n.lazy.prefix, n.name)
	n.children, n.data, n.hash, n.count, n.lazy = built.children, built.data, built.hash, built.count, nil
}

type treeChild struct {
	mode uint32
	name string
	hash Hash
	sub  *treeNode
}

// buildTree builds the tree for entries[pos:] under prefix ("" or "a/b/")
// and returns it with the position after its last entry. Index order equals
// git's tree order (a folder sorts as its name followed by "/"), so one
// linear pass suffices. Conflict stages and intent-to-add entries are left
// out, as git write-tree does.
func buildTree(entries []index.Entry, pos int, prefix, name string) (*treeNode, int) {
	b := &treeBuilder{entries: entries}
	return b.build(pos, prefix, name, nil)
}

// rebuildTree is buildTree for entries that differ from the ones old was
// built from only at the paths in dirty (the folders holding changed paths,
// and their ancestors, as "" and "a/", "a/b/"): the nodes of those folders
// are built again, every other subtree of old is reused as is.
func rebuildTree(entries []index.Entry, old *treeNode, dirty map[string]bool) *treeNode {
	b := &treeBuilder{entries: entries, dirty: dirty}
	n, _ := b.build(0, "", "", old)
	return n
}

// treeBuilder holds the state shared by the recursion of buildTree:
// children are gathered on one scratch stack and copied out at their exact
// size.
type treeBuilder struct {
	entries []index.Entry
	scratch []treeChild
	// dirty are the folders ("" and "a/", "a/b/") whose entries
	// changed: they are built, the others reused from the old tree
	// (rebuildTree) or taken from the cache-tree (buildTreeCached). nil:
	// build everything.
	dirty map[string]bool
	// cached, when not nil, are the valid nodes of the index's
	// cache-tree (buildTreeCached).
	cached map[string]index.CacheTreeNode
}

// buildTreeCached is buildTree for entries that are the index's except in
// the folders changed holds (snapshot.changedDirs): every other folder
// below the top whose cache-tree node (cached) is valid and covers as
// many entries takes the node's tree id, and is built only if a
// comparison needs its content. This is how git itself trusts the
// cache-tree (unpack-trees.c, cache_tree_matches_traversal, when git
// status compares the index with HEAD): below the top folder, never for
// the top folder's own files. git keeps the cache-tree valid by
// invalidating a folder and its ancestors whenever an entry under it
// changes (cache-tree.c, cache_tree_invalidate_path); a tool that
// rewrites the index without doing so leaves a cache-tree that git's own
// git write-tree and git status would trust too. (A checkpoint builds
// every tree, so on such an index it commits what the entries hold,
// while this comparison, like git status, shows the folder unchanged;
// git, go-git and wf all invalidate or drop the cache-tree when they
// change entries.)
func buildTreeCached(entries []index.Entry, cached map[string]index.CacheTreeNode, changed map[string]bool) *treeNode {
	b := &treeBuilder{entries: entries, cached: cached, dirty: changed}
	n, _ := b.build(0, "", "", nil)
	return n
}

// fromCacheTree returns the node of the folder subPrefix (named subName,
// its entries from pos on) taken from the cache-tree, and the position
// after its entries; ok is false when the folder must be built.
func (b *treeBuilder) fromCacheTree(pos int, subPrefix, subName string) (n *treeNode, end int, ok bool) {
	if b.cached == nil || b.dirty[subPrefix] {
		return nil, 0, false
	}
	c, ok := b.cached[subPrefix]
	if !ok {
		return nil, 0, false
	}
	entries := b.entries
	end = pos + sort.Search(len(entries)-pos, func(k int) bool { return !strings.HasPrefix(entries[pos+k].Name, subPrefix) })
	if end-pos != c.Entries || c.Entries == 0 {
		return nil, 0, false
	}
	return &treeNode{name: subName, hash: c.ID, count: c.Entries, lazy: &lazyTree{entries: entries[pos:end], prefix: subPrefix}}, end, true
}

func (b *treeBuilder) build(pos int, prefix, name string, old *treeNode) (*treeNode, int) {
	entries := b.entries
	n := &treeNode{name: name}
	size := 0
	base := len(b.scratch)
	oi := 0 // cursor in old.children (same order)
	for pos < len(entries) {
		e := &entries[pos]
		if !strings.HasPrefix(e.Name, prefix) {
			break
		}
		rest := e.Name[len(prefix):]
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			subPrefix, subName := e.Name[:len(prefix)+i+1], rest[:i]
			var oldSub *treeNode
			if old != nil {
				for oi < len(old.children) && tree.Compare(old.children[oi].name, old.children[oi].sub != nil, subName, true) < 0 {
					oi++
				}
				if oi < len(old.children) && old.children[oi].sub != nil && old.children[oi].name == subName {
					oldSub = old.children[oi].sub
				}
			}
			var sub *treeNode
			if oldSub != nil && !b.dirty[subPrefix] {
				// Unchanged subtree: reuse it and skip its entries.
				sub = oldSub
				pos += sort.Search(len(entries)-pos, func(k int) bool { return !strings.HasPrefix(entries[pos+k].Name, subPrefix) })
			} else if c, end, ok := b.fromCacheTree(pos, subPrefix, subName); ok {
				sub, pos = c, end
			} else {
				sub, pos = b.build(pos, subPrefix, subName, oldSub)
			}
			if len(sub.children) == 0 && sub.lazy == nil {
				continue
			}
			n.count += sub.count
			b.scratch = append(b.scratch, treeChild{mode: modeTree, name: sub.name, hash: sub.hash, sub: sub})
			size += tree.EncodedLen(modeTree, sub.name)
			continue
		}
		pos++
		if e.Stage() != 0 || e.IntentToAdd() {
			continue
		}
		n.count++
		b.scratch = append(b.scratch, treeChild{mode: e.Mode, name: rest, hash: e.Hash})
		size += tree.EncodedLen(e.Mode, rest)
	}
	n.children = slices.Clone(b.scratch[base:])
	clear(b.scratch[base:]) // drop references held by the scratch stack
	b.scratch = b.scratch[:base]
	data := make([]byte, 0, size)
	for _, c := range n.children {
		data = tree.AppendEntry(data, c.mode, c.name, c.hash)
	}
	n.data = data
	n.hash = odb.HashObject(plumbing.TreeObject, data)
	return n, pos
}

// dirtyDirs returns the folders holding paths and all their ancestors, as
// rebuildTree wants them ("" for the top, "a/" and "a/b/" below).
func dirtyDirs(paths []string) map[string]bool {
	d := map[string]bool{"": true}
	for _, p := range paths {
		for i := 0; i < len(p); i++ {
			if p[i] == '/' {
				d[p[:i+1]] = true
			}
		}
	}
	return d
}

// treeDiff compares the stored tree old with the computed node n,
// appending changes and collecting the computed trees that differ from the
// stored ones (those must be written). Only differing subtrees are read.
type treeDiff struct {
	r       *Repo
	changes []Change
	write   []*treeNode
}

func (d *treeDiff) diff(old Hash, n *treeNode, prefix string) error {
	if old == n.hash {
		return nil
	}
	if n.lazy != nil {
		if n.expand(); old == n.hash {
			return nil // the cache-tree was stale
		}
	}
	d.write = append(d.write, n)
	olds, err := d.r.readTree(old)
	if err != nil {
		return err
	}
	i, j := 0, 0
	for i < len(olds) || j < len(n.children) {
		var c int
		switch {
		case i == len(olds):
			c = 1
		case j == len(n.children):
			c = -1
		default:
			c = tree.Compare(olds[i].Name, olds[i].IsTree(), n.children[j].name, n.children[j].mode == modeTree)
		}
		switch {
		case c < 0: // only in old
			if err := d.removed(prefix, olds[i]); err != nil {
				return err
			}
			i++
		case c > 0: // only in new
			d.added(prefix, n.children[j])
			j++
		default:
			o, nw := olds[i], n.children[j]
			i++
			j++
			switch {
			case o.IsTree() && nw.sub != nil:
				if err := d.diff(o.ID, nw.sub, prefix+o.Name+"/"); err != nil {
					return err
				}
			case o.IsTree() || nw.sub != nil:
				// Same name, one side a folder: git's tree order makes them
				// differ ("a/" vs "a"), so this cannot happen; be safe.
				if err := d.removed(prefix, o); err != nil {
					return err
				}
				d.added(prefix, nw)
			case o.Mode != nw.mode || o.ID != nw.hash:
				d.changes = append(d.changes, changedEntry(prefix+o.Name, o.Mode, nw.mode, o.ID, nw.hash))
			}
		}
	}
	return nil
}

func fileType(m uint32) uint32 { return m & 0o170000 }

// changedEntry is the change of a path present on both sides with another
// mode or content: Modified, or TypeChanged when the file type differs
// (a file became a symlink or a gitlink), as git diff's M and T.
func changedEntry(path string, oldMode, newMode uint32, oldHash, newHash Hash) Change {
	kind := Modified
	if fileType(oldMode) != fileType(newMode) {
		kind = TypeChanged
	}
	return Change{Path: path, Kind: kind, OldMode: FileMode(oldMode), NewMode: FileMode(newMode),
		OldHash: oldHash, NewHash: newHash}
}

func (d *treeDiff) removed(prefix string, e tree.Entry) error {
	if !e.IsTree() {
		d.changes = append(d.changes, Change{Path: prefix + e.Name, Kind: Deleted,
			OldMode: FileMode(e.Mode), OldHash: e.ID})
		return nil
	}
	return d.r.flattenTree(e.ID, prefix+e.Name+"/", func(p string, e tree.Entry) error {
		d.changes = append(d.changes, Change{Path: p, Kind: Deleted, OldMode: FileMode(e.Mode), OldHash: e.ID})
		return nil
	})
}

func (d *treeDiff) added(prefix string, c treeChild) {
	if c.sub == nil {
		d.changes = append(d.changes, Change{Path: prefix + c.name, Kind: Added,
			NewMode: FileMode(c.mode), NewHash: c.hash})
		return
	}
	c.sub.expand()
	d.write = append(d.write, c.sub)
	for _, cc := range c.sub.children {
		d.added(prefix+c.name+"/", cc)
	}
}

// appendCacheTree serialises n as git's TREE index extension, valid
// everywhere (all its trees exist in the object database).
func appendCacheTree(b []byte, n *treeNode) []byte {
	subs := 0
	for _, c := range n.children {
		if c.sub != nil {
			subs++
		}
	}
	b = index.AppendCacheTreeNode(b, n.name, n.count, subs, n.hash)
	for _, c := range n.children {
		if c.sub != nil {
			b = appendCacheTree(b, c.sub)
		}
	}
	return b
}
