package main

import (
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/resume"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
)

// The lifecycle commands (issue 13): phases, signals, waits.

func humanFlag() cli.Flag {
	return &cli.BoolFlag{Name: "human", Usage: "the timeline names a human, not the agent (WF_ACTOR, when set, names the actor instead)"}
}

func actor(c *cli.Context) verbs.Actor {
	return verbs.ActorFrom(os.Getenv("WF_ACTOR"), c.Bool("human"))
}

// nothingWokeError is wf check's "nothing woke": exit code 7, so cron and
// CI can branch on it.
type nothingWokeError struct{}

func (nothingWokeError) Error() string { return "nothing woke" }

func (e *env) lifecycleCmds() []*cli.Command {
	return []*cli.Command{e.phaseCmd(), e.pauseCmd(), e.continueCmd(), e.stopCmd(), e.modeCmd(),
		e.waitCmd(), e.approveCmd(), e.rejectCmd(), e.signalCmd(), e.checkCmd(), e.statsCmd(), e.effectCmd()}
}

func (e *env) printChanges(cs []lifecycle.Change) {
	for _, c := range cs {
		e.printf("%s: %s -> %s\n", c.Subject, c.From, c.To)
	}
}

func (e *env) printPhase(res *lifecycle.PhaseResult) {
	e.printChanges(res.Changes)
	if res.Escalated {
		e.printf("escalated: phase %s reached its loop limit; status blocked\n", res.Phase.Name)
	}
	if res.Wait != nil {
		e.printf("waiting for approval (%s): %s\n", res.Wait.ID, res.Wait.Cond)
		e.printf("next: a person runs wf approve %s\n", res.Wait.ID)
	}
	if res.Checkpoint != "" {
		e.printf("checkpoint: %s\n", res.Checkpoint)
	}
}

func (e *env) phaseCmd() *cli.Command {
	sub := func(name, usage, args string, min, max int, flags []cli.Flag, run func(verbs.Env, verbs.PhaseCmdOptions) (*lifecycle.PhaseResult, error)) *cli.Command {
		return &cli.Command{
			Name: name, Usage: usage, ArgsUsage: args,
			Flags: append(flags, jsonFlag(), humanFlag()),
			Action: e.act(min, max, strings.TrimSpace(args), func(c *cli.Context, ve verbs.Env) error {
				o := verbs.PhaseCmdOptions{Name: c.Args().First(), Why: c.String("why"), Force: c.Bool("force"), Actor: actor(c)}
				res, err := run(ve, o)
				if err != nil {
					return err
				}
				if c.Bool("json") {
					return e.printJSON(res)
				}
				e.printPhase(res)
				return nil
			}),
		}
	}
	force := &cli.BoolFlag{Name: "force", Usage: "do what the phase's rules refuse; the timeline says it was forced"}
	why := &cli.StringFlag{Name: "why", Usage: "why (written in the timeline)"}
	return &cli.Command{
		Name:  "phase",
		Usage: "phases as a state machine: start, complete, reopen, add",
		Subcommands: []*cli.Command{
			sub("start", "start a phase: PENDING -> IN_PROGRESS (manual mode: waits for approval)", "NAME", 1, 1, []cli.Flag{force, why}, verbs.PhaseStart),
			sub("complete", "complete a phase (default: the current one) and checkpoint; the next one starts in auto mode", "[NAME]", 0, 1, []cli.Flag{force, why}, verbs.PhaseComplete),
			sub("reopen", "reopen a complete, skipped or blocked phase", "NAME", 1, 1, []cli.Flag{force, why}, verbs.PhaseReopen),
			{
				Name: "add", Usage: "add a phase to the phase table, with its rules", ArgsUsage: "NAME",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "once", Usage: "never re-run once complete (executeOnce)"},
					&cli.BoolFlag{Name: "review", Usage: "auto mode does not start it without wf approve"},
					&cli.IntFlag{Name: "max-loops", Usage: "at most N reopenings; the next escalates to blocked"},
					jsonFlag(), humanFlag(),
				},
				Action: e.act(1, 1, "NAME", func(c *cli.Context, ve verbs.Env) error {
					if c.IsSet("max-loops") && c.Int("max-loops") < 1 {
						return usagef("wf phase add "+verbs.QuoteArg(c.Args().First())+" --max-loops 3", "--max-loops must be at least 1 (got %d)", c.Int("max-loops"))
					}
					res, err := verbs.PhaseAdd(ve, verbs.PhaseAddOptions{Name: c.Args().First(), Actor: actor(c),
						Rule: lifecycle.PhaseRule{Once: c.Bool("once"), Review: c.Bool("review"), MaxLoops: c.Int("max-loops")}})
					if err != nil {
						return err
					}
					if c.Bool("json") {
						return e.printJSON(res)
					}
					e.printChanges(res.Changes)
					if r := res.Phase.Rule.String(); r != "" {
						e.printf("rules of %s: %s\n", res.Phase.Name, r)
					}
					return nil
				}),
			},
		},
	}
}

