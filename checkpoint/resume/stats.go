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
	// ComputeStats reads these three sections of committed versions.
	sn, vs, err := Versions(w, false, "timeline", "attempts", "decisions")
	if err != nil {
		return lifecycle.Stats{}, err
	}
	stale := lifecycle.DefaultHeartbeatStale
	if d, err := time.ParseDuration(sn.State.Setting("heartbeat-stale")); err == nil && d > 0 {
		stale = d
	}
	return lifecycle.ComputeStats(vs, sn.Todo, now, since, stale), nil
}

// Versions returns the state files as read now and the versions of
// workflow-state.md in the work tree (first) and in every checkpoint
// commit of history (outside git, the work tree's only); with reflogs,
// also the checkpoints only the reflogs of HEAD and the checkpoint ref
// still hold (after a reset). The work tree's version is read whole; of
// the committed ones, only the entries of the sections of kinds (see
// [mdstate.EntryReader], which parses the pieces the versions share
// once), or everything when kinds is empty.
func Versions(w *workspace.Workspace, reflogs bool, kinds ...string) (*workspace.Snapshot, []lifecycle.Version, error) {
	sn, err := w.Read()
	if err != nil {
		return nil, nil, err
	}
	parse := mdstate.ParseState
	if len(kinds) > 0 {
		r, err := mdstate.NewEntryReader(kinds...)
		if err != nil {
			return nil, nil, err
		}
		parse = r.Read
	}
	vs := []lifecycle.Version{{State: sn.State}}
	if w.Repo != nil {
		es, err := history.Log(w, 0)
		if err != nil {
			return nil, nil, err
		}
		if reflogs {
			es = append(es, history.ReflogOnly(w, es)...)
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
			vs = append(vs, lifecycle.Version{State: parse(path, data), Commit: e.Commit, ID: e.ID, Time: e.Time})
		}
	}
	return sn, vs, nil
}

// FiredEffect finds the side effect of key in the work tree's
// workflow-state.md or, failing that, in any checkpoint of history (so a
// reset to an older checkpoint, or a line deleted by hand, does not make
// it look unfired); false when none has it.
func FiredEffect(w *workspace.Workspace, key string) (lifecycle.Effect, bool, error) {
	_, vs, err := Versions(w, true, "effects")
	if err != nil {
		return lifecycle.Effect{}, false, err
	}
	for _, v := range vs {
		if e, ok := lifecycle.FindEffect(v.State, key); ok {
			return e, true, nil
		}
	}
	return lifecycle.Effect{}, false, nil
}
