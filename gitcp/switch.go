package gitcp

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/ignore"
	"github.com/wf-tool/wf/gitcp/internal/index"
	"github.com/wf-tool/wf/gitcp/internal/odb"
	"github.com/wf-tool/wf/gitcp/internal/refs"
	"github.com/wf-tool/wf/gitcp/internal/tree"
)

// DirtyWorktreeError is returned by [Repo.CreateBranch] when asked to
// switch to the new branch while the work tree has changes.
type DirtyWorktreeError struct {
	Changes []Change
}

func (e *DirtyWorktreeError) Error() string {
	var names []string
	for i, c := range e.Changes {
		if i == 5 {
			names = append(names, "…")
			break
		}
		names = append(names, c.Path)
	}
	return fmt.Sprintf("the work tree has %d uncommitted changes (%s)", len(e.Changes), strings.Join(names, ", "))
}

// Hint says what the user can do.
func (e *DirtyWorktreeError) Hint() string {
	return "wf checkpoint -m \"...\" first (or commit or stash the changes), then run this again"
}

// ValidBranchName reports whether name is usable as refs/heads/<name>
// (a conservative subset of git check-ref-format).
func ValidBranchName(name string) bool {
	if name == "" || name == "HEAD" || strings.HasPrefix(name, "-") || strings.HasSuffix(name, "/") ||
		strings.HasSuffix(name, ".lock") || strings.HasSuffix(name, ".") || strings.Contains(name, "..") ||
		strings.Contains(name, "//") || strings.Contains(name, "@{") {
		return false
	}
	for _, part := range strings.Split(name, "/") {
		if part == "" || strings.HasPrefix(part, ".") {
			return false
		}
	}
	for _, c := range name {
		if c <= ' ' || c == 0x7f || strings.ContainsRune("~^:?*[\\", c) {
			return false
		}
	}
	return true
}

// InTheWayError is returned by [Repo.CreateBranch] when switching would
// overwrite or write through files git does not track here: ignored files,
// or a symlinked (or file) leading folder of a path to write. git switch
// refuses untracked files in the way; wf refuses ignored ones too (git
// would overwrite them), and never writes through a link.
type InTheWayError struct {
	Paths []string // from the top level
}

func (e *InTheWayError) Error() string {
	names := e.Paths
	if len(names) > 5 {
		names = append(names[:5:5], "…")
	}
	return fmt.Sprintf("switching would overwrite %d untracked or ignored paths in the way (%s)", len(e.Paths), strings.Join(names, ", "))
}

// Hint says what the user can do.
func (e *InTheWayError) Hint() string {
	return "move them out of the repository (they are not tracked, so git cannot restore them), then run this again"
}

// SwitchPlan is what [Repo.CreateBranch] is about to do once its checks
// passed and before it writes anything: a caller journals it, and
// [Repo.UndoSwitch] puts the old checkout back from it.
type SwitchPlan struct {
	Ref     string // the new branch, "refs/heads/<branch>"
	Target  Hash   // its commit
	OldHead string // HEAD's content before: "ref: refs/heads/main" or a hash
	OldHash Hash   // the commit HEAD resolved to (zero when unborn)
	OldTree Hash   // its tree (zero when unborn)
	NewTree Hash   // Target's tree
	Paths   []string
}

// SwitchHooks let a caller journal a switch and tests crash it.
type SwitchHooks struct {
	// Planned runs before anything is written; an error aborts with
	// nothing changed.
	Planned func(*SwitchPlan) error
	// Step is told each step done: "ref", "files", "index-written",
	// "head".
	Step func(string)
}

