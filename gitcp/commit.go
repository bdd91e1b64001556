package gitcp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/index"
	"github.com/wf-tool/wf/gitcp/internal/odb"
	"github.com/wf-tool/wf/gitcp/internal/refs"
)

// Mode selects where [Repo.Commit] puts the commit.
type Mode string

// Commit modes.
const (
	// ModeBranch commits on the current branch (or detached HEAD) and
	// updates the index, like "git add -A && git commit".
	ModeBranch Mode = "branch"
	// ModeRef commits to [Repo.CheckpointRef]; branch, HEAD and index are
	// left untouched.
	ModeRef Mode = "ref"
)

// CommitOptions configures [Repo.Commit].
type CommitOptions struct {
	Mode    Mode   // ModeBranch when empty
	Message string // full message; trailers go in its last paragraph
	// Paths limits the commit to these paths (relative to TopLevel,
	// slash-separated; a folder covers everything below it). Nil commits
	// every change in the work tree, like "git add -A".
	Paths []string
	// AllowSecret and AllowLarge list paths exempt from the secret and size
	// checks. The files AllowSecret lets through that do look like secrets
	// are listed in [Staged].AllowedSecrets.
	AllowSecret, AllowLarge []string
	// AcceptedSecrets maps paths to the blob id of content accepted
	// earlier although it looks like a secret (wf keeps them in the
	// workflow's Settings): the file passes while its content is that
	// blob, and is refused again (with RefusedFile.Accepted set) once it
	// changes.
	AcceptedSecrets map[string]Hash
	AllowEmpty      bool             // commit even when the tree equals the parent's
	Now             func() time.Time // clock (tests); time.Now when nil
	// BeforeRefUpdate, when set, is called once all objects are written and
	// before any ref moves; an error aborts the commit with nothing changed
	// but unreferenced objects. The checkpoint journal records the commit
	// hash here.
	BeforeRefUpdate func(commit Hash) error
	// Stage, when set, is called once the work tree is scanned, the commit
	// planned and its files checked for secrets and size, before any object
	// is written. It may write files; the paths it returns (slash-separated,
	// from the top level) are read again and committed with their new
	// content. An error aborts the commit with nothing written.
	Stage func(s *Staged) (paths []string, err error)
	// AfterRefUpdate, when set, is called after the ref and reflog moved
	// and before the new index is renamed into place (branch mode): the
	// one window where a crash leaves the index behind the branch. Tests
	// inject crashes here.
	AfterRefUpdate func()
	// NoVerify skips the pre-commit and commit-msg hooks, as
	// "git commit --no-verify" does. Hooks run in ModeBranch only.
	NoVerify bool
	// HookOutput receives what the hooks print (stdout and stderr, as git
	// sends both to its stderr); nil discards it ([HookError] keeps the end
	// of a failing hook's output).
	HookOutput io.Writer
	// Sign overrides commit.gpgSign: nil follows the config, else
	// [SignOptions] says whether and with which key to sign.
	Sign *SignOptions
}

// CommitResult describes a written commit.
type CommitResult struct {
	Hash    Hash
	Parent  Hash // zero for a root commit
	Tree    Hash
	Ref     string   // ref that moved: "refs/heads/x", "HEAD" (detached) or the checkpoint ref
	Changes []Change // compared with Parent
	Warning string   // e.g. detached HEAD
	// Embedded are the embedded repositories (not submodules) the commit
	// added as gitlinks, as git add -A does; [EmbeddedWarning] is git's
	// warning about them.
	Embedded []string
	// Notes are what the commit did that the user should hear of, e.g. a
	// hook that was not run because it is not executable.
	Notes []string
}

// snapshot is the work tree turned into index entries.
type snapshot struct {
	idx      *index.File
	entries  []index.Entry     // the index as "git add -A" would leave it
	contents map[string][]byte // blob content of hashed files that differ from the index
	// conv converts work-tree content as git add does (attributes,
	// core.autocrlf); nil when nothing can convert.
	conv     *conversion
	embedded []string // embedded repositories added as gitlinks
	// unborn (embedded repositories without a commit) and outside
	// (untracked paths outside the sparse checkout) are what git add -A
	// fails on: a commit refuses them ([snapshot.refusal]); listing
	// changes leaves them out.
	unborn, outside []string
	// changedDirs are the folders ("" for the top, "a/" and "a/b/" below)
	// that hold a path the walk found changed, added or deleted, and
	// their ancestors: every other folder's entries are the index's.
	changedDirs map[string]bool
	// cacheTreeNodes are the valid nodes of idx's cache-tree once
	// cacheTreeRead is set (snapshot.cacheTree).
	cacheTreeNodes map[string]index.CacheTreeNode
	cacheTreeRead  bool
}

