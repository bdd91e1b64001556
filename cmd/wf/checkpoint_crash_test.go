package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wf-tool/wf/gitcp/gittest"
	"github.com/wf-tool/wf/mdstate"
)

// The crash test runs `wf checkpoint` as a subprocess (the test binary
// re-executed under the name "wf", see TestMain) and kills it with SIGKILL
// at every step of its write sequence (WF_TEST_CRASH_AT) and at random
// times. After each kill it checks, with the git CLI as the oracle:
//
//   - git fsck --strict is clean;
//   - every state file is whole: the version before or the one after;
//   - the next wf command completes or rolls back the checkpoint and says
//     which ("wf: note: …"), leaving no intent, lock or temp file;
//   - git status --porcelain is then exactly what it is after an
//     uninterrupted checkpoint (completed) or before it (rolled back).

// crashSteps are the OnStep names of checkpoint.Checkpoint, in order.
var crashSteps = []string{"start", "intent", "staged", "wrote-checkpoint", "wrote-todo", "wrote-state", "before-ref", "after-ref", "committed", "done"}

var idPattern = regexp.MustCompile(`\d{8}-\d{6}-[0-9a-f]{4}(-[a-z0-9]+)*`)

type crashEnv struct {
	t   *testing.T
	wf  string
	env []string
}

func newCrashEnv(t *testing.T) *crashEnv {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	wf := filepath.Join(bin, "wf")
	if err := os.Symlink(exe, wf); err != nil {
		t.Fatal(err)
	}
	gittest.Env(t) // git and wf in the subprocesses inherit the isolated environment
	env := append(os.Environ(), "TZ=UTC", "WF_LOCK_WAIT=2s")
	return &crashEnv{t: t, wf: wf, env: env}
}

func (c *crashEnv) cmd(dir, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, c.env
	return cmd
}

// run runs a command that must succeed and returns its stdout and stderr.
func (c *crashEnv) run(dir, name string, args ...string) (string, string) {
	c.t.Helper()
	cmd := c.cmd(dir, name, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		c.t.Fatalf("%s %s in %s: %v\n%s%s", name, strings.Join(args, " "), dir, err, out.String(), errb.String())
	}
	return out.String(), errb.String()
}

// fixture makes a repository with 200 files, a workflow and one checkpoint,
// then a work session: a file edited, one added, one staged by the user,
// an ignored .env with a key, and a ticked TODO item.
func (c *crashEnv) fixture(mode string) string {
	dir := filepath.Join(c.t.TempDir(), "tmpl")
	os.MkdirAll(dir, 0o755)
	c.run(dir, "git", "init", "-q", "-b", "main")
	for d := 0; d < 10; d++ {
		sub := filepath.Join(dir, fmt.Sprintf("d%02d", d))
		os.MkdirAll(sub, 0o755)
		for f := 0; f < 20; f++ {
			os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%02d.txt", f)), []byte(fmt.Sprintf("file %d %d\n", d, f)), 0o644)
		}
	}
	os.WriteFile(filepath.Join(dir, ".gitignore"), []byte(".env\n"), 0o644)
	c.run(dir, c.wf, "init", "--phases", "Planning,Implementing")
	c.run(dir, c.wf, "todo", "add", "Write the plan", "--phase", "Planning")
	c.run(dir, c.wf, "todo", "add", "API routes", "--phase", "Implementing")
	if mode == "ref" {
		st, _ := os.ReadFile(filepath.Join(dir, "workflow-state.md"))
		os.WriteFile(filepath.Join(dir, "workflow-state.md"), bytes.Replace(st, []byte("- commit: branch"), []byte("- commit: ref"), 1), 0o644)
	}
	c.run(dir, "git", "add", "-A")
	c.run(dir, "git", "commit", "-q", "-m", "base")
	c.run(dir, c.wf, "checkpoint", "-m", "first")
	os.WriteFile(filepath.Join(dir, "d03", "f04.txt"), []byte("changed\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "new.go"), []byte("package x\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "staged.txt"), []byte("staged by the user\n"), 0o644)
	c.run(dir, "git", "add", "staged.txt")
	os.WriteFile(filepath.Join(dir, ".env"), []byte("API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz0123456789\n"), 0o644)
	c.run(dir, c.wf, "todo", "done", "1")
	c.run(dir, "git", "status", "--porcelain") // settle the index
	// Another git process's lock on an unrelated ref, there all along:
	// recovery must leave it alone.
	os.WriteFile(filepath.Join(dir, foreignLock), []byte("0123456789012345678901234567890123456789\n"), 0o644)
	return dir
}

// foreignLock is a lock file no wf made, in every crash fixture.
const foreignLock = ".git/refs/heads/other.lock"

