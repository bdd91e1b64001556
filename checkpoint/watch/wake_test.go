package watch

import (
	"strings"
	"testing"
	"time"

	"github.com/wf-tool/wf/checkpoint"
	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp/gittest"
)

// addWait declares a wait in dir's workflow as `wf wait` does and
// returns its id.
func addWait(t *testing.T, dir string, now func() time.Time, kind, cond string, every time.Duration) string {
	t.Helper()
	ws, err := checkpoint.Open(workspace.Options{WorkDir: dir, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	res, err := lifecycle.AddWait(ws, lifecycle.WaitOptions{Kind: kind, Cond: cond, Every: every, Signal: lifecycle.Signal{Who: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Wait.ID
}

// waitState is the pending waits and the timeline of dir's workflow.
func waitState(t *testing.T, dir string) ([]lifecycle.Wait, []lifecycle.Change) {
	t.Helper()
	ws, err := checkpoint.Open(workspace.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	sn, err := ws.Read()
	if err != nil {
		t.Fatal(err)
	}
	return lifecycle.Waits(sn.State), lifecycle.Timeline(sn.State)
}

// resolvedLines counts the timeline lines that resolved wait id.
func resolvedLines(tl []lifecycle.Change, id string) (n int, to string) {
	for _, c := range tl {
		if c.Subject == "wait "+id && c.From == "pending" {
			n++
			to = c.To
		}
	}
	return n, to
}

func isWake(id string) func(Event) bool {
	return func(e Event) bool { return e.Event == EvWake && e.Wait == id }
}

// TestWakeFile: a file wait is resolved by creating the file, once.
func TestWakeFile(t *testing.T) {
	dir := newWorkflow(t, 1)
	id := addWait(t, dir, nil, "file", "out/ready.txt", 0)
	s := start(t, dir, Options{Wake: Wake(WakeOptions{Workspace: workspace.Options{WorkDir: dir}, FileInterval: 100 * time.Millisecond})})
	gittest.Write(t, dir, "out/ready.txt", "done\n")
	ev := s.wait("wake", isWake(id))
	if ev.Kind != "file" || ev.Condition != "out/ready.txt" || ev.Reason != "file exists" {
		t.Errorf("wake event %+v, want kind file, condition out/ready.txt, reason file exists", ev)
	}
	evs := s.stop()
	if n := count(evs, EvWake); n != 1 {
		t.Errorf("%d wake events, want 1", n)
	}
	pending, tl := waitState(t, dir)
	if len(pending) != 0 {
		t.Errorf("waits still pending: %+v", pending)
	}
	if n, to := resolvedLines(tl, id); n != 1 || to != lifecycle.Woke {
		t.Errorf("%d timeline lines for %s (last to %q), want 1 to %q", n, id, to, lifecycle.Woke)
	}
}

// TestWakeUntil: an until wait is resolved when the injected clock
// passes its time, with no file changing, and not before.
func TestWakeUntil(t *testing.T) {
	base, real0 := time.Date(2030, 1, 1, 8, 59, 59, 700_000_000, time.UTC), time.Now()
	clock := func() time.Time { return base.Add(time.Since(real0)) }
	dir := newWorkflow(t, 1)
	id := addWait(t, dir, clock, "until", "2030-01-01T09:00:00Z", 0)
	wo := WakeOptions{Workspace: workspace.Options{WorkDir: dir, Now: clock}, FileInterval: time.Hour, CommandInterval: time.Hour}
	s := start(t, dir, Options{Workspace: workspace.Options{Now: clock}, Wake: Wake(wo)})
	ev := s.wait("wake", isWake(id))
	until := time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
	if ev.Time.Before(until) {
		t.Errorf("woke at %s, before %s", ev.Time, until)
	}
	if ev.Kind != "until" || ev.Reason != "time reached" {
		t.Errorf("wake event %+v, want kind until, reason time reached", ev)
	}
	s.stop()
	if pending, _ := waitState(t, dir); len(pending) != 0 {
		t.Errorf("waits still pending: %+v", pending)
	}
}

// TestWakeCommand: command waits run on their schedule, bounded by the
// timeout: `true` wakes at once, `test -e flag` every 100ms wakes once
// the file exists, and a command that outlasts the timeout is an error
// event, the wait still pending.
func TestWakeCommand(t *testing.T) {
	dir := newWorkflow(t, 1)
	idTrue := addWait(t, dir, nil, "command", "true", 0)
	idFlag := addWait(t, dir, nil, "command", "test -e flag", 100*time.Millisecond)
	idSlow := addWait(t, dir, nil, "command", "sleep 5", time.Hour)
	wo := WakeOptions{Workspace: workspace.Options{WorkDir: dir}, CommandTimeout: 200 * time.Millisecond, CommandInterval: time.Hour}
	s := start(t, dir, Options{Wake: Wake(wo)})
	ev := s.wait("wake of true", isWake(idTrue))
	if ev.Reason != "command exited 0" || ev.Condition != "true" {
		t.Errorf("wake event %+v, want condition true, reason command exited 0", ev)
	}
	s.wait("timeout error", func(e Event) bool {
		return e.Event == EvError && strings.Contains(e.Message, idSlow) && strings.Contains(e.Message, "timed out")
	})
	gittest.Write(t, dir, "flag", "")
	s.wait("wake of the flag test", isWake(idFlag))
	evs := s.stop()
	if n := count(evs, EvWake); n != 2 {
		t.Errorf("%d wake events, want 2", n)
	}
	pending, _ := waitState(t, dir)
	if len(pending) != 1 || pending[0].ID != idSlow {
		t.Errorf("pending waits %+v, want only %s", pending, idSlow)
	}
}

// TestWakeNotTwice: waits that another wf resolves while the watcher
// runs are not resolved again: an approval approved as `wf approve` does
// it, and a file wait that `wf check` (lifecycle.Check) and the watcher
// both see wake when its file appears: exactly one of them resolves it.
func TestWakeNotTwice(t *testing.T) {
	dir := newWorkflow(t, 1)
	idApproval := addWait(t, dir, nil, "approval", "the design", 0)
	idRace := addWait(t, dir, nil, "file", "go.txt", 0)
	idLast := addWait(t, dir, nil, "file", "last.txt", 0)
	s := start(t, dir, Options{Wake: Wake(WakeOptions{Workspace: workspace.Options{WorkDir: dir}, FileInterval: 20 * time.Millisecond})})
	ws, err := checkpoint.Open(workspace.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lifecycle.Resolve(ws, lifecycle.ResolveOptions{Ref: idApproval, Outcome: lifecycle.Approved, Signal: lifecycle.Signal{Who: "other"}}); err != nil {
		t.Fatal(err)
	}
	gittest.Write(t, dir, "go.txt", "go\n")
	res, err := lifecycle.Check(ws, lifecycle.CheckOptions{Signal: lifecycle.Signal{Who: "other"}})
	if err != nil {
		t.Fatal(err)
	}
	byOther := 0
	for _, wt := range res.Resolved {
		if wt.ID == idRace {
			byOther++
		}
	}
	// last.txt's wake shows that the watcher has seen go.txt too.
	gittest.Write(t, dir, "last.txt", "\n")
	s.wait("wake of the last wait", isWake(idLast))
	evs := s.stop()
	byWatcher := 0
	for _, e := range evs {
		switch {
		case e.Event == EvWake && e.Wait == idApproval:
			t.Errorf("the approved wait %s woke: %+v", idApproval, e)
		case e.Event == EvWake && e.Wait == idRace:
			byWatcher++
		}
	}
	if byOther+byWatcher != 1 {
		t.Errorf("%s resolved %d times by wf check and %d times by the watcher, want once in all", idRace, byOther, byWatcher)
	}
	pending, tl := waitState(t, dir)
	if len(pending) != 0 {
		t.Errorf("waits still pending: %+v", pending)
	}
	for id, want := range map[string]string{idApproval: lifecycle.Approved, idRace: lifecycle.Woke, idLast: lifecycle.Woke} {
		if n, to := resolvedLines(tl, id); n != 1 || to != want {
			t.Errorf("%d timeline lines resolving %s (last to %q), want 1 to %q", n, id, to, want)
		}
	}
}

// TestCheckTakesNoLockIdle: lifecycle.Check, which Wake calls every
// FileInterval while a file wait is pending, takes the state lock only
// when a wait woke, so the watcher does not contend with wf commands.
func TestCheckTakesNoLockIdle(t *testing.T) {
	dir := newWorkflow(t, 1)
	id := addWait(t, dir, nil, "file", "ready.txt", 0)
	ws, err := checkpoint.Open(workspace.Options{WorkDir: dir, LockWait: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	release, err := ws.Lock()
	if err != nil {
		t.Fatal(err)
	}
	res, err := lifecycle.Check(ws, lifecycle.CheckOptions{})
	if err != nil {
		t.Fatalf("Check with nothing woken, the lock held elsewhere: %v", err)
	}
	if len(res.Resolved) != 0 || len(res.Pending) != 1 || res.Status != "awaiting" {
		t.Errorf("Check: resolved %+v, pending %+v, status %q; want none, %s, awaiting", res.Resolved, res.Pending, res.Status, id)
	}
	gittest.Write(t, dir, "ready.txt", "\n")
	if _, err := lifecycle.Check(ws, lifecycle.CheckOptions{}); err == nil {
		t.Error("Check resolved a wait while the lock was held elsewhere")
	}
	release()
	res, err = lifecycle.Check(ws, lifecycle.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Resolved) != 1 || res.Resolved[0].ID != id || res.Status != "running" {
		t.Errorf("Check after the release: resolved %+v, status %q; want %s, running", res.Resolved, res.Status, id)
	}
}
