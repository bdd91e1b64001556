//go:build unix

package gitcp

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// A tracked folder replaced by a symlink (to a folder inside the
// repository, or outside it holding a file of the same name): git add -A
// records the link and deletes the entries under it, never reading
// through it (has_symlink_leading_path). The commit must be the one git
// makes, ls-tree for ls-tree, and pass git fsck --strict
// (repo-states/20: wf committed both "lib" and "lib/x").
func TestSymlinkedFolderDifferential(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir, outside string)
	}{
		{"renamed with a compatibility link", func(t *testing.T, dir, _ string) {
			os.Rename(filepath.Join(dir, "lib"), filepath.Join(dir, "lib2"))
			os.Symlink("lib2", filepath.Join(dir, "lib"))
		}},
		{"link to outside the repository", func(t *testing.T, dir, outside string) {
			os.RemoveAll(filepath.Join(dir, "lib"))
			os.Symlink(outside, filepath.Join(dir, "lib"))
		}},
		{"nested folder replaced by a link", func(t *testing.T, dir, outside string) {
			os.RemoveAll(filepath.Join(dir, "lib", "deep"))
			os.Symlink(outside, filepath.Join(dir, "lib", "deep"))
		}},
		{"folder replaced by a file", func(t *testing.T, dir, _ string) {
			os.RemoveAll(filepath.Join(dir, "lib"))
			gittest.Write(t, dir, "lib", "now a file\n")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			outside := t.TempDir()
			gittest.Write(t, outside, "x", "outside the repository\n")
			gittest.Write(t, outside, "deep/y", "outside too\n")
			var trees [2]string
			for k, who := range []string{"git", "wf"} {
				dir := baseRepo(t)
				gittest.Write(t, dir, "lib/x", "inside\n")
				gittest.Write(t, dir, "lib/deep/y", "inside too\n")
				gittest.Git(t, dir, "add", "-A")
				gittest.Git(t, dir, "commit", "-q", "-m", "lib")
				tc.setup(t, dir, outside)
				if who == "git" {
					gittest.Git(t, dir, "add", "-A")
					gittest.Git(t, dir, "commit", "-q", "-m", "after")
				} else {
					commit(t, dir, CommitOptions{Message: "after"})
				}
				gittest.Git(t, dir, "fsck", "--strict", "--no-progress")
				trees[k] = gittest.Git(t, dir, "ls-tree", "-r", "HEAD")
				if st := gittest.Git(t, dir, "status", "--porcelain", "--untracked-files=all"); st != "" {
					t.Errorf("%s: git status after the commit:\n%s", who, st)
				}
			}
			if trees[0] != trees[1] {
				t.Fatalf("wf committed\n%s\ngit committed\n%s", trees[1], trees[0])
			}
			if strings.Contains(trees[1], "lib/x") && tc.name != "nested folder replaced by a link" {
				t.Fatalf("an entry behind the link was kept:\n%s", trees[1])
			}
		})
	}
}

// A file wf writes itself (the Stage callback's paths) behind a symlinked
// folder is refused, not read through the link.
func TestStagedPathBehindSymlinkRefused(t *testing.T) {
	dir := baseRepo(t)
	outside := t.TempDir()
	os.Symlink(outside, filepath.Join(dir, "checkpoints"))
	gittest.Write(t, outside, "c.md", "written through the link\n")
	head := gittest.Git(t, dir, "rev-parse", "HEAD")
	r := discover(t, dir)
	_, err := r.Commit(CommitOptions{Message: "x", Now: fixedNow, Stage: func(*Staged) ([]string, error) {
		return []string{"checkpoints/c.md"}, nil
	}})
	var se *SymlinkPathError
	if !errors.As(err, &se) || se.Link != "checkpoints" {
		t.Fatalf("err = %v, want SymlinkPathError on checkpoints", err)
	}
	if got := gittest.Git(t, dir, "rev-parse", "HEAD"); got != head {
		t.Fatalf("HEAD moved")
	}
	if _, err := os.Lstat(filepath.Join(dir, ".git", "index.lock")); err == nil {
		t.Fatal("index.lock left")
	}
}
