package lifecycle

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// Statuses and signals: the workflow's Status field moves only along the
// transitions of DESIGN.md §6 (from seed 001, the CodeMachine model:
// idle → running; running ↔ awaiting; running ↔ delegated; running →
// paused → running; running → blocked → running; running → completed |
// stopped | error), each move a line in the timeline. The operator's
// signals are `wf pause` (control goes to the person), `wf continue`,
// `wf stop` and `wf mode auto|manual`.

// Transitions returns, for each status, the statuses it may move to; a
// fresh map. Beyond DESIGN.md §6's running-centred list it allows what
// the signals need: pausing and stopping from any live status, a wait
// declared or a blocker recorded before the first step (idle → awaiting,
// idle → blocked), a paused run continuing into the wait or blocker that
// still holds it, a reopened phase after completion (completed →
// running) and a recovery decision after an error (error → running).
func Transitions() map[string][]string {
	return map[string][]string{
		"idle":      {"running", "awaiting", "blocked", "paused", "stopped"},
		"running":   {"awaiting", "delegated", "paused", "blocked", "completed", "stopped", "error"},
		"awaiting":  {"running", "blocked", "paused", "stopped"},
		"delegated": {"running", "awaiting", "paused", "stopped"},
		"paused":    {"running", "awaiting", "blocked", "stopped"},
		"blocked":   {"running", "awaiting", "paused", "stopped"},
		"completed": {"running", "stopped"},
		"error":     {"running", "stopped"},
		"stopped":   {},
	}
}

// CanTransition reports whether status from may move to status to.
func CanTransition(from, to string) bool {
	return slices.Contains(Transitions()[from], to)
}

// TransitionError is a status change the state machine does not allow.
type TransitionError struct {
	From, To string
	// Why says what the command wanted to do ("wf pause").
	Why      string
	HintText string
}

func (e *TransitionError) Error() string {
	s := fmt.Sprintf("the status cannot go from %s to %s", e.From, e.To)
	if e.Why != "" {
		s = e.Why + ": " + s
	}
	if next := Transitions()[e.From]; len(next) > 0 {
		s += " (from " + e.From + " it can go to " + strings.Join(next, ", ") + ")"
	} else {
		s += " (" + e.From + " is final)"
	}
	return s
}

// Hint says how to go on.
func (e *TransitionError) Hint() string {
	if e.HintText != "" {
		return e.HintText
	}
	switch e.From {
	case "stopped":
		return "the run was stopped; start a new one by setting **Status**: idle in " + workspace.StateFile + " by hand"
	case "paused":
		return "wf continue   (a person paused the run)"
	case "blocked":
		return "wf status   (then wf unblock N for each blocker)"
	case "awaiting":
		return "wf status   (lists what the run waits for and the command that resolves each wait)"
	}
	return "wf status"
}

// StatusError is a Status field that holds no wf status.
type StatusError struct {
	Path  string
	Line  int
	Value string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s:%d: status %q is not a wf status", e.Path, e.Line, e.Value)
}

// Hint says how to go on.
func (e *StatusError) Hint() string {
	return "edit the Status line to one of: " + strings.Join(Statuses(), ", ")
}

// CurrentStatus returns the status of st, lower-case: "idle" when the
// file has no Status field, a [*StatusError] when it holds something else.
func CurrentStatus(st *mdstate.State) (string, error) {
	f := st.Field("status")
	if f == nil {
		return "idle", nil
	}
	v := strings.ToLower(strings.TrimSpace(f.Value))
	if v == "" {
		return "idle", nil
	}
	if !slices.Contains(Statuses(), v) {
		return "", &StatusError{Path: st.Src.Path, Line: f.Line, Value: f.Value}
	}
	return v, nil
}

// Mode returns the mode of st: "auto" (the default) or "manual".
func Mode(st *mdstate.State) string {
	if strings.EqualFold(strings.TrimSpace(st.Get("mode")), "manual") {
		return "manual"
	}
	return "auto"
}

// stateEdit chains edits of workflow-state.md inside one locked update.
type stateEdit struct {
	w       *workspace.Workspace
	st      *mdstate.State
	out     []byte
	changes []Change
	now     string
}

