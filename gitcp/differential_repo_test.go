package gitcp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// Recipes of repository states beyond the work tree (issue 9 part B):
// config includes, symbolic refs, object and index formats, sparse
// checkouts, submodules and embedded repositories.

var _ = addRecipes(
	recipe{name: "identity from includeIf onbranch", setup: func(t *testing.T, dir, home string) {
		unsetIdentityEnv(t)
		gittest.Write(t, home, ".gitconfig", userSection("Default")+"[includeIf \"onbranch:main\"]\n\tpath = main.inc\n")
		gittest.Write(t, home, "main.inc", userSection("Main Branch Person"))
		gittest.Write(t, dir, "README.md", "# includeIf\n")
	}},
	recipe{name: "identity from includeIf hasconfig remote url", setup: func(t *testing.T, dir, home string) {
		unsetIdentityEnv(t)
		gittest.Git(t, dir, "remote", "add", "origin", "git@example.com:team/app.git")
		gittest.Write(t, home, ".gitconfig", userSection("Default")+"[includeIf \"hasconfig:remote.*.url:git@example.com:team/**\"]\n\tpath = team.inc\n")
		gittest.Write(t, home, "team.inc", userSection("Team Person"))
		gittest.Write(t, dir, "src/new.go", "package main\n")
	}},
	recipe{name: "identity from includeIf gitdir relative pattern", setup: func(t *testing.T, dir, home string) {
		// Both copies live in folders named git and wf under one parent;
		// "**/" is put in front of a relative pattern.
		unsetIdentityEnv(t)
		gittest.Write(t, home, ".gitconfig", userSection("Default")+"[includeIf \"gitdir:.git\"]\n\tpath = any.inc\n")
		gittest.Write(t, home, "any.inc", userSection("Any Repo Person"))
		mustRemove(t, dir, "docs/guide.txt")
	}},
	recipe{name: "identity from includeIf gitdir/i in the repository config", setup: func(t *testing.T, dir, home string) {
		unsetIdentityEnv(t)
		gittest.Write(t, home, ".gitconfig", userSection("Default"))
		gittest.Write(t, home, "repo.inc", userSection("Repo Include Person"))
		gittest.Git(t, dir, "config", "includeIf.gitdir/i:**/.GIT.path", filepath.Join(home, "repo.inc"))
		gittest.Write(t, dir, "docs/guide.txt", "changed\n")
	}},
	recipe{name: "HEAD through a symbolic branch", setup: func(t *testing.T, dir, home string) {
		gittest.Git(t, dir, "symbolic-ref", "refs/heads/alias", "refs/heads/main")
		gittest.Git(t, dir, "symbolic-ref", "HEAD", "refs/heads/alias")
		gittest.Write(t, dir, "README.md", "# via alias\n")
	}},
	recipe{name: "HEAD through two symbolic refs onto a packed branch", setup: func(t *testing.T, dir, home string) {
		gittest.Git(t, dir, "pack-refs", "--all")
		gittest.Git(t, dir, "symbolic-ref", "refs/heads/b", "refs/heads/main")
		gittest.Git(t, dir, "symbolic-ref", "refs/heads/a", "refs/heads/b")
		gittest.Git(t, dir, "symbolic-ref", "HEAD", "refs/heads/a")
		gittest.Write(t, dir, "new.txt", "x\n")
	}},
)

