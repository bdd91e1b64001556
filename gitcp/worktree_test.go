package gitcp

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// worktreeRepo is a repository with a commit holding a nested file, an
// executable and a symlink.
func worktreeRepo(t *testing.T) (string, Hash) {
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, "a.txt", "a\n")
	gittest.Write(t, dir, "sub/deep/b.go", "package b\n")
	gittest.Write(t, dir, "run.sh", "#!/bin/sh\n")
	os.Chmod(filepath.Join(dir, "run.sh"), 0o755)
	os.Symlink("a.txt", filepath.Join(dir, "link"))
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "one")
	return dir, NewHash(strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD")))
}

// TestAddWorktreeDifferential makes a linked worktree with AddWorktree and
// checks it against git: git worktree list shows it on its branch, git
// status there is clean, git ls-files matches the commit's tree, git fsck
// is clean, and git worktree remove takes it away.
func TestAddWorktreeDifferential(t *testing.T) {
	dir, head := worktreeRepo(t)
	r := discover(t, dir)
	path := filepath.Join(t.TempDir(), "wt-spec")
	wt, err := r.PlanWorktree(path, "wf/spec/api")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.AddWorktree(wt, head, fixedNow()); err != nil {
		t.Fatal(err)
	}
	list := gittest.Git(t, dir, "worktree", "list", "--porcelain")
	if !strings.Contains(list, "worktree "+path+"\nHEAD "+head.String()+"\nbranch refs/heads/wf/spec/api") {
		t.Fatalf("git worktree list:\n%s", list)
	}
	if st := gittest.Git(t, path, "status", "--porcelain=v2", "--untracked-files=all"); st != "" {
		t.Errorf("git status in the new worktree:\n%s", st)
	}
	if got, want := gittest.Git(t, path, "ls-files", "-s"), gittest.Git(t, dir, "ls-files", "-s"); got != want {
		t.Errorf("ls-files\n%s\nwant\n%s", got, want)
	}
	if _, err := gittest.TryGit(path, "diff", "--quiet"); err != nil {
		t.Errorf("git diff in the worktree: %v", err)
	}
	gittest.Git(t, dir, "fsck", "--strict", "--no-progress")
	// wf finds it as a linked worktree.
	lr := discover(t, path)
	if lr.WorktreeName != "wt-spec" || lr.CommonDir != r.CommonDir {
		t.Errorf("discovered %q common %q", lr.WorktreeName, lr.CommonDir)
	}
	// A second plan with the same base name gets a numbered admin folder.
	wt2, _ := r.PlanWorktree(filepath.Join(t.TempDir(), "wt-spec"), "x")
	if wt2.Name != "wt-spec1" {
		t.Errorf("second name %q", wt2.Name)
	}
	// Refusals: the branch exists; the folder is not empty.
	if err := r.AddWorktree(wt2.with("wf/spec/api"), head, fixedNow()); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("existing branch: %v", err)
	}
	if err := r.AddWorktree(Worktree{Path: dir, AdminDir: wt2.AdminDir, Name: wt2.Name, Branch: "refs/heads/other"}, head, fixedNow()); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("non-empty folder: %v", err)
	}
	gittest.Git(t, dir, "worktree", "remove", path)
	if list := gittest.Git(t, dir, "worktree", "list", "--porcelain"); strings.Contains(list, path) {
		t.Errorf("still listed after remove:\n%s", list)
	}
}

func (w Worktree) with(branch string) Worktree { w.Branch = "refs/heads/" + branch; return w }

// TestRemovePartialWorktree: a worktree whose build was interrupted (its
// admin folder still locked "initializing") is removed with its branch,
// after which git worktree prune and list agree; a finished one, or one
// holding a file wf did not write, is left alone.
func TestRemovePartialWorktree(t *testing.T) {
	dir, head := worktreeRepo(t)
	r := discover(t, dir)
	path := filepath.Join(t.TempDir(), "half")
	wt, _ := r.PlanWorktree(path, "wf/spec/half")
	if err := r.AddWorktree(wt, head, fixedNow()); err != nil {
		t.Fatal(err)
	}
	if removed, err := r.RemovePartialWorktree(wt, head); removed || err != nil {
		t.Fatalf("a finished worktree was removed: %v %v", removed, err)
	}
	// As if killed before the end.
	os.WriteFile(filepath.Join(wt.AdminDir, "locked"), []byte("initializing"), 0o644)
	gittest.Write(t, path, "mine.txt", "not wf's\n")
	if removed, err := r.RemovePartialWorktree(wt, head); removed || err == nil || !strings.Contains(err.Error(), "mine.txt") {
		t.Fatalf("a foreign file: removed %v, %v", removed, err)
	}
	os.Remove(filepath.Join(path, "mine.txt"))
	if removed, err := r.RemovePartialWorktree(wt, head); !removed || err != nil {
		t.Fatalf("removed %v, %v", removed, err)
	}
	for _, p := range []string{path, wt.AdminDir} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s is still there", p)
		}
	}
	if _, err := gittest.TryGit(dir, "rev-parse", "--verify", "-q", "refs/heads/wf/spec/half"); err == nil {
		t.Error("the branch is still there")
	}
	gittest.Git(t, dir, "worktree", "prune")
	if list := gittest.Git(t, dir, "worktree", "list", "--porcelain"); strings.Count(list, "worktree ") != 1 {
		t.Errorf("git worktree list:\n%s", list)
	}
	gittest.Git(t, dir, "fsck", "--strict", "--no-progress")
}