func (e *env) printStatusResult(res *lifecycle.StatusResult) {
	e.printChanges(res.Changes)
	if len(res.Changes) == 0 {
		e.printf("status: %s · mode %s (unchanged)\n", res.Status, res.Mode)
	}
	if res.Checkpoint != "" {
		e.printf("checkpoint: %s\n", res.Checkpoint)
	}
}

func (e *env) signalCommand(name, usage string, reason bool, run func(verbs.Env, verbs.SignalOptions) (*lifecycle.StatusResult, error)) *cli.Command {
	flags := []cli.Flag{jsonFlag(), humanFlag()}
	if reason {
		flags = append(flags, &cli.StringFlag{Name: "reason", Usage: "why (written in the timeline and the checkpoint)"})
	}
	return &cli.Command{
		Name: name, Usage: usage, ArgsUsage: " ", Flags: flags,
		Action: e.act(0, 0, "no arguments", func(c *cli.Context, ve verbs.Env) error {
			res, err := run(ve, verbs.SignalOptions{Reason: c.String("reason"), Actor: actor(c)})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			e.printStatusResult(res)
			return nil
		}),
	}
}

func (e *env) pauseCmd() *cli.Command {
	return e.signalCommand("pause", "pause the run and checkpoint: control goes to a person until wf continue", true, verbs.Pause)
}

func (e *env) continueCmd() *cli.Command {
	return e.signalCommand("continue", "undo wf pause", true, verbs.Continue)
}

func (e *env) stopCmd() *cli.Command {
	return e.signalCommand("stop", "end the run: status stopped, with a final checkpoint", true, verbs.Stop)
}

func (e *env) modeCmd() *cli.Command {
	return &cli.Command{
		Name: "mode", Usage: "auto: phases advance by themselves; manual: every phase transition waits for wf approve", ArgsUsage: "auto|manual",
		Flags: []cli.Flag{jsonFlag(), humanFlag()},
		Action: e.act(1, 1, "auto|manual", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.Mode(ve, verbs.SignalOptions{Mode: c.Args().First(), Actor: actor(c)})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			e.printStatusResult(res)
			return nil
		}),
	}
}

func (e *env) waitCmd() *cli.Command {
	var subs []*cli.Command
	for _, k := range lifecycle.WaitKinds() {
		k := k
		args := map[string]string{"approval": "SUBJECT", "until": "TIME", "file": "PATH", "signal": "NAME", "command": "COMMAND"}[k]
		flags := []cli.Flag{jsonFlag(), humanFlag()}
		if k == "command" {
			flags = append(flags, &cli.DurationFlag{Name: "every", Usage: "run it at most this often (wf check)"})
		}
		usage := map[string]string{
			"approval": "wait for a person's approval of SUBJECT (wf approve or wf reject resolves it)",
			"until":    "wait until TIME (2026-12-01T09:00Z, or 2026-12-01 09:00 in local time); wf check wakes it",
			"file":     "wait until PATH (in the repository) exists; wf check wakes it",
			"signal":   "wait for the signal NAME (wf signal NAME resolves it)",
			"command":  "wait until COMMAND exits 0; wf check runs it (at most --every)",
		}[k]
		subs = append(subs, &cli.Command{
			Name: k, Usage: usage, ArgsUsage: args, Flags: flags,
			Action: e.act(1, -1, args, func(c *cli.Context, ve verbs.Env) error {
				res, err := verbs.Wait(ve, verbs.WaitCmdOptions{Kind: k, Cond: strings.Join(c.Args().Slice(), " "), Every: c.Duration("every"), Actor: actor(c)})
				if err != nil {
					return err
				}
				if c.Bool("json") {
					return e.printJSON(res)
				}
				e.printChanges(res.Changes)
				e.printf("waiting (%s): %s: %s\n", res.Wait.ID, res.Wait.Kind, res.Wait.Cond)
				e.printf("resolve: %s\n", res.Wait.Resolve)
				if res.Checkpoint != "" {
					e.printf("checkpoint: %s\n", res.Checkpoint)
				}
				return nil
			}),
		})
	}
	return &cli.Command{Name: "wait", Usage: "declare a wait (approval, until, file, signal, command): status awaiting, with a checkpoint", Subcommands: subs}
}

