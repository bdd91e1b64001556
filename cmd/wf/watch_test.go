package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gofrs/flock"
	"github.com/wf-tool/wf/checkpoint/watch"
	"github.com/wf-tool/wf/gitcp/gittest"
)

// The tests here run `wf watch` as its own process (the test binary as
// wf, which TestMain puts on PATH) beside other wf processes, with real
// file system events and real signals. They wait on the events it
// prints, never on sleeps; watchLimit only bounds a wait that would
// otherwise hang.
const watchLimit = 30 * time.Second

type watchProc struct {
	t      *testing.T
	cmd    *exec.Cmd
	events chan watch.Event
	seen   []watch.Event
	stderr strings.Builder
}

// wfIn runs the wf under test in dir and fails the test on error.
func wfIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("wf", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("wf %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// watchRepo is a git repository with a workflow of two open items,
// committed.
func watchRepo(t *testing.T) string {
	t.Helper()
	dir := gittest.NewRepo(t)
	wfIn(t, dir, "init", "--phases", "Build")
	wfIn(t, dir, "todo", "add", "write the parser")
	wfIn(t, dir, "todo", "add", "fuzz it")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "start")
	return dir
}

func startWatch(t *testing.T, dir string, args ...string) *watchProc {
	t.Helper()
	w := &watchProc{t: t, events: make(chan watch.Event, 1000)}
	w.cmd = exec.Command("wf", append([]string{"watch", "--json"}, args...)...)
	w.cmd.Dir = dir
	w.cmd.Stderr = &w.stderr
	out, err := w.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var ev watch.Event
			if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
				ev = watch.Event{Event: "bad-json", Message: sc.Text()}
			}
			w.events <- ev
		}
		close(w.events)
	}()
	t.Cleanup(func() {
		if w.cmd.ProcessState == nil {
			w.cmd.Process.Kill()
			w.cmd.Wait()
		}
	})
	w.wait("start", watch.EvStart)
	return w
}

// wait reads events until one of kind, and returns it.
func (w *watchProc) wait(what, kind string) watch.Event {
	w.t.Helper()
	limit := time.After(watchLimit)
	for {
		select {
		case ev, ok := <-w.events:
			if !ok {
				w.t.Fatalf("waiting for %s: wf watch ended; saw %+v; stderr:\n%s", what, w.seen, w.stderr.String())
			}
			w.seen = append(w.seen, ev)
			if ev.Event == "bad-json" {
				w.t.Errorf("a line that is not JSON: %s", ev.Message)
			}
			if ev.Event == kind {
				return ev
			}
		case <-limit:
			w.t.Fatalf("no %s within %s; saw %+v", what, watchLimit, w.seen)
		}
	}
}

// term sends SIGTERM and waits for the stop event and a clean exit.
func (w *watchProc) term() watch.Event {
	w.t.Helper()
	if err := w.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		w.t.Fatal(err)
	}
	stop := w.wait("stop", watch.EvStop)
	for ev := range w.events {
		w.seen = append(w.seen, ev)
	}
	if err := w.cmd.Wait(); err != nil {
		w.t.Errorf("wf watch after SIGTERM: %v (want exit 0); stderr:\n%s", err, w.stderr.String())
	}
	return stop
}

func (w *watchProc) count(kind string) int {
	n := 0
	for _, ev := range w.seen {
		if ev.Event == kind {
			n++
		}
	}
	return n
}

func commitCount(t *testing.T, dir string) int {
	var n int
	fmt.Sscan(gittest.Git(t, dir, "rev-list", "--count", "HEAD"), &n)
	return n
}

// TestWatchTodoDoneFromAnotherProcess: `wf todo done` run beside the
// watcher gives exactly one checkpoint, the watcher's (wf todo done makes
// none of its own).
func TestWatchTodoDoneFromAnotherProcess(t *testing.T) {
	dir := watchRepo(t)
	before := commitCount(t, dir)
	w := startWatch(t, dir, "--debounce", "200ms")
	wfIn(t, dir, "todo", "done", "1")
	cp := w.wait("checkpoint", watch.EvCheckpoint)
	if cp.Title != "Done: write the parser" {
		t.Errorf("checkpoint title %q", cp.Title)
	}
	// The next command sees the item annotated by the checkpoint.
	if out := wfIn(t, dir, "todo", "list"); !strings.Contains(out, "write the parser ("+cp.Checkpoint+")") {
		t.Errorf("wf todo list does not show the checkpoint id %s:\n%s", cp.Checkpoint, out)
	}
	w.term()
	if n := w.count(watch.EvCheckpoint); n != 1 {
		t.Errorf("%d checkpoints, want 1", n)
	}
	if got := commitCount(t, dir); got != before+1 {
		t.Errorf("%d commits, want %d", got, before+1)
	}
}

