package watch

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/workspace"
)

// EvWake: a wait of ## Waiting woke and was resolved: Wait (its id),
// Kind, Condition, and Reason (why it woke: "time reached", "file
// exists", "command exited 0").
const EvWake = "wake"

// Defaults of [WakeOptions].
const (
	// DefaultCommandTimeout bounds each command wait's run in the watcher:
	// the watcher's one goroutine waits for it.
	DefaultCommandTimeout = 10 * time.Second
	// DefaultFileInterval is how often pending file waits are looked at.
	DefaultFileInterval = time.Second
	// DefaultCommandInterval is how often a command wait without every
	// runs.
	DefaultCommandInterval = 30 * time.Second
)

// minWake is the shortest delay Wake asks for, so that a condition that
// cannot be recorded (a runtime folder that cannot be written) never
// spins the watcher.
const minWake = 50 * time.Millisecond

// retryWake is the shortest delay before Wake tries again after Check
// failed.
const retryWake = 5 * time.Second

// WakeOptions configure [Wake]. Zero durations take the defaults.
type WakeOptions struct {
	// Workspace says where the workflow is, as for [Options].
	Workspace workspace.Options
	// CommandTimeout bounds each command wait's run.
	CommandTimeout time.Duration
	// FileInterval is how often pending file waits are looked at.
	FileInterval time.Duration
	// CommandInterval is how often a command wait without every runs.
	CommandInterval time.Duration
	// Runner runs the commands; nil is lifecycle.ShellRunner.
	Runner lifecycle.CommandRunner
	// Who signs the timeline lines of the waits resolved; "" is "wf watch".
	Who string
}

// Wake returns the [WakeFunc] that resolves waits as `wf check` does:
// when sn has pending until, file or command waits it calls
// [lifecycle.Check] (so the wait semantics are the lifecycle's: until
// times, files inside the repository, commands outside the lock, at most
// once per their every, bounded by CommandTimeout, woken waits resolved
// in one locked update that re-reads the file, so a wait resolved
// meanwhile by `wf approve` is not resolved twice). Each wait resolved is
// a "wake" event; conditions Check could not evaluate are "error"
// events. It asks to be called again at [lifecycle.NextCheck]'s time, or
// after FileInterval while a file wait is pending, whichever is first.
// The workspace is found at the first call (Run has opened it already).
func Wake(o WakeOptions) WakeFunc {
	if o.CommandTimeout <= 0 {
		o.CommandTimeout = DefaultCommandTimeout
	}
	if o.FileInterval <= 0 {
		o.FileInterval = DefaultFileInterval
	}
	if o.CommandInterval <= 0 {
		o.CommandInterval = DefaultCommandInterval
	}
	if o.Who == "" {
		o.Who = "wf watch"
	}
	var (
		once  sync.Once
		ws    *workspace.Workspace
		wsErr error
	)
	return func(sn *workspace.Snapshot, now time.Time) ([]Event, time.Time, error) {
		if !clockWaits(lifecycle.Waits(sn.State)) {
			return nil, time.Time{}, nil
		}
		once.Do(func() { ws, wsErr = workspace.Find(o.Workspace) })
		if wsErr != nil {
			return nil, time.Time{}, wsErr
		}
		res, err := lifecycle.Check(ws, lifecycle.CheckOptions{Runner: o.Runner, Timeout: o.CommandTimeout, Signal: lifecycle.Signal{Who: o.Who}})
		if err != nil {
			// Try again later (the lock may be busy for a moment), but not
			// so soon that a lasting fault (an invalid file, which a save
			// fixes and so calls Wake again) fills the output.
			return nil, now.Add(max(o.FileInterval, retryWake)), err
		}
		var evs []Event
		for _, wt := range res.Resolved {
			evs = append(evs, Event{Event: EvWake, Wait: wt.ID, Kind: wt.Kind, Condition: wt.Cond,
				Reason: whyWoke(res.Changes, wt), Message: "resolved; status " + res.Status})
		}
		var errs []error
		for _, e := range res.Errors {
			errs = append(errs, fmt.Errorf("wait %s", e))
		}
		next := lifecycle.NextCheck(ws, res.Pending, now, o.CommandInterval)
		for _, wt := range res.Pending {
			if wt.Parsed && wt.Kind == "file" {
				if t := now.Add(o.FileInterval); next.IsZero() || t.Before(next) {
					next = t
				}
			}
		}
		if !next.IsZero() && next.Before(now.Add(minWake)) {
			next = now.Add(minWake)
		}
		return evs, next, errors.Join(errs...)
	}
}

// clockWaits reports whether waits holds a wait that Check evaluates.
func clockWaits(waits []lifecycle.Wait) bool {
	for _, wt := range waits {
		if wt.Parsed && (wt.Kind == "until" || wt.Kind == "file" || wt.Kind == "command") {
			return true
		}
	}
	return false
}

// whyWoke is the note Check wrote on wt's timeline line ("file exists"):
// the line's why after the wait's label "kind: condition; ".
func whyWoke(changes []lifecycle.Change, wt lifecycle.Wait) string {
	for _, c := range changes {
		if c.Subject == "wait "+wt.ID {
			if _, note, ok := strings.Cut(c.Why, wt.Kind+": "+wt.Cond+"; "); ok {
				return note
			}
			return c.Why
		}
	}
	return ""
}
