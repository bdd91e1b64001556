package gitcp

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wf-tool/wf/gitcp/gittest"
)

func baseRepo(t *testing.T) string {
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, "README.md", "hello\n")
	gittest.Write(t, dir, "src/main.go", "package main\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "base")
	return dir
}

func committedFiles(t *testing.T, dir, rev string) string {
	return gittest.Git(t, dir, "ls-tree", "-r", "--name-only", rev)
}

func TestIgnoreSources(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, dir, home string)
	}{
		{"nested gitignore with negation", func(t *testing.T, dir, home string) {
			gittest.Write(t, dir, "sub/.gitignore", "*.log\n!keep.log\n")
			gittest.Write(t, dir, "sub/keep.log", "kept\n")
		}},
		{"info/exclude", func(t *testing.T, dir, home string) {
			gittest.Write(t, dir, ".git/info/exclude", "secret.txt\n.env\n")
		}},
		{"core.excludesFile", func(t *testing.T, dir, home string) {
			gittest.Write(t, home, "my-ignore", "secret.txt\n.env\n")
			gittest.Git(t, dir, "config", "core.excludesFile", "~/my-ignore")
		}},
		{"XDG default", func(t *testing.T, dir, home string) {
			gittest.Write(t, home, ".config/git/ignore", "secret.txt\n.env\n")
		}},
		{"XDG_CONFIG_HOME", func(t *testing.T, dir, home string) {
			x := filepath.Join(home, "xdg")
			t.Setenv("XDG_CONFIG_HOME", x)
			gittest.Write(t, x, "git/ignore", "secret.txt\n.env\n")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := baseRepo(t)
			home := os.Getenv("HOME")
			tc.setup(t, dir, home)
			if !strings.HasPrefix(tc.name, "nested") {
				gittest.Write(t, dir, "secret.txt", "ignored\n")
				gittest.Write(t, dir, ".env", "API_KEY=AKIAABCDEFGHIJKLMNOP\n")
			} else {
				gittest.Write(t, dir, "sub/debug.log", "ignored\n")
			}
			gittest.Write(t, dir, "visible.txt", "v\n")
			if st := gittest.Git(t, dir, "status", "--porcelain"); strings.Contains(st, "secret") || strings.Contains(st, "debug.log") || strings.Contains(st, ".env") {
				t.Fatalf("test setup: git does not ignore:\n%s", st)
			}
			commit(t, dir, CommitOptions{})
			files := committedFiles(t, dir, "HEAD")
			for _, bad := range []string{"secret.txt", ".env", "debug.log"} {
				if strings.Contains(files, bad) {
					t.Errorf("%s committed:\n%s", bad, files)
				}
			}
			if !strings.Contains(files, "visible.txt") {
				t.Errorf("visible.txt not committed")
			}
			if strings.HasPrefix(tc.name, "nested") && !strings.Contains(files, "sub/keep.log") {
				t.Errorf("negated keep.log not committed")
			}
			if st := gittest.Git(t, dir, "status", "--porcelain"); st != "" {
				t.Errorf("status:\n%s", st)
			}
		})
	}
}

func TestUnbornHead(t *testing.T) {
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, "a.txt", "a\n")
	res := commit(t, dir, CommitOptions{})
	if !res.Parent.IsZero() {
		t.Errorf("parent %s", res.Parent)
	}
	gittest.Git(t, dir, "fsck", "--strict")
	if got := gittest.Git(t, dir, "rev-parse", "main"); got != res.Hash.String() {
		t.Errorf("main = %s", got)
	}
	if rl := gittest.Git(t, dir, "reflog", "-1", "--format=%gs"); rl != "commit (initial): checkpoint" {
		t.Errorf("reflog %q", rl)
	}
	if st := gittest.Git(t, dir, "status", "--porcelain"); st != "" {
		t.Errorf("status:\n%s", st)
	}
}