// TestAddWorktreeConversionDifferential checks AddWorktree against git
// worktree add on commits with attributes and settings: where git's
// checkout would write some file otherwise than its blob, wf refuses with a
// *CheckoutConversionError naming exactly the files whose bytes differ in
// git's checkout, and writes nothing; elsewhere (attributes that convert
// nothing on checkout) it writes the worktree, byte for byte as git does.
func TestAddWorktreeConversionDifferential(t *testing.T) {
	for _, tc := range []struct {
		name   string
		attrs  map[string]string // .gitattributes files to commit
		config [][2]string       // git config key, value
		refuse []string          // files git converts, "" for none
	}{
		{name: "eol=crlf in a folder", attrs: map[string]string{"sub/.gitattributes": "*.go text eol=crlf\n"}, refuse: []string{"sub/deep/b.go"}},
		{name: "core.autocrlf=true", config: [][2]string{{"core.autocrlf", "true"}}, refuse: []string{"a.txt", "run.sh", "sub/deep/b.go"}},
		{name: "text=auto and core.eol=crlf", attrs: map[string]string{".gitattributes": "* text=auto\n"}, config: [][2]string{{"core.eol", "crlf"}}, refuse: []string{".gitattributes", "a.txt", "run.sh", "sub/deep/b.go"}},
		{name: "a smudge filter", attrs: map[string]string{".gitattributes": "*.txt filter=up\n"}, config: [][2]string{{"filter.up.smudge", "tr a-z A-Z"}, {"filter.up.clean", "tr A-Z a-z"}}, refuse: []string{"a.txt"}},
		{name: "attributes that convert nothing", attrs: map[string]string{".gitattributes": "*.png binary\n*.go linguist-generated diff=golang\n*.txt text eol=lf\n", "sub/.gitattributes": "*.sh -text\n"}},
		{name: "a clean filter alone", attrs: map[string]string{".gitattributes": "*.txt filter=low\n"}, config: [][2]string{{"filter.low.clean", "cat"}}},
		{name: "core.autocrlf=input", config: [][2]string{{"core.autocrlf", "input"}}},
		{name: "ident without $Id$", attrs: map[string]string{".gitattributes": "*.txt ident\n"}},
		{name: "ident with $Id$", attrs: map[string]string{".gitattributes": "*.go ident\n", "sub/deep/b.go": "package b // $Id$\n"}, refuse: []string{"sub/deep/b.go"}},
		{name: "ident with $Idx only", attrs: map[string]string{".gitattributes": "*.go ident\n", "sub/deep/b.go": "package b // $Idx and $Id: open\n"}},
		{name: "working-tree-encoding on non-ASCII text", attrs: map[string]string{".gitattributes": "*.txt working-tree-encoding=ISO-8859-1\n", "a.txt": "caf\u00e9\n"}, refuse: []string{"a.txt"}},
		{name: "working-tree-encoding of the same bytes", attrs: map[string]string{".gitattributes": "*.txt working-tree-encoding=ISO-8859-1\n"}},
		{name: "working-tree-encoding", attrs: map[string]string{".gitattributes": "*.txt working-tree-encoding=UTF-16LE\n"}, refuse: []string{"a.txt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, _ := worktreeRepo(t)
			for p, a := range tc.attrs {
				gittest.Write(t, dir, p, a)
			}
			if len(tc.attrs) > 0 {
				gittest.Git(t, dir, "add", "-A")
				gittest.Git(t, dir, "commit", "-q", "-m", "attributes")
			}
			for _, kv := range tc.config {
				gittest.Git(t, dir, "config", kv[0], kv[1])
			}
			head := NewHash(strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD")))
			// git's checkout of the same commit, and the files whose
			// bytes differ from their blobs there.
			gitPath := filepath.Join(t.TempDir(), "git")
			gittest.Git(t, dir, "worktree", "add", "-q", "-b", "git-side", gitPath, head.String())
			var files []string
			for _, line := range strings.Split(strings.TrimSpace(gittest.Git(t, dir, "ls-tree", "-r", head.String())), "\n") {
				if !strings.HasPrefix(line, "120000 ") {
					files = append(files, line[strings.IndexByte(line, '\t')+1:])
				}
			}
			checkGitConverts(t, dir, gitPath, head.String(), files, tc.refuse)
			r := discover(t, dir)
			path := filepath.Join(t.TempDir(), "wf")
			wt, err := r.PlanWorktree(path, "wf/spec/attrs")
			if err != nil {
				t.Fatal(err)
			}
			err = r.AddWorktree(wt, head, fixedNow())
			if len(tc.refuse) > 0 {
				var ce *CheckoutConversionError
				if !errors.As(err, &ce) || strings.Join(ce.Paths, ",") != strings.Join(tc.refuse, ",") {
					t.Fatalf("AddWorktree: %v; want a CheckoutConversionError naming %v", err, tc.refuse)
				}
				if !strings.Contains(ce.Hint(), "git worktree add -b wf/spec/attrs "+ShellArg(path)+" "+head.String()) {
					t.Errorf("hint %q", ce.Hint())
				}
				for _, p := range []string{path, wt.AdminDir} {
					if _, err := os.Lstat(p); err == nil {
						t.Errorf("%s was made", p)
					}
				}
				if _, err := gittest.TryGit(dir, "rev-parse", "--verify", "-q", "refs/heads/wf/spec/attrs"); err == nil {
					t.Error("the branch was made")
				}
				return
			}
			if err != nil {
				t.Fatalf("AddWorktree: %v", err)
			}
			checkSameFiles(t, path, gitPath, strings.Split(strings.TrimSpace(gittest.Git(t, dir, "ls-tree", "-r", "--name-only", head.String())), "\n"))
			if st := gittest.Git(t, path, "status", "--porcelain"); st != "" {
				t.Errorf("git status in wf's worktree:\n%s", st)
			}
		})
	}
}

// TestAddWorktreeSparseDifferential: in a sparse checkout, the new
// worktree inherits the patterns as git worktree add gives them (its
// info/sparse-checkout and config.worktree), its files outside them are
// not written and have skip-worktree, and a converting attribute on them
// is no reason to refuse. Compared with git worktree add on a twin copy.
func TestAddWorktreeSparseDifferential(t *testing.T) {
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, "in/a.txt", "a\n")
	gittest.Write(t, dir, "out/b.txt", "b\n")
	gittest.Write(t, dir, "top.txt", "top\n")
	gittest.Write(t, dir, ".gitattributes", "out/** text eol=crlf\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "base")
	head := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD"))
	gittest.Git(t, dir, "sparse-checkout", "set", "--no-cone", "/in/", "/top.txt", "/.gitattributes")
	twin := filepath.Join(t.TempDir(), "twin")
	copyTree(t, dir, twin)
	parent := t.TempDir()
	gitWT, wfWT := filepath.Join(parent, "git-wt"), filepath.Join(parent, "wf-wt")
	gittest.Git(t, twin, "worktree", "add", "-q", "-b", "feat", gitWT, head)

	r := discover(t, dir)
	wt, err := r.PlanWorktree(wfWT, "feat")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.AddWorktree(wt, NewHash(head), fixedNow()); err != nil {
		t.Fatalf("AddWorktree: %v", err)
	}
	checkSameFiles(t, wfWT, gitWT, []string{"in/a.txt", "out/b.txt", "top.txt", ".gitattributes"})
	for _, args := range [][]string{{"ls-files", "-t"}, {"sparse-checkout", "list"}, {"config", "--get", "core.sparseCheckout"}} {
		if got, want := gittest.Git(t, wfWT, args...), gittest.Git(t, gitWT, args...); got != want {
			t.Errorf("git %v in wf's worktree:\n%s\nin git's:\n%s", args, got, want)
		}
	}
	if st := gittest.Git(t, wfWT, "status", "--porcelain"); st != "" {
		t.Errorf("git status in wf's worktree:\n%s", st)
	}
}
