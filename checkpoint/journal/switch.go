package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp"
)

// Switch is the record of a `wf recover` checkout in progress
// (gitcp.Repo.CreateBranch with switchTo). It is written, in this order:
//
//  1. when index.lock is claimed (before it exists): the claim;
//  2. once the checks passed, before anything is written: the plan (the
//     new branch and its commit, HEAD's old content, both trees and every
//     path the checkout writes or removes);
//  3. when the branch's lock and HEAD.lock are claimed: the claims.
//
// It is removed once HEAD is on the new branch and the index renamed.
// After a crash the next wf command, under the worktree lock:
//
//   - HEAD is on the new branch: the switch happened; wf removes its own
//     stale locks and rebuilds the index from HEAD ("completed");
//   - HEAD is not: wf removes its own stale locks, puts back the old
//     version of every path the checkout wrote (unless edited since),
//     and deletes the new branch if it still points to the checkpoint
//     ("rolled back"): the old branch is checked out as before.
type Switch struct {
	Version  int               `json:"version"`
	PID      int               `json:"pid"`
	PIDStart uint64            `json:"pid_start,omitempty"`
	Started  time.Time         `json:"started"`
	Locks    []gitcp.LockClaim `json:"locks,omitempty"`
	Plan     *SwitchPlan       `json:"plan,omitempty"`
}

// SwitchPlan is gitcp.SwitchPlan with hex object ids.
type SwitchPlan struct {
	Ref     string   `json:"ref"`
	Target  string   `json:"target"`
	OldHead string   `json:"old_head"`
	OldHash string   `json:"old_hash,omitempty"`
	OldTree string   `json:"old_tree,omitempty"`
	NewTree string   `json:"new_tree"`
	Paths   []string `json:"paths,omitempty"`
}

// PlanOf converts p for the record.
func PlanOf(p *gitcp.SwitchPlan) *SwitchPlan {
	hex := func(h gitcp.Hash) string {
		if h.IsZero() {
			return ""
		}
		return h.String()
	}
	return &SwitchPlan{Ref: p.Ref, Target: p.Target.String(), OldHead: p.OldHead, OldHash: hex(p.OldHash), OldTree: hex(p.OldTree), NewTree: p.NewTree.String(), Paths: p.Paths}
}

func (p *SwitchPlan) gitcp() *gitcp.SwitchPlan {
	return &gitcp.SwitchPlan{Ref: p.Ref, Target: gitcp.NewHash(p.Target), OldHead: p.OldHead, OldHash: gitcp.NewHash(p.OldHash),
		OldTree: gitcp.NewHash(p.OldTree), NewTree: gitcp.NewHash(p.NewTree), Paths: p.Paths}
}

func switchPath(w *workspace.Workspace) string { return filepath.Join(w.Repo.WfDir(), "switch") }

// WriteSwitch records s atomically.
func WriteSwitch(w *workspace.Workspace, s *Switch) error { return writeRecord(w, switchPath(w), s) }

// RemoveSwitch deletes the record: the switch is complete. A missing
// record is not an error.
func RemoveSwitch(w *workspace.Workspace) error { return removeRecord(w, switchPath(w)) }

// SwitchOutcome is what [RecoverSwitch] did.
type SwitchOutcome struct {
	Kind   Kind   // None, Completed or RolledBack
	Branch string // the new branch, without refs/heads/
	// Kept are paths left alone because they were edited since;
	// LiveLocks lock files left because their maker still runs.
	Kept, LiveLocks []string
}

// Note says in one line what recovery did; "" for [None].
func (o *SwitchOutcome) Note() string {
	var note string
	switch o.Kind {
	case Completed:
		note = fmt.Sprintf("completed interrupted wf recover: branch %s is checked out; its recovery checkpoint was not made (run the same wf recover again to make it)", o.Branch)
	case RolledBack:
		note = fmt.Sprintf("rolled back interrupted wf recover: the previous branch is checked out as before; branch %s was not kept", o.Branch)
	default:
		return ""
	}
	if len(o.Kept) > 0 {
		note += "; left " + strings.Join(o.Kept, ", ") + " as edited since"
	}
	if len(o.LiveLocks) > 0 {
		note += "; left " + strings.Join(o.LiveLocks, ", ") + ": the process that took it still runs"
	}
	return note
}

// RecoverSwitch completes or rolls back an interrupted switch of w's
// worktree; the caller holds the worktree lock. Kind [None] when there was
// no record. On error the record is kept for the next try.
func RecoverSwitch(w *workspace.Workspace) (*SwitchOutcome, error) {
	if w.Repo == nil {
		return &SwitchOutcome{}, nil
	}
	data, err := os.ReadFile(switchPath(w))
	if errors.Is(err, fs.ErrNotExist) {
		return &SwitchOutcome{}, nil
	}
	if err != nil {
		return &SwitchOutcome{}, err
	}
	s := &Switch{}
	if err := json.Unmarshal(data, s); err != nil {
		return &SwitchOutcome{}, fmt.Errorf("%s: unreadable record: %w", switchPath(w), err)
	}
	out := &SwitchOutcome{Kind: RolledBack}
	alive := processAlive(s.PID, s.PIDStart)
	// The repair and the branch deletion take locks: claimed in the
	// record, as the switch's were.
	defer claimInto(w, func(c gitcp.LockClaim) error {
		s.PID, s.PIDStart = Self()
		s.Locks = append(s.Locks, c)
		return WriteSwitch(w, s)
	})()
	for _, c := range s.Locks {
		if alive {
			if gitcp.OwnsLock(c) {
				out.LiveLocks = append(out.LiveLocks, c.Path)
			}
			continue
		}
		gitcp.RemoveClaimedLock(c)
	}
	if s.Plan != nil {
		out.Branch = strings.TrimPrefix(s.Plan.Ref, "refs/heads/")
		head, err := w.Repo.Head()
		if err != nil {
			return out, err
		}
		if head.Branch == s.Plan.Ref {
			out.Kind = Completed
			if err := w.Repo.RepairIndex(); err != nil {
				return out, fmt.Errorf("branch %s is checked out, but the index could not be rebuilt: %w", out.Branch, err)
			}
		} else {
			kept, err := w.Repo.UndoSwitch(s.Plan.gitcp())
			out.Kept = kept
			if err != nil {
				return out, fmt.Errorf("rolling back the interrupted switch to %s: %w", out.Branch, err)
			}
		}
		if !alive {
			for _, p := range s.Plan.Paths {
				gitcp.RemoveCheckoutTemp(w.Repo, p)
			}
			// A lock claim of this worktree's that a kill interrupted
			// before it was journaled, in the new branch's folder.
			ms, _ := filepath.Glob(filepath.Join(filepath.Dir(w.Repo.RefLockPath(s.Plan.Ref)), ".wf-lock-"+w.Repo.ClaimTag()+"*"))
			for _, m := range ms {
				os.Remove(m)
			}
		}
	}
	if err := RemoveSwitch(w); err != nil {
		return out, err
	}
	if s.Plan == nil {
		out.Kind = None // nothing had been written
	}
	return out, nil
}