func TestDetachedHead(t *testing.T) {
	dir := baseRepo(t)
	gittest.Git(t, dir, "checkout", "-q", "--detach")
	gittest.Write(t, dir, "a.txt", "a\n")
	res := commit(t, dir, CommitOptions{})
	if res.Warning == "" || res.Ref != "HEAD" {
		t.Errorf("warning %q ref %q", res.Warning, res.Ref)
	}
	if got := gittest.Git(t, dir, "rev-parse", "HEAD"); got != res.Hash.String() {
		t.Errorf("HEAD %s", got)
	}
	if got := gittest.Git(t, dir, "rev-parse", "main"); got == res.Hash.String() {
		t.Errorf("main moved")
	}
	if rl := gittest.Git(t, dir, "reflog", "-1", "--format=%H"); rl != res.Hash.String() {
		t.Errorf("reflog %s", rl)
	}
	gittest.Git(t, dir, "fsck", "--strict")
}

func TestLinkedWorktreeAndSubdir(t *testing.T) {
	dir := baseRepo(t)
	wt := filepath.Join(t.TempDir(), "wt")
	gittest.Git(t, dir, "worktree", "add", "-q", "-b", "feature", wt)
	gittest.Write(t, wt, "src/feature.go", "package main // feature\n")
	gittest.Write(t, dir, "main-only.txt", "untracked in main\n")
	r := discover(t, filepath.Join(wt, "src"))
	if r.TopLevel != wt || r.WorktreeName != "wt" || r.CommonDir != filepath.Join(dir, ".git") {
		t.Fatalf("discover: %+v", r)
	}
	res, err := r.Commit(CommitOptions{Message: "wt"})
	if err != nil {
		t.Fatal(err)
	}
	if got := gittest.Git(t, dir, "rev-parse", "feature"); got != res.Hash.String() {
		t.Errorf("feature = %s", got)
	}
	if got := gittest.Git(t, dir, "rev-parse", "main"); got == res.Hash.String() {
		t.Errorf("main moved")
	}
	if st := gittest.Git(t, wt, "status", "--porcelain"); st != "" {
		t.Errorf("worktree status:\n%s", st)
	}
	if st := gittest.Git(t, dir, "status", "--porcelain"); st != "?? main-only.txt" {
		t.Errorf("main status:\n%s", st)
	}
	if rl := gittest.Git(t, wt, "reflog", "-1", "--format=%H"); rl != res.Hash.String() {
		t.Errorf("worktree HEAD reflog %s", rl)
	}
	gittest.Git(t, dir, "fsck", "--strict")
	// Ref mode uses the worktree's own checkpoint ref.
	gittest.Write(t, wt, "x.txt", "x\n")
	rr, err := r.Commit(CommitOptions{Mode: ModeRef, Message: "c\n\nWf-Checkpoint: 2"})
	if err != nil {
		t.Fatal(err)
	}
	if got := gittest.Git(t, dir, "rev-parse", "refs/wf/wt/checkpoints"); got != rr.Hash.String() {
		t.Errorf("checkpoint ref %s", got)
	}
}

func TestSparseCheckout(t *testing.T) {
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, "keep/a.txt", "a\n")
	gittest.Write(t, dir, "gone/b.txt", "b\n")
	gittest.Write(t, dir, "top.txt", "t\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "base")
	gittest.Git(t, dir, "sparse-checkout", "set", "keep")
	if cfg := gittest.Git(t, dir, "config", "extensions.worktreeConfig"); cfg != "true" {
		t.Fatalf("worktreeConfig %q", cfg)
	}
	gittest.Write(t, dir, "keep/a.txt", "a2\n")
	res := commit(t, dir, CommitOptions{})
	if len(res.Changes) != 1 || res.Changes[0].Path != "keep/a.txt" {
		t.Errorf("changes %+v", res.Changes)
	}
	if files := committedFiles(t, dir, "HEAD"); !strings.Contains(files, "gone/b.txt") {
		t.Errorf("sparse file dropped:\n%s", files)
	}
	if st := gittest.Git(t, dir, "status", "--porcelain"); st != "" {
		t.Errorf("status:\n%s", st)
	}
	if out := gittest.Git(t, dir, "ls-files", "-t", "gone/b.txt"); out != "S gone/b.txt" {
		t.Errorf("skip-worktree lost: %q", out)
	}
	gittest.Git(t, dir, "fsck", "--strict")
}