func newStateEdit(w *workspace.Workspace, st *mdstate.State) *stateEdit {
	return &stateEdit{w: w, st: st, now: w.Now().Format(workspace.Timestamp)}
}

func (e *stateEdit) keep(out []byte, st *mdstate.State, err error) error {
	if err != nil {
		return err
	}
	e.out, e.st = out, st
	return nil
}

func (e *stateEdit) field(key, value string) error {
	if e.st.Get(key) == value {
		return nil
	}
	return e.keep(e.st.SetField(key, value))
}

func (e *stateEdit) entry(kind, text string) error { return e.keep(e.st.AppendEntry(kind, text)) }

func (e *stateEdit) cell(phase, col, value string) error {
	if _, ok := e.st.PhaseColumn(col); !ok && col != "status" {
		return nil // a table without the column: nothing to write
	}
	return e.keep(e.st.SetPhaseCell(phase, col, value))
}

func (e *stateEdit) change(c Change) error {
	c.When = e.now
	if err := e.keep(appendChange(e.w, e.st, c)); err != nil {
		return err
	}
	e.changes = append(e.changes, c)
	return nil
}

// status moves the Status field to to (checked against [Transitions])
// with a timeline line; nothing when it already is to.
func (e *stateEdit) status(to, who, why, cmd string) error {
	from, err := CurrentStatus(e.st)
	if err != nil {
		return err
	}
	if from == to {
		return nil
	}
	if !CanTransition(from, to) {
		return &TransitionError{From: from, To: to, Why: cmd}
	}
	if err := e.field("status", to); err != nil {
		return err
	}
	return e.change(Change{Subject: "status", From: from, To: to, Who: who, Why: why})
}

// forceStatus sets the Status field to to with a timeline line, whatever
// it was: for what the state machine cannot refuse (a blocker recorded, a
// spent retry budget), and for a status written by hand that wf does not
// know.
func (e *stateEdit) forceStatus(to string, s Signal) error {
	from := strings.ToLower(strings.TrimSpace(e.st.Get("status")))
	if from == to {
		return nil
	}
	if err := e.field("status", to); err != nil {
		return err
	}
	return e.change(Change{Subject: "status", From: from, To: to, Who: s.Who, Why: s.Why})
}

// done hands the edit to Update.
func (e *stateEdit) done(sn *workspace.Snapshot) []byte {
	if e.out == nil {
		return nil
	}
	sn.Edited(e.st, nil)
	return e.out
}

// StatusResult is what `wf pause`, `wf continue`, `wf stop` and `wf mode`
// report.
type StatusResult struct {
	Schema         int    `json:"schema"`
	Status         string `json:"status"`
	PreviousStatus string `json:"previous_status"`
	Mode           string `json:"mode"`
	// Changes are the timeline lines written, oldest first; never nil.
	Changes []Change `json:"changes"`
	// Checkpoint is the id of the checkpoint made with the change, "" for
	// none (the driver fills it in).
	Checkpoint string `json:"checkpoint,omitempty"`
}

// PausedError refuses an agent's step while a person has the run paused.
type PausedError struct {
	Who, Why, Since string
}

func (e *PausedError) Error() string {
	s := "the run is paused"
	if e.Who != "" {
		s += " by " + e.Who
	}
	if e.Since != "" {
		s += " since " + e.Since
	}
	if e.Why != "" {
		s += " (" + e.Why + ")"
	}
	return s + ": pausing gives control to a person, so agents do not go on"
}

// Hint says how to go on.
func (e *PausedError) Hint() string { return "a person runs: wf continue" }

// PausedBy returns who paused st's run, why and when, from the newest
// timeline line to paused; a pause set by hand gives empty fields.
func PausedBy(st *mdstate.State) *PausedError {
	c, ok := LastChange(st, "status")
	if !ok || c.To != "paused" {
		return &PausedError{Why: "Status set to paused by hand"}
	}
	return &PausedError{Who: c.Who, Why: c.Why, Since: c.When}
}

