package checkpoint

import (
	"strings"

	"github.com/wf-tool/wf/mdstate"
)

// SchemaVersion is the version of every --json document wf prints.
const SchemaVersion = 1

// Statuses are the workflow statuses (DESIGN.md §6).
var Statuses = []string{"idle", "running", "awaiting", "delegated", "paused", "blocked", "completed", "stopped", "error"}

// PhaseStatuses are the values of the phase table's Status column.
var PhaseStatuses = []string{"PENDING", "IN_PROGRESS", "COMPLETE", "SKIPPED", "BLOCKED"}

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
	// Failures are the failed attempts by retry bucket, in written order.
	Failures []FailureView `json:"failures,omitempty"`
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
	v := ItemView{N: it.N, Line: it.Line, Depth: it.Depth, State: st, Text: it.Text, Phase: it.Phase, Current: it.Current, Checkpoint: it.Checkpoint, Reason: it.Reason}
	for _, f := range it.Failures {
		v.Failures = append(v.Failures, FailureView{Bucket: f.Bucket, Count: f.Count})
	}
	return v
}

// Progress counts items.
type Progress struct {
	Done    int `json:"done"`
	Skipped int `json:"skipped"`
	Total   int `json:"total"`
}

// PhaseView is one phase with its items' progress.
type PhaseView struct {
	Name      string `json:"name"`
	Status    string `json:"status,omitempty"`
	Entered   string `json:"entered,omitempty"`
	Completed string `json:"completed,omitempty"`
	Progress
	InTable bool `json:"in_table"`
}

// StatusView is `wf status`.
type StatusView struct {
	Schema         int         `json:"schema"`
	Root           string      `json:"root"`
	Project        string      `json:"project,omitempty"`
	Phase          string      `json:"phase,omitempty"`
	Status         string      `json:"status,omitempty"`
	Mode           string      `json:"mode,omitempty"`
	LastCheckpoint string      `json:"last_checkpoint,omitempty"`
	Progress       Progress    `json:"progress"`
	Phases         []PhaseView `json:"phases"`
	Current        *ItemView   `json:"current,omitempty"`
	Next           *ItemView   `json:"next,omitempty"`
	Blockers       []string    `json:"blockers"`
	Waits          []string    `json:"waits"`
	Decisions      int         `json:"decisions"`
	// Recognised and Unrecognised say what wf read from hand-written files.
	Recognised   []string `json:"recognised"`
	Unrecognised []string `json:"unrecognised"`
}

// Status builds the one-screen view of a snapshot.
func Status(root string, sn *Snapshot) StatusView {
	st, td := sn.State, sn.Todo
	v := StatusView{Schema: SchemaVersion, Root: root, Blockers: []string{}, Waits: []string{}, Phases: []PhaseView{}}
	v.Project = projectName(st.Title)
	v.Phase, v.Status, v.Mode = st.Get("phase"), st.Get("status"), st.Get("mode")
	v.LastCheckpoint = st.Get("last checkpoint")
	if isNoneText(v.LastCheckpoint) {
		v.LastCheckpoint = ""
	}
	v.Progress.Done, v.Progress.Skipped, v.Progress.Total = td.Counts("*")
	seen := map[string]bool{}
	for _, p := range st.Phases {
		pv := PhaseView{Name: p.Name, Status: p.Status, Entered: p.Entered, Completed: p.Completed, InTable: true}
		pv.Done, pv.Skipped, pv.Total = td.Counts(p.Name)
		v.Phases = append(v.Phases, pv)
		seen[strings.ToLower(p.Name)] = true
	}
	for _, name := range td.PhaseNames() {
		if !seen[strings.ToLower(name)] {
			pv := PhaseView{Name: name}
			pv.Done, pv.Skipped, pv.Total = td.Counts(name)
			v.Phases = append(v.Phases, pv)
		}
	}
	if cur := td.Current(); len(cur) > 0 {
		iv := ViewItem(cur[0])
		v.Current = &iv
	}
	// Next is the first open item after the current one (or the first open
	// item when nothing is current).
	after := 0
	if v.Current != nil {
		after = v.Current.N
	}
	for _, it := range td.Items[after:] {
		if it.IsOpen() {
			iv := ViewItem(it)
			v.Next = &iv
			break
		}
	}
	for _, b := range st.Blockers {
		v.Blockers = append(v.Blockers, b.Text)
	}
	for _, w := range st.Waits {
		v.Waits = append(v.Waits, w.Text)
	}
	v.Decisions = len(st.Decisions)
	v.Recognised, v.Unrecognised = recognition(sn)
	return v
}

func projectName(title string) string {
	t := strings.TrimSpace(title)
	for _, p := range []string{"workflow state:", "workflow state —", "workflow state -", "workflow state"} {
		if len(t) >= len(p) && strings.EqualFold(t[:len(p)], p) {
			return strings.TrimSpace(t[len(p):])
		}
	}
	return t
}

func isNoneText(s string) bool {
	t := strings.ToLower(strings.Trim(strings.TrimSpace(s), "()_*-. "))
	return t == "" || t == "none" || t == "n/a"
}
