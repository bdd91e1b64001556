package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// Declared waits (seed 004: "declared wake-up triggers"; a checkpoint is
// made when a wait begins, by the caller). A wait is one line under
// "## Waiting" in workflow-state.md, written with its wake condition:
//
//	- w1 · approval: deploy to production · since 2026-11-30 06:10 +00:00 · by agent · resolve: wf approve w1
//	- w2 · until: 2026-12-01T09:00Z · since … · by agent · resolve: wf check
//	- w3 · file: specs/x.result.md · since … · by agent · resolve: wf check
//	- w4 · signal: ci-green · since … · by agent · resolve: wf signal ci-green
//	- w5 · command: gh pr checks 12 · every 5m · since … · by agent · resolve: wf check
//	- w6 · approval: phase start Testing · on approve: phase start Testing · since … · by agent · resolve: wf approve w6
//
// Declaring one sets the status to awaiting. It resolves once: `wf
// approve`/`wf reject` (approvals), `wf signal NAME` (signals), `wf check`
// (time, file and command conditions). Resolving removes the line and
// appends the outcome to the timeline; when no wait is left, the status
// returns to running. A wait deleted by hand is simply gone; a line
// written by hand in another shape is a wait too, resolved by `wf approve`.

// WaitKinds returns the kinds of wait, in the order `wf wait` lists them;
// a fresh copy.
func WaitKinds() []string {
	return []string{"approval", "until", "file", "signal", "command"}
}

// Wait is one entry of ## Waiting.
type Wait struct {
	ID   string `json:"id"`   // "w1"; for a hand-written line, its number "#2"
	Kind string `json:"kind"` // one of WaitKinds; "" for a hand-written line
	// Cond is the wake condition: the approval's subject, the time, the
	// path, the signal name or the command.
	Cond  string `json:"condition"`
	Every string `json:"every,omitempty"` // command waits: how often wf check runs it
	// Action is what approving does ("phase start Testing"); "" for none.
	Action string `json:"action,omitempty"`
	Since  string `json:"since,omitempty"`
	By     string `json:"by,omitempty"`
	// Resolve is the command that resolves it.
	Resolve string `json:"resolve"`
	Line    int    `json:"line"`
	// Parsed is false for a line written by hand in another shape.
	Parsed bool   `json:"parsed"`
	Text   string `json:"text"` // the line as written
	index  int    // 1-based position among the Waiting entries
}

// ParseWait reads one Waiting entry. A line in another shape gives a wait
// with Parsed false and the line as its condition.
func ParseWait(text string) Wait {
	wt := Wait{Text: text, Cond: text, Kind: "", Resolve: "wf approve"}
	parts := strings.Split(text, " · ")
	if len(parts) < 2 || !isWaitID(parts[0]) {
		return wt
	}
	kind, cond, ok := strings.Cut(parts[1], ": ")
	if !ok || !isWaitKind(kind) || strings.TrimSpace(cond) == "" {
		return wt
	}
	out := Wait{ID: parts[0], Kind: kind, Cond: cond, Parsed: true, Text: text}
	for _, p := range parts[2:] {
		switch {
		case strings.HasPrefix(p, "since "):
			out.Since = strings.TrimPrefix(p, "since ")
		case strings.HasPrefix(p, "by "):
			out.By = strings.TrimPrefix(p, "by ")
		case strings.HasPrefix(p, "every "):
			out.Every = strings.TrimPrefix(p, "every ")
		case strings.HasPrefix(p, "on approve: "):
			out.Action = strings.TrimPrefix(p, "on approve: ")
		}
	}
	out.Resolve = resolveCommand(out)
	return out
}

func isWaitKind(k string) bool {
	for _, x := range WaitKinds() {
		if x == k {
			return true
		}
	}
	return false
}

func resolveCommand(wt Wait) string {
	switch wt.Kind {
	case "approval":
		return "wf approve " + wt.ID + "   (or wf reject " + wt.ID + " --reason …)"
	case "signal":
		return "wf signal " + quoteIfNeeded(wt.Cond)
	case "until", "file", "command":
		return "wf check"
	}
	return "wf approve " + wt.ID
}

// FormatWait writes a wait as its Waiting line (without the bullet).
func FormatWait(wt Wait) string {
	parts := []string{wt.ID, wt.Kind + ": " + wt.Cond}
	if wt.Every != "" {
		parts = append(parts, "every "+wt.Every)
	}
	if wt.Action != "" {
		parts = append(parts, "on approve: "+wt.Action)
	}
	parts = append(parts, "since "+wt.Since, "by "+Who(wt.By), "resolve: "+strings.SplitN(resolveCommand(wt), "   ", 2)[0])
	return strings.Join(parts, " · ")
}

