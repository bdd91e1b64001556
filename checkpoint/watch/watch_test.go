package watch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wf-tool/wf/checkpoint"
	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp/gittest"
	"github.com/wf-tool/wf/mdstate"
)

// The tests use real file system events (no mock of fsnotify) and wait
// on events, never on sleeps: each wait fails after waitLimit, a bound
// far above what any step takes, so that a slow machine does not flake.
const waitLimit = 30 * time.Second

// newWorkflow makes a git repository holding a workflow with one phase
// Build and n open items "item 1" … "item n", committed, and returns its
// folder.
func newWorkflow(t *testing.T, n int) string {
	t.Helper()
	dir := gittest.NewRepo(t)
	if _, _, err := checkpoint.Init(workspace.Options{WorkDir: dir}, checkpoint.InitOptions{Name: "w", Phases: []string{"Build"}}); err != nil {
		t.Fatal(err)
	}
	gittest.Write(t, dir, workspace.TodoFile, todo(n, nil))
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "start")
	return dir
}

// todo is a TODO.md of n items, those in done ticked.
func todo(n int, done map[int]bool) string {
	var b strings.Builder
	b.WriteString("# TODO\n\n## Build\n\n")
	for i := 1; i <= n; i++ {
		box := " "
		if done[i] {
			box = "x"
		}
		fmt.Fprintf(&b, "- [%s] item %d\n", box, i)
	}
	return b.String()
}

// session is a running watcher.
type session struct {
	t      *testing.T
	events chan Event
	seen   []Event
	cancel context.CancelFunc
	done   chan error
}

func start(t *testing.T, dir string, o Options) *session {
	t.Helper()
	s := &session{t: t, events: make(chan Event, 1000), done: make(chan error, 1)}
	o.Workspace = workspace.Options{WorkDir: dir, LockWait: 10 * time.Second, Now: o.Workspace.Now}
	o.Emit = func(e Event) { s.events <- e }
	ctx, cancel := context.WithCancelCause(context.Background())
	s.cancel = func() { cancel(errors.New("test over")) }
	go func() { s.done <- Run(ctx, o) }()
	t.Cleanup(func() { s.stop() })
	s.wait("start", func(e Event) bool { return e.Event == EvStart })
	return s
}

// wait reads events until one satisfies ok, and returns it.
func (s *session) wait(what string, ok func(Event) bool) Event {
	s.t.Helper()
	limit := time.After(waitLimit)
	for {
		select {
		case e := <-s.events:
			s.seen = append(s.seen, e)
			if e.Event == EvError {
				s.t.Logf("error event: %s (%s)", e.Message, e.Hint)
			}
			if ok(e) {
				return e
			}
		case err := <-s.done:
			// Run may have emitted the event just before it returned, and
			// select takes either ready channel: read what is buffered
			// before deciding (CI saw "waiting for stop: the watcher
			// ended" with the stop event still in the channel).
			for {
				select {
				case e := <-s.events:
					s.seen = append(s.seen, e)
					if ok(e) {
						s.done <- err // for stop, which reads it
						return e
					}
					continue
				default:
				}
				break
			}
			s.t.Fatalf("waiting for %s: the watcher ended: %v", what, err)
		case <-limit:
			s.t.Fatalf("no %s event within %s; saw %+v", what, waitLimit, s.seen)
		}
	}
}

// stop stops the watcher and returns every event it reported, up to
// and including "stop".
func (s *session) stop() []Event {
	if s.cancel == nil {
		return s.seen
	}
	s.cancel()
	s.cancel = nil
	s.wait("stop", func(e Event) bool { return e.Event == EvStop })
	if err := <-s.done; err != nil {
		s.t.Errorf("Run: %v", err)
	}
	return s.seen
}

func count(evs []Event, kind string) int {
	n := 0
	for _, e := range evs {
		if e.Event == kind {
			n++
		}
	}
	return n
}

func commits(t *testing.T, dir string) int {
	t.Helper()
	var n int
	fmt.Sscan(gittest.Git(t, dir, "rev-list", "--count", "HEAD"), &n)
	return n
}

func ms(n int) *time.Duration { d := time.Duration(n) * time.Millisecond; return &d }

