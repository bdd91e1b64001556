package verbs

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/resume"
	"github.com/wf-tool/wf/checkpoint/workspace"
)

// ResumeOptions are `wf resume`'s.
type ResumeOptions struct {
	// Budget is the ceiling in estimated tokens; 0 takes the setting.
	Budget int
	// BudgetSet says Budget was given (so that 0 is refused, not taken
	// as "the setting").
	BudgetSet bool
	// Full lifts the budget.
	Full bool
	// IfPresent returns nil, and no error, when there is no workflow
	// here (for session-start hooks).
	IfPresent bool
	// HookInput reads the hook's JSON input from Env.Stdin (not a
	// terminal; at most 1 MiB, for at most 2 s) and records its
	// session_id as the worktree's session.
	HookInput bool
}

// Resume builds the re-entry context; nil with IfPresent and no workflow.
func Resume(e Env, o ResumeOptions) (*resume.Resume, error) {
	if o.BudgetSet && o.Budget < workspace.MinResumeBudget {
		return nil, Usagef(fmt.Sprintf("wf resume --budget %d", workspace.DefaultResumeBudget),
			"--budget %d is below the minimum of %d tokens", o.Budget, workspace.MinResumeBudget)
	}
	if o.BudgetSet && o.Full {
		return nil, Usagef("wf resume --full   (or wf resume --budget N)", "--budget and --full contradict each other")
	}
	ws, err := e.open()
	if errors.Is(err, workspace.ErrNoWorkflow) && o.IfPresent {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	lifecycle.CurrentSession(ws, e.Session) // records WF_SESSION when given
	if o.HookInput {
		if id := lifecycle.SessionFromHookInput(readHookInput(e.Stdin)); id != "" {
			lifecycle.RecordSession(ws, id, "claude-hook")
		}
	}
	return resume.Build(ws, resume.Options{Budget: o.Budget, Full: o.Full})
}

// readHookInput reads what a session-start hook gets on stdin: nothing
// from a terminal, at most 1 MiB, and no more than 2 s of waiting (a host
// that leaves stdin open must not hang the session's start).
func readHookInput(in io.Reader) []byte {
	if in == nil {
		return nil
	}
	if f, ok := in.(*os.File); ok {
		if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice != 0 {
			return nil
		}
	}
	ch := make(chan []byte, 1)
	go func() {
		data, _ := io.ReadAll(io.LimitReader(in, 1<<20))
		ch <- data
	}()
	select {
	case data := <-ch:
		return data
	case <-time.After(2 * time.Second):
		return nil
	}
}