func TestUnsafeStatesRefuseBranchAllowRef(t *testing.T) {
	type setup func(t *testing.T, dir string)
	conflict := func(t *testing.T, dir string) {
		gittest.Git(t, dir, "checkout", "-q", "-b", "other")
		gittest.Write(t, dir, "README.md", "other\n")
		gittest.Git(t, dir, "commit", "-q", "-am", "other")
		gittest.Git(t, dir, "checkout", "-q", "main")
		gittest.Write(t, dir, "README.md", "main\n")
		gittest.Git(t, dir, "commit", "-q", "-am", "main")
	}
	cases := map[string]setup{
		"merge": func(t *testing.T, dir string) {
			conflict(t, dir)
			gittest.TryGit(dir, "merge", "other")
		},
		"rebase": func(t *testing.T, dir string) {
			conflict(t, dir)
			gittest.TryGit(dir, "rebase", "other")
		},
		"cherry-pick": func(t *testing.T, dir string) {
			conflict(t, dir)
			gittest.TryGit(dir, "cherry-pick", "other")
		},
		"revert": func(t *testing.T, dir string) {
			gittest.Write(t, dir, "README.md", "v2\n")
			gittest.Git(t, dir, "commit", "-q", "-am", "v2")
			gittest.Write(t, dir, "README.md", "v3\n")
			gittest.Git(t, dir, "commit", "-q", "-am", "v3")
			gittest.TryGit(dir, "revert", "--no-edit", "HEAD~1")
		},
		"bisect": func(t *testing.T, dir string) {
			gittest.Git(t, dir, "bisect", "start")
		},
	}
	for op, fn := range cases {
		t.Run(op, func(t *testing.T) {
			dir := baseRepo(t)
			fn(t, dir)
			gittest.Write(t, dir, "notes.md", "wip\n")
			r := discover(t, dir)
			if got, _ := r.InProgress(); got != op {
				t.Fatalf("InProgress = %q want %q", got, op)
			}
			_, err := r.Commit(CommitOptions{Message: "x"})
			var ue *UnsafeStateError
			if !errors.As(err, &ue) || ue.Op != op || ue.Hint == "" {
				t.Fatalf("branch mode: %v", err)
			}
			before := gittest.Git(t, dir, "status", "--porcelain=v2", "--branch")
			headBefore := gittest.Git(t, dir, "rev-parse", "HEAD")
			idxBefore, _ := os.ReadFile(filepath.Join(dir, ".git", "index"))
			res, err := r.Commit(CommitOptions{Mode: ModeRef, Message: "x\n\nWf-Checkpoint: 1"})
			if err != nil {
				t.Fatalf("ref mode: %v", err)
			}
			if after := gittest.Git(t, dir, "status", "--porcelain=v2", "--branch"); after != before {
				t.Errorf("status changed:\n%s\n---\n%s", before, after)
			}
			idxAfter, _ := os.ReadFile(filepath.Join(dir, ".git", "index"))
			if string(idxAfter) != string(idxBefore) || gittest.Git(t, dir, "rev-parse", "HEAD") != headBefore {
				t.Errorf("index or HEAD changed")
			}
			if got := gittest.Git(t, dir, "rev-parse", "refs/wf/main/checkpoints"); got != res.Hash.String() {
				t.Errorf("ref %s", got)
			}
			if !strings.Contains(committedFiles(t, dir, res.Hash.String()), "notes.md") {
				t.Errorf("notes.md not in ref-mode commit")
			}
			gittest.Git(t, dir, "fsck", "--strict")
		})
	}
}