// warnings are what git add would have printed while the snapshot was
// taken: attribute lines it drops, filters that failed, line endings
// core.safecrlf warns about.
func (s *snapshot) warnings() []string {
	if s.conv == nil {
		return nil
	}
	return s.conv.Warnings
}

// refusal is the error git add -A would fail with on s, nil when none.
func (s *snapshot) refusal() error {
	if len(s.unborn) > 0 {
		return &EmbeddedRepoError{Paths: s.unborn}
	}
	if len(s.outside) > 0 {
		return &SparseOutsideError{Paths: s.outside}
	}
	return nil
}

// scan compares the work tree with the index and hashes what changed. It
// consumes idx.entries (the snapshot's entries reuse their storage; nil
// afterwards). With record, the walk's folder listings replace the
// folder-listing cache (dircache.go; best effort, a failed write leaves
// no cache or the old one, which is validated folder by folder).
func (r *Repo) scan(idx *index.File, record bool) (*snapshot, error) {
	return r.scanWith(idx, record, nil, nil)
}

// scanWith is scan with the folder-listing cache delivered on cached
// (see walkWorktree), and ended early with errScanStopped once stop, when
// not nil, is set.
func (r *Repo) scanWith(idx *index.File, record bool, cached <-chan dirCache, stop *atomic.Bool) (*snapshot, error) {
	res, err := r.walkWorktree(idx, record, cached, stop)
	if err != nil {
		return nil, err
	}
	if res.listing != nil {
		_ = r.writeDirCache(res.listing)
		res.listing = nil
	}
	s := &snapshot{idx: idx, contents: map[string][]byte{}, embedded: res.embedded(), unborn: res.unborn, outside: res.outside}
	paths := make([]string, len(res.dirty))
	for i := range res.dirty {
		paths[i] = res.dirty[i].path
	}
	s.changedDirs = dirtyDirs(paths)
	s.conv = r.newConversion(idx.Entries, res.sawAttrFile)
	err = r.hashDirty(s, idx, res, stop)
	s.conv.done()
	if err != nil {
		return nil, err
	}
	return s, nil
}

// hashDirty reads and hashes the files of res that may differ from the
// index (converted as git add converts them) and puts the resulting
// entries into s.
func (r *Repo) hashDirty(s *snapshot, idx *index.File, res *walkResult, stop *atomic.Bool) error {
	repl := map[int]*index.Entry{} // index position -> replacement (nil = remove)
	removed := map[int]bool{}
	var added []index.Entry
	core := r.coreModes()
	var rbuf []byte
	top := -2 // the top folder, opened at the first file read (-1: could not)
	if testHook != nil {
		testHook("hash")
	}
	for _, f := range res.dirty {
		if stop != nil && stop.Load() {
			return errScanStopped
		}
		if f.deleted {
			removed[f.idx] = true
			continue
		}
		var prev *index.Entry
		prevMode := uint32(0)
		if f.idx >= 0 {
			prev = &idx.Entries[f.idx]
			prevMode = prev.Mode
		}
		if !f.gitlink.IsZero() {
			// A submodule's or embedded repository's HEAD: no content.
			ne := entryFromStat(f.path, &f.st, modeGitlink, f.gitlink)
			if prev != nil {
				ne.Name = prev.Name
				repl[f.idx] = &ne
			} else {
				added = append(added, ne)
			}
			continue
		}
		mode := modeFromStat(&f.st, prevMode, core)
		if mode == 0 || mode == modeGitlink {
			continue
		}
		// A symlink entry checked out as a plain file (core.symlinks
		// off) is read as the file it is.
		regular := f.st.mode.Type() == 0
		// Read into one reused buffer: most files read here (touched,
		// same content) are only hashed; the kept ones are copied.
		if top == -2 {
			top = openTop(r.TopLevel)
			defer closeTop(top)
		}
		data, err := readWorktreeFileInto(top, f.path, filepath.Join(r.TopLevel, f.path), readMode(mode, regular), rbuf)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				if f.idx >= 0 {
					removed[f.idx] = true
				}
				continue
			}
			if isSymlinkLoop(err) && regular {
				return &ChangedDuringScanError{Path: f.path}
			}
			return err
		}
		rbuf = data[:0]
		if s.conv != nil && regular {
			if data, err = s.conv.blob(f.path, data, prev); err != nil {
				return err
			}
		}
		h := odb.HashObject(plumbing.BlobObject, data)
		ne := entryFromStat(f.path, &f.st, mode, h)
		if prev != nil {
			ne.Name = prev.Name
			ne.XFlags = prev.XFlags &^ index.XFlagIntentToAdd
			if prev.Hash != h || prev.Mode != mode || prev.Stage() != 0 || prev.IntentToAdd() {
				s.contents[f.path] = bytes.Clone(data)
			}
			repl[f.idx] = &ne
		} else {
			s.contents[f.path] = bytes.Clone(data)
			added = append(added, ne)
		}
	}
	// Apply, in place (idx.entries is consumed: entry i is read before
	// slot w <= i is written): conflict stages collapse into the stage-0
	// replacement.
	out := idx.Entries[:0]
	for i := range idx.Entries {
		if removed[i] {
			continue
		}
		if ne, ok := repl[i]; ok {
			out = append(out, *ne)
			continue
		}
		if idx.Entries[i].Stage() != 0 {
			// Other stage of a path handled through its first stage, or an
			// unmerged path whose file is gone: drop.
			continue
		}
		out = append(out, idx.Entries[i])
	}
	idx.Entries = nil
	if len(added) > 0 {
		// Merge the sorted additions from the back, in place.
		slices.SortFunc(added, func(a, b index.Entry) int { return strings.Compare(a.Name, b.Name) })
		i, j := len(out)-1, len(added)-1
		out = slices.Grow(out, len(added))[:len(out)+len(added)]
		for k := len(out) - 1; j >= 0; k-- {
			if i >= 0 && out[i].Name > added[j].Name {
				out[k] = out[i]
				i--
			} else {
				out[k] = added[j]
				j--
			}
		}
	}
	s.entries = out
	if s.conv != nil {
		s.conv.idx = out // idx.Entries is consumed
	}
	return nil
}

