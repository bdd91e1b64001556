package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestForeignIndexLockOfRunningGitAdd: a git add whose clean filter is
// slow holds index.lock, empty, for seconds. A checkpoint killed earlier
// left its intent record (repo-states/18), so the next wf commands
// recover; neither that recovery nor a checkpoint that runs out of wait
// may remove git's lock (repo-states/01, 02). git add succeeds, wf exits
// 3 naming the lock, and once git is done wf works.
func TestForeignIndexLockOfRunningGitAdd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs git and wf as subprocesses")
	}
	c := newCrashEnv(t)
	dir := filepath.Join(t.TempDir(), "r")
	os.MkdirAll(dir, 0o755)
	c.run(dir, "git", "init", "-q", "-b", "main")
	c.run(dir, c.wf, "init", "--phases", "A")
	c.run(dir, "git", "add", "-A")
	c.run(dir, "git", "commit", "-q", "-m", "base")
	// A checkpoint killed just after it wrote its intent.
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("a\n"), 0o644)
	kill := c.cmd(dir, c.wf, "checkpoint", "-m", "killed")
	kill.Env = append(kill.Env, "WF_TEST_CRASH_AT=intent")
	if err := kill.Run(); err == nil {
		t.Fatal("the checkpoint was not killed")
	}
	if _, err := os.Stat(filepath.Join(dir, ".git", "wf", "intent")); err != nil {
		t.Fatalf("no intent left by the killed checkpoint: %v", err)
	}
	c.run(dir, "git", "config", "filter.slow.clean", "sleep 3; cat")
	os.WriteFile(filepath.Join(dir, ".gitattributes"), []byte("*.slow filter=slow\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "x.slow"), []byte("data\n"), 0o644)
	add := c.cmd(dir, "git", "add", "x.slow", ".gitattributes")
	var addOut bytes.Buffer
	add.Stdout, add.Stderr = &addOut, &addOut
	if err := add.Start(); err != nil {
		t.Fatal(err)
	}
	lock := filepath.Join(dir, ".git", "index.lock")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(lock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("git add never took index.lock")
		}
	}
	_, stderr := c.run(dir, c.wf, "status")
	if _, err := os.Stat(lock); err != nil {
		t.Fatalf("wf status removed git add's index.lock (%s)", stderr)
	}
	cp := c.cmd(dir, c.wf, "checkpoint", "-m", "during git add")
	cp.Env = append(cp.Env, "WF_LOCK_WAIT=200ms")
	var cpErr bytes.Buffer
	cp.Stderr = &cpErr
	err := cp.Run()
	if code := cp.ProcessState.ExitCode(); code != 3 || !strings.Contains(cpErr.String(), "another git process holds "+lock) {
		t.Fatalf("wf checkpoint during git add: exit %d (%v), want 3 naming %s:\n%s", code, err, lock, cpErr.String())
	}
	if _, err := os.Stat(lock); err != nil {
		t.Fatalf("wf checkpoint removed git add's index.lock")
	}
	if err := add.Wait(); err != nil {
		t.Fatalf("git add failed: %v\n%s", err, addOut.String())
	}
	if out, _ := c.run(dir, "git", "diff", "--cached", "--name-only"); !strings.Contains(out, "x.slow") {
		t.Fatalf("git add did not stage x.slow: %q", out)
	}
	c.run(dir, c.wf, "checkpoint", "-m", "after git add")
	if out, _ := c.run(dir, "git", "status", "--porcelain"); out != "" {
		t.Fatalf("git status after the checkpoint:\n%s", out)
	}
	c.run(dir, "git", "fsck", "--strict", "--no-progress")
}
