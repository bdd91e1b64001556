package spec

import (
	"errors"
	"io/fs"
	"os"
	"time"

	"github.com/wf-tool/wf/checkpoint/workspace"
)

// View is one spec as `wf spec list` shows it (docs/json.md, "spec").
type View struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Status string `json:"status"` // one of Statuses
	Agent  string `json:"agent,omitempty"`
	// Since is when the spec entered its status (Delegated, Returned,
	// Integrated or Created), in wf's timestamp format; "" when unknown.
	Since string `json:"since,omitempty"`
	// AgeSeconds is how long ago Since was, in whole seconds; 0 when
	// unknown.
	AgeSeconds int64    `json:"age_seconds"`
	Modify     []string `json:"modify"`
	Item       int      `json:"item,omitempty"` // the TODO item it delivers; 0 for none
	ItemText   string   `json:"item_text,omitempty"`
	Commit     string   `json:"commit,omitempty"` // HEAD when it was delegated
	Branch     string   `json:"branch,omitempty"`
	Worktree   string   `json:"worktree,omitempty"`
	HasResult  bool     `json:"has_result"`
}

// ViewOf describes spec s at time now. A result file on disk with the
// spec still delegated (a crash between the two writes of [Record]) shows
// as returned.
func ViewOf(w *workspace.Workspace, s *Spec, now time.Time) View {
	v := View{Name: s.Name, Path: s.Path, Status: s.Status(), Modify: []string{}}
	v.Agent, _ = s.Field("agent")
	v.Commit, _ = s.Field("commit")
	v.Branch, _ = s.Field("branch")
	v.Worktree, _ = s.Field("worktree")
	v.Item, v.ItemText = s.Item()
	for _, r := range s.Modify {
		v.Modify = append(v.Modify, r.Path)
	}
	if _, err := os.Lstat(ResultPath(w, s.Name)); err == nil {
		v.HasResult = true
		if v.Status == Delegated || v.Status == Draft {
			v.Status = Returned
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		v.HasResult = true
	}
	key := map[string]string{Draft: "created", Delegated: "delegated", Returned: "returned", Failed: "returned", Verified: "verified", Integrated: "integrated"}[v.Status]
	if key != "" {
		if t, ok := s.Field(key); ok {
			v.Since = t
			if at, err := time.Parse(workspace.Timestamp, t); err == nil && now.After(at) {
				v.AgeSeconds = int64(now.Sub(at) / time.Second)
			}
		}
	}
	return v
}

// List describes every spec of the workflow, by name.
func List(w *workspace.Workspace) ([]View, error) {
	specs, err := LoadAll(w)
	if err != nil {
		return nil, err
	}
	out := []View{}
	now := w.Now()
	for _, s := range specs {
		out = append(out, ViewOf(w, s, now))
	}
	return out, nil
}

// Open returns the delegations still out: specs delegated without a
// result, by name. wf resume and wf status show them with their ages.
func Open(w *workspace.Workspace) ([]View, error) {
	all, err := List(w)
	if err != nil {
		return nil, err
	}
	out := []View{}
	for _, v := range all {
		if v.Status == Delegated {
			out = append(out, v)
		}
	}
	return out, nil
}
