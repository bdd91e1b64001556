package gitcp

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// The commit hooks compared with git: both sides run the same hooks on the
// same repository state, git with "git commit -a -m" (whose hooks, like
// wf's, see the index being committed in index.lock) and wf with
// Repo.Commit; the hooks' records, the commits and the indexes must agree.

// dumpHook is a hook that records its name, arguments, working folder and
// the git variables of its environment in $HOOKLOG.
const dumpHook = `#!/bin/sh
{ echo "== $(basename "$0") $#: $*"; echo "pwd=$(pwd)"; env | grep -E '^GIT_(INDEX_FILE|EDITOR|PREFIX|DIR|AUTHOR_NAME|AUTHOR_EMAIL|WORK_TREE)=' | sort; } >> "$HOOKLOG"
`

// hookPair builds the same repository twice (setup runs on each copy) and
// returns the git side and the wf side.
func hookPair(t *testing.T, setup func(dir string)) (gitSide, wfSide string) {
	t.Helper()
	base := newRecipeRepo(t)
	setup(base)
	root := t.TempDir()
	gitSide, wfSide = filepath.Join(root, "git"), filepath.Join(root, "wf")
	copyTree(t, base, gitSide)
	copyTree(t, base, wfSide)
	return gitSide, wfSide
}

// writeHook writes an executable hook file.
func writeHook(t *testing.T, dir, rel, script string) {
	t.Helper()
	gittest.Write(t, dir, rel, script)
	mustChmod(t, dir, rel, 0o755)
}

// normalizeLog replaces the repository's folder with DIR.
func normalizeLog(s, dir string) string {
	return strings.ReplaceAll(s, dir, "DIR")
}

func TestHooksRunAsGitCommitRunsThem(t *testing.T) {
	t.Setenv("HOOKLOG", os.DevNull)
	gitSide, wfSide := hookPair(t, func(dir string) {
		gittest.Git(t, dir, "config", "core.hooksPath", ".githooks") // relative: from the top level
		for _, h := range []string{HookPreCommit, HookPrepareCommitMsg, HookCommitMsg, HookPostCommit} {
			writeHook(t, dir, ".githooks/"+h, dumpHook)
		}
		gittest.Git(t, dir, "add", "-A")
		gittest.Git(t, dir, "commit", "-q", "--no-verify", "-m", "hooks")
		gittest.Write(t, dir, "README.md", "# changed\n")
		// Not executable: git ignores it (with a hint), wf too (with a note).
		gittest.Write(t, dir, ".git/hooks/pre-commit", "#!/bin/sh\nexit 1\n")
	})
	logs := t.TempDir()
	t.Setenv("HOOKLOG", filepath.Join(logs, "git"))
	gittest.Git(t, gitSide, "commit", "-q", "-a", "-m", "subject")
	t.Setenv("HOOKLOG", filepath.Join(logs, "wf"))
	r, err := Discover(wfSide)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out bytes.Buffer
	res, err := r.Commit(CommitOptions{Message: "subject", HookOutput: &out})
	if err != nil {
		t.Fatal(err)
	}
	gitLog, _ := os.ReadFile(filepath.Join(logs, "git"))
	wfLog, _ := os.ReadFile(filepath.Join(logs, "wf"))
	want, got := normalizeLog(string(gitLog), gitSide), normalizeLog(string(wfLog), wfSide)
	if got != want || !strings.Contains(want, "== post-commit") {
		t.Errorf("hook records differ\n--- git\n%s\n--- wf\n%s", want, got)
	}
	if len(res.Notes) != 0 {
		t.Errorf("notes %q, want none: core.hooksPath hides .git/hooks", res.Notes)
	}
	for _, side := range []string{gitSide, wfSide} {
		if s := gittest.Git(t, side, "status", "--porcelain"); s != "" {
			t.Errorf("%s: status after the commit: %q", side, s)
		}
	}
	if g, w := gittest.Git(t, gitSide, "rev-parse", "HEAD^{tree}"), gittest.Git(t, wfSide, "rev-parse", "HEAD^{tree}"); g != w {
		t.Errorf("trees differ: git %s, wf %s", g, w)
	}
}

