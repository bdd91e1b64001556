package gitcp

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/config"
	"github.com/wf-tool/wf/gitcp/internal/ignore"
	"github.com/wf-tool/wf/gitcp/internal/index"
	"github.com/wf-tool/wf/gitcp/internal/tree"
)

// worktreeInitializing is the content of the "locked" file while
// [Repo.AddWorktree] builds a worktree, as git writes it during
// `git worktree add` ("initializing"): git worktree prune leaves a locked
// worktree alone, and [Repo.RemovePartialWorktree] removes only a
// worktree that still carries it.
const worktreeInitializing = "initializing"

// Worktree names a linked worktree [Repo.AddWorktree] made.
type Worktree struct {
	Path     string // the work tree's folder (absolute)
	AdminDir string // its git dir: CommonDir/worktrees/<name>
	Name     string // the <name> under CommonDir/worktrees
	Branch   string // the new branch, full ref name
}

// PlanWorktree returns where [Repo.AddWorktree] would put a worktree for
// path and branch, without writing anything: the admin folder is named
// after path's base name, with a number appended when that name is taken
// (git's rule in builtin/worktree.c). Callers journal the plan first.
func (r *Repo) PlanWorktree(path, branch string) (Worktree, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Worktree{}, err
	}
	base := filepath.Base(abs)
	name := base
	for i := 1; ; i++ {
		if _, err := os.Lstat(filepath.Join(r.CommonDir, "worktrees", name)); errors.Is(err, fs.ErrNotExist) {
			break
		}
		name = base + strconv.Itoa(i)
	}
	return Worktree{Path: abs, AdminDir: filepath.Join(r.CommonDir, "worktrees", name), Name: name, Branch: "refs/heads/" + branch}, nil
}

