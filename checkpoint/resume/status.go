package resume

import (
	"strings"

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
	Schema         int                 `json:"schema"`
	Root           string              `json:"root"`
	Project        string              `json:"project,omitempty"`
	Phase          string              `json:"phase,omitempty"`
	Status         string              `json:"status,omitempty"`
	Mode           string              `json:"mode,omitempty"`
	LastCheckpoint string              `json:"last_checkpoint,omitempty"`
	Progress       Progress            `json:"progress"`
	Phases         []PhaseView         `json:"phases"`
	Current        *lifecycle.ItemView `json:"current,omitempty"`
	Next           *lifecycle.ItemView `json:"next,omitempty"`
	Blockers       []string            `json:"blockers"`
	Waits          []string            `json:"waits"`
	Decisions      int                 `json:"decisions"`
	// Recognised and Unrecognised say what wf read from hand-written files.
	Recognised   []string `json:"recognised"`
	Unrecognised []string `json:"unrecognised"`
}

// Status builds the one-screen view of a snapshot; root is the state root
// it names ("" for files linted on their own).
func Status(root string, sn *workspace.Snapshot) StatusView {
	st, td := sn.State, sn.Todo
	v := StatusView{Schema: workspace.SchemaVersion, Root: root, Blockers: []string{}, Waits: []string{}, Phases: []PhaseView{}}
	v.Project = projectName(st.Title)
	v.Phase, v.Status, v.Mode = st.Get("phase"), st.Get("status"), st.Get("mode")
	v.LastCheckpoint = st.Get("last checkpoint")
	if workspace.IsNone(v.LastCheckpoint) {
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
	for _, b := range st.Blockers {
		v.Blockers = append(v.Blockers, b.Text)
	}
	for _, w := range st.Waits {
		v.Waits = append(v.Waits, w.Text)
	}
	v.Decisions = len(st.Decisions)
	v.Recognised, v.Unrecognised = lint.Recognition(sn)
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
