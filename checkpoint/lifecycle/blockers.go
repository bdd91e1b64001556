package lifecycle

import (
	"fmt"
	"strings"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// Blockers: `wf block TEXT` records why the work cannot go on, as a
// timestamped entry under "## Blocking Issues" (replacing the "(none)"
// placeholder), and sets Status: blocked; `wf unblock N` removes blocker
// N and, when none is left and the status is blocked, sets it back to
// running (DESIGN.md §6: running → blocked → running after the blocker is
// cleared).

// BlockerView is one blocker as commands print it: its number (1-based,
// in the order of the file), its line and its text.
type BlockerView struct {
	N    int    `json:"n"`
	Line int    `json:"line"`
	Text string `json:"text"`
}

// ViewBlockers lists the blockers of st; never nil.
func ViewBlockers(st *mdstate.State) []BlockerView {
	out := []BlockerView{}
	for i, b := range st.Blockers {
		out = append(out, BlockerView{N: i + 1, Line: b.Line, Text: b.Text})
	}
	return out
}

// BlockResult is what `wf block` and `wf unblock` report.
type BlockResult struct {
	Schema int `json:"schema"`
	// Blocker is the blocker added or removed.
	Blocker BlockerView `json:"blocker"`
	// Blockers are the blockers left, renumbered.
	Blockers []BlockerView `json:"blockers"`
	// Status is the workflow's status after the change; PreviousStatus
	// the one before.
	Status         string `json:"status"`
	PreviousStatus string `json:"previous_status"`
}

// Block adds a timestamped blocker with text to w's workflow-state.md and
// sets Status: blocked, in one locked update.
func Block(w *workspace.Workspace, text string) (*BlockResult, error) {
	return BlockAs(w, text, Signal{})
}

// BlockAs is [Block] by an actor, for the timeline line.
func BlockAs(w *workspace.Workspace, text string, s Signal) (*BlockResult, error) {
	text = workspace.OneLine(text)
	if text == "" {
		return nil, ErrEmptyText
	}
	entry := w.Now().Format(workspace.Timestamp) + ": " + text
	res := &BlockResult{Schema: workspace.SchemaVersion}
	_, err := w.Update(func(sn *workspace.Snapshot) ([]byte, []byte, error) {
		res.PreviousStatus = sn.State.Get("status")
		e := newStateEdit(w, sn.State)
		if err := e.entry("blockers", entry); err != nil {
			return nil, nil, err
		}
		if err := e.forceStatus("blocked", Signal{Who: s.Who, Why: "blocker: " + text}); err != nil {
			return nil, nil, err
		}
		res.Status = e.st.Get("status")
		res.Blockers = ViewBlockers(e.st)
		res.Blocker = res.Blockers[len(res.Blockers)-1]
		return e.done(sn), nil, nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// BlockerRefError is a blocker number that names no blocker.
type BlockerRefError struct {
	Ref      string
	Blockers []BlockerView
}

func (e *BlockerRefError) Error() string {
	if len(e.Blockers) == 0 {
		return fmt.Sprintf("there is no blocker %s (%s has none)", e.Ref, workspace.StateFile)
	}
	return fmt.Sprintf("there is no blocker %s (%s has %s)", e.Ref, workspace.StateFile, Plural(len(e.Blockers), "blocker", "blockers"))
}

// Hint says how to go on.
func (e *BlockerRefError) Hint() string {
	if len(e.Blockers) == 0 {
		return "wf status   (shows the blockers)"
	}
	return fmt.Sprintf("wf unblock N with N from 1 to %d   (wf status numbers them)", len(e.Blockers))
}

// Unblock removes blocker n (1-based, as [ViewBlockers] numbers them)
// from w's workflow-state.md. When no blocker is left and the status is
// blocked, it sets Status: running.
func Unblock(w *workspace.Workspace, ref string) (*BlockResult, error) {
	return UnblockAs(w, ref, Signal{})
}

// UnblockAs is [Unblock] by an actor, for the timeline line.
func UnblockAs(w *workspace.Workspace, ref string, s Signal) (*BlockResult, error) {
	res := &BlockResult{Schema: workspace.SchemaVersion}
	_, err := w.Update(func(sn *workspace.Snapshot) ([]byte, []byte, error) {
		all := ViewBlockers(sn.State)
		var n int
		if _, err := fmt.Sscanf(strings.TrimPrefix(strings.TrimSpace(ref), "#"), "%d", &n); err != nil || n < 1 || n > len(all) || fmt.Sprint(n) != strings.TrimPrefix(strings.TrimSpace(ref), "#") {
			return nil, nil, &BlockerRefError{Ref: ref, Blockers: all}
		}
		res.PreviousStatus = sn.State.Get("status")
		res.Blocker = all[n-1]
		e := newStateEdit(w, sn.State)
		if err := e.keep(sn.State.RemoveEntry("blockers", n)); err != nil {
			return nil, nil, err
		}
		if len(e.st.Blockers) == 0 && strings.EqualFold(strings.TrimSpace(e.st.Get("status")), "blocked") {
			if err := e.forceStatus("running", Signal{Who: s.Who, Why: "blocker cleared: " + res.Blocker.Text}); err != nil {
				return nil, nil, err
			}
		}
		res.Status = e.st.Get("status")
		res.Blockers = ViewBlockers(e.st)
		return e.done(sn), nil, nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