func (e *env) printResolve(res *lifecycle.ResolveResult) {
	e.printChanges(res.Changes)
	if res.Fail != nil {
		e.printf("failed attempt: item %d, %s %d/%d\n", res.Fail.Item.N, res.Fail.Bucket, res.Fail.Count, res.Fail.Limit)
	}
	for _, er := range res.Errors {
		e.printf("could not check: %s\n", er)
	}
	for _, wt := range res.Pending {
		e.printf("still waiting (%s): %s: %s\n", wt.ID, wt.Kind, wt.Cond)
	}
}

func (e *env) resolveCommand(name, usage string, reject bool) *cli.Command {
	flags := []cli.Flag{jsonFlag(), humanFlag()}
	if reject {
		flags = append(flags, &cli.StringFlag{Name: "reason", Usage: "what is wrong (required)"},
			&cli.StringFlag{Name: "then", Usage: "retry (a failed attempt on the current item), skip (skip it) or stop (stop the run)"})
	} else {
		flags = append(flags, &cli.StringFlag{Name: "note", Usage: "a note for the timeline"})
	}
	return &cli.Command{
		Name: name, Usage: usage, ArgsUsage: "[WAIT]   (its id, as wf status lists it; default: the only pending approval)", Flags: flags,
		Action: e.act(0, 1, "[WAIT]", func(c *cli.Context, ve verbs.Env) error {
			note := c.String("note")
			if reject {
				note = c.String("reason")
			}
			res, err := verbs.Resolve(ve, verbs.ResolveCmdOptions{Ref: c.Args().First(), Note: note, Then: c.String("then"), Reject: reject, Actor: actor(c)})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			e.printResolve(res)
			return nil
		}),
	}
}

func (e *env) approveCmd() *cli.Command {
	return e.resolveCommand("approve", "approve a pending approval (and do the phase transition it holds)", false)
}

func (e *env) rejectCmd() *cli.Command {
	return e.resolveCommand("reject", "reject a pending approval: --reason, and --then retry|skip|stop", true)
}

func (e *env) signalCmd() *cli.Command {
	return &cli.Command{
		Name: "signal", Usage: "send a signal: resolves the waits for it", ArgsUsage: "NAME",
		Flags: []cli.Flag{jsonFlag(), humanFlag()},
		Action: e.act(1, 1, "NAME", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.SignalWait(ve, c.Args().First(), actor(c))
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			e.printResolve(res)
			return nil
		}),
	}
}

func (e *env) checkCmd() *cli.Command {
	return &cli.Command{
		Name:  "check",
		Usage: "evaluate the time, file and command waits once (no daemon); exit 0 when one woke, 7 when none did",
		Flags: []cli.Flag{jsonFlag(), humanFlag(),
			&cli.DurationFlag{Name: "timeout", Value: lifecycleCheckTimeout, Usage: "how long each command may run"}},
		Action: e.act(0, 0, "no arguments", func(c *cli.Context, ve verbs.Env) error {
			if c.Duration("timeout") <= 0 {
				return usagef("wf check --timeout 60s", "--timeout must be positive")
			}
			res, err := verbs.Check(ve, verbs.CheckOptions{Timeout: c.Duration("timeout"), Actor: actor(c)})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				if err := e.printJSON(res); err != nil {
					return err
				}
			} else {
				e.printResolve(res)
			}
			if len(res.Resolved) == 0 {
				if !c.Bool("json") {
					e.printf("nothing woke\n")
				}
				return nothingWokeError{}
			}
			return nil
		}),
	}
}

// lifecycleCheckTimeout bounds each command of a command wait.
const lifecycleCheckTimeout = 60 * time.Second

// printLifecycleHead prints who drives and the loops near their limit.
func (e *env) printLifecycleHead(l resume.LifecycleView) {
	e.printf("drives: %s (%s)\n", l.Drives, l.DrivesWhy)
	for _, lp := range l.Loops {
		e.printf("loops: phase %s reopened %d of at most %d times\n", lp.Phase, lp.Loops, lp.MaxLoops)
	}
}

// printWaits lists the pending waits with their age and resolving
// command.
func (e *env) printWaits(ws []resume.WaitAge) {
	if len(ws) == 0 {
		e.printf("waits: none\n")
		return
	}
	e.printf("waits: \n")
	for _, wt := range ws {
		if !wt.Parsed {
			e.printf("  - %s\n", wt.Text)
			continue
		}
		age := ""
		if wt.AgeSeconds > 0 {
			age = " (" + (time.Duration(wt.AgeSeconds) * time.Second).String() + " ago)"
		}
		e.printf("  - %s %s: %s · since %s%s · resolve: %s\n", wt.ID, wt.Kind, wt.Cond, wt.Since, age, wt.Resolve)
	}
}

