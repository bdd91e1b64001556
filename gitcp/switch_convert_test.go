package gitcp

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestCreateBranchConversionDifferential checks the switch of CreateBranch
// (wf recover) against git switch -c on twin copies of one repository:
// where git's checkout writes some of the switched files otherwise than
// their blobs, wf refuses with a *CheckoutConversionError naming exactly
// those files and changes nothing; elsewhere it switches and writes the
// same bytes as git.
func TestCreateBranchConversionDifferential(t *testing.T) {
	for _, tc := range []struct {
		name       string
		baseAttrs  string      // .gitattributes of the checked-out commit ("" none)
		valueAttrs string      // .gitattributes of the target commit
		config     [][2]string // git config key, value, set after both commits
		refuse     []string    // switched files git converts
	}{
		{name: "eol=crlf", baseAttrs: "*.txt text eol=crlf\n", valueAttrs: "*.txt text eol=crlf\n", refuse: []string{"notes/a.txt"}},
		{name: "core.autocrlf=true", config: [][2]string{{"core.autocrlf", "true"}}, refuse: []string{"notes/a.txt", "src/b.go"}},
		{name: "the target's .gitattributes converts", valueAttrs: "*.go text eol=crlf\n", refuse: []string{"src/b.go"}},
		{name: "a smudge filter", baseAttrs: "*.go filter=up\n", valueAttrs: "*.go filter=up\n", config: [][2]string{{"filter.up.smudge", "tr a-z A-Z"}, {"filter.up.clean", "tr A-Z a-z"}}, refuse: []string{"src/b.go"}},
		{name: "attributes that convert nothing", baseAttrs: "*.txt text eol=lf\n*.go diff=golang\n", valueAttrs: "*.txt text eol=lf\n*.go diff=golang linguist-generated\n"},
		{name: "no attributes"},
		// git reads the new commit's .gitattributes first (review of
		// 9fc3f32: these two were refused).
		{name: "recover to before a converting .gitattributes", baseAttrs: "*.txt text eol=crlf\n*.go text eol=crlf\n"},
		{name: "the target turns the conversion off", baseAttrs: "*.txt text eol=crlf\n", valueAttrs: "*.txt -text\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := gittest.NewRepo(t)
			write := func(attrs string, files map[string]string) string {
				if attrs != "" {
					gittest.Write(t, dir, ".gitattributes", attrs)
				} else {
					os.Remove(filepath.Join(dir, ".gitattributes"))
				}
				for p, c := range files {
					gittest.Write(t, dir, p, c)
				}
				gittest.Git(t, dir, "add", "-A")
				gittest.Git(t, dir, "commit", "-q", "--allow-empty", "-m", "x")
				return strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD"))
			}
			base := write(tc.baseAttrs, map[string]string{"notes/a.txt": "one\n", "src/b.go": "package b\n", "same.txt": "same\n"})
			target := write(tc.valueAttrs, map[string]string{"notes/a.txt": "one\ntwo\n", "src/b.go": "package b\n\nvar X = 1\n"})
			gittest.Git(t, dir, "reset", "-q", "--hard", base)
			for _, kv := range tc.config {
				gittest.Git(t, dir, "config", kv[0], kv[1])
			}
			twin := filepath.Join(t.TempDir(), "twin")
			copyTree(t, dir, twin)
			gittest.Git(t, twin, "switch", "-q", "-c", "rec", target)
			checkGitConverts(t, twin, twin, target, []string{"notes/a.txt", "src/b.go"}, tc.refuse)

			r := discover(t, dir)
			err := r.CreateBranch("rec", NewHash(target), true, fixedNow())
			if len(tc.refuse) > 0 {
				var ce *CheckoutConversionError
				if !errors.As(err, &ce) || strings.Join(ce.Paths, ",") != strings.Join(tc.refuse, ",") {
					t.Fatalf("CreateBranch: %v; want a CheckoutConversionError naming %v", err, tc.refuse)
				}
				if ce.Command != "git switch -c rec "+target {
					t.Errorf("command %q", ce.Command)
				}
				if head := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD")); head != base {
					t.Errorf("HEAD moved to %s", head)
				}
				if _, err := gittest.TryGit(dir, "rev-parse", "--verify", "-q", "refs/heads/rec"); err == nil {
					t.Error("the branch was made")
				}
				if st := gittest.Git(t, dir, "status", "--porcelain"); st != "" {
					t.Errorf("the work tree changed:\n%s", st)
				}
				return
			}
			if err != nil {
				t.Fatalf("CreateBranch: %v", err)
			}
			checkSameFiles(t, dir, twin, []string{"notes/a.txt", "src/b.go", "same.txt", ".gitattributes"})
			if st := gittest.Git(t, dir, "status", "--porcelain"); st != "" {
				t.Errorf("git status after wf's switch:\n%s", st)
			}
		})
	}
}