// AddWorktree does what `git worktree add -b BRANCH PATH TARGET` does,
// with wf's own code (go-git v5 cannot create linked worktrees; see
// gitrepository-layout(5), "worktrees/<id>/"): it creates branch at
// target, the admin folder wt.AdminDir with gitdir (the absolute path of
// PATH/.git), commondir ("../.."), HEAD (the branch) and, at the end, an
// index matching target with the files' stat data; PATH/.git ("gitdir:
// <admin folder>"); and the files of target's tree in PATH. While it works
// the admin folder holds "locked" ("initializing"), removed last, so a
// crash leaves a worktree that git keeps and that
// [Repo.RemovePartialWorktree] takes away. wt comes from
// [Repo.PlanWorktree].
//
// It refuses: a path that exists and is not an empty folder, a branch that
// exists, an admin folder that exists, and a commit some of whose files
// git's checkout would convert ([*CheckoutConversionError]: wf does not
// apply conversions, and the files would differ from what git checks
// out). A .gitattributes that converts none of them is no reason to
// refuse. In a sparse checkout the new worktree gets this one's
// info/sparse-checkout and config.worktree, as git worktree add copies
// them, and the files outside the patterns are not written but marked
// skip-worktree.
func (r *Repo) AddWorktree(wt Worktree, target Hash, now time.Time) error {
	branch := strings.TrimPrefix(wt.Branch, "refs/heads/")
	if !ValidBranchName(branch) {
		return fmt.Errorf("%q is not a valid branch name", branch)
	}
	if _, ok, err := r.resolveRef(wt.Branch); err != nil {
		return err
	} else if ok {
		return fmt.Errorf("branch %s already exists", branch)
	}
	if ents, err := os.ReadDir(wt.Path); err == nil && len(ents) > 0 {
		return fmt.Errorf("%s exists and is not empty", wt.Path)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if _, err := os.Lstat(wt.AdminDir); err == nil {
		return fmt.Errorf("%s exists already", wt.AdminDir)
	}
	targetTree, err := r.commitTree(target)
	if err != nil {
		return err
	}
	var files []struct {
		path string
		e    tree.Entry
	}
	// In a sparse checkout the new worktree inherits the patterns, as git
	// worktree add copies them (with config.worktree): files outside them
	// are not written and get skip-worktree.
	sparse := r.sparsePatterns()
	var sparseFiles [][2]string // admin-folder name, content to copy
	if sparse != nil {
		if sparseFiles, err = r.sparseFilesToCopy(); err != nil {
			return err
		}
	}
	outside := func(p string) bool { return sparse != nil && !ignore.InSparse(sparse, p) }
	var writes []blobToWrite
	attrFiles := map[string]Hash{}
	err = r.flattenTree(targetTree, "", func(p string, e tree.Entry) error {
		if isAttrFile(p) && e.Mode != modeGitlink {
			attrFiles[p] = e.ID // a symlink's too: git reads its blob
		}
		if e.Mode != modeGitlink && e.Mode != modeSymlink && !outside(p) {
			writes = append(writes, blobToWrite{path: p, id: e.ID})
		}
		files = append(files, struct {
			path string
			e    tree.Entry
		}{p, e})
		return nil
	})
	if err != nil {
		return err
	}
	// git worktree add converts what it checks out (line endings, smudge
	// filters, ident, encodings) as the commit's .gitattributes and the
	// configuration say; wf writes blobs as they are, so it refuses a
	// commit any of whose files git would convert.
	c, _ := r.newAttrStack(nil, false)
	c.fromTree = attrFiles
	if err := r.checkoutConversion(c, writes, "git worktree add -b "+ShellArg(branch)+" "+ShellArg(wt.Path)+" "+target.String()); err != nil {
		return err
	}
	who, err := r.identity("committer", now)
	if err != nil {
		return err
	}
	// The admin folder, locked while we build.
	if err := os.MkdirAll(filepath.Dir(wt.AdminDir), 0o777); err != nil {
		return err
	}
	if err := os.Mkdir(wt.AdminDir, 0o777); err != nil {
		return err
	}
	put := func(name, content string) error {
		return os.WriteFile(filepath.Join(wt.AdminDir, name), []byte(content), 0o666)
	}
	if err := put("locked", worktreeInitializing); err != nil {
		return err
	}
	if err := os.MkdirAll(wt.Path, 0o777); err != nil {
		return err
	}
	dotGit := filepath.Join(wt.Path, ".git")
	if len(sparseFiles) > 0 {
		if err := os.Mkdir(filepath.Join(wt.AdminDir, "info"), 0o777); err != nil {
			return err
		}
	}
	for _, f := range append([][2]string{{"gitdir", dotGit + "\n"}, {"commondir", "../..\n"}, {"HEAD", "ref: " + wt.Branch + "\n"}}, sparseFiles...) {
		if err := put(f[0], f[1]); err != nil {
			return err
		}
	}
	if err := os.WriteFile(dotGit, []byte("gitdir: "+wt.AdminDir+"\n"), 0o666); err != nil {
		return err
	}
	if err := r.updateRef(wt.Branch, Hash{}, target, who, "branch: Created from "+target.String(), false); err != nil {
		return err
	}
	// The files, then the index with their stat data.
	var entries []index.Entry
	lead := newLeadingPaths(wt.Path)
	for _, f := range files {
		abs := filepath.Join(wt.Path, filepath.FromSlash(f.path))
		if outside(f.path) {
			entries = append(entries, index.Entry{Name: f.path, Mode: f.e.Mode, Hash: f.e.ID, XFlags: index.XFlagSkipWorktree})
			continue
		}
		if f.e.Mode == modeGitlink {
			if err := os.MkdirAll(abs, 0o777); err != nil {
				return err
			}
			entries = append(entries, index.Entry{Name: f.path, Mode: f.e.Mode, Hash: f.e.ID})
			continue
		}
		data, err := r.readObject(plumbing.BlobObject, f.e.ID)
		if err != nil {
			return err
		}
		if err := writeWorktreeFile(wt.Path, lead, f.path, f.e.Mode, data); err != nil {
			return err
		}
		st, err := lstat(abs)
		if err != nil {
			return err
		}
		entries = append(entries, entryFromStat(f.path, &st, f.e.Mode, f.e.ID))
	}
	index.Sort(entries)
	if err := put("index", string(index.Encode(2, entries, nil))); err != nil {
		return err
	}
	return os.Remove(filepath.Join(wt.AdminDir, "locked"))
}

// sparseFilesToCopy returns what git worktree add copies into a new
// worktree's admin folder from this one's, in a sparse checkout
// (builtin/worktree.c's copy_sparse_checkout and
// copy_filtered_worktree_config): info/sparse-checkout, and with
// extensions.worktreeConfig the config.worktree that turns it on. A
// config.worktree that sets core.bare or core.worktree, which git filters
// out, is refused rather than rewritten.
func (r *Repo) sparseFilesToCopy() ([][2]string, error) {
	var out [][2]string
	if data, err := os.ReadFile(filepath.Join(r.GitDir, "info", "sparse-checkout")); err == nil {
		out = append(out, [2]string{filepath.Join("info", "sparse-checkout"), string(data)})
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if r.cfg.Bool("extensions.worktreeconfig", false) {
		p := filepath.Join(r.GitDir, "config.worktree")
		data, err := os.ReadFile(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return nil, err
		default:
			wc := config.New()
			wc.Parse(data, nil)
			if _, bare := wc.Get("core.bare"); bare {
				return nil, fmt.Errorf("%s sets core.bare, which git worktree add leaves out of the new worktree; wf does not rewrite it: use git worktree add", p)
			}
			if _, set := wc.Get("core.worktree"); set {
				return nil, fmt.Errorf("%s sets core.worktree, which git worktree add leaves out of the new worktree; wf does not rewrite it: use git worktree add", p)
			}
			out = append(out, [2]string{"config.worktree", string(data)})
		}
	}
	return out, nil
}

// RemovePartialWorktree takes away a worktree that [Repo.AddWorktree] did
// not finish (its admin folder still holds "locked" with
// "initializing"): the work-tree folder, the admin folder, and the branch
// when it still points at target. It reports whether it removed anything;
// a finished worktree, or one whose admin folder is gone, is left alone.
// The work-tree folder is removed only when every file in it is one that
// target's tree has (or .git): wf never deletes a file it did not write.
func (r *Repo) RemovePartialWorktree(wt Worktree, target Hash) (bool, error) {
	lock, err := os.ReadFile(filepath.Join(wt.AdminDir, "locked"))
	if err != nil || strings.TrimSpace(string(lock)) != worktreeInitializing {
		return false, nil
	}
	if _, err := os.Lstat(wt.Path); err == nil {
		ours := map[string]bool{".git": true}
		if tt, err := r.commitTree(target); err == nil {
			_ = r.flattenTree(tt, "", func(p string, _ tree.Entry) error { ours[p] = true; return nil })
		}
		var foreign string
		_ = filepath.WalkDir(wt.Path, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(wt.Path, p)
			if !ours[filepath.ToSlash(rel)] && !strings.HasSuffix(rel, ".wf-tmp") {
				foreign = rel
				return fs.SkipAll
			}
			return nil
		})
		if foreign != "" {
			return false, fmt.Errorf("the half-made worktree %s holds %s, which wf did not write; remove it yourself, then run git worktree prune", wt.Path, foreign)
		}
		if err := os.RemoveAll(wt.Path); err != nil {
			return false, err
		}
	}
	if h, ok, _ := r.resolveRef(wt.Branch); ok && h == target {
		if err := r.deleteRef(wt.Branch, target); err != nil {
			return false, err
		}
	}
	return true, os.RemoveAll(wt.AdminDir)
}

// deleteRef removes a loose ref that holds old, under its lock, and its
// reflog. A ref that packed-refs also holds is refused: rewriting
// packed-refs is not needed for the branches wf makes and deletes at once.
func (r *Repo) deleteRef(name string, old Hash) error {
	packed, err := os.ReadFile(r.refStore().PackedFile())
	if err == nil && strings.Contains(string(packed), " "+name+"\n") {
		return fmt.Errorf("%s is in packed-refs; delete it with git branch -D", name)
	}
	l, err := r.lockRef(name, old)
	if err != nil {
		return err
	}
	defer l.Rollback()
	if err := os.Remove(r.refStore().File(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	os.Remove(r.refStore().LogFile(name))
	removeEmptyDirs(filepath.Join(r.CommonDir, "refs", "heads"), filepath.Dir(r.refStore().File(name)))
	removeEmptyDirs(filepath.Join(r.CommonDir, "logs", "refs", "heads"), filepath.Dir(r.refStore().LogFile(name)))
	return nil
}