// TestWatchSIGTERMMidDebounce: a SIGTERM while a tick waits for its
// checkpoint stops the watcher at once, with exit 0, no commit, the tick
// named in the stop event, no temp files and both locks free.
func TestWatchSIGTERMMidDebounce(t *testing.T) {
	dir := watchRepo(t)
	before := commitCount(t, dir)
	w := startWatch(t, dir, "--debounce", "1h")
	todo := filepath.Join(dir, "TODO.md")
	data, err := os.ReadFile(todo)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(todo, []byte(strings.Replace(string(data), "- [ ] fuzz it", "- [x] fuzz it", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	w.wait("tick", watch.EvTick)
	stop := w.term()
	if strings.Join(stop.Items, "|") != "fuzz it" || !strings.Contains(stop.Reason, "terminated") {
		t.Errorf("stop event %+v, want the pending item and the signal", stop)
	}
	if got := commitCount(t, dir); got != before {
		t.Errorf("%d commits, want %d", got, before)
	}
	for _, d := range []string{dir, filepath.Join(dir, ".git", "wf"), filepath.Join(dir, ".git", "wf", "watch")} {
		es, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if watch.IgnoredName(e.Name()) || strings.Contains(e.Name(), "tmp") {
				t.Errorf("left behind in %s: %s", d, e.Name())
			}
		}
	}
	for _, lock := range []string{filepath.Join(dir, ".git", "wf", "lock"), filepath.Join(dir, ".git", "wf", "watch", "lock")} {
		fl := flock.New(lock)
		ok, err := fl.TryLock()
		if err != nil || !ok {
			t.Errorf("%s is still held after wf watch exited (%v)", lock, err)
		}
		fl.Close()
	}
}

// TestWatchRefusesASecond: a second wf watch in the worktree exits with
// an error naming the first.
func TestWatchRefusesASecond(t *testing.T) {
	dir := watchRepo(t)
	w := startWatch(t, dir)
	cmd := exec.Command("wf", "watch")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != exitLockBusy || !strings.Contains(string(out), fmt.Sprintf("another wf watch is running in this worktree (pid %d", w.cmd.Process.Pid)) {
		t.Errorf("second wf watch: %v (want exit %d)\n%s", err, exitLockBusy, out)
	}
	w.term()
}

// TestWatchEventLines: each event is one line for people, with the
// file:line of a lint error and the fix.
func TestWatchEventLines(t *testing.T) {
	for _, c := range []struct {
		ev   watch.Event
		want string
	}{
		{watch.Event{Event: watch.EvStart, Mode: watch.ModeEvents, Root: ".", Debounce: "2s", AutoCheckpoint: true}, "watching . (file events; debounce 2s, auto-checkpoint on); Ctrl-C stops"},
		{watch.Event{Event: watch.EvPoll, Reason: "the event queue overflowed", Message: "polling every 1s"}, "polling every 1s: the event queue overflowed"},
		{watch.Event{Event: watch.EvLint, File: "TODO.md", Line: 7, Severity: "error", Message: "2 items are marked CURRENT", Hint: "wf todo next"}, "TODO.md:7: error: 2 items are marked CURRENT (fix: wf todo next)"},
		{watch.Event{Event: watch.EvFixed, File: "TODO.md", Message: "no lint errors"}, "TODO.md: fixed, no lint errors"},
		{watch.Event{Event: watch.EvTick, Items: []string{"a", "b"}}, "ticked: a; b"},
		{watch.Event{Event: watch.EvCheckpoint, Checkpoint: "20260101-0000-x", Commit: strings.Repeat("ab", 20), Title: "Done: a"}, "checkpoint 20260101-0000-x (abababababab): Done: a"},
		{watch.Event{Event: watch.EvError, Message: "boom", Hint: "retry"}, "error: boom (hint: retry)"},
		{watch.Event{Event: watch.EvStop, Reason: "terminated received", Message: "ticked items not checkpointed", Items: []string{"a"}}, "stopped (terminated received); ticked items not checkpointed: a"},
	} {
		if got := eventLine(c.ev); got != c.want || strings.Contains(got, "\n") {
			t.Errorf("eventLine(%s) = %q, want %q", c.ev.Event, got, c.want)
		}
	}
}
