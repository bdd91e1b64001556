// Package lifecycle holds the rules of a workflow's life over its state
// files: the statuses and phase statuses (DESIGN.md §6), the checklist
// verbs (tick, untick, skip, the CURRENT marker, adding items), the
// decisions log, bounded retries per failure bucket with escalation to
// blocked, and heartbeats.
//
// Each verb is one locked read-modify-write of the state files through
// [workspace.Workspace.Update]: a fresh read under the lock, a surgical
// edit through mdstate, and a redo on the new content when a hand edit
// lands meanwhile. It must not commit (checkpoints are package
// checkpoint's) or print; rules that need no files are pure functions.
package lifecycle

import (
	"github.com/wf-tool/wf/mdstate"
)

// Statuses returns the workflow statuses (DESIGN.md §6, from the
// CodeMachine model), in their documented order; a fresh copy.
func Statuses() []string {
	return []string{"idle", "running", "awaiting", "delegated", "paused", "blocked", "completed", "stopped", "error"}
}

// PhaseStatuses returns the values of the phase table's Status column; a
// fresh copy.
func PhaseStatuses() []string {
	return []string{"PENDING", "IN_PROGRESS", "COMPLETE", "SKIPPED", "BLOCKED"}
}

// ItemView is an item as commands print it.
type ItemView struct {
	N          int    `json:"n"`
	Line       int    `json:"line"`
	Depth      int    `json:"depth"`
	State      string `json:"state"` // open, done, skipped
	Text       string `json:"text"`
	Phase      string `json:"phase,omitempty"`
	Current    bool   `json:"current,omitempty"`
	Checkpoint string `json:"checkpoint,omitempty"`
	Reason     string `json:"reason,omitempty"`
	// Failures are the failed attempts by retry bucket, in written order;
	// never nil.
	Failures []FailureView `json:"failures"`
}

// FailureView is one retry bucket's count on an item.
type FailureView struct {
	Bucket string `json:"bucket"`
	Count  int    `json:"count"`
}

// ViewItem converts an item.
func ViewItem(it *mdstate.Item) ItemView {
	st := "open"
	switch it.Mark {
	case mdstate.Done:
		st = "done"
	case mdstate.Skipped:
		st = "skipped"
	}
	v := ItemView{N: it.N, Line: it.Line, Depth: it.Depth, State: st, Text: it.Text, Phase: it.Phase, Current: it.Current, Checkpoint: it.Checkpoint, Reason: it.Reason,
		Failures: []FailureView{}}
	for _, f := range it.Failures {
		v.Failures = append(v.Failures, FailureView{Bucket: f.Bucket, Count: f.Count})
	}
	return v
}