func TestHookEnvironmentFromASubfolderAndALinkedWorktree(t *testing.T) {
	// GIT_PREFIX is the folder the command started in; in a linked
	// worktree git also sets GIT_DIR and names files by absolute path.
	gitSide, wfSide := hookPair(t, func(dir string) {
		for _, h := range []string{HookPreCommit, HookPrepareCommitMsg} {
			writeHook(t, dir, ".git/hooks/"+h, dumpHook)
		}
	})
	logs := t.TempDir()
	run := func(side string) (gitLog, wfLog string) {
		wt := filepath.Join(t.TempDir(), "wt")
		gittest.Git(t, side, "worktree", "add", "-q", "-b", "side", wt)
		gittest.Write(t, wt, "src/util/more.go", "package util\n")
		return wt, ""
	}
	gwt, _ := run(gitSide)
	wwt, _ := run(wfSide)
	t.Setenv("HOOKLOG", filepath.Join(logs, "git"))
	gittest.Git(t, filepath.Join(gwt, "src"), "add", "-A", ".")
	gittest.Git(t, filepath.Join(gwt, "src"), "commit", "-q", "-a", "-m", "x")
	t.Setenv("HOOKLOG", filepath.Join(logs, "wf"))
	r, err := Discover(filepath.Join(wwt, "src"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// git commit -a names index.lock; a plain git commit after git add
	// names the index: wf's hooks see index.lock, as with -a.
	if _, err := r.Commit(CommitOptions{Message: "x"}); err != nil {
		t.Fatal(err)
	}
	gitLog, _ := os.ReadFile(filepath.Join(logs, "git"))
	wfLog, _ := os.ReadFile(filepath.Join(logs, "wf"))
	norm := func(s, side, wt string) string {
		s = strings.ReplaceAll(s, wt, "WT")
		s = strings.ReplaceAll(s, side, "DIR")
		return regexp.MustCompile(`GIT_INDEX_FILE=.*`).ReplaceAllString(s, "GIT_INDEX_FILE=DIR/.git/worktrees/wt/index(.lock)")
	}
	want, got := norm(string(gitLog), gitSide, gwt), norm(string(wfLog), wfSide, wwt)
	if got != want || !strings.Contains(want, "GIT_PREFIX=src/") || !strings.Contains(want, "GIT_DIR=") {
		t.Errorf("hook records differ\n--- git\n%s\n--- wf\n%s", want, got)
	}
}

func TestFailingPreCommitHookChangesNothing(t *testing.T) {
	_, dir := hookPair(t, func(dir string) {
		writeHook(t, dir, ".git/hooks/pre-commit", "#!/bin/sh\necho \"pre-commit: blocked $(git diff --cached --name-only)\" >&2\nexit 3\n")
		gittest.Write(t, dir, "draft.txt", "NOCOMMIT\n")
	})
	before := viewOf(t, dir)
	idxBefore, _ := os.ReadFile(filepath.Join(dir, ".git/index"))
	r, err := Discover(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out bytes.Buffer
	_, err = r.Commit(CommitOptions{Message: "x", HookOutput: &out})
	var he *HookError
	if !errors.As(err, &he) || he.Hook != HookPreCommit || !strings.Contains(he.Output, "pre-commit: blocked draft.txt") {
		t.Fatalf("want a pre-commit HookError that saw draft.txt staged, got %v (%+v)", err, he)
	}
	if !strings.Contains(out.String(), "pre-commit: blocked draft.txt") {
		t.Errorf("hook output not passed on: %q", out.String())
	}
	if after := viewOf(t, dir); after != before {
		t.Errorf("failed hook changed the repository:\nbefore %+v\nafter  %+v", before, after)
	}
	if idxAfter, _ := os.ReadFile(filepath.Join(dir, ".git/index")); !bytes.Equal(idxAfter, idxBefore) {
		t.Error("the index changed")
	}
	if _, err := os.Lstat(filepath.Join(dir, ".git/index.lock")); err == nil {
		t.Error("index.lock left behind")
	}
	if strings.Contains(err.Error(), "blocked") {
		t.Errorf("the error repeats output already shown: %v", err)
	}
	// Without HookOutput, the error carries the hook's last lines.
	_, err = r.Commit(CommitOptions{Message: "x"})
	if err == nil || !strings.Contains(err.Error(), "(it printed: pre-commit: blocked draft.txt)") {
		t.Errorf("error without HookOutput: %v", err)
	}
	// --no-verify skips it, as in git.
	if _, err := r.Commit(CommitOptions{Message: "x", NoVerify: true}); err != nil {
		t.Fatalf("NoVerify: %v", err)
	}
}

func TestPreCommitHookThatChangesTheIndex(t *testing.T) {
	// A formatter hook rewrites a file and stages it; another unstages a
	// file. git commits the index the hook left, and so must wf.
	hook := "#!/bin/sh\nprintf 'package main\\n' > src/main.go && git add src/main.go && git rm -q --cached notes.txt\n"
	gitSide, wfSide := hookPair(t, func(dir string) {
		writeHook(t, dir, ".git/hooks/pre-commit", hook)
		gittest.Write(t, dir, "src/main.go", "package   main\n")
		gittest.Write(t, dir, "notes.txt", "notes\n")
		gittest.Git(t, dir, "add", "notes.txt")
	})
	gittest.Git(t, gitSide, "commit", "-q", "-a", "-m", "x")
	r, err := Discover(wfSide)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	res, err := r.Commit(CommitOptions{Message: "x", Paths: nil})
	if err != nil {
		t.Fatal(err)
	}
	_ = res
	want, got := viewOf(t, gitSide), viewOf(t, wfSide)
	if got.tree != want.tree || got.index != want.index || got.status != want.status {
		t.Errorf("differs from git\n--- git\n%+v\n--- wf\n%+v", want, got)
	}
	fsckStrict(t, wfSide, "wf")
}

func TestCommitMsgHookEditsTheMessage(t *testing.T) {
	hook := "#!/bin/sh\nprintf '\\nReviewed-by: Hook <h@example.com>\\n' >> \"$1\"\n"
	prep := "#!/bin/sh\nsed -i '1s/^/[prep] /' \"$1\"\n"
	gitSide, wfSide := hookPair(t, func(dir string) {
		writeHook(t, dir, ".git/hooks/commit-msg", hook)
		writeHook(t, dir, ".git/hooks/prepare-commit-msg", prep)
		gittest.Write(t, dir, "README.md", "# x\n")
	})
	gittest.Git(t, gitSide, "commit", "-q", "-a", "-m", "subject\n\nbody")
	r, err := Discover(wfSide)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Commit(CommitOptions{Message: "subject\n\nbody"}); err != nil {
		t.Fatal(err)
	}
	want := gittest.Git(t, gitSide, "log", "-1", "--format=%B")
	got := gittest.Git(t, wfSide, "log", "-1", "--format=%B")
	if got != want || !strings.Contains(want, "Reviewed-by") {
		t.Errorf("message: git %q, wf %q", want, got)
	}
	if g, w := gittest.Git(t, gitSide, "reflog", "-1", "--format=%gs"), gittest.Git(t, wfSide, "reflog", "-1", "--format=%gs"); g != w {
		t.Errorf("reflog: git %q, wf %q", g, w)
	}
	// A commit-msg hook that refuses stops the commit; NoVerify skips it
	// but still runs prepare-commit-msg.
	writeHook(t, wfSide, ".git/hooks/commit-msg", "#!/bin/sh\nexit 1\n")
	gittest.Write(t, wfSide, "README.md", "# y\n")
	head := gittest.Git(t, wfSide, "rev-parse", "HEAD")
	var he *HookError
	if _, err := r.Commit(CommitOptions{Message: "again"}); !errors.As(err, &he) || he.Hook != HookCommitMsg {
		t.Fatalf("want a commit-msg HookError, got %v", err)
	}
	if h := gittest.Git(t, wfSide, "rev-parse", "HEAD"); h != head {
		t.Fatal("HEAD moved")
	}
	if _, err := r.Commit(CommitOptions{Message: "again", NoVerify: true}); err != nil {
		t.Fatal(err)
	}
	if s := gittest.Git(t, wfSide, "log", "-1", "--format=%s"); s != "[prep] again" {
		t.Errorf("subject %q, want prepare-commit-msg's edit", s)
	}
}

func TestHooksNotExecutableOrInRefMode(t *testing.T) {
	_, dir := hookPair(t, func(dir string) {
		gittest.Write(t, dir, ".git/hooks/pre-commit", "#!/bin/sh\nexit 1\n") // not executable
		gittest.Write(t, dir, "README.md", "# x\n")
	})
	r, err := Discover(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	res, err := r.Commit(CommitOptions{Message: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "pre-commit hook was ignored because it is not set as executable") {
		t.Errorf("notes %q", res.Notes)
	}
	// Ref mode runs no hook.
	mustChmod(t, dir, ".git/hooks/pre-commit", 0o755)
	gittest.Write(t, dir, "README.md", "# y\n")
	if _, err := r.Commit(CommitOptions{Message: "x", Mode: ModeRef}); err != nil {
		t.Fatalf("ref mode ran the failing hook: %v", err)
	}
}
