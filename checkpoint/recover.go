package checkpoint

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/wf-tool/wf/checkpoint/history"
	"github.com/wf-tool/wf/checkpoint/journal"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp"
)

// RecoverOptions configure `wf recover`.
type RecoverOptions struct {
	Why    string // required: recorded in the decisions log
	Branch string // default wf/recover-<short id>
	OnStep func(string)
}

// RecoverResult is what `wf recover` reports.
type RecoverResult struct {
	Schema     int               `json:"schema"`
	From       history.LogEntry  `json:"from"`
	Branch     string            `json:"branch"`
	Previous   string            `json:"previous_branch,omitempty"`
	Checkpoint *CheckpointResult `json:"checkpoint"`
}

// Recover continues from an older checkpoint on a new branch: the branch
// is created at the checkpoint's commit and checked out (only from a clean
// work tree), the reason goes into the decisions log, and a checkpoint
// records the move. Nothing is reset or force-moved; the old branch keeps
// its commits.
//
// It takes w's worktree lock, completes or rolls back an interrupted
// checkpoint first, and fails with [history.ErrNoRepo] outside git, with
// an [*UnsafeError] mid-merge (or rebase, …), and with gitcp's
// DirtyWorktreeError when the work tree is not clean.
func Recover(w *workspace.Workspace, ref string, o RecoverOptions) (*RecoverResult, error) {
	if w.Repo == nil {
		return nil, history.ErrNoRepo
	}
	why := workspace.OneLine(o.Why)
	if why == "" {
		return nil, fmt.Errorf("wf recover needs a reason (--why)")
	}
	release, notes, err := lockAndRecover(w)
	if err != nil {
		return nil, err
	}
	defer release()
	e, err := history.Find(w, ref)
	if err != nil {
		return nil, err
	}
	branch := o.Branch
	if branch == "" {
		branch = "wf/recover-" + history.ShortID(e.ID)
	}
	head, err := w.Repo.Head()
	if err != nil {
		return nil, err
	}
	res := &RecoverResult{Schema: workspace.SchemaVersion, From: *e, Branch: branch, Previous: head.ShortBranch()}
	from := head.ShortBranch()
	if head.Detached {
		from = "detached HEAD " + head.Hash.String()[:12]
		res.Previous = ""
	} else if !head.Unborn {
		from += " at " + head.Hash.String()[:12]
	}
	target := gitcp.NewHash(e.Commit)
	if head.Branch == "refs/heads/"+branch && head.Hash == target {
		// HEAD is already on the branch at the checkpoint: a recover a
		// crash interrupted after its switch (recovery completed it) runs
		// again, and only its checkpoint is left to make.
		res.Previous, from = "", "an interrupted wf recover"
	} else if err := switchJournaled(w, branch, target, o.OnStep); err != nil {
		var unsafe *gitcp.UnsafeStateError
		if errors.As(err, &unsafe) {
			return nil, &UnsafeError{unsafe}
		}
		var conv *gitcp.CheckoutConversionError
		if errors.As(err, &conv) {
			// git's switch converts, and a checkpoint then records what
			// wf recover would have.
			conv.Command += " && wf checkpoint -m " + gitcp.ShellArg("recovered from "+history.ShortID(e.ID)) +
				" --decision " + gitcp.ShellArg(fmt.Sprintf("Recovered from checkpoint %s: %s", e.ID, why))
		}
		return nil, err
	}
	cp, err := checkpointLocked(w, CheckpointOptions{
		Title:     "recovered from " + history.ShortID(e.ID),
		Summary:   fmt.Sprintf("Continuing from checkpoint %s on branch %s (was on %s): %s", e.ID, branch, from, why),
		Decisions: []string{fmt.Sprintf("Recovered from checkpoint %s: %s", e.ID, why)},
		OnStep:    o.OnStep,
	})
	if err != nil {
		return nil, fmt.Errorf("switched to branch %s at checkpoint %s, but the recovery checkpoint failed: %w", branch, e.ID, err)
	}
	cp.Notes = append(append([]string{}, notes...), cp.Notes...)
	res.Checkpoint = cp
	return res, nil
}

// switchJournaled creates branch at target and checks it out, journaled
// (journal.Switch): the record is written before anything changes, every
// git lock is claimed in it before it exists, and a failure midway is
// rolled back at once; a crash is completed or rolled back by the next wf
// command.
func switchJournaled(w *workspace.Workspace, branch string, target gitcp.Hash, onStep func(string)) error {
	step := onStep
	if step == nil {
		step = func(string) {}
	}
	rec := &journal.Switch{Version: 1, Started: time.Now()}
	rec.PID, rec.PIDStart = journal.Self()
	w.Repo.ClaimLock = func(c gitcp.LockClaim) error {
		rec.Locks = append(rec.Locks, c)
		return journal.WriteSwitch(w, rec)
	}
	defer func() { w.Repo.ClaimLock = nil }()
	err := w.Repo.CreateBranch(branch, target, true, w.Now(), gitcp.SwitchHooks{
		Planned: func(p *gitcp.SwitchPlan) error {
			rec.Plan = journal.PlanOf(p)
			if err := journal.WriteSwitch(w, rec); err != nil {
				return err
			}
			step("switch-intent")
			return nil
		},
		Step: func(s string) { step("switch-" + s) },
	})
	if err != nil {
		if _, statErr := os.Lstat(filepath.Join(w.Repo.WfDir(), "switch")); statErr != nil {
			return err
		}
		if out, rerr := journal.RecoverSwitch(w); rerr != nil {
			return fmt.Errorf("%w; rolling it back failed too: %v", err, rerr)
		} else if len(out.Kept) > 0 {
			return fmt.Errorf("%w; rolled back except %v, edited meanwhile", err, out.Kept)
		}
		return err
	}
	step("switch-done")
	return journal.RemoveSwitch(w)
}
