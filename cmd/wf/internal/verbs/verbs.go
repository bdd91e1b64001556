// Package verbs is every wf command as an options struct and a run
// function, shared by the drivers: the CLI in cmd/wf parses flags into an
// options struct, calls the run function and prints what it returns; the
// MCP server calls the same functions with a tool call's arguments. (The
// shape follows cli/cli's pkg/cmd/label/delete.go: options, then run.)
//
// A run function opens the workflow from its [Env], checks what the
// caller asked for (a [*UsageError] names the corrected command line),
// calls the packages under checkpoint/ and returns a result ready to print
// or encode as JSON. It owns no Markdown or git logic, never prints, and
// takes the working directory, the clock and stdin from its Env.
package verbs

import (
	"fmt"
	"io"
	"time"

	"github.com/wf-tool/wf/checkpoint"
	"github.com/wf-tool/wf/checkpoint/workspace"
)

// Env is what every verb takes from the outside world.
type Env struct {
	// WorkDir is the working directory (required).
	WorkDir string
	// Dir is the state root from --dir or WF_DIR; "" searches up from
	// WorkDir.
	Dir string
	// LockWait bounds the wait for another wf, and for git's lock files.
	LockWait time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Stdin is where a checkpoint body is read from.
	Stdin io.Reader
	// Note receives what opening the workflow did (an interrupted
	// checkpoint completed or rolled back) and what a command noticed on
	// the way; nil drops them.
	Note func(msg string)
	// OnStep, when set, is called at each step of a checkpoint's write
	// sequence; the crash tests kill the process there.
	OnStep func(step string)
	// Actor is WF_ACTOR: who the timeline names for changes made by
	// commands that take no --human flag ("" is the agent).
	Actor string
	// Session is WF_SESSION: the agent session id checkpoints and
	// heartbeats record ("" for none given).
	Session string
}

func (e Env) options() workspace.Options {
	return workspace.Options{Dir: e.Dir, WorkDir: e.WorkDir, LockWait: e.LockWait, Now: e.Now}
}

func (e Env) note(msgs ...string) {
	if e.Note == nil {
		return
	}
	for _, m := range msgs {
		e.Note(m)
	}
}

// open finds the workflow and completes or rolls back an interrupted
// checkpoint there, passing on what that did.
func (e Env) open() (*workspace.Workspace, error) {
	ws, err := checkpoint.Open(e.options())
	if err != nil {
		return nil, err
	}
	e.note(ws.Notes...)
	if err := e.recoverLifecycle(ws); err != nil {
		return nil, err
	}
	return ws, nil
}

// read opens the workflow and reads its state files.
func (e Env) read() (*workspace.Workspace, *workspace.Snapshot, error) {
	ws, err := e.open()
	if err != nil {
		return nil, nil, err
	}
	sn, err := ws.Read()
	return ws, sn, err
}

// UsageError is a command line that cannot be run as typed; Hint is the
// corrected command line or the help to read. Drivers map it to exit code
// 2.
type UsageError struct{ Msg, HintText string }

func (e *UsageError) Error() string { return e.Msg }

// Hint is the command line that fixes it.
func (e *UsageError) Hint() string { return e.HintText }

// Usagef makes a [*UsageError] with the hint and a formatted message.
func Usagef(hint, format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...), HintText: hint}
}

// Hinted adds a hint to an error; errors.Is and errors.As see through it.
type Hinted struct {
	Err      error
	HintText string
}

func (h *Hinted) Error() string { return h.Err.Error() }
func (h *Hinted) Unwrap() error { return h.Err }

// Hint is the fix.
func (h *Hinted) Hint() string { return h.HintText }