func entryFromStat(name string, st *fileStat, mode uint32, h Hash) index.Entry {
	return index.Entry{
		Name:   name,
		CtimeS: uint32(st.ctimeS), CtimeN: uint32(st.ctimeN),
		MtimeS: uint32(st.mtimeS), MtimeN: uint32(st.mtimeN),
		Dev: uint32(st.dev), Ino: uint32(st.ino), Mode: mode,
		UID: st.uid, GID: st.gid, Size: uint32(st.size), Hash: h,
	}
}

// inPaths reports whether p is selected by the filter (nil selects all).
func inPaths(p string, paths []string) bool {
	if paths == nil {
		return true
	}
	for _, f := range paths {
		f = strings.Trim(filepath.ToSlash(filepath.Clean(f)), "/")
		if f == "." || f == "" || p == f || strings.HasPrefix(p, f+"/") {
			return true
		}
	}
	return false
}

// plan is a computed commit tree and its difference from the parent.
type plan struct {
	snap    *snapshot
	target  []index.Entry // entries of the commit tree
	root    *treeNode
	changes []Change
	write   []*treeNode
}

// planTree computes the tree to commit on top of parentTree.
func (r *Repo) planTree(snap *snapshot, parentTree Hash, paths []string) (*plan, error) {
	p := &plan{snap: snap, target: snap.entries}
	p.root, _ = buildTree(p.target, 0, "", "")
	d := &treeDiff{r: r}
	if err := d.diff(parentTree, p.root, ""); err != nil {
		return nil, err
	}
	if paths != nil {
		var revert []Change
		for _, c := range d.changes {
			if !inPaths(c.Path, paths) {
				revert = append(revert, c)
			}
		}
		if len(revert) > 0 {
			p.target = revertChanges(p.target, revert)
			p.root, _ = buildTree(p.target, 0, "", "")
			d = &treeDiff{r: r}
			if err := d.diff(parentTree, p.root, ""); err != nil {
				return nil, err
			}
		}
	}
	p.changes, p.write = d.changes, d.write
	return p, nil
}

// replan is planTree (without a paths filter) after only paths changed in
// p.snap.entries since p was planned: the folders holding them are built
// again and every other subtree of p.root is reused.
func (r *Repo) replan(p *plan, parentTree Hash, paths []string) (*plan, error) {
	np := &plan{snap: p.snap, target: p.snap.entries}
	np.root = rebuildTree(np.target, p.root, dirtyDirs(paths))
	d := &treeDiff{r: r}
	if err := d.diff(parentTree, np.root, ""); err != nil {
		return nil, err
	}
	np.changes, np.write = d.changes, d.write
	return np, nil
}