// moveObjects moves every object of the repository at dir into the objects
// folder store (created) and leaves dir's objects folder empty but for
// info/alternates naming alt (as written: absolute, or relative to
// dir/.git/objects).
func moveObjects(t *testing.T, dir, store, alt string) {
	t.Helper()
	gittest.Git(t, dir, "repack", "-a", "-d", "-q")
	objects := filepath.Join(dir, ".git", "objects")
	if err := os.MkdirAll(filepath.Dir(store), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(objects, store); err != nil {
		t.Fatal(err)
	}
	gittest.Write(t, objects, "info/alternates", alt+"\n")
	if err := os.MkdirAll(filepath.Join(objects, "pack"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(store, "info", "alternates"))
}

// newSubmoduleUpstream makes a repository with two commits to add as a
// submodule and returns its path.
func newSubmoduleUpstream(t *testing.T) string {
	t.Helper()
	up := filepath.Join(t.TempDir(), "upstream")
	gittest.Git(t, "", "init", "-q", "-b", "main", up)
	gittest.Write(t, up, "a", "a\n")
	gittest.Git(t, up, "add", "a")
	gittest.Git(t, up, "commit", "-q", "-m", "a")
	gittest.Write(t, up, "b", "b\n")
	gittest.Git(t, up, "add", "b")
	gittest.Git(t, up, "commit", "-q", "-m", "b")
	return up
}

// addSubmodule adds up as the submodule "sub" of dir and commits it.
func addSubmodule(t *testing.T, dir, up string) {
	t.Helper()
	gittest.Git(t, dir, "-c", "protocol.file.allow=always", "submodule", "add", "-q", up, "sub")
	gittest.Git(t, dir, "commit", "-q", "-m", "add sub")
}

// newEmbeddedRepo makes a repository with one commit at dir/rel, not
// registered as a submodule.
func newEmbeddedRepo(t *testing.T, dir, rel string) {
	t.Helper()
	p := filepath.Join(dir, rel)
	gittest.Git(t, "", "init", "-q", "-b", "main", p)
	gittest.Write(t, p, "e.txt", "e\n")
	gittest.Git(t, p, "add", "e.txt")
	gittest.Git(t, p, "commit", "-q", "-m", "e")
}

var _ = addRecipes(
	recipe{name: "alternates with an absolute path (clone --shared)", setup: func(t *testing.T, dir, home string) {
		store := filepath.Join(t.TempDir(), "shared", "objects")
		moveObjects(t, dir, store, store)
		gittest.Write(t, dir, "src/main.go", "package main // shared\n")
	}},
	recipe{name: "alternates with a relative path", setup: func(t *testing.T, dir, home string) {
		moveObjects(t, dir, filepath.Join(dir, ".git", "altstore", "objects"), "../altstore/objects")
		gittest.Write(t, dir, "docs/guide.txt", "relative alternates\n")
	}},
	recipe{name: "nested alternates", setup: func(t *testing.T, dir, home string) {
		// objects -> alt1 (empty but for its own alternates) -> alt2.
		moveObjects(t, dir, filepath.Join(dir, ".git", "alt2", "objects"), "../alt1/objects")
		gittest.Write(t, dir, ".git/alt1/objects/info/alternates", "../../alt2/objects\n")
		gittest.Write(t, dir, "bin/run.sh", "#!/bin/sh\necho nested\n")
	}},
	recipe{name: "version-1 pack index", setup: func(t *testing.T, dir, home string) {
		toV1Index(t, dir)
		gittest.Write(t, dir, "src/util/strings.go", "package util // v1\n")
		mustRemove(t, dir, "guide-link")
	}},
	recipe{name: "split index with replaced, deleted and added entries", setup: func(t *testing.T, dir, home string) {
		gittest.Git(t, dir, "update-index", "--split-index")
		gittest.Write(t, dir, "README.md", "# staged in the split index\n")
		gittest.Write(t, dir, "staged-new.txt", "added to the split index\n")
		gittest.Git(t, dir, "add", "README.md", "staged-new.txt")
		gittest.Git(t, dir, "rm", "-q", "docs/guide.txt")
		gittest.Write(t, dir, "src/main.go", "package main // unstaged\n")
		gittest.Write(t, dir, "zz-untracked.txt", "new\n")
	}},
	recipe{name: "split index from core.splitIndex", setup: func(t *testing.T, dir, home string) {
		gittest.Git(t, dir, "config", "core.splitIndex", "true")
		gittest.Git(t, dir, "config", "splitIndex.maxPercentChange", "100")
		gittest.Write(t, dir, "a-new.txt", "a\n")
		gittest.Git(t, dir, "add", "a-new.txt")
		mustRemove(t, dir, "bin/run.sh")
	}},
	recipe{name: "sparse index", setup: func(t *testing.T, dir, home string) {
		gittest.Git(t, dir, "sparse-checkout", "set", "--cone", "--sparse-index", "src")
		gittest.Write(t, dir, "src/new.go", "package main\n")
		gittest.Write(t, dir, "src/util/strings.go", "package util // changed\n")
	}},
	recipe{name: "sparse index with nested cones", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, "docs/deep/a/x.txt", "x\n")
		gittest.Write(t, dir, "docs/deep/b/y.txt", "y\n")
		gittest.Git(t, dir, "add", "-A")
		gittest.Git(t, dir, "commit", "-q", "-m", "deep")
		gittest.Git(t, dir, "sparse-checkout", "set", "--cone", "--sparse-index", "docs/deep/a")
		gittest.Write(t, dir, "docs/deep/a/z.txt", "z\n")
		mustRemove(t, dir, "docs/deep/a/x.txt")
	}},
	recipe{name: "sparse checkout, cone: change inside", setup: func(t *testing.T, dir, home string) {
		gittest.Git(t, dir, "sparse-checkout", "set", "--cone", "src")
		gittest.Write(t, dir, "src/util/more.go", "package util\n")
		gittest.Write(t, dir, "TOP.md", "top-level files are in the cone\n")
		mustRemove(t, dir, "src/main.go")
	}},
	recipe{name: "sparse checkout, non-cone: change inside", setup: func(t *testing.T, dir, home string) {
		gittest.Git(t, dir, "sparse-checkout", "set", "--no-cone", "/docs/", "*.md", "!/bin/")
		gittest.Write(t, dir, "docs/more.txt", "more\n")
		gittest.Write(t, dir, "README.md", "# sparse\n")
	}},
	recipe{name: "submodule moved to another commit", setup: func(t *testing.T, dir, home string) {
		addSubmodule(t, dir, newSubmoduleUpstream(t))
		gittest.Git(t, filepath.Join(dir, "sub"), "checkout", "-q", "HEAD~1")
	}},
	recipe{name: "submodule moved and a file changed beside it", setup: func(t *testing.T, dir, home string) {
		up := newSubmoduleUpstream(t)
		addSubmodule(t, dir, up)
		sub := filepath.Join(dir, "sub")
		gittest.Write(t, sub, "c", "c\n")
		gittest.Git(t, sub, "add", "c")
		gittest.Git(t, sub, "commit", "-q", "-m", "c")
		gittest.Write(t, dir, "README.md", "# with sub\n")
	}},
	recipe{name: "submodule not checked out", setup: func(t *testing.T, dir, home string) {
		addSubmodule(t, dir, newSubmoduleUpstream(t))
		gittest.Git(t, dir, "submodule", "deinit", "-q", "-f", "sub")
		gittest.Write(t, dir, "README.md", "# sub not checked out\n")
	}},
	recipe{name: "embedded repository", setup: func(t *testing.T, dir, home string) {
		newEmbeddedRepo(t, dir, "inner")
	}},
	recipe{name: "embedded repository in a subfolder, ignored one left out", setup: func(t *testing.T, dir, home string) {
		newEmbeddedRepo(t, dir, "vendor/lib")
		newEmbeddedRepo(t, dir, "scratch")
		gittest.Write(t, dir, ".gitignore", "/scratch/\n")
	}},
)