func (c *crashEnv) copyOf(tmpl string) string {
	dir := filepath.Join(c.t.TempDir(), "r")
	c.run("/", "cp", "-a", tmpl, dir)
	return dir
}

type repoState struct {
	head, ref   string
	porcelain   string
	state, todo []byte
	checkpoints []string
}

func (c *crashEnv) snapshot(dir, mode string) repoState {
	c.t.Helper()
	var s repoState
	h, _ := c.run(dir, "git", "rev-parse", "HEAD")
	s.head = strings.TrimSpace(h)
	s.ref = s.head
	if mode == "ref" {
		r, _ := c.run(dir, "git", "rev-parse", "refs/wf/main/checkpoints")
		s.ref = strings.TrimSpace(r)
	}
	s.porcelain, _ = c.run(dir, "git", "status", "--porcelain", "--untracked-files=all")
	s.state, _ = os.ReadFile(filepath.Join(dir, "workflow-state.md"))
	s.todo, _ = os.ReadFile(filepath.Join(dir, "TODO.md"))
	ms, _ := filepath.Glob(filepath.Join(dir, "checkpoints", "*.md"))
	for _, m := range ms {
		s.checkpoints = append(s.checkpoints, filepath.Base(m))
	}
	return s
}

var tsPattern = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d [+-]\d\d:\d\d`)

// normalize hides what differs between two runs: ids and timestamps.
func normalize(s string) string {
	return tsPattern.ReplaceAllString(idPattern.ReplaceAllString(s, "<id>"), "<ts>")
}

func TestCheckpointCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test runs subprocesses")
	}
	c := newCrashEnv(t)
	for _, mode := range []string{"branch", "ref"} {
		tmpl := c.fixture(mode)
		before := c.snapshot(tmpl, mode)
		// The reference: an uninterrupted checkpoint.
		ref := c.copyOf(tmpl)
		t0 := time.Now()
		c.run(ref, c.wf, "checkpoint", "-m", "second")
		took := time.Since(t0)
		after := c.snapshot(ref, mode)
		if mode == "branch" && after.porcelain != "" {
			t.Fatalf("branch mode: git status not clean after a checkpoint:\n%s", after.porcelain)
		}
		if strings.Contains(after.porcelain, ".env") && mode == "branch" {
			t.Fatalf(".env was not left alone")
		}
		kill := func(name string, start func(dir string) (*exec.Cmd, *bytes.Buffer)) {
			t.Run(mode+"/"+name, func(t *testing.T) {
				t.Parallel()
				c := &crashEnv{t: t, wf: c.wf, env: c.env}
				dir := c.copyOf(tmpl)
				cmd, errb := start(dir)
				err := cmd.Wait()
				killed := false
				if ee, ok := err.(*exec.ExitError); ok {
					if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
						killed = true
					}
				}
				if err != nil && !killed {
					t.Fatalf("wf checkpoint failed: %v\n%s", err, errb.String())
				}
				c.checkAfterKill(dir, mode, before, after)
			})
		}
		for _, step := range crashSteps {
			kill("step-"+step, func(dir string) (*exec.Cmd, *bytes.Buffer) {
				cmd := c.cmd(dir, c.wf, "checkpoint", "-m", "second")
				cmd.Env = append(cmd.Env, "WF_TEST_CRASH_AT="+step)
				var errb bytes.Buffer
				cmd.Stderr = &errb
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				return cmd, &errb
			})
		}
		n := crashRandomKills(8)
		if mode == "ref" {
			n = crashRandomKills(4)
		}
		for i := 0; i < n; i++ {
			// Spread over the run time of an uninterrupted checkpoint.
			delay := time.Duration(rand.Int64N(int64(took) * 5 / 4))
			kill(fmt.Sprintf("random-%d-%s", i, delay), func(dir string) (*exec.Cmd, *bytes.Buffer) {
				cmd := c.cmd(dir, c.wf, "checkpoint", "-m", "second")
				var errb bytes.Buffer
				cmd.Stderr = &errb
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(delay)
				cmd.Process.Signal(syscall.SIGKILL)
				return cmd, &errb
			})
		}
	}
}

func (c *crashEnv) checkAfterKill(dir, mode string, before, after repoState) {
	t := c.t
	t.Helper()
	// 1. The repository is sound.
	if out, errs := c.run(dir, "git", "fsck", "--strict", "--no-progress"); strings.Contains(out+errs, "error") {
		t.Fatalf("git fsck after the kill:\n%s%s", out, errs)
	}
	// 2. Every state file is whole: before or after.
	st, _ := os.ReadFile(filepath.Join(dir, "workflow-state.md"))
	td, _ := os.ReadFile(filepath.Join(dir, "TODO.md"))
	if !bytes.Equal(st, before.state) && normalize(string(st)) != normalize(string(after.state)) {
		t.Fatalf("workflow-state.md is neither before nor after:\n%s", st)
	}
	if !bytes.Equal(td, before.todo) && normalize(string(td)) != normalize(string(after.todo)) {
		t.Fatalf("TODO.md is neither before nor after:\n%s", td)
	}
	mdstate.ParseState("workflow-state.md", st)
	ms, _ := filepath.Glob(filepath.Join(dir, "checkpoints", "*.md"))
	for _, m := range ms {
		b, _ := os.ReadFile(m)
		if !bytes.Contains(b, []byte("## Next Actions (in order)")) {
			t.Fatalf("%s is not whole:\n%s", m, b)
		}
	}
	_, intentErr := os.Lstat(filepath.Join(dir, ".git", "wf", "intent"))
	hadIntent := intentErr == nil
	// 3. The next command recovers and says so.
	cmd := "log"
	if len(dir)%2 == 0 { // alternate between two commands that open the workspace
		cmd = "status"
	}
	_, stderr := c.run(dir, c.wf, cmd)
	if hadIntent {
		if cmd == "log" && !strings.Contains(stderr, "wf: note: completed interrupted checkpoint") && !strings.Contains(stderr, "wf: note: rolled back interrupted checkpoint") {
			t.Fatalf("wf %s after the kill said nothing about the interrupted checkpoint:\n%s", cmd, stderr)
		}
	}
	for _, p := range []string{".git/wf/intent", ".git/index.lock", ".git/refs/heads/main.lock", ".git/refs/wf/main/checkpoints.lock"} {
		if _, err := os.Lstat(filepath.Join(dir, p)); err == nil {
			t.Fatalf("%s is left after recovery (intent was there: %v; %s)", p, hadIntent, stderr)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, foreignLock)); err != nil || len(b) != 41 {
		t.Fatalf("the foreign lock %s was touched (%v)", foreignLock, err)
	}
	if out, _ := c.run(dir, "find", ".", "-name", "*.wf-tmp*", "-o", "-name", ".wf-lock-*"); out != "" {
		t.Fatalf("temp files left: %s", out)
	}
	tmps, _ := filepath.Glob(filepath.Join(dir, "*.wf-tmp-*"))
	tmps2, _ := filepath.Glob(filepath.Join(dir, "checkpoints", "*.wf-tmp-*"))
	if len(tmps)+len(tmps2) > 0 {
		t.Fatalf("temp files left: %v %v", tmps, tmps2)
	}
	// 4. The outcome is all-or-nothing, and git status is truthful.
	now := c.snapshot(dir, mode)
	t.Logf("intent left: %v; ref moved: %v; wf %s said: %q", hadIntent, now.ref != before.ref, cmd, strings.TrimSpace(stderr))
	switch {
	case now.ref == before.ref:
		if !bytes.Equal(now.state, before.state) || !bytes.Equal(now.todo, before.todo) || len(now.checkpoints) != len(before.checkpoints) {
			t.Fatalf("rolled back but the state files are not as before (%s)", stderr)
		}
		if now.porcelain != before.porcelain {
			t.Fatalf("rolled back: git status --porcelain\n%s\nwant\n%s", now.porcelain, before.porcelain)
		}
		if hadIntent && cmd == "log" && !strings.Contains(stderr, "rolled back") {
			t.Fatalf("rolled back but said %q", stderr)
		}
	default:
		if normalize(string(now.state)) != normalize(string(after.state)) || normalize(string(now.todo)) != normalize(string(after.todo)) || len(now.checkpoints) != len(after.checkpoints) {
			t.Fatalf("completed but the state files are not as after (%s)", stderr)
		}
		if normalize(now.porcelain) != normalize(after.porcelain) {
			t.Fatalf("completed: git status --porcelain\n%s\nwant\n%s", now.porcelain, after.porcelain)
		}
		tr, _ := c.run(dir, "git", "log", "-1", "--format=%(trailers:key=Wf-Checkpoint,valueonly)", now.ref)
		if !strings.Contains(string(now.state), strings.TrimSpace(tr)) {
			t.Fatalf("the ref's checkpoint %q is not the one in workflow-state.md", tr)
		}
		if hadIntent && cmd == "log" && !strings.Contains(stderr, "completed") {
			t.Fatalf("completed but said %q", stderr)
		}
	}
	// 5. wf works on: the next checkpoint succeeds.
	c.run(dir, c.wf, "checkpoint", "-m", "third")
	if mode == "branch" {
		if out, _ := c.run(dir, "git", "status", "--porcelain"); out != "" {
			t.Fatalf("git status after the next checkpoint:\n%s", out)
		}
	}
	if out, errs := c.run(dir, "git", "fsck", "--strict", "--no-progress"); strings.Contains(out+errs, "error") {
		t.Fatalf("git fsck at the end:\n%s%s", out, errs)
	}
}
