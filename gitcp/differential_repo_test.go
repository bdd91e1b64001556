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
