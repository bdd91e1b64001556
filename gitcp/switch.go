package gitcp

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/index"
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

// CreateBranch creates refs/heads/<branch> at commit target (it must not
// exist) with a reflog line. With switchTo it then makes the branch the
// worktree's HEAD, like "git switch -c branch target": the work tree must
// be clean (no change to commit, untracked files included) and no git
// operation in progress; files that differ between HEAD and target are
// written or removed, and the index is rewritten under index.lock to match
// target. Nothing is reset or force-moved: the old branch keeps its
// commits. Paths marked skip-worktree (sparse checkout) are not written.
//
// It is not crash-safe the way [Repo.Commit] is: killed while writing
// files, the work tree holds a mix of both commits with HEAD still on the
// old branch, and git status shows that truthfully.
func (r *Repo) CreateBranch(branch string, target Hash, switchTo bool, now time.Time) error {
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
	snap, err := r.scan(idx)
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
	// The ref first: from here on the new commit is findable by name.
	if err := r.updateRef(ref, Hash{}, target, who, "branch: Created from "+target.String(), false); err != nil {
		return err
	}
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
	for _, c := range changes {
		if c.NewHash.IsZero() || uint32(c.NewMode) == modeGitlink {
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
		if err := writeWorktreeFile(abs, uint32(c.NewMode), data); err != nil {
			return err
		}
		st, err := lstat(abs)
		if err != nil {
			return err
		}
		written[c.Path] = st
	}
	// The index, matching target.
	var entries []index.Entry
	err = r.flattenTree(targetTree, "", func(path string, e tree.Entry) error {
		if st, ok := written[path]; ok {
			entries = append(entries, entryFromStat(path, &st, e.Mode, e.ID))
			return nil
		}
		ne := index.Entry{Name: path, Mode: e.Mode, Hash: e.ID}
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
	// HEAD, with the reflog line git switch writes.
	hl, err := r.acquireLock(filepath.Join(r.GitDir, "HEAD"))
	if err != nil {
		return err
	}
	if err := writeSync(hl, []byte("ref: "+ref+"\n")); err != nil {
		hl.Rollback()
		return err
	}
	if err := hl.Commit(); err != nil {
		return err
	}
	from := head.ShortBranch()
	if head.Detached {
		from = head.Hash.String()
	}
	line := refs.LogLine(head.Hash, target, who.String(), "checkout: moving from "+from+" to "+branch)
	if err := refs.AppendLog(r.refStore().LogFile("HEAD"), line); err != nil {
		return err
	}
	return ilock.Commit()
}

func writeWorktreeFile(abs string, mode uint32, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(abs), 0o777); err != nil {
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
	tmp := abs + ".wf-tmp"
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