// TestSaveStyles ticks an item with each way editors save a file and
// expects one tick and one checkpoint, titled from the item.
func TestSaveStyles(t *testing.T) {
	saves := map[string]func(t *testing.T, path, content string){
		"in place": func(t *testing.T, path, content string) {
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.WriteString(content); err != nil {
				t.Fatal(err)
			}
			f.Close()
		},
		// VS Code, JetBrains, most tools: a temp file renamed over the file.
		"temp then rename": func(t *testing.T, path, content string) {
			tmp := filepath.Join(filepath.Dir(path), ".TODO.md.tmp-save")
			if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, path); err != nil {
				t.Fatal(err)
			}
		},
		// vim (backupcopy=no): its probe file 4913, the original renamed to
		// a backup, a new file written, the backup removed.
		"rename original then write": func(t *testing.T, path, content string) {
			probe := filepath.Join(filepath.Dir(path), "4913")
			if err := os.WriteFile(probe, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			os.Remove(probe)
			if err := os.Rename(path, path+"~"); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			os.Remove(path + "~")
		},
	}
	for name, save := range saves {
		t.Run(name, func(t *testing.T) {
			dir := newWorkflow(t, 3)
			before := commits(t, dir)
			s := start(t, dir, Options{Debounce: ms(100)})
			save(t, filepath.Join(dir, workspace.TodoFile), todo(3, map[int]bool{2: true}))
			tk := s.wait("tick", func(e Event) bool { return e.Event == EvTick })
			if strings.Join(tk.Items, "|") != "item 2" {
				t.Errorf("tick items %q, want [item 2]", tk.Items)
			}
			cp := s.wait("checkpoint", func(e Event) bool { return e.Event == EvCheckpoint })
			if cp.Title != "Done: item 2" || strings.Join(cp.Items, "|") != "item 2" {
				t.Errorf("checkpoint %q for %q, want \"Done: item 2\" for [item 2]", cp.Title, cp.Items)
			}
			if got := gittest.Git(t, dir, "log", "-1", "--format=%H"); got != cp.Commit {
				t.Errorf("HEAD is %s, the checkpoint event names %s", got, cp.Commit)
			}
			evs := s.stop()
			if n := count(evs, EvCheckpoint); n != 1 {
				t.Errorf("%d checkpoint events, want 1", n)
			}
			if got := commits(t, dir); got != before+1 {
				t.Errorf("%d commits, want %d", got, before+1)
			}
			if n := count(evs, EvError); n != 0 {
				t.Errorf("%d error events", n)
			}
			noTemps(t, dir)
		})
	}
}

// noTemps fails when wf or the test left a temp or backup file in the
// state root.
func noTemps(t *testing.T, dir string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if IgnoredName(e.Name()) || strings.Contains(e.Name(), "tmp") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// TestBurstMakesOneCheckpoint ticks 20 items one save at a time within
// about 100 ms and expects one checkpoint naming all 20.
func TestBurstMakesOneCheckpoint(t *testing.T) {
	dir := newWorkflow(t, 20)
	before := commits(t, dir)
	s := start(t, dir, Options{Debounce: ms(1000)})
	done := map[int]bool{}
	path := filepath.Join(dir, workspace.TodoFile)
	for i := 1; i <= 20; i++ {
		done[i] = true
		if err := os.WriteFile(path, []byte(todo(20, done)), 0o644); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond) // the burst's pace, not a wait on the watcher
	}
	cp := s.wait("checkpoint", func(e Event) bool { return e.Event == EvCheckpoint })
	if len(cp.Items) != 20 {
		t.Fatalf("the checkpoint names %d items, want 20: %q", len(cp.Items), cp.Items)
	}
	for i, it := range cp.Items {
		if it != fmt.Sprintf("item %d", i+1) {
			t.Errorf("item %d is %q", i+1, it)
		}
	}
	if want := "Done: item 1; item 2; item 3 and 17 more"; cp.Title != want {
		t.Errorf("title %q, want %q", cp.Title, want)
	}
	body := gittest.Git(t, dir, "show", "HEAD:"+cp.File)
	if !strings.Contains(body, "item 20") {
		t.Errorf("the checkpoint file does not name item 20:\n%s", body)
	}
	evs := s.stop()
	if n := count(evs, EvCheckpoint); n != 1 {
		t.Errorf("%d checkpoint events, want 1", n)
	}
	if got := commits(t, dir); got != before+1 {
		t.Errorf("%d commits, want %d", got, before+1)
	}
}

