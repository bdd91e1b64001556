package gitcp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// includeIf against git: for each layout the author identity wf resolves
// must be the one "git var GIT_AUTHOR_IDENT" gives in the same repository.

// unsetIdentityEnv removes the identity variables gittest sets, so that the
// identity comes from the config files.
func unsetIdentityEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

// userSection is a config file that sets user.name and user.email to name.
func userSection(name string) string {
	return "[user]\n\tname = " + name + "\n\temail = " + strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com\n"
}

// gitAuthor is "Name <email>" of git var GIT_AUTHOR_IDENT in dir.
func gitAuthor(t *testing.T, dir string) string {
	t.Helper()
	out, err := gittest.TryGit(dir, "var", "GIT_AUTHOR_IDENT")
	if err != nil {
		return "error: " + out
	}
	return out[:strings.LastIndexByte(out, '>')+1]
}

// wfAuthor is "Name <email>" of the author wf would write in dir.
func wfAuthor(t *testing.T, dir string) string {
	t.Helper()
	r, err := Discover(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s, err := r.identity("author", time.Now())
	if err != nil {
		return "error: " + err.Error()
	}
	return s.Name + " <" + s.Email + ">"
}

func TestIncludeIfIdentityAsGitVar(t *testing.T) {
	cases := []struct {
		name string
		// setup writes the config files for the repository at repo (HOME
		// is home) and returns the folder to run in.
		setup func(t *testing.T, home, repo string) string
	}{
		{"gitdir absolute with trailing slash", func(t *testing.T, home, repo string) string {
			gittest.Write(t, home, ".gitconfig", userSection("Default")+"[includeIf \"gitdir:"+filepath.Dir(repo)+"/\"]\n\tpath = work.inc\n")
			gittest.Write(t, home, "work.inc", userSection("Work Person"))
			return repo
		}},
		{"gitdir that does not match", func(t *testing.T, home, repo string) string {
			gittest.Write(t, home, ".gitconfig", userSection("Default")+"[includeIf \"gitdir:/nowhere/\"]\n\tpath = work.inc\n")
			gittest.Write(t, home, "work.inc", userSection("Work Person"))
			return repo
		}},
		{"gitdir without trailing slash names the git dir", func(t *testing.T, home, repo string) string {
			gittest.Write(t, home, ".gitconfig", userSection("Default")+"[includeIf \"gitdir:"+repo+"/.git\"]\n\tpath = work.inc\n[includeIf \"gitdir:"+repo+"\"]\n\tpath = other.inc\n")
			gittest.Write(t, home, "work.inc", userSection("Exact Git Dir"))
			gittest.Write(t, home, "other.inc", userSection("Work Tree Only"))
			return repo
		}},
		{"gitdir/i ignores case", func(t *testing.T, home, repo string) string {
			gittest.Write(t, home, ".gitconfig", userSection("Default")+"[includeIf \"gitdir/i:"+strings.ToUpper(repo)+"/\"]\n\tpath = work.inc\n[includeIf \"gitdir:"+strings.ToUpper(repo)+"/\"]\n\tpath = never.inc\n")
			gittest.Write(t, home, "work.inc", userSection("Case Folded"))
			gittest.Write(t, home, "never.inc", userSection("Case Kept"))
			return repo
		}},
		{"relative pattern gets **/ in front", func(t *testing.T, home, repo string) string {
			gittest.Write(t, home, ".gitconfig", userSection("Default")+"[includeIf \"gitdir:"+filepath.Base(repo)+"/\"]\n\tpath = work.inc\n")
			gittest.Write(t, home, "work.inc", userSection("Relative Pattern"))
			return repo
		}},
		{"tilde is the home folder", func(t *testing.T, home, repo string) string {
			inHome := filepath.Join(home, "src", "proj")
			gittest.Git(t, "", "init", "-q", "-b", "main", inHome)
			gittest.Write(t, home, ".gitconfig", userSection("Default")+"[includeIf \"gitdir:~/src/\"]\n\tpath = ~/work.inc\n")
			gittest.Write(t, home, "work.inc", userSection("Home Relative"))
			return inHome
		}},
		{"dot slash is relative to the including file", func(t *testing.T, home, repo string) string {
			// ~/.gitconfig includes conf/base.inc, which holds the
			// condition "./": the folder of conf/base.inc.
			gittest.Write(t, home, ".gitconfig", userSection("Default")+"[include]\n\tpath = conf/base.inc\n")
			gittest.Write(t, home, "conf/base.inc", "[includeIf \"gitdir:./repos/\"]\n\tpath = work.inc\n")
			gittest.Write(t, home, "conf/work.inc", userSection("Dot Relative"))
			r := filepath.Join(home, "conf", "repos", "a")
			gittest.Git(t, "", "init", "-q", "-b", "main", r)
			return r
		}},
		{"symlinked path matches by its real path and its own", func(t *testing.T, home, repo string) string {
			link := filepath.Join(home, "link")
			if err := os.Symlink(filepath.Dir(repo), link); err != nil {
				t.Fatal(err)
			}
			gittest.Write(t, home, ".gitconfig", userSection("Default")+"[includeIf \"gitdir:"+link+"/\"]\n\tpath = link.inc\n")
			gittest.Write(t, home, "link.inc", userSection("Through Link"))
			return filepath.Join(link, filepath.Base(repo))
		}},
		{"onbranch with a trailing slash", func(t *testing.T, home, repo string) string {
			gittest.Git(t, repo, "checkout", "-q", "-b", "feature/x")
			gittest.Write(t, home, ".gitconfig", userSection("Default")+"[includeIf \"onbranch:feature/\"]\n\tpath = f.inc\n[includeIf \"onbranch:main\"]\n\tpath = m.inc\n")
			gittest.Write(t, home, "f.inc", userSection("Feature Work"))
			gittest.Write(t, home, "m.inc", userSection("Main Work"))
			return repo
		}},
		{"onbranch on an unborn branch", func(t *testing.T, home, repo string) string {
			gittest.Git(t, repo, "checkout", "-q", "--orphan", "fresh")
			gittest.Write(t, home, ".gitconfig", userSection("Default")+"[includeIf \"onbranch:fresh\"]\n\tpath = f.inc\n")
			gittest.Write(t, home, "f.inc", userSection("Unborn Branch"))
			return repo
		}},
		{"onbranch on a detached HEAD", func(t *testing.T, home, repo string) string {
			gittest.Git(t, repo, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-q", "--allow-empty", "-m", "x")
			gittest.Git(t, repo, "checkout", "-q", "--detach")
			gittest.Write(t, home, ".gitconfig", userSection("Default")+"[includeIf \"onbranch:**\"]\n\tpath = f.inc\n")
			gittest.Write(t, home, "f.inc", userSection("Any Branch"))
			return repo
		}},
		{"hasconfig remote url from the repository config", func(t *testing.T, home, repo string) string {
			gittest.Git(t, repo, "remote", "add", "origin", "https://git.example.com/team/app.git")
			gittest.Write(t, home, ".gitconfig", userSection("Default")+"[includeIf \"hasconfig:remote.*.url:https://git.example.com/team/**\"]\n\tpath = team.inc\n[includeIf \"hasconfig:remote.*.url:https://other.example.com/**\"]\n\tpath = other.inc\n")
			gittest.Write(t, home, "team.inc", userSection("Team Member"))
			gittest.Write(t, home, "other.inc", userSection("Other Org"))
			return repo
		}},
		{"includeIf in the repository config, later wins", func(t *testing.T, home, repo string) string {
			gittest.Write(t, home, ".gitconfig", "[includeIf \"gitdir:"+repo+"/\"]\n\tpath = late.inc\n")
			gittest.Write(t, home, "late.inc", userSection("From Global"))
			gittest.Git(t, repo, "config", "user.name", "From Repo")
			gittest.Git(t, repo, "config", "user.email", "repo@example.com")
			gittest.Git(t, repo, "config", "includeIf.onbranch:main.path", filepath.Join(home, "branch.inc"))
			gittest.Write(t, home, "branch.inc", "[user]\n\tname = From Branch Include\n")
			return repo
		}},
		{"nested includeIf in an included file", func(t *testing.T, home, repo string) string {
			gittest.Write(t, home, ".gitconfig", userSection("Default")+"[includeIf \"gitdir:**/\"]\n\tpath = level1.inc\n")
			gittest.Write(t, home, "level1.inc", "[includeIf \"onbranch:main\"]\n\tpath = level2.inc\n")
			gittest.Write(t, home, "level2.inc", userSection("Two Levels"))
			return repo
		}},
		{"a linked worktree is matched by its own git dir", func(t *testing.T, home, repo string) string {
			gittest.Write(t, repo, "f", "x\n")
			gittest.Git(t, repo, "add", "f")
			gittest.Git(t, repo, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-q", "-m", "x")
			wt := filepath.Join(filepath.Dir(repo), "wt")
			gittest.Git(t, repo, "worktree", "add", "-q", wt)
			gittest.Write(t, home, ".gitconfig", userSection("Default")+"[includeIf \"gitdir:"+repo+"/.git/worktrees/\"]\n\tpath = wt.inc\n[includeIf \"gitdir:"+repo+"/.git\"]\n\tpath = main.inc\n")
			gittest.Write(t, home, "wt.inc", userSection("Linked Worktree"))
			gittest.Write(t, home, "main.inc", userSection("Main Worktree"))
			return wt
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := gittest.Env(t)
			repo := filepath.Join(t.TempDir(), "proj")
			gittest.Git(t, "", "init", "-q", "-b", "main", repo)
			unsetIdentityEnv(t)
			dir := tc.setup(t, home, repo)
			want, got := gitAuthor(t, dir), wfAuthor(t, dir)
			if got != want {
				t.Errorf("author: git var %q, wf %q", want, got)
			}
			if strings.HasPrefix(want, "error") {
				t.Errorf("git has no identity: %s", want)
			}
		})
	}
}

// FuzzIncludeCondition evaluates arbitrary includeIf conditions: never a
// panic, and "gitdir:" with the git dir itself always holds.
func FuzzIncludeCondition(f *testing.F) {
	for _, c := range []string{"gitdir:~/work/", "gitdir/i:./REPOS/", "gitdir:proj", "onbranch:feature/", "onbranch:**",
		"hasconfig:remote.*.url:https://example.com/**", "gitdir:", "gitdir:./", "gitdir:[a-", "onbranch:*[!/"} {
		f.Add(c, "/home/u/.gitconfig")
	}
	f.Fuzz(func(t *testing.T, cond, file string) {
		ic := &includeConds{gitDir: "/repo/.git", branch: "feature/x", remoteURLs: []string{"https://example.com/a.git"}}
		ic.match(cond, file)
		if !ic.match("gitdir:/repo/.git", file) {
			t.Fatal("the git dir does not match itself")
		}
	})
}