func (e *env) statsCmd() *cli.Command {
	return &cli.Command{
		Name:  "stats",
		Usage: "time in each phase and status, pending reviews, retries, checkpoints, recoveries, stale runs: from git history",
		Flags: []cli.Flag{jsonFlag(),
			&cli.StringFlag{Name: "since", Usage: "only after this time (2026-12-01T09:00Z) or this long ago (24h)"}},
		Action: e.act(0, 0, "no arguments", func(c *cli.Context, ve verbs.Env) error {
			s, err := verbs.Stats(ve, verbs.StatsOptions{Since: c.String("since")})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(s)
			}
			e.printStats(s)
			return nil
		}),
	}
}

func (e *env) printStats(s *lifecycle.Stats) {
	e.printf("phases (time in progress):\n")
	for _, b := range lifecycle.PhaseBars(*s, 20) {
		e.printf("  %s\n", b)
	}
	e.printf("statuses:")
	for _, st := range s.Statuses {
		e.printf(" %s %s (%dx);", st.Name, lifecycle.FormatSeconds(st.Seconds), st.Entries)
	}
	e.printf("\n")
	e.printf("pending reviews: %d\n", len(s.PendingReviews))
	for _, r := range s.PendingReviews {
		e.printf("  %s %s: waiting %s\n", r.ID, r.Subject, lifecycle.FormatSeconds(r.AgeSeconds))
	}
	e.printf("retries:")
	if len(s.Retries) == 0 {
		e.printf(" none")
	}
	for _, r := range s.Retries {
		e.printf(" %s %d attempts on %d items, %d resolved;", r.Bucket, r.Attempts, r.Items, r.Resolved)
	}
	e.printf("\n")
	e.printf("checkpoints: %d, mean interval %s, max %s\n", s.Checkpoints.Count, lifecycle.FormatSeconds(s.Checkpoints.MeanSeconds), lifecycle.FormatSeconds(s.Checkpoints.MaxSeconds))
	for _, r := range s.Recoveries {
		if r.DecidedSeconds < 0 {
			e.printf("blocked at %s, undecided: %s\n", r.Blocked, r.Why)
		} else {
			e.printf("blocked at %s, decided after %s: %s\n", r.Blocked, lifecycle.FormatSeconds(r.DecidedSeconds), r.Why)
		}
	}
	e.printf("resumes after an interruption (wf recover): %d, %d from a checkpoint history holds\n", s.Resumes.Count, s.Resumes.FromValid)
	e.printf("stale runs: %d\n", len(s.StaleRuns))
	for _, r := range s.StaleRuns {
		e.printf("  from %s: %s without a sign of life\n", r.From, lifecycle.FormatSeconds(r.Seconds))
	}
}

// notFiredError is wf effect check's "not fired": exit code 7, as wf
// check's "nothing woke".
type notFiredError struct{}

func (notFiredError) Error() string { return "not fired" }

func (e *env) effectCmd() *cli.Command {
	return &cli.Command{
		Name:      "effect",
		Usage:     "record an external side effect with its idempotency key and checkpoint; wf effect check KEY exits 0 when it fired, 7 when not",
		ArgsUsage: "TEXT --key KEY   |   check KEY",
		Flags: []cli.Flag{jsonFlag(), humanFlag(),
			&cli.StringFlag{Name: "key", Usage: "the idempotency key (letters, digits, '.', '_', '-')"}},
		Action: e.act(1, -1, "TEXT --key KEY, or check KEY", func(c *cli.Context, ve verbs.Env) error {
			args := c.Args().Slice()
			if args[0] == "check" && !c.IsSet("key") {
				if len(args) != 2 {
					return usagef("wf effect check KEY", "wf effect check takes one key (got %d arguments)", len(args)-1)
				}
				res, err := verbs.EffectCheck(ve, args[1])
				if err != nil {
					return err
				}
				if c.Bool("json") {
					if err := e.printJSON(res); err != nil {
						return err
					}
				} else if res.Fired {
					e.printf("fired: %s at %s: %s\n", res.Effect.Key, res.Effect.When, res.Effect.Text)
				} else {
					e.printf("not fired: %s\n", args[1])
				}
				if !res.Fired {
					return notFiredError{}
				}
				return nil
			}
			res, err := verbs.Effect(ve, verbs.EffectOptions{Text: strings.Join(args, " "), Key: c.String("key"), Actor: actor(c)})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			e.printf("recorded: %s: %s\n", res.Effect.Key, res.Effect.Text)
			if res.Checkpoint != "" {
				e.printf("checkpoint: %s\n", res.Checkpoint)
			}
			return nil
		}),
	}
}
