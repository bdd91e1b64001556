package resume

import (
	"time"

	"github.com/wf-tool/wf/checkpoint/history"
	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp"
	"github.com/wf-tool/wf/mdstate"
)

// Stats computes `wf stats` for w at now from git history: the version
// of workflow-state.md in every checkpoint commit ([history.Log]) and the
// one in the work tree ([lifecycle.ComputeStats] merges them). since
// (zero for all) drops what happened before it. Outside git it counts
// the work tree's version only.
func Stats(w *workspace.Workspace, now, since time.Time) (lifecycle.Stats, error) {
	sn, err := w.Read()
	if err != nil {
		return lifecycle.Stats{}, err
	}
	vs := []lifecycle.Version{{State: sn.State}}
	if w.Repo != nil {
		es, err := history.Log(w, 0)
		if err != nil {
			return lifecycle.Stats{}, err
		}
		path := w.RelTop(w.Path(workspace.StateFile))
		for _, e := range es {
			h := gitcp.NewHash(e.Commit)
			if h.IsZero() {
				continue
			}
			data, err := w.Repo.ReadBlobAt(h, path)
			if err != nil {
				continue // a checkpoint of another state root
			}
			vs = append(vs, lifecycle.Version{State: mdstate.ParseState(path, data), Commit: e.Commit, Time: e.Time})
		}
	}
	stale := lifecycle.DefaultHeartbeatStale
	if d, err := time.ParseDuration(sn.State.Setting("heartbeat-stale")); err == nil && d > 0 {
		stale = d
	}
	return lifecycle.ComputeStats(vs, sn.Todo, now, since, stale), nil
}