// checkGitConverts is the premise of a conversion case: of paths, the
// files of commit (in the repository at repo) whose bytes in git's
// checkout at checkout differ from their blobs must be exactly want.
func checkGitConverts(t *testing.T, repo, checkout, commit string, paths, want []string) {
	t.Helper()
	var differ []string
	for _, p := range paths {
		blob, err := exec.Command("git", "-C", repo, "cat-file", "blob", commit+":"+p).Output()
		if err != nil {
			t.Fatalf("git cat-file blob %s:%s: %v", commit, p, err)
		}
		onDisk, err := os.ReadFile(filepath.Join(checkout, p))
		if err != nil {
			t.Fatal(err)
		}
		if string(blob) != string(onDisk) {
			differ = append(differ, p)
		}
	}
	if got, want := strings.Join(differ, ","), strings.Join(want, ","); got != want {
		t.Fatalf("the test's premise: git converts %q, the case says %q", got, want)
	}
}

// TestShellArg runs each quoted argument through sh and checks it comes
// back as one word, unchanged.
func TestShellArg(t *testing.T) {
	for _, s := range []string{"plain", "wf/recover-1", "/tmp/my proj.spec-a", "it's", "$HOME; rm -rf x", "", "a\"b\\c", "new\nline", "--why"} {
		got, err := exec.Command("sh", "-c", "set -- "+ShellArg(s)+`; printf '%s|%s' "$#" "$1"`).Output()
		if err != nil {
			t.Fatalf("sh for %q: %v", s, err)
		}
		if want := "1|" + s; string(got) != want {
			t.Errorf("ShellArg(%q) = %s: sh reads %q", s, ShellArg(s), got)
		}
	}
}

// TestCreateBranchSparseDifferential: in a sparse checkout, a file the
// switch adds outside the patterns is not written and gets skip-worktree,
// as git switch -c does; a converting attribute on it is then no reason
// to refuse. Compared with git on a twin copy: the files on disk, git
// ls-files -t and a clean git status.
func TestCreateBranchSparseDifferential(t *testing.T) {
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, "in/a.txt", "a\n")
	gittest.Write(t, dir, "out/b.txt", "b\n")
	gittest.Write(t, dir, "top.txt", "top\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "base")
	base := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD"))
	gittest.Write(t, dir, ".gitattributes", "out/** text eol=crlf\n")
	gittest.Write(t, dir, "in/new.txt", "new in\n")
	gittest.Write(t, dir, "out/new.txt", "new out\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "target")
	target := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD"))
	gittest.Git(t, dir, "reset", "-q", "--hard", base)
	gittest.Git(t, dir, "sparse-checkout", "set", "--no-cone", "/in/", "/top.txt", "/.gitattributes")
	twin := filepath.Join(t.TempDir(), "twin")
	copyTree(t, dir, twin)
	gittest.Git(t, twin, "switch", "-q", "-c", "rec", target)

	r := discover(t, dir)
	if err := r.CreateBranch("rec", NewHash(target), true, fixedNow()); err != nil {
		t.Fatalf("CreateBranch: %v", err)
	}
	checkSameFiles(t, dir, twin, []string{"in/a.txt", "in/new.txt", "out/b.txt", "out/new.txt", "top.txt", ".gitattributes"})
	if got, want := gittest.Git(t, dir, "ls-files", "-t"), gittest.Git(t, twin, "ls-files", "-t"); got != want {
		t.Errorf("git ls-files -t after wf:\n%s\nafter git:\n%s", got, want)
	}
	if st := gittest.Git(t, dir, "status", "--porcelain"); st != "" {
		t.Errorf("git status after wf's switch:\n%s", st)
	}
}

// checkSameFiles compares the files at paths in wf's checkout wfDir with
// git's in gitDir: the same bytes, or missing from both.
func checkSameFiles(t *testing.T, wfDir, gitDir string, paths []string) {
	t.Helper()
	for _, p := range paths {
		a, errA := os.ReadFile(filepath.Join(wfDir, p))
		b, errB := os.ReadFile(filepath.Join(gitDir, p))
		if string(a) != string(b) || (errA == nil) != (errB == nil) {
			t.Errorf("%s: wf wrote %q (%v), git %q (%v)", p, a, errA, b, errB)
		}
	}
}