// TestLintErrorThenFixed: an invalid save prints the error with its
// file:line at once, the fix a "fixed" line.
func TestLintErrorThenFixed(t *testing.T) {
	dir := newWorkflow(t, 3)
	s := start(t, dir, Options{})
	path := filepath.Join(dir, workspace.TodoFile)
	bad := strings.Replace(strings.Replace(todo(3, nil), "item 1", "item 1 <-- CURRENT", 1), "item 3", "item 3 <-- CURRENT", 1)
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	e := s.wait("lint", func(e Event) bool { return e.Event == EvLint })
	if e.File != workspace.TodoFile || e.Line != 7 || e.Severity != "error" || !strings.Contains(e.Message, "marked CURRENT") || e.Hint == "" {
		t.Errorf("lint event %+v, want TODO.md:7 with two CURRENT markers and a hint", e)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(bad, "item 3 <-- CURRENT", "item 3", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	f := s.wait("fixed", func(e Event) bool { return e.Event == EvFixed })
	if f.File != workspace.TodoFile {
		t.Errorf("fixed %q, want TODO.md", f.File)
	}
	if n := count(s.stop(), EvLint); n != 1 {
		t.Errorf("%d lint events, want 1", n)
	}
}

// TestAnnotatedTickIsCovered: an item ticked with a checkpoint id (wf
// todo done --checkpoint ID, after wf checkpoint) needs no checkpoint.
func TestAnnotatedTickIsCovered(t *testing.T) {
	dir := newWorkflow(t, 2)
	before := commits(t, dir)
	s := start(t, dir, Options{Debounce: ms(50)})
	content := strings.Replace(todo(2, map[int]bool{1: true}), "item 1", "item 1 (20260101-0000-x)", 1)
	if err := os.WriteFile(filepath.Join(dir, workspace.TodoFile), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	s.wait("tick", func(e Event) bool { return e.Event == EvTick })
	// A second tick without an id: its checkpoint comes after the first
	// tick was handled, so seeing it proves the first made none.
	content = strings.Replace(content, "- [ ] item 2", "- [x] item 2", 1)
	if err := os.WriteFile(filepath.Join(dir, workspace.TodoFile), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	cp := s.wait("checkpoint", func(e Event) bool { return e.Event == EvCheckpoint })
	if strings.Join(cp.Items, "|") != "item 2" {
		t.Errorf("checkpoint for %q, want [item 2] only", cp.Items)
	}
	if got := commits(t, dir); got != before+1 {
		t.Errorf("%d commits, want %d", got, before+1)
	}
}

// TestCheckpointByAnotherWfIsCovered: an agent ticks an item and runs wf
// checkpoint itself within the debounce; the watcher sees the item
// annotated and makes no second checkpoint.
func TestCheckpointByAnotherWfIsCovered(t *testing.T) {
	dir := newWorkflow(t, 2)
	before := commits(t, dir)
	s := start(t, dir, Options{Debounce: ms(3000)})
	if err := os.WriteFile(filepath.Join(dir, workspace.TodoFile), []byte(todo(2, map[int]bool{1: true})), 0o644); err != nil {
		t.Fatal(err)
	}
	s.wait("tick", func(e Event) bool { return e.Event == EvTick })
	ws, err := checkpoint.Open(workspace.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := checkpoint.Checkpoint(ws, checkpoint.CheckpointOptions{Title: "item 1 by the agent"}); err != nil {
		t.Fatal(err)
	}
	c := s.wait("covered", func(e Event) bool { return e.Event == EvCovered })
	if strings.Join(c.Items, "|") != "item 1" {
		t.Errorf("covered %q, want [item 1]", c.Items)
	}
	evs := s.stop()
	if n := count(evs, EvCheckpoint); n != 0 {
		t.Errorf("%d checkpoints by the watcher, want 0", n)
	}
	if got := commits(t, dir); got != before+1 {
		t.Errorf("%d commits, want %d (the agent's only)", got, before+1)
	}
}

// TestSecondWatcherRefused: one watcher per worktree; the lock is free
// again once the first stops.
func TestSecondWatcherRefused(t *testing.T) {
	dir := newWorkflow(t, 1)
	s := start(t, dir, Options{})
	err := Run(context.Background(), Options{Workspace: workspace.Options{WorkDir: dir}, Emit: func(Event) {}})
	var busy *BusyError
	if !errors.As(err, &busy) || busy.PID != os.Getpid() || !strings.Contains(busy.Hint(), "kill") {
		t.Fatalf("second Run: %v, want a *BusyError naming this process", err)
	}
	s.stop()
	s2 := start(t, dir, Options{})
	s2.stop()
}

// TestNewFoldersAndResults: specs/ made after the start is watched, and
// a result file in it is reported once.
func TestNewFoldersAndResults(t *testing.T) {
	dir := newWorkflow(t, 1)
	s := start(t, dir, Options{})
	if err := os.Mkdir(filepath.Join(dir, "specs"), 0o755); err != nil {
		t.Fatal(err)
	}
	gittest.Write(t, dir, "specs/api.result.md", "# Result\n")
	e := s.wait("result", func(e Event) bool { return e.Event == EvResult })
	if e.File != filepath.Join("specs", "api.result.md") {
		t.Errorf("result %q", e.File)
	}
	gittest.Write(t, dir, "specs/api.md", "# Spec\n") // not a result
	gittest.Write(t, dir, "specs/db.result.md", "# Result\n")
	e = s.wait("result", func(e Event) bool { return e.Event == EvResult })
	if e.File != filepath.Join("specs", "db.result.md") {
		t.Errorf("second result %q, want specs/db.result.md", e.File)
	}
}

// TestPoll: with polling asked for, a tick is seen and checkpointed.
func TestPoll(t *testing.T) {
	dir := newWorkflow(t, 2)
	yes := true
	s := start(t, dir, Options{Poll: &yes, PollInterval: 50 * time.Millisecond, Debounce: ms(0)})
	if s.seen[0].Mode != ModePoll {
		t.Errorf("start mode %q, want poll", s.seen[0].Mode)
	}
	if err := os.WriteFile(filepath.Join(dir, workspace.TodoFile), []byte(todo(2, map[int]bool{2: true})+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cp := s.wait("checkpoint", func(e Event) bool { return e.Event == EvCheckpoint })
	if strings.Join(cp.Items, "|") != "item 2" {
		t.Errorf("checkpoint for %q", cp.Items)
	}
}

// TestNoAutoCheckpoint: ticks are reported, nothing is committed.
func TestNoAutoCheckpoint(t *testing.T) {
	dir := newWorkflow(t, 2)
	before := commits(t, dir)
	no := false
	s := start(t, dir, Options{AutoCheckpoint: &no, Debounce: ms(0)})
	if err := os.WriteFile(filepath.Join(dir, workspace.TodoFile), []byte(todo(2, map[int]bool{1: true})), 0o644); err != nil {
		t.Fatal(err)
	}
	s.wait("tick", func(e Event) bool { return e.Event == EvTick })
	if n := count(s.stop(), EvCheckpoint); n != 0 || commits(t, dir) != before {
		t.Errorf("%d checkpoints with auto-checkpoint off", n)
	}
}

// TestWatchSetting: the watch setting gives the defaults; a bad one is
// refused with its file and line.
func TestWatchSetting(t *testing.T) {
	dir := newWorkflow(t, 1)
	path := filepath.Join(dir, workspace.StateFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "## Settings\n") {
		t.Fatalf("the template has no Settings section:\n%s", data)
	}
	set := func(v string) {
		out := strings.Replace(string(data), "## Settings\n", "## Settings\n- watch: "+v+"\n", 1)
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set("debounce=7s, auto-checkpoint=off")
	s := start(t, dir, Options{})
	if e := s.seen[0]; e.Debounce != "7s" || e.AutoCheckpoint {
		t.Errorf("start %+v, want debounce 7s and auto-checkpoint off", e)
	}
	s.stop()
	set("debounce=soon")
	err = Run(context.Background(), Options{Workspace: workspace.Options{WorkDir: dir}, Emit: func(Event) {}})
	var se *SettingError
	if !errors.As(err, &se) || se.File != workspace.StateFile || se.Line == 0 {
		t.Fatalf("Run with a bad setting: %v, want a *SettingError with file:line", err)
	}
}

func TestTitle(t *testing.T) {
	for _, c := range []struct {
		items []string
		want  string
	}{
		{[]string{"a"}, "Done: a"},
		{[]string{"a", "b", "c"}, "Done: a; b; c"},
		{[]string{"a", "b", "c", "d"}, "Done: a; b; c and 1 more"},
	} {
		if got := Title(c.items); got != c.want {
			t.Errorf("Title(%q) = %q, want %q", c.items, got, c.want)
		}
	}
}

func TestIgnoredName(t *testing.T) {
	for name, want := range map[string]bool{
		"TODO.md~": true, ".TODO.md.swp": true, ".TODO.md.swx": true, "4913": true, "#TODO.md#": true,
		".TODO.md.wf-tmp-123": true,
		"TODO.md":             false, "workflow-state.md": false, "api.result.md": false, "#": false, "49130": false,
	} {
		if got := IgnoredName(name); got != want {
			t.Errorf("IgnoredName(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestWakeHook: the wait hook gets the snapshot at the start and after
// each change to the state files, and is called again at the time it
// asks for; what it returns is reported.
func TestWakeHook(t *testing.T) {
	dir := newWorkflow(t, 1)
	calls := make(chan string, 100)
	n := 0 // the hook runs on the watcher's one goroutine
	wake := func(sn *workspace.Snapshot, now time.Time) ([]Event, time.Time, error) {
		calls <- sn.State.Get("status")
		if n++; n == 1 {
			// Ask once for a call without a change of file.
			return []Event{{Event: "wait", Message: "first"}}, now.Add(50 * time.Millisecond), nil
		}
		return nil, time.Time{}, nil
	}
	s := start(t, dir, Options{Wake: wake})
	s.wait("the hook's event", func(e Event) bool { return e.Event == "wait" })
	next := func() string {
		select {
		case c := <-calls:
			return c
		case <-time.After(waitLimit):
			t.Fatal("the hook was not called")
		}
		return ""
	}
	next() // at the start
	next() // at the time it asked for
	path := filepath.Join(dir, workspace.StateFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	old := "**Status**: " + strings.TrimSpace(s.seenStatus(t, string(data)))
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), old, "**Status**: running", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := next(); got != "running" {
		t.Errorf("the hook saw status %q after the save, want running", got)
	}
}

// seenStatus is the value of the Status field in a state file's text.
func (s *session) seenStatus(t *testing.T, data string) string {
	_, rest, ok := strings.Cut(data, "**Status**: ")
	if !ok {
		t.Fatalf("no Status field in:\n%s", data)
	}
	v, _, _ := strings.Cut(rest, "\n")
	return v
}

// TestHeartbeats: the watcher beats at the start and then every
// interval.
func TestHeartbeats(t *testing.T) {
	dir := newWorkflow(t, 1)
	s := start(t, dir, Options{Heartbeat: 100 * time.Millisecond})
	ws, err := checkpoint.Open(workspace.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	first, note, ok := lifecycle.LastHeartbeat(ws)
	if !ok || note != "wf watch" {
		t.Fatalf("no heartbeat of wf watch after the start (%v, %q)", ok, note)
	}
	// Heartbeats are to the second (RFC 3339): wait for a later one.
	limit := time.Now().Add(waitLimit)
	for {
		if t2, _, _ := lifecycle.LastHeartbeat(ws); t2.After(first) {
			break
		}
		if time.Now().After(limit) {
			t.Fatalf("no heartbeat after %s within %s", first, waitLimit)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.stop()
}

// TestCheckoutIsNotATick: items done on another branch come in with a
// checkout; they were not ticked here and get no checkpoint. A tick after
// it does.
func TestCheckoutIsNotATick(t *testing.T) {
	dir := newWorkflow(t, 3)
	gittest.Git(t, dir, "checkout", "-q", "-b", "other")
	gittest.Write(t, dir, workspace.TodoFile, todo(3, map[int]bool{1: true}))
	gittest.Git(t, dir, "commit", "-q", "-am", "item 1 on other")
	gittest.Git(t, dir, "checkout", "-q", "main")
	before := commits(t, dir)
	// The wait hook runs after each read of the state files: it says
	// when the watcher has read TODO.md with item 1 done.
	read := make(chan bool, 100)
	wake := func(sn *workspace.Snapshot, now time.Time) ([]Event, time.Time, error) {
		read <- sn.Todo.Items[0].Mark == mdstate.Done
		return nil, time.Time{}, nil
	}
	s := start(t, dir, Options{Debounce: ms(0), Wake: wake})
	gittest.Git(t, dir, "checkout", "-q", "other")
	for limit := time.After(waitLimit); ; {
		select {
		case done := <-read:
			if !done {
				continue
			}
		case <-limit:
			t.Fatal("the watcher did not read TODO.md after the checkout")
		}
		break
	}
	gittest.Write(t, dir, workspace.TodoFile, todo(3, map[int]bool{1: true, 2: true}))
	cp := s.wait("checkpoint", func(e Event) bool { return e.Event == EvCheckpoint })
	if strings.Join(cp.Items, "|") != "item 2" {
		t.Errorf("checkpoint for %q, want [item 2] only", cp.Items)
	}
	evs := s.stop()
	for _, e := range evs {
		if e.Event == EvTick && strings.Join(e.Items, "|") != "item 2" {
			t.Errorf("tick %q after a checkout", e.Items)
		}
	}
	if got := commits(t, dir); got != before+2 { // "item 1 on other" + the checkpoint
		t.Errorf("%d commits on other, want %d", got, before+2)
	}
}

// TestOverflowFallsBackToPolling overflows the kernel's event queue for
// real: the watcher is held inside an event's callback while more files
// are created in a watched folder than the queue holds
// (/proc/sys/fs/inotify/max_queued_events). It then says it polls, and a
// tick is still checkpointed.
func TestOverflowFallsBackToPolling(t *testing.T) {
	if testing.Short() {
		t.Skip("creates over 20,000 files (-short)")
	}
	raw, err := os.ReadFile("/proc/sys/fs/inotify/max_queued_events")
	if err != nil {
		t.Skipf("not inotify: %v", err)
	}
	var max int
	fmt.Sscan(string(raw), &max)
	if max <= 0 || max > 100000 {
		t.Skipf("max_queued_events %d: too many files to overflow it in a test", max)
	}
	dir := newWorkflow(t, 2)
	specs := filepath.Join(dir, "specs")
	if err := os.Mkdir(specs, 0o755); err != nil {
		t.Fatal(err)
	}
	hold, held := make(chan struct{}), make(chan struct{})
	s := &session{t: t, events: make(chan Event, 1000), done: make(chan error, 1)}
	ctx, cancel := context.WithCancelCause(context.Background())
	s.cancel = func() { cancel(errors.New("test over")) }
	t.Cleanup(func() { s.stop() })
	go func() {
		s.done <- Run(ctx, Options{Workspace: workspace.Options{WorkDir: dir}, Debounce: ms(0), PollInterval: 50 * time.Millisecond,
			Emit: func(e Event) {
				if e.Event == EvResult {
					close(held)
					<-hold // the watcher waits here while the queue fills
				}
				s.events <- e
			}})
	}()
	s.wait("start", func(e Event) bool { return e.Event == EvStart })
	gittest.Write(t, dir, "specs/a.result.md", "# Result\n")
	select {
	case <-held:
	case <-time.After(waitLimit):
		t.Fatal("no result event")
	}
	// fsnotify reads up to 4,096 events into its own buffer before it
	// blocks on the held watcher, and under load its first read can take
	// many of them: beyond max, create that many more, so the kernel's
	// queue overflows however early or late that read came.
	for i := 0; i < max+4096+100; i++ {
		f, err := os.Create(filepath.Join(specs, fmt.Sprintf("n%d", i)))
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	close(hold)
	p := s.wait("poll", func(e Event) bool { return e.Event == EvPoll })
	if !strings.Contains(p.Reason, "overflowed") {
		t.Errorf("poll reason %q", p.Reason)
	}
	if err := os.WriteFile(filepath.Join(dir, workspace.TodoFile), []byte(todo(2, map[int]bool{1: true})), 0o644); err != nil {
		t.Fatal(err)
	}
	cp := s.wait("checkpoint", func(e Event) bool { return e.Event == EvCheckpoint })
	if strings.Join(cp.Items, "|") != "item 1" {
		t.Errorf("checkpoint for %q", cp.Items)
	}
}