// revertChanges undoes changes in sorted entries (back to the parent side).
func revertChanges(entries []index.Entry, changes []Change) []index.Entry {
	byPath := make(map[string]Change, len(changes))
	for _, c := range changes {
		byPath[c.Path] = c
	}
	out := make([]index.Entry, 0, len(entries))
	var back []index.Entry
	for _, e := range entries {
		c, ok := byPath[e.Name]
		if !ok {
			out = append(out, e)
			continue
		}
		if c.Kind != Added {
			e.Mode, e.Hash = uint32(c.OldMode), c.OldHash
			out = append(out, e)
		}
		delete(byPath, e.Name)
	}
	for _, c := range byPath { // deletions to restore
		if c.Kind == Deleted {
			back = append(back, index.Entry{Name: c.Path, Mode: uint32(c.OldMode), Hash: c.OldHash})
		}
	}
	if len(back) == 0 {
		return out
	}
	out = append(out, back...)
	index.Sort(out)
	return out
}

// Changes lists the differences between HEAD and the work tree (what a
// commit with the same paths filter would record). Nothing is written.
func (r *Repo) Changes(paths []string) ([]Change, error) {
	idx, err := r.readIndexFile(indexPath(r))
	if err != nil {
		return nil, err
	}
	head, err := r.Head()
	if err != nil {
		return nil, err
	}
	var base Hash
	if !head.Unborn {
		if base, err = r.commitTree(head.Hash); err != nil {
			return nil, err
		}
	}
	snap, err := r.scan(idx, false)
	if err != nil {
		return nil, err
	}
	p, err := r.planTree(snap, base, paths)
	if err != nil {
		return nil, err
	}
	return p.changes, nil
}

