package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wf-tool/wf/mdstate"
)

// TestEditCrash kills `wf todo add`, `wf todo done`, `wf decide` and
// `wf setup claude` at random instants (their one write is atomic, so
// there is no journal step between). After each kill: git fsck --strict
// is clean, the edited file is whole (before or after), the next wf
// command works and leaves no temp file, and a foreign lock file that
// stood all along is untouched (repo-states/14: killed edits left temp
// files that the next checkpoint committed). WF_CRASH_KILLS sets the
// kills per command (the long mode: 200).
func TestEditCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test runs subprocesses")
	}
	c := newCrashEnv(t)
	dir := filepath.Join(t.TempDir(), "r")
	os.MkdirAll(dir, 0o755)
	c.run(dir, "git", "init", "-q", "-b", "main")
	c.run(dir, c.wf, "init", "--phases", "A")
	for i := 0; i < 30; i++ {
		c.run(dir, c.wf, "todo", "add", fmt.Sprintf("seed item %d", i))
	}
	c.run(dir, "git", "add", "-A")
	c.run(dir, "git", "commit", "-q", "-m", "base")
	// Another git process's lock on an unrelated ref, there all along.
	foreign := filepath.Join(dir, ".git", "refs", "heads", "other.lock")
	os.WriteFile(foreign, []byte("0123456789012345678901234567890123456789\n"), 0o644)
	foreignInfo, _ := os.Lstat(foreign)
	commands := [][]string{
		{"todo", "add", "added item"},
		{"todo", "done", "seed item 3"},
		{"decide", "a decision"},
		{"setup", "claude"},
	}
	n := crashRandomKills(8)
	kills := map[string]int{}
	for _, args := range commands {
		name := strings.Join(args[:len(args)-1], " ")
		if args[0] == "setup" || args[0] == "decide" {
			name = args[0]
		}
		// Its duration, uninterrupted, on a copy.
		ref := c.copyOf(dir)
		t0 := time.Now()
		c.run(ref, c.wf, args...)
		took := time.Since(t0)
		for i := 0; i < n; i++ {
			before := map[string][]byte{}
			for _, f := range []string{"TODO.md", "workflow-state.md", ".claude/settings.json"} {
				before[f], _ = os.ReadFile(filepath.Join(dir, f))
			}
			cmd := c.cmd(dir, c.wf, args...)
			var errb bytes.Buffer
			cmd.Stderr = &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(rand.Int64N(int64(took))))
			cmd.Process.Signal(syscall.SIGKILL)
			err := cmd.Wait()
			if ee, ok := err.(*exec.ExitError); ok {
				if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
					kills[name]++
				}
			} else if err != nil {
				t.Fatalf("wf %v: %v\n%s", args, err, errb.String())
			}
			// Each file is whole: it parses, and it is the old content or
			// the old with the one change (atomic rename).
			for f, old := range before {
				cur, _ := os.ReadFile(filepath.Join(dir, f))
				if bytes.Equal(cur, old) || len(cur) == 0 && len(old) == 0 {
					continue
				}
				switch f {
				case "TODO.md":
					if len(mdstate.ParseTodo(f, cur).Items) < 30 {
						t.Fatalf("after killing wf %v, TODO.md lost items:\n%s", args, cur)
					}
				case "workflow-state.md":
					if mdstate.ParseState(f, cur).Get("phase") == "" {
						t.Fatalf("after killing wf %v, workflow-state.md is not whole:\n%s", args, cur)
					}
				}
			}
			if out, errs := c.run(dir, "git", "fsck", "--strict", "--no-progress"); strings.Contains(out+errs, "error") {
				t.Fatalf("git fsck:\n%s%s", out, errs)
			}
			c.run(dir, c.wf, "status")
			if out, _ := c.run(dir, "find", ".", "-name", "*.wf-tmp*", "-o", "-name", ".wf-lock-*"); out != "" {
				t.Fatalf("temp files left after killing wf %v and running wf status: %s", args, out)
			}
			if fi, err := os.Lstat(foreign); err != nil || !os.SameFile(fi, foreignInfo) {
				t.Fatalf("the foreign lock %s was touched", foreign)
			}
		}
	}
	// The work goes on: a checkpoint commits no temp file.
	os.Remove(foreign)
	c.run(dir, c.wf, "checkpoint", "-m", "after the kills")
	if out, _ := c.run(dir, "git", "ls-tree", "-r", "--name-only", "HEAD"); strings.Contains(out, "wf-tmp") {
		t.Fatalf("a temp file was committed:\n%s", out)
	}
	if out, _ := c.run(dir, "git", "status", "--porcelain"); out != "" {
		t.Fatalf("git status after the checkpoint:\n%s", out)
	}
	c.run(dir, "git", "fsck", "--strict", "--no-progress")
	t.Logf("kills (of %d tries each): %v", n, kills)
}
