package verbs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wf-tool/wf/checkpoint"
	"github.com/wf-tool/wf/checkpoint/history"
	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/resume"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// Lifecycle verbs: phases, signals, waits. Each is a lifecycle change in
// one locked update and, where the seeds say (a wait begins, a pause, a
// stop, a phase complete), a checkpoint after it. Between the two, a
// marker in the runtime folder names the checkpoint still to make, so a
// crash in between is completed by the next command ([Env.open]).

// pendingFile, in the runtime folder, holds the title of a lifecycle
// checkpoint that was due when wf last ran.
const pendingFile = "lifecycle-checkpoint"

// Actor is who runs a lifecycle command: WF_ACTOR, else "human" with
// --human, else "agent". The driver resolves it.
type Actor struct {
	Who string
}

// ActorFrom resolves the actor from WF_ACTOR's value and --human.
func ActorFrom(env string, human bool) Actor {
	if strings.TrimSpace(env) != "" {
		return Actor{Who: lifecycle.Who(env)}
	}
	if human {
		return Actor{Who: lifecycle.ActorHuman}
	}
	return Actor{Who: lifecycle.ActorAgent}
}

// withCheckpoint runs change and then commits a checkpoint titled title
// when change asks for one (title returned non-empty). Outside git the
// checkpoint is skipped with a note.
func (e Env) withCheckpoint(ws *workspace.Workspace, change func() (title string, err error)) (string, error) {
	marker := filepath.Join(ws.RuntimeDir(), pendingFile)
	title, err := change()
	if err != nil || title == "" {
		return "", err
	}
	if ws.Repo == nil {
		e.note("no checkpoint made: " + ws.Rel(workspace.StateFile) + " is not in a git repository")
		return "", nil
	}
	if err := os.MkdirAll(ws.RuntimeDir(), 0o755); err != nil {
		return "", err
	}
	// The marker holds the title and the Last checkpoint field as it is
	// now: a checkpoint made since (the journal completing this one after
	// a crash inside it) changes the field, and then none is due.
	if err := mdstate.WriteFileAtomic(marker, []byte(title+"\n"+lastCheckpointField(ws)+"\n"), nil); err != nil {
		return "", err
	}
	if e.OnStep != nil {
		e.OnStep("lifecycle-edited")
	}
	id, err := e.lifecycleCheckpoint(ws, title)
	if err != nil {
		// Failed, not interrupted: the error says so and names the fix;
		// the next command need not say it again.
		os.Remove(marker)
		return "", err
	}
	return id, nil
}

func (e Env) lifecycleCheckpoint(ws *workspace.Workspace, title string) (string, error) {
	res, err := checkpoint.Checkpoint(ws, checkpoint.CheckpointOptions{Title: title, OnStep: e.OnStep, Session: lifecycle.CurrentSession(ws, e.Session)})
	if err != nil {
		if errors.Is(err, history.ErrNoRepo) {
			return "", nil
		}
		return "", &Hinted{err, `wf checkpoint -m "` + title + `"   (the state change is written; only its checkpoint failed)`}
	}
	e.note(res.Notes...)
	os.Remove(filepath.Join(ws.RuntimeDir(), pendingFile))
	return res.ID, nil
}

// recoverLifecycle completes a lifecycle checkpoint that a crash left
// due, with a note.
func (e Env) recoverLifecycle(ws *workspace.Workspace) error {
	data, err := os.ReadFile(filepath.Join(ws.RuntimeDir(), pendingFile))
	if err != nil || ws.Repo == nil {
		return nil
	}
	title, last, _ := strings.Cut(string(data), "\n")
	title, last = strings.TrimSpace(title), strings.TrimSpace(last)
	if title == "" || last != lastCheckpointField(ws) {
		// Made since (or unreadable): nothing is due.
		os.Remove(filepath.Join(ws.RuntimeDir(), pendingFile))
		return nil
	}
	id, err := e.lifecycleCheckpoint(ws, title)
	if err != nil {
		// Never let a due checkpoint block every command: say it once and
		// leave it to the person.
		os.Remove(filepath.Join(ws.RuntimeDir(), pendingFile))
		e.note("an interrupted wf command left the checkpoint \"" + title + "\" to make, and it failed: " + err.Error() + "; run wf checkpoint -m \"" + title + "\"")
		return nil
	}
	e.note("completed the checkpoint " + id + " (" + title + ") that an interrupted wf command left to make")
	return nil
}

