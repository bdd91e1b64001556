package resume

import (
	"time"

	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// LifecycleView is the phase and status story that wf status and wf
// resume tell (issue 13): who drives (seed 001's table), the pending
// waits with their age and the command that resolves each, a pause with
// who and why, and loop counts near their limit.
type LifecycleView struct {
	Drives    string `json:"drives"` // user, agent or system
	DrivesWhy string `json:"drives_why"`
	// Paused is who paused the run, why and since when; nil when it is
	// not paused.
	Paused *PausedView `json:"paused,omitempty"`
	// Waits are the pending waits, oldest first; never nil.
	Waits []WaitAge `json:"waits"`
	// Loops are the phases whose reopenings are at or one short of their
	// max-loops; never nil.
	Loops []LoopView `json:"loops"`
}

// PausedView says who paused the run.
type PausedView struct {
	Who   string `json:"who,omitempty"`
	Why   string `json:"why,omitempty"`
	Since string `json:"since,omitempty"`
}

// WaitAge is a pending wait with how long it has waited.
type WaitAge struct {
	lifecycle.Wait
	// AgeSeconds is how long ago it began (0 when its since is unknown).
	AgeSeconds int64 `json:"age_seconds"`
}

// LoopView is a phase's loop count against its limit.
type LoopView struct {
	Phase    string `json:"phase"`
	Loops    int    `json:"loops"`
	MaxLoops int    `json:"max_loops"`
}

// Lifecycle builds the lifecycle view of st at now.
func Lifecycle(st *mdstate.State, now time.Time) LifecycleView {
	v := LifecycleView{Waits: []WaitAge{}, Loops: []LoopView{}}
	v.Drives, v.DrivesWhy = lifecycle.Drives(st)
	if s, _ := lifecycle.CurrentStatus(st); s == "paused" {
		p := lifecycle.PausedBy(st)
		v.Paused = &PausedView{Who: p.Who, Why: p.Why, Since: p.Since}
	}
	for _, wt := range lifecycle.Waits(st) {
		wa := WaitAge{Wait: wt}
		if t, err := time.Parse(workspace.Timestamp, wt.Since); err == nil && now.After(t) {
			wa.AgeSeconds = int64(now.Sub(t) / time.Second)
		}
		v.Waits = append(v.Waits, wa)
	}
	for _, p := range st.Phases {
		r, err := lifecycle.RuleOf(st, p.Name)
		if err != nil || r.MaxLoops == 0 {
			continue
		}
		if n := lifecycle.Loops(st, p.Name); n >= r.MaxLoops-1 {
			v.Loops = append(v.Loops, LoopView{Phase: p.Name, Loops: n, MaxLoops: r.MaxLoops})
		}
	}
	return v
}