// Commit snapshots the work tree (or the selected paths) into a commit.
//
// In ModeBranch it refuses while a merge, rebase, cherry-pick, revert or
// bisect is in progress ([UnsafeStateError]), holds index.lock for the whole
// operation, writes blobs, trees and the commit as loose objects, moves the
// branch (or detached HEAD) with a compare-and-swap under its lock, appends
// reflog lines, and finally renames the new index into place. Committing
// on a detached HEAD sets CommitResult.Warning.
//
// In ModeRef the parent is the previous value of [Repo.CheckpointRef], or
// HEAD when that ref does not exist yet; only that ref and its reflog change.
//
// Changed files are checked for secrets and size first ([RefusedFilesError]).
func (r *Repo) Commit(opts CommitOptions) (*CommitResult, error) {
	mode := opts.Mode
	if mode == "" {
		mode = ModeBranch
	}
	if mode != ModeBranch && mode != ModeRef {
		return nil, fmt.Errorf("unknown commit mode %q (want branch or ref)", mode)
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	t := now()
	author, err := r.identity("author", t)
	if err != nil {
		return nil, err
	}
	committer, err := r.identity("committer", t)
	if err != nil {
		return nil, err
	}
	if mode == ModeBranch {
		op, err := r.InProgress()
		if err != nil {
			return nil, err
		}
		if op != "" {
			return nil, unsafeState(op)
		}
	}
	var ilock *refs.Lock
	if mode == ModeBranch {
		if ilock, err = r.acquireLock(indexPath(r)); err != nil {
			return nil, err
		}
		defer ilock.Rollback()
	}
	idx, err := r.readIndexFile(indexPath(r))
	if err != nil {
		return nil, err
	}
	head, err := r.Head()
	if err != nil {
		return nil, err
	}
	res := &CommitResult{}
	var old Hash
	switch {
	case mode == ModeRef:
		res.Ref = r.CheckpointRef()
		prev, ok, err := r.resolveRef(res.Ref)
		if err != nil {
			return nil, err
		}
		if ok {
			old, res.Parent = prev, prev
		} else {
			res.Parent = head.Hash
		}
	case head.Detached:
		res.Ref, old, res.Parent = "HEAD", head.Hash, head.Hash
	default:
		res.Ref, old, res.Parent = head.Branch, head.Hash, head.Hash
	}
	var parentTree Hash
	if !res.Parent.IsZero() {
		if parentTree, err = r.commitTree(res.Parent); err != nil {
			return nil, err
		}
	}
	var oldEntries []index.Entry // the index before the commit, for --only semantics
	if opts.Paths != nil {
		oldEntries = slices.Clone(idx.Entries)
	}
	snap, err := r.scan(idx, true)
	if err != nil {
		return nil, err
	}
	if err := snap.refusal(); err != nil {
		return nil, err
	}
	p, err := r.planTree(snap, parentTree, opts.Paths)
	if err != nil {
		return nil, err
	}
	allowed, err := r.checkFiles(p, opts, nil)
	if err != nil {
		return nil, err
	}
	if opts.Stage != nil {
		paths, err := opts.Stage(&Staged{r: r, p: p, Parent: res.Parent, AllowedSecrets: allowed})
		if err != nil {
			return nil, err
		}
		if len(paths) > 0 {
			if paths, err = r.restat(snap, paths); err != nil {
				return nil, err
			}
			if opts.Paths == nil {
				// Only the restat'ed paths changed since the first plan:
				// rebuild the folders on their way, reuse every other
				// subtree, and check only those files again.
				p, err = r.replan(p, parentTree, paths)
			} else {
				p, err = r.planTree(snap, parentTree, opts.Paths)
			}
			if err != nil {
				return nil, err
			}
			if _, err := r.checkFiles(p, opts, paths); err != nil {
				return nil, err
			}
		}
	}
	if w := snap.warnings(); len(w) > 0 {
		res.Warning = strings.Join(w, "\n")
	}
	res.Changes, res.Tree = p.changes, p.root.hash
	for _, e := range snap.embedded {
		if inPaths(e, opts.Paths) {
			res.Embedded = append(res.Embedded, e)
		}
	}
	if len(p.changes) == 0 && !opts.AllowEmpty {
		return nil, ErrNothingToCommit
	}
	// 1. Objects: blobs, trees (children before parents), commit.
	for _, c := range p.changes {
		if c.NewHash.IsZero() || c.NewMode == modeGitlink {
			continue
		}
		if data, ok := snap.contents[c.Path]; ok {
			if _, err := r.writeObject(plumbing.BlobObject, data, c.NewHash); err != nil {
				return nil, err
			}
		} else if !r.hasObject(c.NewHash) {
			return nil, fmt.Errorf("blob %s for %s is missing from the object database", c.NewHash, c.Path)
		}
	}
	for i := len(p.write) - 1; i >= 0; i-- {
		n := p.write[i]
		if _, err := r.writeObject(plumbing.TreeObject, n.data, n.hash); err != nil {
			return nil, err
		}
	}
	msg := cleanMessage(opts.Message)
	// 2. The new index goes into index.lock before the hooks run (they see
	// the index being committed, as with "git commit -a") and before the
	// ref moves, so the window between the ref update and the index rename
	// is one rename.
	hooks := &hookRun{r: r, out: opts.HookOutput, author: author}
	if mode == ModeBranch {
		var newEntries []index.Entry
		var tree []byte
		if opts.Paths == nil {
			newEntries = snap.entries
			tree = appendCacheTree(nil, p.root)
		} else {
			newEntries = applyToIndex(oldEntries, snap.entries, p.changes)
		}
		// Streamed into index.lock (buffered), not built in memory first.
		if err := writeIndex(ilock, idx.Version, newEntries, tree); err != nil {
			return nil, err
		}
		if msg, err = r.runPreCommitHooks(hooks, ilock, p, parentTree, opts, msg); err != nil {
			return nil, err
		}
		res.Changes, res.Tree = p.changes, p.root.hash
	}
	var cb strings.Builder
	fmt.Fprintf(&cb, "tree %s\n", res.Tree)
	if !res.Parent.IsZero() {
		fmt.Fprintf(&cb, "parent %s\n", res.Parent)
	}
	fmt.Fprintf(&cb, "author %s\ncommitter %s\n\n%s", author, committer, msg)
	payload := cb.String()
	if sign, key := r.signSettings(opts.Sign); sign {
		if payload, err = r.signCommit(payload, key, committer); err != nil {
			return nil, err
		}
	}
	if res.Hash, err = r.writeObject(plumbing.CommitObject, []byte(payload), Hash{}); err != nil {
		return nil, err
	}
	if head.Detached && mode == ModeBranch {
		res.Warning = joinWarning(res.Warning, fmt.Sprintf("HEAD is detached: commit %s is on no branch; it stays reachable through the reflog (git reflog) until you create a branch for it (git branch NAME %s)", res.Hash.String()[:12], res.Hash.String()[:12]))
	}
	if opts.BeforeRefUpdate != nil {
		if err := opts.BeforeRefUpdate(res.Hash); err != nil {
			return nil, err
		}
	}
	// 3. The ref, with reflog.
	reflog := "commit: " + oneLine(msg)
	switch {
	case mode == ModeRef:
		reflog = "wf checkpoint: " + oneLine(msg)
	case res.Parent.IsZero():
		reflog = "commit (initial): " + oneLine(msg)
	}
	headToo := mode == ModeBranch && !head.Detached
	var via []string
	if headToo {
		via = head.Via
	}
	if err := r.updateRef(res.Ref, old, res.Hash, committer, reflog, headToo, via...); err != nil {
		return nil, err
	}
	if opts.AfterRefUpdate != nil {
		opts.AfterRefUpdate()
	}
	// 4. The index.
	if mode == ModeBranch {
		if err := ilock.Commit(); err != nil {
			return res, fmt.Errorf("commit %s written and %s updated, but the index was not: %w (RepairIndex fixes it)", res.Hash, res.Ref, err)
		}
		// post-commit cannot change the outcome; git ignores its status
		// too (its output was shown).
		_, _ = hooks.run(HookPostCommit, hooks.gitDirArg("index"))
	}
	res.Notes = hooks.notes
	return res, nil
}

// applyToIndex updates the old index entries for the committed changes only
// (taking the snapshot's entry, with fresh stat data), leaving other staged
// changes staged, as "git commit --only PATHS" does.
func applyToIndex(old, snap []index.Entry, changes []Change) []index.Entry {
	ch := make(map[string]bool, len(changes))
	for _, c := range changes {
		ch[c.Path] = true
	}
	out := make([]index.Entry, 0, len(old)+len(changes))
	for _, e := range old {
		if !ch[e.Name] {
			out = append(out, e)
		}
	}
	for i := range snap {
		if ch[snap[i].Name] {
			out = append(out, snap[i])
		}
	}
	index.Sort(out)
	return out
}

// cleanMessage trims trailing whitespace on lines and blank lines at both
// ends and ends the message with a newline, as git commit's default cleanup
// does (comment lines are kept).
func cleanMessage(m string) string {
	lines := strings.Split(m, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	s := strings.Trim(strings.Join(lines, "\n"), "\n")
	return s + "\n"
}

// checkFiles applies the secret and size rules to files the commit adds or
// changes; with only set, to those paths alone (the others were checked
// before). It returns the files that look like secrets but went through
// because opts.AllowSecret named them.
func (r *Repo) checkFiles(p *plan, opts CommitOptions, only []string) ([]AllowedSecret, error) {
	var refused []RefusedFile
	var allowed []AllowedSecret
	for _, c := range p.changes {
		if c.NewHash.IsZero() || c.NewMode == modeGitlink {
			continue
		}
		if only != nil && !slices.Contains(only, c.Path) {
			continue
		}
		var data []byte // a symlink is checked by its name only
		if c.NewMode != modeSymlink {
			var ok bool
			if data, ok = p.snap.contents[c.Path]; !ok {
				var err error
				if data, err = r.readObject(plumbing.BlobObject, c.NewHash); err != nil {
					return nil, err
				}
			}
			if len(data) > MaxFileSize && !slices.Contains(opts.AllowLarge, c.Path) {
				refused = append(refused, RefusedFile{Path: c.Path, Large: true,
					Reason: fmt.Sprintf("%.1f MB is over the %d MB limit", float64(len(data))/(1<<20), MaxFileSize>>20)})
				continue
			}
		}
		accepted, wasAccepted := opts.AcceptedSecrets[c.Path]
		if wasAccepted && accepted == c.NewHash {
			continue
		}
		fs, err := ScanSecrets(c.Path, data)
		if err != nil {
			return nil, err
		}
		if len(fs) == 0 {
			continue
		}
		if slices.Contains(opts.AllowSecret, c.Path) {
			allowed = append(allowed, AllowedSecret{Path: c.Path, Blob: c.NewHash, Rule: fs[0].Rule, Line: fs[0].Line})
			continue
		}
		rf := RefusedFile{Path: c.Path, Reason: fs[0].Description, Rule: fs[0].Rule, Line: fs[0].Line, Blob: c.NewHash}
		if wasAccepted {
			rf.Accepted = accepted
		}
		refused = append(refused, rf)
	}
	if len(refused) > 0 {
		return nil, &RefusedFilesError{Files: refused}
	}
	return allowed, nil
}
