package spec

import (
	"os"
	"strings"

	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/workspace"
)

// Workflow statuses this package moves between (DESIGN.md §6: running ↔
// delegated). They are lifecycle.Statuses' names.
const (
	wfRunning   = "running"
	wfDelegated = "delegated"
)

// SyncWorkflowStatus sets the workflow's **Status** in workflow-state.md
// from the specs (DESIGN.md §6, running ↔ delegated): delegated while the
// workflow is running, at least one spec is out (delegated, no result)
// and every open TODO item is the item of a spec that is out; back to
// running when the status is delegated and that no longer holds (results
// came in, or an item no spec covers is open). Other statuses (paused,
// blocked, awaiting, …) are left alone. It returns the status before and
// after; they are equal when nothing changed.
//
// This is the one place that changes the workflow status for specs: it
// goes through [lifecycle.SetStatus], which checks the transition and
// appends the ## Timeline line (by WF_ACTOR, else agent).
func SyncWorkflowStatus(w *workspace.Workspace) (before, after string, err error) {
	views, err := List(w)
	if err != nil {
		return "", "", err
	}
	out := map[int]bool{}
	anyOut := false
	for _, v := range views {
		if v.Status == Delegated {
			anyOut = true
			if v.Item > 0 {
				out[v.Item] = true
			}
		}
	}
	_, err = w.Update(func(sn *workspace.Snapshot) ([]byte, []byte, error) {
		before = strings.ToLower(strings.TrimSpace(sn.State.Get("status")))
		after = before
		allOut := anyOut
		open := 0
		for _, it := range sn.Todo.Items {
			if it.IsOpen() {
				open++
				if !out[it.N] {
					allOut = false
				}
			}
		}
		switch {
		case before == wfRunning && allOut && open > 0:
			after = wfDelegated
		case before == wfDelegated && !(allOut && open > 0):
			after = wfRunning
		default:
			return nil, nil, nil
		}
		why := "every open item waits on a delegated spec"
		if after == wfRunning {
			why = "results are in, or an open item is not delegated"
		}
		state, err := lifecycle.SetStatus(w, sn, after, lifecycle.Signal{Who: lifecycle.Who(os.Getenv("WF_ACTOR")), Why: why})
		return state, nil, err
	})
	return before, after, err
}