// Waits returns the waits of st, in file order; never nil.
func Waits(st *mdstate.State) []Wait {
	out := []Wait{}
	for i, e := range st.Waits {
		wt := ParseWait(e.Text)
		wt.Line, wt.index = e.Line, i+1
		if !wt.Parsed {
			wt.ID = "#" + strconv.Itoa(i+1)
			wt.Resolve = "wf approve " + wt.ID + "   (a wait written by hand; or delete its line)"
		}
		out = append(out, wt)
	}
	return out
}

// nextWaitID is one more than the highest wait id in st's waits and
// timeline, so that an id is never used twice (a resolved wait's id stays
// in the timeline).
func nextWaitID(st *mdstate.State) string {
	hi := 0
	see := func(id string) {
		if digits, ok := waitIDNumber(id); ok {
			if n, _ := strconv.Atoi(digits); n > hi {
				hi = n
			}
		}
	}
	for _, wt := range Waits(st) {
		see(wt.ID)
	}
	for _, c := range Timeline(st) {
		if id, ok := strings.CutPrefix(c.Subject, "wait "); ok {
			see(id)
		}
	}
	return "w" + strconv.Itoa(hi+1)
}

// WaitPendingError is a command refused while the run waits; it names
// each wait and the command that resolves it.
type WaitPendingError struct {
	Waits []Wait
	Cmd   string
}

func (e *WaitPendingError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: the run is waiting on %s:", e.Cmd, Plural(len(e.Waits), "wait", "waits"))
	for _, wt := range e.Waits {
		fmt.Fprintf(&b, " %s (%s)", wt.ID, waitLabel(wt))
	}
	if len(e.Waits) == 0 {
		return e.Cmd + ": the status is awaiting but no wait is recorded under ## Waiting"
	}
	return b.String()
}

// Hint names the command that resolves the first wait.
func (e *WaitPendingError) Hint() string {
	if len(e.Waits) == 0 {
		return "set **Status**: running in " + workspace.StateFile + " by hand, or declare the wait: wf wait approval \"…\""
	}
	return e.Waits[0].Resolve
}

func waitLabel(wt Wait) string {
	if !wt.Parsed {
		return wt.Cond
	}
	return wt.Kind + ": " + wt.Cond
}

// WaitOptions declare a wait.
type WaitOptions struct {
	Kind, Cond string
	// Every is how often wf check runs a command wait (0: every time).
	Every time.Duration
	Signal
}

// WaitResult is what `wf wait` reports.
type WaitResult struct {
	Schema         int      `json:"schema"`
	Wait           Wait     `json:"wait"`
	Status         string   `json:"status"`
	PreviousStatus string   `json:"previous_status"`
	Changes        []Change `json:"changes"`
	Checkpoint     string   `json:"checkpoint,omitempty"`
}

// CheckWaitCond validates a wait's condition as `wf wait` takes it: a
// time for until ([ParseWhen]), a path inside the repository for file, a
// signal name, a command. It returns the condition as it is written.
func CheckWaitCond(w *workspace.Workspace, kind, cond string) (string, error) {
	cond = workspace.OneLine(cond)
	if cond == "" {
		return "", ErrEmptyText
	}
	if strings.Contains(" "+cond+" ", " · ") {
		// Also "·" alone or at either end: next to the " · " that
		// FormatWait puts around the condition it reads as one more.
		return "", fmt.Errorf("the %s condition %q holds \"·\" as a word, which separates a wait's fields: write it without one", kind, cond)
	}
	switch kind {
	case "until":
		if _, err := ParseWhen(cond, w.Now().Location()); err != nil {
			return "", err
		}
	case "file":
		ps, err := w.TopPaths([]string{cond})
		if err != nil {
			return "", err
		}
		cond = ps[0]
	case "signal":
		if !validBucket(cond) {
			return "", fmt.Errorf("signal name %q: use lower-case letters, digits and dashes (ci-green)", cond)
		}
	case "approval", "command":
	default:
		return "", fmt.Errorf("no wait kind %q (the kinds are %s)", kind, strings.Join(WaitKinds(), ", "))
	}
	return cond, nil
}