// toV1Index repacks the repository at dir into one pack whose index is
// rewritten in version 1.
func toV1Index(t *testing.T, dir string) {
	t.Helper()
	gittest.Git(t, dir, "repack", "-a", "-d", "-q")
	packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("%d packs", len(packs))
	}
	mustRemove(t, dir, strings.TrimPrefix(strings.TrimSuffix(packs[0], ".pack")+".idx", dir+"/"))
	gittest.Git(t, dir, "index-pack", "--index-version=1", packs[0])
}

func TestV1PackIndexIsReadByTheOwnReader(t *testing.T) {
	dir := newRecipeRepo(t)
	toV1Index(t, dir)
	idx, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
	if data, err := os.ReadFile(idx[0]); err != nil || string(data[:4]) == "\xfftOc" {
		t.Fatalf("not a version-1 index (%v)", err)
	}
	r, err := Discover(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.objectDB()
	if r.objDB.Packs() != 1 {
		t.Fatalf("the own reader mapped %d packs, want the version-1 one", r.objDB.Packs())
	}
	head, _ := r.Head()
	tree, err := r.commitTree(head.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if want := gittest.Git(t, dir, "rev-parse", "HEAD^{tree}"); tree.String() != want {
		t.Errorf("tree %s, want %s", tree, want)
	}
}

// TestRefusalsAsGitAddFails: where git add -A fails, wf refuses and names
// the paths, with nothing written.
func TestRefusalsAsGitAddFails(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  string
	}{
		{"untracked files outside a non-cone sparse checkout", func(t *testing.T, dir string) {
			gittest.Git(t, dir, "sparse-checkout", "set", "--no-cone", "/docs/", "/*.md")
			gittest.Write(t, dir, "src/util/new.go", "package util\n")
			gittest.Write(t, dir, "docs/inside.txt", "in\n")
		}, "1 untracked path outside the sparse-checkout definition, which git add -A does not add and fails on: src/util/new.go"},
		{"untracked files outside a cone", func(t *testing.T, dir string) {
			gittest.Git(t, dir, "sparse-checkout", "set", "--cone", "src")
			gittest.Write(t, dir, "docs/new.txt", "out\n")
			gittest.Write(t, dir, "bin/new.sh", "out\n")
			gittest.Write(t, dir, "top.txt", "in: top-level files are in every cone\n")
		}, "2 untracked paths outside the sparse-checkout definition, which git add -A does not add and fails on: bin/new.sh, docs/new.txt"},
		{"embedded repository without a commit", func(t *testing.T, dir string) {
			gittest.Git(t, "", "init", "-q", filepath.Join(dir, "fresh"))
		}, "'fresh/' does not have a commit checked out"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := newRecipeRepo(t)
			tc.setup(t, dir)
			gitCopy := filepath.Join(t.TempDir(), "git")
			copyTree(t, dir, gitCopy)
			if out, err := gittest.TryGit(gitCopy, "add", "-A"); err == nil {
				t.Fatalf("git add -A succeeded:\n%s", out)
			}
			before := viewOf(t, dir)
			r, err := Discover(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			for _, mode := range []Mode{ModeBranch, ModeRef} {
				if _, err := r.Commit(CommitOptions{Message: "x", Mode: mode}); err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s: want %q, got %v", mode, tc.want, err)
				}
			}
			if after := viewOf(t, dir); after != before {
				t.Errorf("refusal changed the repository")
			}
		})
	}
}

