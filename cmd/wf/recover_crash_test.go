package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// crashRandomKills is how many random-instant kills a crash loop makes:
// few in an ordinary run, WF_CRASH_KILLS of them (say 200) in the long
// mode.
func crashRandomKills(short int) int {
	if n, err := strconv.Atoi(os.Getenv("WF_CRASH_KILLS")); err == nil && n > 0 {
		return n
	}
	return short
}

// recoverSteps are the OnStep names of a journaled wf recover before its
// checkpoint (whose own steps the checkpoint crash test covers), and the
// first ones of that checkpoint.
var recoverSteps = []string{"switch-intent", "switch-ref", "switch-files", "switch-index-written", "switch-head", "switch-done", "start", "intent", "staged", "before-ref", "done"}

// TestRecoverCrash kills `wf recover OLD` at every journal step and at
// random instants (repo-states/15: a killed recover left the new branch
// created, HEAD on main and a work tree mixing both checkpoints, which the
// next checkpoint committed onto main). After each kill: git fsck --strict
// is clean; the next wf command completes or rolls back; then either main
// is checked out exactly as before (git status clean, HEAD and the tree
// unchanged) or the new branch is checked out whole; running the same
// recover again works; no lock or temp file is left.
func TestRecoverCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test runs subprocesses")
	}
	c := newCrashEnv(t)
	tmpl := filepath.Join(t.TempDir(), "tmpl")
	os.MkdirAll(tmpl, 0o755)
	c.run(tmpl, "git", "init", "-q", "-b", "main")
	write := func(tag string) {
		for d := 0; d < 6; d++ {
			for f := 0; f < 25; f++ {
				p := filepath.Join(tmpl, fmt.Sprintf("d%d", d), fmt.Sprintf("f%02d.txt", f))
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte(fmt.Sprintf("%s %d %d\n", tag, d, f)), 0o644)
			}
		}
	}
	write("old")
	c.run(tmpl, c.wf, "init", "--phases", "A")
	c.run(tmpl, "git", "add", "-A")
	c.run(tmpl, "git", "commit", "-q", "-m", "base")
	c.run(tmpl, c.wf, "checkpoint", "-m", "old")
	old, _ := c.run(tmpl, "git", "log", "-1", "--format=%(trailers:key=Wf-Checkpoint,valueonly)")
	old = strings.TrimSpace(old)
	write("new")
	os.WriteFile(filepath.Join(tmpl, "only-new.txt"), []byte("new\n"), 0o644)
	c.run(tmpl, c.wf, "checkpoint", "-m", "new")
	mainHead, _ := c.run(tmpl, "git", "rev-parse", "HEAD")
	os.WriteFile(filepath.Join(tmpl, foreignLock), []byte("0123456789012345678901234567890123456789\n"), 0o644)
	branch := "wf/recover-" + old[:len("20060102-150405-abcd")]
	// The reference run, for its duration.
	ref := c.copyOf(tmpl)
	t0 := time.Now()
	c.run(ref, c.wf, "recover", old, "--why", "crash test")
	took := time.Since(t0)

	kills, rolledBack, completed := 0, 0, 0
	check := func(t *testing.T, dir string) {
		if out, errs := c.run(dir, "git", "fsck", "--strict", "--no-progress"); strings.Contains(out+errs, "error") {
			t.Fatalf("git fsck after the kill:\n%s%s", out, errs)
		}
		_, note := c.run(dir, c.wf, "status")
		for _, p := range []string{".git/wf/switch", ".git/wf/intent", ".git/index.lock", ".git/HEAD.lock", ".git/refs/heads/main.lock", ".git/refs/heads/" + branch + ".lock"} {
			if _, err := os.Lstat(filepath.Join(dir, p)); err == nil {
				t.Fatalf("%s left after recovery (%s)", p, note)
			}
		}
		if out, _ := c.run(dir, "find", ".", "-name", "*.wf-tmp*", "-o", "-name", ".wf-lock-*"); out != "" {
			t.Fatalf("temp files left: %s", out)
		}
		if b, err := os.ReadFile(filepath.Join(dir, foreignLock)); err != nil || len(b) != 41 {
			t.Fatalf("the foreign lock %s was touched (%v)", foreignLock, err)
		}
		head, _ := c.run(dir, "git", "symbolic-ref", "HEAD")
		status, _ := c.run(dir, "git", "status", "--porcelain", "--untracked-files=all")
		switch strings.TrimSpace(head) {
		case "refs/heads/main":
			rolledBack++
			if h, _ := c.run(dir, "git", "rev-parse", "HEAD"); h != mainHead {
				t.Fatalf("main moved: %s", h)
			}
			if status != "" {
				t.Fatalf("rolled back, but git status is not clean (%s):\n%s", note, status)
			}
			if out := tryRun(c, dir, "git", "rev-parse", "--verify", "-q", "refs/heads/"+branch); out != "" {
				t.Fatalf("rolled back, but branch %s is left", branch)
			}
		case "refs/heads/" + branch:
			completed++
			if status != "" {
				t.Fatalf("switched, but git status is not clean (%s):\n%s", note, status)
			}
			if b, _ := os.ReadFile(filepath.Join(dir, "d3", "f07.txt")); string(b) != "old 3 7\n" {
				t.Fatalf("switched, but the work tree is not the old checkpoint's: %q", b)
			}
		default:
			t.Fatalf("HEAD is %s", head)
		}
		// Running the same recover again works (or says it is done).
		cmd := c.cmd(dir, c.wf, "recover", old, "--why", "again")
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Run(); err != nil && !strings.Contains(errb.String(), "already exists") {
			t.Fatalf("wf recover again: %v\n%s", err, errb.String())
		}
		if out, _ := c.run(dir, "git", "symbolic-ref", "HEAD"); strings.TrimSpace(out) != "refs/heads/"+branch {
			t.Fatalf("after recover again HEAD is %s", out)
		}
		if out, _ := c.run(dir, "git", "status", "--porcelain", "--untracked-files=all"); out != "" {
			t.Fatalf("after recover again git status:\n%s", out)
		}
		c.run(dir, "git", "fsck", "--strict", "--no-progress")
	}
	run := func(name string, start func(dir string) *exec.Cmd) {
		t.Run(name, func(t *testing.T) {
			c := &crashEnv{t: t, wf: c.wf, env: c.env}
			dir := c.copyOf(tmpl)
			cmd := start(dir)
			err := cmd.Wait()
			if ee, ok := err.(*exec.ExitError); ok {
				if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
					kills++
				}
			}
			check(t, dir)
		})
	}
	for _, step := range recoverSteps {
		run("step-"+step, func(dir string) *exec.Cmd {
			cmd := c.cmd(dir, c.wf, "recover", old, "--why", "crash test")
			cmd.Env = append(cmd.Env, "WF_TEST_CRASH_AT="+step)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			return cmd
		})
	}
	for i := 0; i < crashRandomKills(6); i++ {
		delay := time.Duration(rand.Int64N(int64(took)))
		run(fmt.Sprintf("random-%d", i), func(dir string) *exec.Cmd {
			cmd := c.cmd(dir, c.wf, "recover", old, "--why", "crash test")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(delay)
			cmd.Process.Signal(syscall.SIGKILL)
			return cmd
		})
	}
	t.Logf("wf recover: %d kills; afterwards %d rolled back, %d switched (reference run %s)", kills, rolledBack, completed, took)
}

// tryRun runs a command and returns its stdout, "" when it fails.
func tryRun(c *crashEnv, dir, name string, args ...string) string {
	out, err := c.cmd(dir, name, args...).Output()
	if err != nil {
		return ""
	}
	return string(out)
}