// Signal is what an operator's signal does.
type Signal struct {
	Who string // the actor ([Who])
	Why string
}

func statusUpdate(w *workspace.Workspace, fn func(e *stateEdit, sn *workspace.Snapshot, res *StatusResult) error) (*StatusResult, error) {
	var res *StatusResult
	_, err := w.Update(func(sn *workspace.Snapshot) ([]byte, []byte, error) {
		res = &StatusResult{Schema: workspace.SchemaVersion, Changes: []Change{}}
		prev, err := CurrentStatus(sn.State)
		if err != nil {
			return nil, nil, err
		}
		res.PreviousStatus = prev
		e := newStateEdit(w, sn.State)
		if err := fn(e, sn, res); err != nil {
			return nil, nil, err
		}
		res.Status, _ = CurrentStatus(e.st)
		res.Mode = Mode(e.st)
		res.Changes = append(res.Changes, e.changes...)
		return e.done(sn), nil, nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Pause sets the status to paused (`wf pause`): control goes to a person
// until `wf continue`. Pausing a paused run is an error naming who paused
// it.
func Pause(w *workspace.Workspace, s Signal) (*StatusResult, error) {
	return statusUpdate(w, func(e *stateEdit, sn *workspace.Snapshot, res *StatusResult) error {
		if res.PreviousStatus == "paused" {
			_, why := Drives(e.st)
			return &hinted{fmt.Errorf("already %s", why), "wf continue"}
		}
		return e.status("paused", s.Who, s.Why, "wf pause")
	})
}

// Continue undoes a pause (`wf continue`): the status goes back to what
// still holds the run (awaiting while a wait is pending, blocked while a
// blocker is recorded) or else to running. Continuing a run that waits
// is a [*WaitPendingError] naming the wait and the command that resolves
// it; continuing a run that is not paused is an error.
func Continue(w *workspace.Workspace, s Signal) (*StatusResult, error) {
	return statusUpdate(w, func(e *stateEdit, sn *workspace.Snapshot, res *StatusResult) error {
		switch res.PreviousStatus {
		case "paused":
		case "awaiting":
			return &WaitPendingError{Waits: Waits(e.st), Cmd: "wf continue"}
		default:
			return &hinted{fmt.Errorf("the run is not paused (status %s)", res.PreviousStatus), "wf status"}
		}
		to := "running"
		switch {
		case len(e.st.Blockers) > 0:
			to = "blocked"
		case len(e.st.Waits) > 0:
			to = "awaiting"
		}
		return e.status(to, s.Who, s.Why, "wf continue")
	})
}

// Stop ends the run (`wf stop`): status stopped, final.
func Stop(w *workspace.Workspace, s Signal) (*StatusResult, error) {
	return statusUpdate(w, func(e *stateEdit, sn *workspace.Snapshot, res *StatusResult) error {
		if res.PreviousStatus == "stopped" {
			return fmt.Errorf("the run is already stopped")
		}
		return e.status("stopped", s.Who, s.Why, "wf stop")
	})
}

// SetMode sets the mode (`wf mode auto|manual`) with a timeline line; the
// mode it already has changes nothing.
func SetMode(w *workspace.Workspace, mode string, s Signal) (*StatusResult, error) {
	mode = strings.ToLower(strings.TrimSpace(mode))
	if mode != "auto" && mode != "manual" {
		return nil, fmt.Errorf("mode %q is not auto or manual", mode)
	}
	return statusUpdate(w, func(e *stateEdit, sn *workspace.Snapshot, res *StatusResult) error {
		from := Mode(e.st)
		if from == mode && strings.EqualFold(strings.TrimSpace(e.st.Get("mode")), mode) {
			return nil
		}
		if err := e.field("mode", mode); err != nil {
			return err
		}
		return e.change(Change{Subject: "mode", From: from, To: mode, Who: s.Who, Why: s.Why})
	})
}

// NextAs is [Next] as an agent's step (`wf todo next`), in one locked
// update: a paused run is refused with a [*PausedError] naming who paused
// it and why, a stopped one with a [*TransitionError], and the first step
// that makes an item current moves idle to running (with a timeline
// line). A Status wf does not know is left to wf lint.
func NextAs(w *workspace.Workspace, s Signal) (*mdstate.Item, error) {
	var n int
	sn, err := w.Update(func(sn *workspace.Snapshot) ([]byte, []byte, error) {
		n = 0
		status, _ := CurrentStatus(sn.State)
		switch status {
		case "paused":
			return nil, nil, PausedBy(sn.State)
		case "stopped":
			return nil, nil, &TransitionError{From: "stopped", To: "running", Why: "wf todo next"}
		}
		if it := sn.Todo.NextOpen(); it != nil {
			// A retry before its bucket's backoff ends is refused with
			// the time left.
			if err := CheckBackoff(w, sn.State, it); err != nil {
				return nil, nil, err
			}
			n = it.N
		}
		var todo []byte
		cur := sn.Todo.Current()
		if !(len(cur) == 1 && cur[0].N == n || len(cur) == 0 && n == 0) {
			out, after, err := sn.Todo.SetCurrent(n)
			if err != nil {
				return nil, nil, err
			}
			sn.Edited(nil, after)
			todo = out
		}
		e := newStateEdit(w, sn.State)
		if n != 0 && status == "idle" {
			if err := e.status("running", s.Who, "first wf todo next", ""); err != nil {
				return nil, nil, err
			}
		}
		return e.done(sn), todo, nil
	})
	if err == nil && n == 0 && len(sn.Todo.Suspects) > 0 {
		return nil, &mdstate.SuspectsError{Path: sn.Todo.Src.Path, Suspects: sn.Todo.Suspects}
	}
	if err != nil || n == 0 {
		return nil, err
	}
	return sn.Todo.Items[n-1], nil
}

// Drives says who drives the run now, after seed 001's table ("Who
// Drives the Workflow?"): pausing always gives control to the user;
// manual mode makes the user drive; in auto mode a wait for approval
// waits for the user, a wait for time, a file, a signal or a command is
// the system's (wf check), and otherwise the agent drives (delegated: the
// controlling agent).
func Drives(st *mdstate.State) (who, why string) {
	status, _ := CurrentStatus(st)
	switch status {
	case "paused":
		p := PausedBy(st)
		why := "paused"
		if p.Who != "" {
			why += " by " + p.Who
		}
		if p.Since != "" {
			why += " since " + p.Since
		}
		if p.Why != "" {
			why += ": " + p.Why
		}
		return "user", why
	case "stopped", "completed":
		return "user", "the run is " + status
	case "idle":
		return "user", "the run has not started"
	case "blocked":
		return "user", "blocked: a person clears the blockers"
	}
	if Mode(st) == "manual" {
		return "user", "manual mode: every phase transition waits for wf approve"
	}
	if status == "awaiting" {
		for _, wt := range Waits(st) {
			if wt.Kind == "approval" || !wt.Parsed {
				return "user", "waiting for approval (" + wt.ID + ")"
			}
		}
		return "system", "waiting for a wake-up condition (wf check, wf signal)"
	}
	if status == "delegated" {
		return "agent", "delegated: the controlling agent decides"
	}
	return "agent", "auto mode, not paused"
}

// hinted is an error with the command that fixes it.
type hinted struct {
	err  error
	hint string
}

func (h *hinted) Error() string { return h.err.Error() }
func (h *hinted) Unwrap() error { return h.err }

// Hint says how to go on.
func (h *hinted) Hint() string { return h.hint }

// SetStatus moves sn's Status field to to inside a [workspace.Workspace.Update]
// of w, with a timeline line by s.Who for s.Why, checked against
// [Transitions] (a [*TransitionError] when the move is not allowed); for
// status changes other packages decide, such as running ↔ delegated for
// spec delegations (package spec). It returns the new state file bytes to
// hand back from the update, nil when the status already is to.
func SetStatus(w *workspace.Workspace, sn *workspace.Snapshot, to string, s Signal) ([]byte, error) {
	e := newStateEdit(w, sn.State)
	if err := e.status(to, s.Who, s.Why, "the change of status"); err != nil {
		return nil, err
	}
	return e.done(sn), nil
}
