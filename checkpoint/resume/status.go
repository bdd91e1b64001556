package resume

import (
	"strings"
	"time"

	"github.com/wf-tool/wf/checkpoint/history"
	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/lint"
	"github.com/wf-tool/wf/checkpoint/workspace"
)

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
	Schema  int    `json:"schema"`
	Root    string `json:"root"`
	Project string `json:"project,omitempty"`
	Phase   string `json:"phase,omitempty"`
	Status  string `json:"status,omitempty"`
	Mode    string `json:"mode,omitempty"`
	// LastCheckpoint is the checkpoint the state file names as the last,
	// as git history records it; nil when the file names none or history
	// does not have it (see [StatusView.LastCheckpointText]).
	LastCheckpoint *history.CheckpointRef `json:"last_checkpoint"`
	// LastCheckpointText is the state file's Last checkpoint field as
	// written ("" for none); the text form prints it.
	LastCheckpointText string `json:"-"`
	// LastCheckpointID is the checkpoint id in that field ("" when it
	// has none).
	LastCheckpointID string              `json:"-"`
	Progress         Progress            `json:"progress"`
	Phases           []PhaseView         `json:"phases"`
	Current          *lifecycle.ItemView `json:"current"` // nil: no CURRENT item
	Next             *lifecycle.ItemView `json:"next"`    // nil: no open item after it
	// Blockers are numbered as wf unblock takes them.
	Blockers []lifecycle.BlockerView `json:"blockers"`
	Waits    []string                `json:"waits"`
	// DecisionsCount is the number of entries in the decisions log (wf
	// resume --json lists the newest under "decisions").
	DecisionsCount int `json:"decisions_count"`
	// Recognised and Unrecognised say what wf read from hand-written files.
	Recognised   []string `json:"recognised"`
	Unrecognised []string `json:"unrecognised"`
	// Lifecycle is the phase and status story: who drives, pending
	// waits with their age, a pause, loops near their limit.
	Lifecycle LifecycleView `json:"lifecycle"`
	// Specs are the delegations still out, then the failed ones, as
	// resume lists them ([OpenSpecs]); the caller fills them in.
	Specs []string `json:"open_specs"`
}

// Status builds the one-screen view of a snapshot; root is the state root
// it names ("" for files linted on their own).
func Status(root string, sn *workspace.Snapshot) StatusView {
	st, td := sn.State, sn.Todo
	v := StatusView{Schema: workspace.SchemaVersion, Root: root, Waits: []string{}, Phases: []PhaseView{}, Specs: []string{}}
	v.Project = projectName(st.Title)
	v.Phase, v.Status, v.Mode = st.Get("phase"), st.Get("status"), st.Get("mode")
	v.LastCheckpointText = st.Get("last checkpoint")
	if workspace.IsNone(v.LastCheckpointText) {
		v.LastCheckpointText = ""
	} else {
		v.LastCheckpointID = lastCheckpointField(st)
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
		iv := lifecycle.ViewItem(cur[0])
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
			iv := lifecycle.ViewItem(it)
			v.Next = &iv
			break
		}
	}
	v.Blockers = lifecycle.ViewBlockers(st)
	for _, w := range st.Waits {
		v.Waits = append(v.Waits, w.Text)
	}
	v.DecisionsCount = len(st.Decisions)
	v.Recognised, v.Unrecognised = lint.Recognition(sn)
	v.Lifecycle = Lifecycle(st, time.Time{})
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