// TestSymrefChainCommit checks what the recipes do not compare: which
// refs moved and the reflog lines git writes for a commit through HEAD ->
// refs/heads/alias -> refs/heads/main.
func TestSymrefChainCommit(t *testing.T) {
	gitSide, wfSide := hookPair(t, func(dir string) {
		gittest.Git(t, dir, "symbolic-ref", "refs/heads/alias", "refs/heads/main")
		gittest.Git(t, dir, "symbolic-ref", "HEAD", "refs/heads/alias")
		gittest.Write(t, dir, "README.md", "# via alias\n")
	})
	gittest.Git(t, gitSide, "commit", "-q", "-a", "-m", "through alias")
	r, err := Discover(wfSide)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	res, err := r.Commit(CommitOptions{Message: "through alias"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Ref != "refs/heads/main" {
		t.Errorf("moved %s, want refs/heads/main", res.Ref)
	}
	for _, side := range []string{gitSide, wfSide} {
		if got := gittest.Git(t, side, "symbolic-ref", "--no-recurse", "HEAD"); got != "refs/heads/alias" {
			t.Errorf("%s: HEAD -> %s", side, got)
		}
		if got := gittest.Git(t, side, "symbolic-ref", "--no-recurse", "refs/heads/alias"); got != "refs/heads/main" {
			t.Errorf("%s: alias -> %s", side, got)
		}
		if h, m := gittest.Git(t, side, "rev-parse", "HEAD"), gittest.Git(t, side, "rev-parse", "refs/heads/main"); h != m {
			t.Errorf("%s: HEAD %s, main %s", side, h, m)
		}
	}
	for _, log := range []string{"HEAD", "refs/heads/main", "refs/heads/alias"} {
		if g, w := lastLogMessage(t, gitSide, log), lastLogMessage(t, wfSide, log); g != w {
			t.Errorf("logs/%s: git %q, wf %q", log, g, w)
		}
	}
}

// lastLogMessage is the message of the last line of .git/logs/<ref>, ""
// when there is none.
func lastLogMessage(t *testing.T, dir, ref string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, ".git", "logs", ref))
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	_, msg, _ := strings.Cut(lines[len(lines)-1], "\t")
	return msg
}