// lastCheckpointField is the Last checkpoint field of ws's state file,
// "" when it cannot be read.
func lastCheckpointField(ws *workspace.Workspace) string {
	sn, err := ws.Read()
	if err != nil {
		return ""
	}
	return sn.State.Get("last checkpoint")
}

// PhaseCmdOptions are `wf phase start|complete|reopen`'s.
type PhaseCmdOptions struct {
	Name  string
	Why   string
	Force bool
	Actor
}

func (o PhaseCmdOptions) opts() lifecycle.PhaseOptions {
	return lifecycle.PhaseOptions{Signal: lifecycle.Signal{Who: o.Who, Why: o.Why}, Force: o.Force}
}

// PhaseStart starts a phase.
func PhaseStart(e Env, o PhaseCmdOptions) (*lifecycle.PhaseResult, error) {
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	var res *lifecycle.PhaseResult
	id, err := e.withCheckpoint(ws, func() (string, error) {
		res, err = lifecycle.PhaseStart(ws, o.Name, o.opts())
		if err == nil && res.Wait != nil {
			return "Waiting for approval: " + res.Wait.Cond, nil
		}
		return "", err
	})
	if err != nil {
		return nil, err
	}
	res.Checkpoint = id
	return res, nil
}

// PhaseComplete completes a phase (the current one when Name is "") and
// checkpoints.
func PhaseComplete(e Env, o PhaseCmdOptions) (*lifecycle.PhaseResult, error) {
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	var res *lifecycle.PhaseResult
	id, err := e.withCheckpoint(ws, func() (string, error) {
		res, err = lifecycle.PhaseComplete(ws, o.Name, o.opts())
		if err != nil {
			return "", err
		}
		if res.Wait != nil && res.Phase.Status != "COMPLETE" {
			return "Waiting for approval: " + res.Wait.Cond, nil
		}
		return "Phase " + res.Phase.Name + " complete", nil
	})
	if err != nil {
		return nil, err
	}
	res.Checkpoint = id
	return res, nil
}

// PhaseReopen reopens a finished phase.
func PhaseReopen(e Env, o PhaseCmdOptions) (*lifecycle.PhaseResult, error) {
	if strings.TrimSpace(o.Why) == "" {
		return nil, Usagef("wf phase reopen "+QuoteArg(o.Name)+` --why "what went wrong"`, "wf phase reopen needs --why")
	}
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	return lifecycle.PhaseReopen(ws, o.Name, o.opts())
}

// PhaseAddOptions are `wf phase add`'s.
type PhaseAddOptions struct {
	Name string
	Rule lifecycle.PhaseRule
	Actor
}

// PhaseAdd adds a phase with its rules.
func PhaseAdd(e Env, o PhaseAddOptions) (*lifecycle.PhaseResult, error) {
	if strings.TrimSpace(o.Name) == "" {
		return nil, Usagef(`wf phase add NAME`, "the phase name is empty")
	}
	if o.Rule.MaxLoops < 0 {
		return nil, Usagef("wf phase add "+QuoteArg(o.Name)+" --max-loops 3", "--max-loops must be at least 1")
	}
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	return lifecycle.PhaseAdd(ws, o.Name, o.Rule, lifecycle.PhaseOptions{Signal: lifecycle.Signal{Who: o.Who}})
}

// SignalOptions are `wf pause`, `wf continue`, `wf stop` and `wf mode`'s.
type SignalOptions struct {
	Reason string
	Mode   string // wf mode
	Actor
}

// Pause pauses the run and checkpoints.
func Pause(e Env, o SignalOptions) (*lifecycle.StatusResult, error) {
	return e.signal(o, func(ws *workspace.Workspace, s lifecycle.Signal) (*lifecycle.StatusResult, string, error) {
		res, err := lifecycle.Pause(ws, s)
		title := "Paused by " + s.Who
		if s.Why != "" {
			title += ": " + s.Why
		}
		return res, title, err
	})
}

