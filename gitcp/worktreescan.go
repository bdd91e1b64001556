package gitcp

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/wf-tool/wf/gitcp/internal/config"
	"github.com/wf-tool/wf/gitcp/internal/index"
)

// WorktreeScan is a comparison of the work tree with the index that runs
// in the background while its caller reads other things: the index read,
// the work-tree walk and the hashing of what changed, as in
// [Repo.DiffStat] with the work tree, and the index's embedded gitlinks.
// wf writes nothing for it (the folder-listing cache is not recorded); a
// clean filter it runs on a changed file may write, as it may for git
// status.
//
// It is for a caller whose other work (wf resume: the state files and
// the history walk) does not need the work tree, so that the walk, which
// is most of the time on a large tree, uses the cores that work leaves
// idle. The scan and that work share the Repo: everything the scan
// touches in it is safe for concurrent use (object reads under objMu,
// go-git's storage under fallbackMu, the packed-refs cache under its
// lock, the configuration read only). A scan nobody waits for runs to
// its end, unless stopped ([WorktreeScan.Stop]), and is dropped.
type WorktreeScan struct {
	r *Repo
	// indexRead is closed once idxErr and gitlinks are set; done once
	// snap and err are.
	indexRead chan struct{}
	done      chan struct{}
	idxErr    error
	gitlinks  []string
	snap      *snapshot
	err       error
	stop      atomic.Bool // Stop was called
}

// errScanStopped is the error of a scan ended by [WorktreeScan.Stop].
var errScanStopped = errors.New("the work-tree scan was stopped")

// Stop ends the scan early when its result will not be used (the caller
// returns before it needs it): the walk stops at the next folder and the
// hashing at the next file, so that a long-running process (wf mcp) does
// not walk a large tree, and run clean filters, for nothing. A stopped
// scan's DiffStat fails with an error; after DiffStat returned, Stop
// changes nothing. It does not wait for the goroutine to end.
func (s *WorktreeScan) Stop() { s.stop.Store(true) }

// StartWorktreeScan starts comparing the work tree with the index in a
// new goroutine and returns at once.
func (r *Repo) StartWorktreeScan() *WorktreeScan {
	s := &WorktreeScan{r: r, indexRead: make(chan struct{}), done: make(chan struct{})}
	go s.run()
	return s
}

// run reads the index (and beside it the folder-listing cache), lists
// the index's embedded gitlinks, then walks the work tree and hashes what
// changed.
func (s *WorktreeScan) run() {
	defer close(s.done)
	indexOpen := true
	defer recoverInto(&s.err, "scanning the work tree", func() {
		if indexOpen {
			s.idxErr = s.err
			close(s.indexRead)
		}
	})
	if testHook != nil {
		testHook("scan")
	}
	r := s.r
	cached := r.readDirCacheAsync() // beside the index read
	idx, err := r.readIndexFile(indexPath(r))
	if err == nil {
		s.gitlinks = embeddedGitlinks(r.TopLevel, idx.Entries)
	}
	s.idxErr = err
	close(s.indexRead)
	indexOpen = false
	if err != nil {
		s.err = err
		return
	}
	// The cache-tree is parsed beside the walk; only the comparison
	// after it needs it.
	tree := make(chan map[string]index.CacheTreeNode, 1)
	go func() {
		var perr error // a panic here: every folder is built, as without a cache-tree
		defer recoverInto(&perr, "parsing the index's cache-tree", func() { tree <- nil })
		tree <- parseCacheTree(idx)
	}()
	s.snap, s.err = r.scanWith(idx, false, cached, &s.stop)
	if s.snap != nil {
		s.snap.cacheTreeNodes, s.snap.cacheTreeRead = <-tree, true
	}
}

// EmbeddedGitlinks is [Repo.EmbeddedGitlinks] for the index the scan
// read; it waits for that read only, not for the walk.
func (s *WorktreeScan) EmbeddedGitlinks() ([]string, error) {
	<-s.indexRead
	return s.gitlinks, s.idxErr
}

// DiffStat waits for the scan and compares commit from (zero: the empty
// tree) with the work tree it saw, as [Repo.DiffStat] does with a zero
// to. It may be called more than once.
func (s *WorktreeScan) DiffStat(from Hash) ([]FileStat, error) {
	<-s.done
	if s.err != nil {
		return nil, s.err
	}
	return s.r.diffStatWorktree(from, s.snap)
}

// diffStatWorktree is DiffStat of commit from against the work tree that
// snap holds.
func (r *Repo) diffStatWorktree(from Hash, snap *snapshot) ([]FileStat, error) {
	var fromTree Hash
	if !from.IsZero() {
		var err error
		if fromTree, err = r.commitTree(from); err != nil {
			return nil, err
		}
	}
	// Nothing is written, so the folders the work tree left as the index
	// has them can take their ids from the index's cache-tree.
	var root *treeNode
	if cached := snap.cacheTree(); cached != nil {
		root = buildTreeCached(snap.entries, cached, snap.changedDirs)
	} else {
		root, _ = buildTree(snap.entries, 0, "", "")
	}
	d := &treeDiff{r: r}
	if err := d.diff(fromTree, root, ""); err != nil {
		return nil, err
	}
	return r.fileStats(d.changes, snap.contents, snap.entries)
}

// cacheTree returns the valid nodes of the cache-tree of the index snap
// was taken from, nil when it has none or it does not parse (then every
// folder is built).
func (snap *snapshot) cacheTree() map[string]index.CacheTreeNode {
	if !snap.cacheTreeRead {
		snap.cacheTreeNodes, snap.cacheTreeRead = parseCacheTree(snap.idx), true
	}
	return snap.cacheTreeNodes
}

// parseCacheTree returns the valid nodes of idx's cache-tree, nil when
// idx is nil, has none, or it does not parse.
func parseCacheTree(idx *index.File) map[string]index.CacheTreeNode {
	if idx == nil || idx.Tree == nil {
		return nil
	}
	nodes, err := index.ParseCacheTree(idx.Tree)
	if err != nil {
		return nil
	}
	return nodes
}

// embeddedGitlinks lists the gitlinks among entries (stage 0, in their
// order) that the .gitmodules file at the top level top does not
// register as a submodule's path.
func embeddedGitlinks(top string, entries []index.Entry) []string {
	var links []string
	for _, e := range entries {
		if e.Mode == modeGitlink && e.Stage() == 0 {
			links = append(links, e.Name)
		}
	}
	if len(links) == 0 {
		return nil
	}
	registered := map[string]bool{}
	if data, err := os.ReadFile(filepath.Join(top, ".gitmodules")); err == nil {
		c := config.New()
		c.Parse(data, nil)
		for _, k := range c.Keys() {
			if strings.HasPrefix(k, "submodule.") && strings.HasSuffix(k, ".path") {
				for _, p := range c.GetAll(k) {
					registered[strings.Trim(filepath.ToSlash(filepath.Clean(p)), "/")] = true
				}
			}
		}
	}
	var out []string
	for _, l := range links {
		if !registered[l] {
			out = append(out, l)
		}
	}
	return out
}