func TestRefModeChain(t *testing.T) {
	dir := baseRepo(t)
	head := gittest.Git(t, dir, "rev-parse", "HEAD")
	gittest.Write(t, dir, "README.md", "changed\n")
	gittest.Git(t, dir, "add", "README.md")
	gittest.Write(t, dir, "new.txt", "n\n")
	statusBefore := gittest.Git(t, dir, "status", "--porcelain")
	r := discover(t, dir)
	c1, err := r.Commit(CommitOptions{Mode: ModeRef, Message: "one\n\nWf-Checkpoint: 1"})
	if err != nil {
		t.Fatal(err)
	}
	if c1.Parent.String() != head {
		t.Errorf("first parent %s want HEAD %s", c1.Parent, head)
	}
	gittest.Write(t, dir, "new.txt", "n2\n")
	c2, err := r.Commit(CommitOptions{Mode: ModeRef, Message: "two\n\nWf-Checkpoint: 2"})
	if err != nil {
		t.Fatal(err)
	}
	if c2.Parent != c1.Hash || len(c2.Changes) != 1 || c2.Changes[0].Path != "new.txt" {
		t.Errorf("second: parent %s changes %+v", c2.Parent, c2.Changes)
	}
	if got := gittest.Git(t, dir, "rev-parse", r.CheckpointRef()); got != c2.Hash.String() {
		t.Errorf("ref %s", got)
	}
	if gittest.Git(t, dir, "rev-parse", "HEAD") != head || gittest.Git(t, dir, "status", "--porcelain") != statusBefore {
		t.Errorf("HEAD or status changed")
	}
	if rl := gittest.Git(t, dir, "reflog", "show", "--format=%gs", r.CheckpointRef()); !strings.Contains(rl, "wf checkpoint: two") {
		t.Errorf("reflog %q", rl)
	}
	gittest.Git(t, dir, "fsck", "--strict")

	entries, err := r.Log(r.CheckpointRef(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Trailers["Wf-Checkpoint"] != "2" || entries[1].Subject != "one" {
		t.Errorf("log %+v", entries)
	}
}

func TestLockBusy(t *testing.T) {
	dir := baseRepo(t)
	gittest.Write(t, dir, "a.txt", "a\n")
	lock := filepath.Join(dir, ".git", "index.lock")
	os.WriteFile(lock, nil, 0o644)
	r := discover(t, dir)
	r.LockWait = 200 * time.Millisecond
	start := time.Now()
	_, err := r.Commit(CommitOptions{Message: "x"})
	var le *LockBusyError
	if !errors.As(err, &le) || le.Path != lock || !strings.Contains(le.Hint(), lock) {
		t.Fatalf("err %v", err)
	}
	if time.Since(start) < 150*time.Millisecond {
		t.Errorf("did not wait")
	}
	if _, err := os.Stat(lock); err != nil {
		t.Errorf("foreign lock removed")
	}
	// A ref lock too.
	os.Remove(lock)
	os.WriteFile(filepath.Join(dir, ".git", "refs", "heads", "main.lock"), nil, 0o644)
	_, err = r.Commit(CommitOptions{Message: "x"})
	if !errors.As(err, &le) || !strings.HasSuffix(le.Path, "main.lock") {
		t.Fatalf("ref lock: %v", err)
	}
	if _, err := os.Stat(lock); err == nil {
		t.Errorf("index.lock left behind")
	}
	if st := gittest.Git(t, dir, "status", "--porcelain"); st != "?? a.txt" {
		t.Errorf("status %q", st)
	}
}

func TestRefusedFormats(t *testing.T) {
	t.Run("split index", func(t *testing.T) {
		dir := baseRepo(t)
		gittest.Git(t, dir, "update-index", "--split-index")
		gittest.Write(t, dir, "a.txt", "a\n")
		// Read merged with its shared index; written back whole.
		r := discover(t, dir)
		if _, err := r.Commit(CommitOptions{Message: "x"}); err != nil {
			t.Fatalf("split index: %v", err)
		}
		if st := gittest.Git(t, dir, "status", "--porcelain"); st != "" {
			t.Errorf("status %q", st)
		}
		// A shared index that is gone is named.
		gittest.Git(t, dir, "update-index", "--split-index")
		shared, _ := filepath.Glob(filepath.Join(dir, ".git", "sharedindex.*"))
		for _, s := range shared {
			os.Remove(s)
		}
		var ie *IndexFormatError
		if _, err := r.Commit(CommitOptions{Mode: ModeRef, Message: "x"}); !errors.As(err, &ie) || !strings.Contains(ie.Error(), "shared index") {
			t.Fatalf("missing shared index: %v", err)
		}
	})
	t.Run("unknown extension", func(t *testing.T) {
		dir := baseRepo(t)
		gittest.Git(t, dir, "config", "core.repositoryformatversion", "1")
		gittest.Git(t, dir, "config", "extensions.frobnicate", "true")
		_, err := Discover(dir)
		var ue *UnsupportedRepoError
		if !errors.As(err, &ue) || ue.Setting != "extensions.frobnicate" {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("not a repository", func(t *testing.T) {
		gittest.Env(t)
		_, err := Discover(t.TempDir())
		if !errors.Is(err, ErrNotRepository) {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("bare", func(t *testing.T) {
		gittest.Env(t)
		dir := t.TempDir()
		gittest.Git(t, dir, "init", "-q", "--bare")
		if _, err := Discover(dir); !errors.Is(err, ErrBareRepository) {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("index v4", func(t *testing.T) {
		dir := baseRepo(t)
		gittest.Git(t, dir, "update-index", "--index-version", "4")
		gittest.Write(t, dir, "src/more.go", "package main\n")
		commit(t, dir, CommitOptions{})
		if st := gittest.Git(t, dir, "status", "--porcelain"); st != "" {
			t.Errorf("status %q", st)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, ".git", "index")); len(b) < 8 || b[7] != 4 {
			t.Errorf("index version not kept")
		}
		gittest.Git(t, dir, "fsck", "--strict")
	})
}

func TestSecretsAndLarge(t *testing.T) {
	dir := baseRepo(t)
	gittest.Write(t, dir, "key.pem", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n")
	gittest.Write(t, dir, ".env.local", "X=1\n")
	gittest.Write(t, dir, ".env.example", "API_KEY=changeme\n")
	gittest.Write(t, dir, "conf.py", "API_KEY = 'q8Zr2LxV9tYp4WmB7nKc3HdF'\n")
	gittest.Write(t, dir, "gh.txt", "token ghp_q8Zr2LxV9tYp4WmB7nKc3HdF0aE7uGdK4oV6\n")
	gittest.Write(t, dir, "ok.txt", "API_KEY = os.environ['API_KEY']\n")
	big := make([]byte, MaxFileSize+1)
	os.WriteFile(filepath.Join(dir, "big.bin"), big, 0o644)
	r := discover(t, dir)
	_, err := r.Commit(CommitOptions{Message: "x"})
	var re *RefusedFilesError
	if !errors.As(err, &re) {
		t.Fatalf("err %v", err)
	}
	got := map[string]bool{}
	for _, f := range re.Files {
		got[f.Path] = f.Large
	}
	for _, p := range []string{"key.pem", ".env.local", "conf.py", "gh.txt", "big.bin"} {
		if _, ok := got[p]; !ok {
			t.Errorf("%s not refused", p)
		}
	}
	if !got["big.bin"] || len(got) != 5 {
		t.Errorf("refused %+v", re.Files)
	}
	if st := gittest.Git(t, dir, "rev-list", "--count", "HEAD"); st != "1" {
		t.Errorf("committed anyway")
	}
	res, err := r.Commit(CommitOptions{Message: "x", AllowSecret: []string{"key.pem", ".env.local", "conf.py", "gh.txt"}, AllowLarge: []string{"big.bin"}})
	if err != nil {
		t.Fatal(err)
	}
	if files := committedFiles(t, dir, res.Hash.String()); !strings.Contains(files, "big.bin") || !strings.Contains(files, ".env.example") {
		t.Errorf("files %s", files)
	}
}

func TestNoIdentity(t *testing.T) {
	dir := baseRepo(t)
	for _, k := range []string{"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"} {
		os.Unsetenv(k)
	}
	gittest.Write(t, dir, "a.txt", "a\n")
	r := discover(t, dir)
	_, err := r.Commit(CommitOptions{Message: "x"})
	var ie *IdentityError
	if !errors.As(err, &ie) || !strings.Contains(ie.Hint(), "user.name") {
		t.Fatalf("err %v", err)
	}
	gittest.Git(t, dir, "config", "user.name", "Repo User")
	gittest.Git(t, dir, "config", "user.email", "repo@example.com")
	commit(t, dir, CommitOptions{})
	if a := gittest.Git(t, dir, "log", "-1", "--format=%an %ce"); a != "Repo User repo@example.com" {
		t.Errorf("identity %q", a)
	}
}

func TestPathsFilter(t *testing.T) {
	dir := baseRepo(t)
	gittest.Write(t, dir, "README.md", "staged unrelated\n")
	gittest.Git(t, dir, "add", "README.md")
	gittest.Write(t, dir, "src/main.go", "package main // changed\n")
	gittest.Write(t, dir, "src/new.go", "package main\n")
	gittest.Write(t, dir, "other.txt", "o\n")
	res := commit(t, dir, CommitOptions{Paths: []string{"src"}})
	if len(res.Changes) != 2 {
		t.Errorf("changes %+v", res.Changes)
	}
	st := gittest.Git(t, dir, "status", "--porcelain")
	if st != "M  README.md\n?? other.txt" {
		t.Errorf("status %q", st)
	}
	gittest.Git(t, dir, "fsck", "--strict")
}

func TestDiffStatAndReadBlob(t *testing.T) {
	dir := baseRepo(t)
	base := gittest.Git(t, dir, "rev-parse", "HEAD")
	gittest.Write(t, dir, "README.md", "hello\nworld\n")
	gittest.Write(t, dir, "bin.dat", "a\x00b")
	r := discover(t, dir)
	h, _ := r.ResolveRef("HEAD")
	stats, err := r.DiffStat(h, [20]byte{})
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 2 || stats[0].Path != "README.md" || stats[0].Added != 1 || stats[0].Deleted != 0 || !stats[1].Binary {
		t.Errorf("stats %+v", stats)
	}
	res := commit(t, dir, CommitOptions{})
	stats2, err := r.DiffStat(h, res.Hash)
	if err != nil || len(stats2) != 2 || stats2[0].Added != 1 {
		t.Errorf("commit stats %+v %v", stats2, err)
	}
	b, err := r.ReadBlobAt(res.Hash, "README.md")
	if err != nil || string(b) != "hello\nworld\n" {
		t.Errorf("blob %q %v", b, err)
	}
	if _, err := r.ReadBlobAt(res.Hash, "src/nope.go"); err == nil {
		t.Errorf("missing file read")
	}
	if b, _ := r.ReadBlobAt(res.Hash, "src/main.go"); string(b) != "package main\n" {
		t.Errorf("nested blob %q", b)
	}
	_ = base
}

func TestRepairIndex(t *testing.T) {
	dir := baseRepo(t)
	gittest.Write(t, dir, "README.md", "changed\n")
	r := discover(t, dir)
	// Simulate a crash after the ref moved: commit in ref mode, then point
	// main at it by hand, leaving the index old.
	res, err := r.Commit(CommitOptions{Mode: ModeRef, Message: "x"})
	if err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, dir, "update-ref", "refs/heads/main", res.Hash.String())
	if st := gittest.Git(t, dir, "status", "--porcelain"); st == "" {
		t.Fatal("setup: status clean")
	}
	if err := r.RepairIndex(); err != nil {
		t.Fatal(err)
	}
	if st := gittest.Git(t, dir, "status", "--porcelain"); st != "" {
		t.Errorf("status after repair %q", st)
	}
}
