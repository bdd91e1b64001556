package checkpoint

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wf-tool/wf/checkpoint/history"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp"
)

// ShowView is `wf show`: the checkpoint file as committed and what the
// commit changed.
type ShowView struct {
	Schema           int        `json:"schema"`
	history.LogEntry            // the commit
	File             string     `json:"file"`
	Content          string     `json:"content"`
	Stat             []FileView `json:"stat"`
}

// Show reads the checkpoint ref names ([history.Find]) as it was at its
// commit, with what the commit changed.
func Show(w *workspace.Workspace, ref string) (*ShowView, error) {
	e, err := history.Find(w, ref)
	if err != nil {
		return nil, err
	}
	h := gitcp.NewHash(e.Commit)
	var parent gitcp.Hash
	if e.Parent != "" {
		parent = gitcp.NewHash(e.Parent)
	}
	stats, err := w.Repo.DiffStat(parent, h)
	if err != nil {
		return nil, err
	}
	v := &ShowView{Schema: workspace.SchemaVersion, LogEntry: *e, Stat: []FileView{}}
	for _, f := range stats {
		v.Stat = append(v.Stat, FileView{Path: f.Path, Kind: f.Kind.String(), Added: f.Added, Deleted: f.Deleted, Binary: f.Binary})
	}
	// The file is where the state root is now, or wherever the commit
	// added a checkpoints/<id>.md.
	cands := []string{w.RelTop(w.Path(filepath.Join(workspace.CheckpointsDir, e.ID+".md")))}
	for _, f := range stats {
		if strings.HasSuffix(f.Path, "/"+e.ID+".md") || f.Path == e.ID+".md" {
			cands = append(cands, f.Path)
		}
	}
	for _, c := range cands {
		if b, err := w.Repo.ReadBlobAt(h, c); err == nil {
			v.File, v.Content = c, string(b)
			return v, nil
		}
	}
	return nil, fmt.Errorf("commit %s has no checkpoint file for %s", e.Short(), e.ID)
}
