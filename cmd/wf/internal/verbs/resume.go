package verbs

import (
	"errors"
	"fmt"

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
	return resume.Build(ws, resume.Options{Budget: o.Budget, Full: o.Full})
}