// Continue undoes a pause.
func Continue(e Env, o SignalOptions) (*lifecycle.StatusResult, error) {
	return e.signal(o, func(ws *workspace.Workspace, s lifecycle.Signal) (*lifecycle.StatusResult, string, error) {
		res, err := lifecycle.Continue(ws, s)
		return res, "", err
	})
}

// Stop ends the run with a final checkpoint.
func Stop(e Env, o SignalOptions) (*lifecycle.StatusResult, error) {
	return e.signal(o, func(ws *workspace.Workspace, s lifecycle.Signal) (*lifecycle.StatusResult, string, error) {
		res, err := lifecycle.Stop(ws, s)
		title := "Stopped by " + s.Who
		if s.Why != "" {
			title += ": " + s.Why
		}
		return res, title, err
	})
}

// Mode sets auto or manual mode.
func Mode(e Env, o SignalOptions) (*lifecycle.StatusResult, error) {
	m := strings.ToLower(strings.TrimSpace(o.Mode))
	if m != "auto" && m != "manual" {
		return nil, Usagef("wf mode auto|manual", "mode %q is not auto or manual", o.Mode)
	}
	return e.signal(o, func(ws *workspace.Workspace, s lifecycle.Signal) (*lifecycle.StatusResult, string, error) {
		res, err := lifecycle.SetMode(ws, m, s)
		return res, "", err
	})
}

func (e Env) signal(o SignalOptions, fn func(ws *workspace.Workspace, s lifecycle.Signal) (*lifecycle.StatusResult, string, error)) (*lifecycle.StatusResult, error) {
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	var res *lifecycle.StatusResult
	id, err := e.withCheckpoint(ws, func() (string, error) {
		var title string
		res, title, err = fn(ws, lifecycle.Signal{Who: o.Who, Why: o.Reason})
		return title, err
	})
	if err != nil {
		return nil, err
	}
	res.Checkpoint = id
	return res, nil
}

// WaitCmdOptions are `wf wait KIND COND`'s.
type WaitCmdOptions struct {
	Kind, Cond string
	Every      time.Duration
	Actor
}

// Wait declares a wait and checkpoints (seed 004: a checkpoint when a
// wait begins).
func Wait(e Env, o WaitCmdOptions) (*lifecycle.WaitResult, error) {
	if strings.TrimSpace(o.Cond) == "" {
		return nil, Usagef("wf wait "+o.Kind+" CONDITION", "the %s condition is empty", o.Kind)
	}
	if o.Every < 0 || o.Every > 0 && o.Kind != "command" {
		return nil, Usagef("wf wait command \"CMD\" --every 5m", "--every is for command waits, and positive")
	}
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	var res *lifecycle.WaitResult
	id, err := e.withCheckpoint(ws, func() (string, error) {
		res, err = lifecycle.AddWait(ws, lifecycle.WaitOptions{Kind: o.Kind, Cond: o.Cond, Every: o.Every, Signal: lifecycle.Signal{Who: o.Who}})
		if err != nil {
			return "", err
		}
		return "Waiting for " + res.Wait.Kind + ": " + res.Wait.Cond, nil
	})
	if err != nil {
		return nil, err
	}
	res.Checkpoint = id
	return res, nil
}

// ResolveCmdOptions are `wf approve` and `wf reject`'s.
type ResolveCmdOptions struct {
	Ref    string
	Note   string // approve --note, reject --reason
	Then   string // reject: retry, skip, stop or ""
	Reject bool
	Actor
}

// Resolve approves or rejects a wait.
func Resolve(e Env, o ResolveCmdOptions) (*lifecycle.ResolveResult, error) {
	out := lifecycle.Approved
	if o.Reject {
		out = lifecycle.Rejected
		if strings.TrimSpace(o.Note) == "" {
			return nil, Usagef(`wf reject --reason "what is wrong"`, "wf reject needs --reason")
		}
		switch o.Then {
		case "", "retry", "skip", "stop":
		default:
			return nil, Usagef("wf reject --reason … --then retry|skip|stop", "--then %q is not retry, skip or stop", o.Then)
		}
	}
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	return lifecycle.Resolve(ws, lifecycle.ResolveOptions{Ref: o.Ref, Outcome: out, Note: o.Note, Then: o.Then, Signal: lifecycle.Signal{Who: o.Who}})
}