// AddWait declares a wait (`wf wait KIND COND`): its line under
// ## Waiting, a timeline line, and the status awaiting. A paused or
// stopped run is refused.
func AddWait(w *workspace.Workspace, o WaitOptions) (*WaitResult, error) {
	cond, err := CheckWaitCond(w, o.Kind, o.Cond)
	if err != nil {
		return nil, err
	}
	var res *WaitResult
	_, err = w.Update(func(sn *workspace.Snapshot) ([]byte, []byte, error) {
		prev, err := CurrentStatus(sn.State)
		if err != nil {
			return nil, nil, err
		}
		if prev == "paused" {
			return nil, nil, PausedBy(sn.State)
		}
		e := newStateEdit(w, sn.State)
		wt := Wait{ID: nextWaitID(sn.State), Kind: o.Kind, Cond: cond, Since: e.now, By: o.Who, Parsed: true}
		if o.Kind == "command" && o.Every > 0 {
			wt.Every = o.Every.String()
		}
		if err := e.addWait(wt, o.Signal); err != nil {
			return nil, nil, err
		}
		status, _ := CurrentStatus(e.st)
		ws := Waits(e.st)
		res = &WaitResult{Schema: workspace.SchemaVersion, Wait: ws[len(ws)-1], Status: status, PreviousStatus: prev, Changes: e.changes}
		return e.done(sn), nil, nil
	})
	return res, err
}

// addWait writes wt and moves the status to awaiting.
func (e *stateEdit) addWait(wt Wait, s Signal) error {
	if err := e.status("awaiting", s.Who, "waiting for "+wt.Kind+": "+wt.Cond, "wf wait"); err != nil {
		return err
	}
	wt.Since = e.now
	wt.Resolve = resolveCommand(wt)
	if err := e.entry("waits", FormatWait(wt)); err != nil {
		return err
	}
	return e.change(Change{Subject: "wait " + wt.ID, From: "--", To: "pending", Who: s.Who, Why: wt.Kind + ": " + wt.Cond})
}

// Outcomes of a resolved wait, as the timeline writes them.
const (
	Approved  = "approved"
	Rejected  = "rejected"
	Woke      = "woke"
	Signalled = "signalled"
)

// NoWaitError is a resolution with no wait to resolve.
type NoWaitError struct {
	What    string // "nothing is waiting for approval"
	Pending []Wait
	// Resolved is the timeline line of a wait that was already resolved.
	Resolved *Change
}

func (e *NoWaitError) Error() string {
	if e.Resolved != nil {
		return fmt.Sprintf("%s was already %s at %s by %s; a wait resolves once", strings.TrimPrefix(e.Resolved.Subject, ""), e.Resolved.To, e.Resolved.When, e.Resolved.Who)
	}
	return e.What
}

// Hint lists the waits there are and the command resolving each.
func (e *NoWaitError) Hint() string {
	if len(e.Pending) == 0 {
		return "wf status   (nothing is waiting)"
	}
	var hs []string
	for _, wt := range e.Pending {
		hs = append(hs, wt.ID+" ("+waitLabel(wt)+"): "+strings.SplitN(wt.Resolve, "   ", 2)[0])
	}
	return strings.Join(hs, "; ")
}

// findWait returns the wait ref names (an id "w3", or "#N" / "N" for the
// N-th entry), with a [*NoWaitError] naming a wait resolved before.
func findWait(st *mdstate.State, ref string) (Wait, error) {
	ref = strings.TrimSpace(ref)
	ws := Waits(st)
	num := strings.TrimPrefix(ref, "#")
	for _, wt := range ws {
		if wt.ID == ref || strconv.Itoa(wt.index) == num {
			return wt, nil
		}
	}
	if c, ok := lastWaitChange(st, ref); ok {
		return Wait{}, &NoWaitError{Resolved: &c, Pending: ws}
	}
	return Wait{}, &NoWaitError{What: fmt.Sprintf("there is no wait %s", ref), Pending: ws}
}

func lastWaitChange(st *mdstate.State, id string) (Change, bool) {
	tl := Timeline(st)
	for i := len(tl) - 1; i >= 0; i-- {
		if tl[i].Subject == "wait "+id && tl[i].From == "pending" {
			return tl[i], true
		}
	}
	return Change{}, false
}

// ResolveOptions say how a wait resolves.
type ResolveOptions struct {
	// Ref names the wait; "" takes the only pending approval.
	Ref     string
	Outcome string // Approved, Rejected
	Note    string
	// Then is what a rejection does: "retry" (a failed attempt on the
	// current item, bucket "rejected"), "skip" (skip the current item),
	// "stop" (stop the run) or "" (nothing more).
	Then string
	Signal
}

