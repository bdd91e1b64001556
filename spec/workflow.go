package spec

import (
	"strings"

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
// This is the one place that changes the workflow status for specs. It
// writes the field as it is today (the "**Status**:" header line through
// mdstate's SetField); when the lifecycle engine records transitions
// (a Timeline line), this function is what calls it instead.
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
		state, st, err := sn.State.SetField("status", after)
		if err != nil {
			return nil, nil, err
		}
		sn.Edited(st, nil)
		return state, nil, nil
	})
	return before, after, err
}