// CreateBranch creates refs/heads/<branch> at commit target (it must not
// exist) with a reflog line. With switchTo it then makes the branch the
// worktree's HEAD, like "git switch -c branch target": the work tree must
// be clean (no change to commit, untracked files included) and no git
// operation in progress; files that differ between HEAD and target are
// written or removed, and the index is rewritten under index.lock to match
// target. Nothing is reset or force-moved: the old branch keeps its
// commits. Paths marked skip-worktree (sparse checkout) are not written.
// Ignored files in the way of a path to write, and symlinked leading
// folders, are refused ([InTheWayError]): nothing is written through a
// link. So is a switch that writes a file git's checkout would convert
// ([*CheckoutConversionError]): wf writes blobs as they are.
//
// On its own it is not crash-safe: killed while writing files, the work
// tree holds a mix of both commits with HEAD still on the old branch. A
// caller journals it through hooks.Planned and, after a crash, completes
// it (HEAD moved: repair the index) or calls [Repo.UndoSwitch].
func (r *Repo) CreateBranch(branch string, target Hash, switchTo bool, now time.Time, hooks ...SwitchHooks) error {
	var hk SwitchHooks
	if len(hooks) > 0 {
		hk = hooks[0]
	}
	step := hk.Step
	if step == nil {
		step = func(string) {}
	}
	if !ValidBranchName(branch) {
		return fmt.Errorf("%q is not a valid branch name", branch)
	}
	ref := "refs/heads/" + branch
	if _, ok, err := r.resolveRef(ref); err != nil {
		return err
	} else if ok {
		return fmt.Errorf("branch %s already exists", branch)
	}
	who, err := r.identity("committer", now)
	if err != nil {
		return err
	}
	head, err := r.Head()
	if err != nil {
		return err
	}
	if !switchTo {
		return r.updateRef(ref, Hash{}, target, who, "branch: Created from "+target.String(), false)
	}
	if op, err := r.InProgress(); err != nil {
		return err
	} else if op != "" {
		return unsafeState(op)
	}
	ilock, err := r.acquireLock(indexPath(r))
	if err != nil {
		return err
	}
	defer ilock.Rollback()
	idx, err := r.readIndexFile(indexPath(r))
	if err != nil {
		return err
	}
	var headTree Hash
	if !head.Unborn {
		if headTree, err = r.commitTree(head.Hash); err != nil {
			return err
		}
	}
	snap, err := r.scan(idx, false)
	if err != nil {
		return err
	}
	p, err := r.planTree(snap, headTree, nil)
	if err != nil {
		return err
	}
	if len(p.changes) > 0 {
		return &DirtyWorktreeError{Changes: p.changes}
	}
	targetTree, err := r.commitTree(target)
	if err != nil {
		return err
	}
	changes, err := r.diffStoredTrees(headTree, targetTree, "")
	if err != nil {
		return err
	}
	old := make(map[string]*index.Entry, len(snap.entries))
	for i := range snap.entries {
		old[snap.entries[i].Name] = &snap.entries[i]
	}
	if err := r.checkInTheWay(changes, old); err != nil {
		return err
	}
	// A path new to the index that the sparse-checkout patterns leave
	// out is not written and gets skip-worktree, as git's checkout marks
	// it (unpack_trees' mark_new_skip_worktree on added entries).
	unwritten := map[string]bool{}
	if sparse := r.sparsePatterns(); sparse != nil {
		for _, c := range changes {
			if !c.NewHash.IsZero() && old[c.Path] == nil && !ignore.InSparse(sparse, c.Path) {
				unwritten[c.Path] = true
			}
		}
	}
	if err := r.checkSwitchConversion(changes, old, unwritten, snap.entries, targetTree, "git switch -c "+ShellArg(branch)+" "+target.String()); err != nil {
		return err
	}
	oldHead, err := os.ReadFile(filepath.Join(r.GitDir, "HEAD"))
	if err != nil {
		return err
	}
	plan := &SwitchPlan{Ref: ref, Target: target, OldHead: strings.TrimSpace(string(oldHead)), OldHash: head.Hash, OldTree: headTree, NewTree: targetTree}
	for _, c := range changes {
		plan.Paths = append(plan.Paths, c.Path)
	}
	if hk.Planned != nil {
		if err := hk.Planned(plan); err != nil {
			return err
		}
	}
	// The ref first: from here on the new commit is findable by name.
	if err := r.updateRef(ref, Hash{}, target, who, "branch: Created from "+target.String(), false); err != nil {
		return err
	}
	step("ref")
	// Work-tree files: removals first (a file may become a folder), then
	// writes.
	written := map[string]fileStat{}
	for _, c := range changes {
		if o := old[c.Path]; o != nil && o.SkipWorktree() {
			continue
		}
		if c.Kind == Deleted || c.Kind == TypeChanged {
			abs := filepath.Join(r.TopLevel, filepath.FromSlash(c.Path))
			if err := os.Remove(abs); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			removeEmptyDirs(r.TopLevel, filepath.Dir(abs))
		}
	}
	lead := newLeadingPaths(r.TopLevel)
	for _, c := range changes {
		if c.NewHash.IsZero() || uint32(c.NewMode) == modeGitlink || unwritten[c.Path] {
			continue
		}
		if o := old[c.Path]; o != nil && o.SkipWorktree() {
			continue
		}
		abs := filepath.Join(r.TopLevel, filepath.FromSlash(c.Path))
		data, err := r.readObject(plumbing.BlobObject, c.NewHash)
		if err != nil {
			return err
		}
		if err := writeWorktreeFile(r.TopLevel, lead, c.Path, uint32(c.NewMode), data); err != nil {
			return err
		}
		st, err := lstat(abs)
		if err != nil {
			return err
		}
		written[c.Path] = st
	}
	step("files")
	// The index, matching target.
	var entries []index.Entry
	err = r.flattenTree(targetTree, "", func(path string, e tree.Entry) error {
		if st, ok := written[path]; ok {
			entries = append(entries, entryFromStat(path, &st, e.Mode, e.ID))
			return nil
		}
		ne := index.Entry{Name: path, Mode: e.Mode, Hash: e.ID}
		if unwritten[path] {
			ne.XFlags = index.XFlagSkipWorktree
		}
		if o := old[path]; o != nil {
			if o.Mode == e.Mode && o.Hash == e.ID {
				ne = *o
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
	index.Sort(entries)
	if _, err := ilock.Write(index.Encode(idx.Version, entries, nil)); err != nil {
		return err
	}
	if err := ilock.Sync(); err != nil {
		return err
	}
	step("index-written")
	// HEAD, with the reflog line git switch writes.
	hl, err := r.acquireLock(filepath.Join(r.GitDir, "HEAD"))
	if err != nil {
		return err
	}
	if err := writeSync(hl, []byte("ref: "+ref+"\n")); err != nil {
		hl.Rollback()
		return err
	}
	// The reflog line is appended under HEAD.lock, before the rename, as
	// git writes it (see updateRef).
	from := head.ShortBranch()
	if head.Detached {
		from = head.Hash.String()
	}
	line := refs.LogLine(head.Hash, target, who.String(), "checkout: moving from "+from+" to "+branch)
	if err := refs.AppendLog(r.refStore().LogFile("HEAD"), line); err != nil {
		hl.Rollback()
		return err
	}
	if err := hl.Commit(); err != nil {
		return err
	}
	step("head")
	return ilock.Commit()
}

// checkInTheWay refuses a switch that would overwrite a path the index
// does not track (so, in a clean work tree, an ignored one) or write
// through a leading folder that is a symlink or a file this switch does
// not remove.
func (r *Repo) checkInTheWay(changes []Change, old map[string]*index.Entry) error {
	removed := map[string]bool{}
	for _, c := range changes {
		if c.Kind == Deleted || c.Kind == TypeChanged {
			removed[c.Path] = true
		}
	}
	var way []string
	seen := map[string]bool{}
	for _, c := range changes {
		if c.NewHash.IsZero() || uint32(c.NewMode) == modeGitlink {
			continue
		}
		if o := old[c.Path]; o != nil && o.SkipWorktree() {
			continue
		}
		// Leading folders: each must be a real folder, missing, or a
		// tracked file this switch removes first.
		blocked := false
		for i := 0; i < len(c.Path); i++ {
			if c.Path[i] != '/' {
				continue
			}
			d := c.Path[:i]
			fi, err := os.Lstat(filepath.Join(r.TopLevel, filepath.FromSlash(d)))
			if err != nil {
				break // missing: created as a real folder
			}
			if fi.IsDir() {
				continue
			}
			if !removed[d] && !seen[d] {
				seen[d] = true
				way = append(way, d)
			}
			blocked = true
			break
		}
		if blocked {
			continue
		}
		if _, tracked := old[c.Path]; tracked {
			continue
		}
		if _, err := os.Lstat(filepath.Join(r.TopLevel, filepath.FromSlash(c.Path))); err == nil && !seen[c.Path] {
			seen[c.Path] = true
			way = append(way, c.Path)
		}
	}
	if len(way) > 0 {
		return &InTheWayError{Paths: way}
	}
	return nil
}

// UndoSwitch puts back the checkout p replaced after a crash interrupted
// [Repo.CreateBranch] before HEAD moved: every path of p whose work-tree
// content is the new or the old version (or missing) gets the old version
// back (or is removed when the old tree lacks it); a path holding anything
// else was edited since and is left alone and returned in kept. Then the
// new branch is deleted if it still points to p.Target and HEAD is not on
// it. The index was never replaced (the new one only ever lived in
// index.lock); the caller removes a stale lock first.
func (r *Repo) UndoSwitch(p *SwitchPlan) (kept []string, err error) {
	oldFiles, err := r.treeFiles(p.OldTree, p.Paths)
	if err != nil {
		return nil, err
	}
	newFiles, err := r.treeFiles(p.NewTree, p.Paths)
	if err != nil {
		return nil, err
	}
	lead := newLeadingPaths(r.TopLevel)
	// Deepest first, so that a folder the switch made is emptied before
	// a file of the old tree takes its name.
	paths := append([]string(nil), p.Paths...)
	sort.Sort(sort.Reverse(sort.StringSlice(paths)))
	for _, path := range paths {
		if lead.blocked(path) != "" {
			if _, err := os.Lstat(filepath.Join(r.TopLevel, filepath.FromSlash(dirOf(path)))); err == nil {
				kept = append(kept, path)
				continue
			}
		}
		abs := filepath.Join(r.TopLevel, filepath.FromSlash(path))
		o, hasOld := oldFiles[path]
		n := newFiles[path]
		cur, cerr := r.worktreeBlob(abs)
		switch {
		case cerr != nil && !errors.Is(cerr, fs.ErrNotExist):
			kept = append(kept, path)
			continue
		case cerr == nil && cur != n && !(hasOld && cur == o):
			kept = append(kept, path)
			continue
		}
		if !hasOld {
			if cerr == nil {
				os.Remove(abs)
				removeEmptyDirs(r.TopLevel, filepath.Dir(abs))
			}
			continue
		}
		if cerr == nil && cur == o {
			continue
		}
		data, err := r.readObject(plumbing.BlobObject, o.hash)
		if err != nil {
			return kept, err
		}
		if err := writeWorktreeFile(r.TopLevel, newLeadingPaths(r.TopLevel), path, o.mode, data); err != nil {
			return kept, err
		}
	}
	// The branch, unless HEAD is on it or it moved on.
	if head, err := r.Head(); err == nil && head.Branch != p.Ref {
		if cur, ok, err := r.resolveRef(p.Ref); err == nil && ok && cur == p.Target {
			if err := r.deleteLooseRef(p.Ref, p.Target); err != nil {
				return kept, err
			}
		}
	}
	return kept, nil
}

// treeEntryID is a blob's id and mode in a tree.
type treeEntryID struct {
	hash Hash
	mode uint32
}

// treeFiles returns the entries of tree (zero: empty) at the given paths.
func (r *Repo) treeFiles(t Hash, paths []string) (map[string]treeEntryID, error) {
	out := map[string]treeEntryID{}
	if t.IsZero() {
		return out, nil
	}
	want := make(map[string]bool, len(paths))
	for _, p := range paths {
		want[p] = true
	}
	err := r.flattenTree(t, "", func(p string, e tree.Entry) error {
		if want[p] {
			out[p] = treeEntryID{hash: e.ID, mode: e.Mode}
		}
		return nil
	})
	return out, err
}

// worktreeBlob hashes the work-tree file at abs as the switch wrote it
// (raw blob bytes, a symlink by its target: no attribute conversion, since
// the switch writes blobs unconverted), with its mode.
func (r *Repo) worktreeBlob(abs string) (treeEntryID, error) {
	st, err := lstat(abs)
	if err != nil {
		return treeEntryID{}, err
	}
	mode := modeFromStat(&st, 0, coreModes{fileMode: true, symlinks: true})
	if mode == 0 || mode == modeGitlink {
		return treeEntryID{}, fmt.Errorf("%s is not a file", abs)
	}
	data, err := readWorktreeFile(abs, mode)
	if err != nil {
		return treeEntryID{}, err
	}
	return treeEntryID{hash: odb.HashObject(plumbing.BlobObject, data), mode: mode}, nil
}

// deleteLooseRef removes the loose ref name if it holds want, under its
// lock, with its reflog (the ref was created by this package and never
// packed).
func (r *Repo) deleteLooseRef(name string, want Hash) error {
	l, err := r.lockRef(name, want)
	if err != nil {
		return err
	}
	defer l.Rollback()
	if err := os.Remove(r.refStore().File(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	os.Remove(r.refStore().LogFile(name))
	return nil
}

// writeWorktreeFile writes the blob data as rel (a slash path from top)
// with a git mode, creating its folders; it refuses ([SymlinkPathError])
// a leading folder that is a symlink or a file, as git never writes
// through one.
func writeWorktreeFile(top string, lead *leadingPaths, rel string, mode uint32, data []byte) error {
	abs := filepath.Join(top, filepath.FromSlash(rel))
	if err := lead.makeDirs(rel); err != nil {
		return err
	}
	if mode == modeSymlink {
		os.Remove(abs)
		return os.Symlink(string(data), abs)
	}
	perm := os.FileMode(0o666)
	if mode == modeExecutable {
		perm = 0o777
	}
	tmp := checkoutTemp(abs)
	os.Remove(tmp)
	if err := os.WriteFile(tmp, data, perm); err != nil { // the umask applies
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, abs)
}

// removeEmptyDirs removes dir and its parents up to (not including) top
// while they are empty.
func removeEmptyDirs(top, dir string) {
	for dir != top && strings.HasPrefix(dir, top+string(filepath.Separator)) {
		if os.Remove(dir) != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}

// checkoutTemp is the temp file a checkout writes abs through: in abs's
// folder (for the rename), named so that the work-tree scan never commits
// it (see [IsWfTemp]).
func checkoutTemp(abs string) string {
	return filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".wf-tmp-checkout")
}

// RemoveCheckoutTemp removes the temp file a killed checkout of rel (a
// slash path from the top level) may have left; never through a symlinked
// folder.
func RemoveCheckoutTemp(r *Repo, rel string) {
	if newLeadingPaths(r.TopLevel).blocked(rel) != "" {
		return
	}
	tmp := checkoutTemp(filepath.Join(r.TopLevel, filepath.FromSlash(rel)))
	if fi, err := os.Lstat(tmp); err == nil && fi.Mode().IsRegular() {
		os.Remove(tmp)
	}
}