// ResolveResult is what `wf approve`, `wf reject`, `wf signal` and `wf
// check` report.
type ResolveResult struct {
	Schema int `json:"schema"`
	// Resolved are the waits resolved; never nil.
	Resolved       []Wait   `json:"resolved"`
	Pending        []Wait   `json:"pending"`
	Status         string   `json:"status"`
	PreviousStatus string   `json:"previous_status"`
	Changes        []Change `json:"changes"`
	// Fail is the failed attempt a rejection with --then retry counted.
	Fail *FailResult `json:"fail,omitempty"`
	// Phase is what an approved phase transition did.
	Phase *PhaseResult `json:"phase,omitempty"`
	// Errors are conditions wf check could not evaluate (a command that
	// timed out, a path it may not read), each naming its wait.
	Errors []string `json:"errors"`
}

// Resolve approves or rejects one wait (`wf approve`, `wf reject`). An
// approved wait with an action (a phase transition in manual mode) does
// the action.
func Resolve(w *workspace.Workspace, o ResolveOptions) (*ResolveResult, error) {
	return resolveWith(w, o.Signal, func(sn *workspace.Snapshot) ([]Wait, error) {
		if o.Ref != "" {
			wt, err := findWait(sn.State, o.Ref)
			if err != nil {
				return nil, err
			}
			if wt.Parsed && wt.Kind != "approval" {
				return nil, &hinted{fmt.Errorf("wait %s is a %s wait, not an approval", wt.ID, wt.Kind), wt.Resolve}
			}
			return []Wait{wt}, nil
		}
		var ap []Wait
		all := Waits(sn.State)
		for _, wt := range all {
			if wt.Kind == "approval" || !wt.Parsed {
				ap = append(ap, wt)
			}
		}
		switch len(ap) {
		case 0:
			return nil, &NoWaitError{What: "nothing is waiting for approval", Pending: all}
		case 1:
			return ap, nil
		}
		return nil, &NoWaitError{What: fmt.Sprintf("%d waits are waiting for approval; name one", len(ap)), Pending: ap}
	}, func(e *stateEdit, sn *workspace.Snapshot, wt Wait, res *ResolveResult) (*mdstate.Todo, error) {
		note := o.Note
		if err := e.resolveWait(wt, o.Outcome, o.Signal, note); err != nil {
			return nil, err
		}
		if o.Outcome == Approved && wt.Action != "" {
			pr, err := e.phaseAction(sn, wt.Action, PhaseOptions{Signal: o.Signal, approved: true})
			if err != nil {
				return nil, err
			}
			res.Phase = pr
			return nil, nil
		}
		if o.Outcome != Rejected {
			return nil, nil
		}
		switch o.Then {
		case "stop":
			return nil, e.status("stopped", o.Who, "rejected "+wt.ID+": "+note, "wf reject --then stop")
		case "retry", "skip":
			cur := sn.Todo.Current()
			if len(cur) == 0 {
				return nil, &hinted{fmt.Errorf("wf reject --then %s: no TODO item is CURRENT to %s", o.Then, o.Then), "wf todo next   (marks the item the rejection is about)"}
			}
			it := cur[0]
			if o.Then == "skip" {
				_, td, err := sn.Todo.SetMark(it.N, mdstate.Skipped, "", "rejected in "+wt.ID+": "+note)
				if err != nil {
					return nil, err
				}
				sn.Edited(nil, td)
				return td, nil
			}
			fr, todo, err := e.fail(sn, it, "rejected", "rejected in "+wt.ID+": "+note, o.Signal)
			if err != nil {
				return nil, err
			}
			res.Fail = fr
			return todo, nil
		}
		return nil, nil
	})
}

// resolveWait removes wt's line and writes the timeline line.
func (e *stateEdit) resolveWait(wt Wait, outcome string, s Signal, note string) error {
	// Find it again in the current edit (earlier edits moved lines).
	for i, x := range e.st.Waits {
		if x.Text == wt.Text {
			if err := e.keep(e.st.RemoveEntry("waits", i+1)); err != nil {
				return err
			}
			why := waitLabel(wt)
			if note = workspace.OneLine(note); note != "" {
				why += "; " + note
			}
			return e.change(Change{Subject: "wait " + wt.ID, From: "pending", To: outcome, Who: s.Who, Why: why})
		}
	}
	return &NoWaitError{What: "wait " + wt.ID + " is gone from ## Waiting"}
}