// SignalWait resolves the waits for signal name.
func SignalWait(e Env, name string, a Actor) (*lifecycle.ResolveResult, error) {
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	return lifecycle.SignalWaits(ws, name, lifecycle.Signal{Who: a.Who})
}

// CheckOptions are `wf check`'s.
type CheckOptions struct {
	Timeout time.Duration
	Runner  lifecycle.CommandRunner // nil: sh -c
	Actor
}

// Check evaluates the time, file and command waits.
func Check(e Env, o CheckOptions) (*lifecycle.ResolveResult, error) {
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	return lifecycle.Check(ws, lifecycle.CheckOptions{Runner: o.Runner, Timeout: o.Timeout, Signal: lifecycle.Signal{Who: o.Who}})
}

// StatsOptions are `wf stats`'s.
type StatsOptions struct {
	// Since is a time (as wf wait until takes it) or a duration back from
	// now ("24h"); "" for all history.
	Since string
}

// Stats computes the stats from git history.
func Stats(e Env, o StatsOptions) (*lifecycle.Stats, error) {
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	now := ws.Now()
	var since time.Time
	if s := strings.TrimSpace(o.Since); s != "" {
		if d, err := time.ParseDuration(s); err == nil && d > 0 {
			since = now.Add(-d)
		} else if since, err = lifecycle.ParseWhen(s, now.Location()); err != nil {
			return nil, Usagef("wf stats --since 24h   (or --since 2026-12-01T09:00Z)", "--since %q is neither a duration nor a time", o.Since)
		}
	}
	st, err := resume.Stats(ws, now, since)
	if err != nil {
		return nil, err
	}
	return &st, nil
}

// EffectOptions are `wf effect TEXT --key KEY`'s.
type EffectOptions struct {
	Text, Key string
	Actor
}

// EffectResult is what `wf effect` and `wf effect check` report.
type EffectResult struct {
	Schema int  `json:"schema"`
	Fired  bool `json:"fired"`
	// Effect is the effect recorded, or found; omitted when check finds
	// none.
	Effect     *lifecycle.Effect `json:"effect,omitempty"`
	Checkpoint string            `json:"checkpoint,omitempty"`
}

// Effect records an external side effect with its idempotency key and
// checkpoints (seed 004: checkpoint after external side effects). A key
// that fired before, here or in history, is refused.
func Effect(e Env, o EffectOptions) (*EffectResult, error) {
	if strings.TrimSpace(o.Text) == "" || strings.TrimSpace(o.Key) == "" {
		return nil, Usagef(`wf effect "deployed v1.2 to staging" --key deploy-staging-v1.2`, "wf effect needs the text and --key")
	}
	if err := lifecycle.CheckEffectKey(o.Key); err != nil {
		return nil, Usagef(`wf effect "…" --key deploy-staging-v1.2`, "%s", err.Error())
	}
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	if old, ok, err := resume.FiredEffect(ws, o.Key); err != nil {
		return nil, err
	} else if ok {
		return nil, &lifecycle.EffectFiredError{Effect: old}
	}
	res := &EffectResult{Schema: workspace.SchemaVersion, Fired: true}
	id, err := e.withCheckpoint(ws, func() (string, error) {
		ef, err := lifecycle.RecordEffect(ws, o.Text, o.Key, lifecycle.Signal{Who: o.Who})
		if err != nil {
			return "", err
		}
		res.Effect = &ef
		return "Side effect " + ef.Key + ": " + ef.Text, nil
	})
	if err != nil {
		return nil, err
	}
	res.Checkpoint = id
	return res, nil
}

// EffectCheck says whether the effect of key fired (here or in history).
func EffectCheck(e Env, key string) (*EffectResult, error) {
	if err := lifecycle.CheckEffectKey(key); err != nil {
		return nil, Usagef("wf effect check deploy-staging-v1.2", "%s", err.Error())
	}
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	ef, ok, err := resume.FiredEffect(ws, key)
	if err != nil {
		return nil, err
	}
	res := &EffectResult{Schema: workspace.SchemaVersion, Fired: ok}
	if ok {
		res.Effect = &ef
	}
	return res, nil
}