// resolveWith runs one locked update: pick the waits, resolve each, and
// set the status back to running when nothing else holds the run.
func resolveWith(w *workspace.Workspace, s Signal, pick func(sn *workspace.Snapshot) ([]Wait, error),
	each func(e *stateEdit, sn *workspace.Snapshot, wt Wait, res *ResolveResult) (*mdstate.Todo, error)) (*ResolveResult, error) {
	var res *ResolveResult
	_, err := w.Update(func(sn *workspace.Snapshot) ([]byte, []byte, error) {
		res = &ResolveResult{Schema: workspace.SchemaVersion, Resolved: []Wait{}, Changes: []Change{}, Errors: []string{}}
		prev, err := CurrentStatus(sn.State)
		if err != nil {
			return nil, nil, err
		}
		res.PreviousStatus = prev
		ws, err := pick(sn)
		if err != nil {
			return nil, nil, err
		}
		e := newStateEdit(w, sn.State)
		var todo []byte
		for _, wt := range ws {
			td, err := each(e, sn, wt, res)
			if err != nil {
				return nil, nil, err
			}
			if td != nil {
				todo = td.Src.Data
				sn.Todo = td
			}
			res.Resolved = append(res.Resolved, wt)
		}
		status, _ := CurrentStatus(e.st)
		if status == "awaiting" && len(e.st.Waits) == 0 {
			if err := e.status("running", s.Who, "no wait left", ""); err != nil {
				return nil, nil, err
			}
		}
		res.Status, _ = CurrentStatus(e.st)
		res.Pending = Waits(e.st)
		res.Changes = append(res.Changes, e.changes...)
		return e.done(sn), todo, nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// SignalWaits resolves every wait for signal name (`wf signal NAME`).
func SignalWaits(w *workspace.Workspace, name string, s Signal) (*ResolveResult, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	return resolveWith(w, s, func(sn *workspace.Snapshot) ([]Wait, error) {
		var out []Wait
		all := Waits(sn.State)
		for _, wt := range all {
			if wt.Kind == "signal" && wt.Cond == name {
				out = append(out, wt)
			}
		}
		if len(out) == 0 {
			return nil, &NoWaitError{What: fmt.Sprintf("no wait is waiting for signal %q", name), Pending: all}
		}
		return out, nil
	}, func(e *stateEdit, sn *workspace.Snapshot, wt Wait, res *ResolveResult) (*mdstate.Todo, error) {
		return nil, e.resolveWait(wt, Signalled, s, "")
	})
}

// ParseWhen reads the time of an until wait: RFC 3339
// ("2026-12-01T09:00:00Z"), the same without seconds
// ("2026-12-01T09:00Z", "2026-12-01T09:00+01:00"), wf's own timestamp
// ("2026-12-01 09:00 +00:00"), or a date and time without a zone
// ("2026-12-01 09:00", "2026-12-01T09:00", "2026-12-01"), taken in loc.
func ParseWhen(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range []string{time.RFC3339, "2006-01-02T15:04Z07:00", workspace.Timestamp} {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	for _, l := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time wf reads (use 2026-12-01T09:00Z, 2026-12-01T09:00+01:00 or \"2026-12-01 09:00\")", s)
}

// CommandRunner runs a command wait's command; tests and dry runs wrap it.
type CommandRunner interface {
	// Run runs command with sh in dir and returns nil when it exits 0.
	Run(ctx context.Context, dir, command string) error
}

// ShellRunner runs commands with /bin/sh -c, output discarded.
type ShellRunner struct{}

// Run runs command in dir; ctx bounds it.
func (ShellRunner) Run(ctx context.Context, dir, command string) error {
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", command)
	cmd.Dir = dir
	cmd.WaitDelay = time.Second
	return cmd.Run()
}

// CheckOptions are `wf check`'s.
type CheckOptions struct {
	Runner CommandRunner // nil: ShellRunner
	// Timeout bounds each command (0: 60 s).
	Timeout time.Duration
	Signal
}

// runsFile, in the runtime folder, holds when wf check last ran each
// command wait ("w5 2026-11-30T06:10:00Z"), for their --every.
const runsFile = "wait-runs"

// Check evaluates the time, file and command conditions of the pending
// waits (`wf check`, no daemon: cron or CI calls it) and resolves those
// that woke. Commands run outside the lock, bounded by the timeout, at
// most once per their every interval; the waits are then resolved in one
// locked update that re-reads the file, so a wait resolved meanwhile
// (or deleted by hand) is not resolved twice. When nothing woke (and the
// status needs no repair) it takes no lock: the result is the snapshot's.
func Check(w *workspace.Workspace, o CheckOptions) (*ResolveResult, error) {
	if o.Runner == nil {
		o.Runner = ShellRunner{}
	}
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	sn, err := w.Read()
	if err != nil {
		return nil, err
	}
	now := w.Now()
	runs := readRuns(w)
	woke := map[string]string{}
	var errs []string
	ran := false
	for _, wt := range Waits(sn.State) {
		switch wt.Kind {
		case "until":
			t, err := ParseWhen(wt.Cond, now.Location())
			if err != nil {
				errs = append(errs, fmt.Sprintf("%s (%s:%d): %v", wt.ID, w.Rel(workspace.StateFile), wt.Line, err))
			} else if !now.Before(t) {
				woke[wt.ID] = "time reached"
			}
		case "file":
			p := filepath.Join(w.Top(), filepath.FromSlash(wt.Cond))
			if r, err := filepath.Rel(w.Top(), p); err != nil || strings.HasPrefix(r, "..") {
				errs = append(errs, fmt.Sprintf("%s: %s is outside the repository", wt.ID, wt.Cond))
				continue
			}
			if _, _, err := mdstate.ReadFile(w.Top(), p); err == nil {
				woke[wt.ID] = "file exists"
			} else if !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, fmt.Sprintf("%s: %v", wt.ID, err))
			}
		case "command":
			if last, ok := runs[wt.ID]; ok && wt.Every != "" {
				if d, err := time.ParseDuration(wt.Every); err == nil && now.Sub(last) < d {
					continue
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), o.Timeout)
			err := o.Runner.Run(ctx, w.Top(), wt.Cond)
			timedOut := ctx.Err() != nil
			cancel()
			runs[wt.ID] = now
			ran = true
			switch {
			case err == nil:
				woke[wt.ID] = "command exited 0"
			case timedOut:
				errs = append(errs, fmt.Sprintf("%s: command %q timed out after %s", wt.ID, wt.Cond, o.Timeout))
			}
		}
	}
	if ran {
		writeRuns(w, runs)
	}
	// Nothing to resolve (and no awaiting status left without waits,
	// which the update would set back to running): no locked update, so
	// that a watcher calling Check often does not contend for the lock.
	if status, _ := CurrentStatus(sn.State); len(woke) == 0 && (status != "awaiting" || len(sn.State.Waits) > 0) {
		return &ResolveResult{Schema: workspace.SchemaVersion, Resolved: []Wait{}, Pending: Waits(sn.State),
			Status: status, PreviousStatus: status, Changes: []Change{}, Errors: append([]string{}, errs...)}, nil
	}
	res, err := resolveWith(w, o.Signal, func(sn *workspace.Snapshot) ([]Wait, error) {
		var out []Wait
		for _, wt := range Waits(sn.State) {
			if _, ok := woke[wt.ID]; ok && wt.Parsed {
				out = append(out, wt)
			}
		}
		return out, nil
	}, func(e *stateEdit, sn *workspace.Snapshot, wt Wait, res *ResolveResult) (*mdstate.Todo, error) {
		return nil, e.resolveWait(wt, Woke, o.Signal, woke[wt.ID])
	})
	if err != nil {
		return nil, err
	}
	res.Errors = append(res.Errors, errs...)
	return res, nil
}

func readRuns(w *workspace.Workspace) map[string]time.Time {
	out := map[string]time.Time{}
	data, err := os.ReadFile(filepath.Join(w.RuntimeDir(), runsFile))
	if err != nil {
		return out
	}
	for _, l := range strings.Split(string(data), "\n") {
		id, ts, ok := strings.Cut(l, " ")
		if t, err := time.Parse(time.RFC3339, ts); ok && err == nil {
			out[id] = t
		}
	}
	return out
}

// writeRuns records the command runs; a cache, so a failure only makes
// the next wf check run a command early.
func writeRuns(w *workspace.Workspace, runs map[string]time.Time) {
	var b strings.Builder
	for id, t := range runs {
		fmt.Fprintf(&b, "%s %s\n", id, t.UTC().Format(time.RFC3339))
	}
	if err := os.MkdirAll(w.RuntimeDir(), 0o755); err == nil {
		_ = mdstate.WriteFileAtomic(filepath.Join(w.RuntimeDir(), runsFile), []byte(b.String()), nil)
	}
}
