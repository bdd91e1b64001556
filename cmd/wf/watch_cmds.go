package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"
	"github.com/wf-tool/wf/checkpoint/watch"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/cmd/wf/internal/safetext"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
)

// watchCmd runs the watcher until Ctrl-C or SIGTERM.
func (e *env) watchCmd() *cli.Command {
	return &cli.Command{
		Name:  "watch",
		Usage: "watch the state files: lint every save, checkpoint ticked items, resolve waits, record heartbeats (until Ctrl-C)",
		Description: "While until, file or command waits are pending, wf watch resolves them as wf check does: an until wait\n" +
			"when its time comes, a file wait within about a second of the file appearing (--poll-interval, when set),\n" +
			"a command wait at most once per its --every (every 30s without one). Each command runs for at most 10s\n" +
			"(the watcher waits for it; longer is an error event and the wait stays pending). --no-wake leaves waits\n" +
			"to wf check.",
		ArgsUsage: " ",
		Flags: []cli.Flag{
			&cli.DurationFlag{Name: "debounce", Usage: "wait this long after a tick for more ticks, then make one checkpoint (default: Settings watch, else 2s)"},
			&cli.BoolFlag{Name: "no-auto-checkpoint", Usage: "report ticked items but make no checkpoint"},
			&cli.BoolFlag{Name: "poll", Usage: "read the files on a timer instead of the kernel's file events"},
			&cli.DurationFlag{Name: "poll-interval", Usage: "how often --poll reads the files (default: Settings watch, else 1s)"},
			&cli.BoolFlag{Name: "no-wake", Usage: "do not resolve until, file and command waits (wf check still does)"},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object per line per event (docs/json.md)"},
		},
		Action: e.act(0, 0, "no arguments", func(c *cli.Context, ve verbs.Env) error {
			o := watch.Options{
				Workspace: workspace.Options{Dir: ve.Dir, WorkDir: ve.WorkDir, LockWait: ve.LockWait, Now: ve.Now},
				Note:      ve.Note,
				Emit:      e.printEvent(c.Bool("json")),
			}
			if c.IsSet("debounce") {
				d := c.Duration("debounce")
				if d < 0 {
					return usagef("wf watch --debounce 2s", "--debounce must not be negative (got %s)", d)
				}
				o.Debounce = &d
			}
			if c.Bool("no-auto-checkpoint") {
				no := false
				o.AutoCheckpoint = &no
			}
			if c.Bool("poll") {
				yes := true
				o.Poll = &yes
			}
			if c.IsSet("poll-interval") {
				if o.PollInterval = c.Duration("poll-interval"); o.PollInterval < workspace.MinWatchPollInterval {
					return usagef("wf watch --poll --poll-interval 1s", "--poll-interval must be at least %s (got %s)", workspace.MinWatchPollInterval, o.PollInterval)
				}
			}
			if !c.Bool("no-wake") {
				o.Wake = watch.Wake(watch.WakeOptions{Workspace: o.Workspace, FileInterval: o.PollInterval, Who: actor(c).Who})
			}
			ctx, stop := signalContext()
			defer stop()
			return watch.Run(ctx, o)
		}),
	}
}

// signalContext is done at the first SIGINT or SIGTERM, with the signal
// as its cause; a second signal is the default action again.
func signalContext() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-sigs:
			cancel(fmt.Errorf("%s received", s))
		case <-ctx.Done():
		}
		signal.Stop(sigs)
	}()
	return ctx, func() { cancel(context.Canceled) }
}

// printEvent prints each event on one line: JSON, or for people the
// time and what happened.
func (e *env) printEvent(asJSON bool) func(watch.Event) {
	return func(ev watch.Event) {
		if asJSON {
			b, err := json.Marshal(ev)
			if err != nil {
				fmt.Fprintf(e.stderr, "wf: error: %v\n", err)
				return
			}
			e.stdout.Write(append(safetext.EscapeJSON(b), '\n'))
			return
		}
		e.printf("%s %s\n", ev.Time.Local().Format("15:04:05"), eventLine(ev))
	}
}

// eventLine is an event's line for people.
func eventLine(ev watch.Event) string {
	items := strings.Join(ev.Items, "; ")
	switch ev.Event {
	case watch.EvStart:
		auto := "on"
		if !ev.AutoCheckpoint {
			auto = "off"
		}
		how := "file events"
		if ev.Mode == watch.ModePoll {
			how = "polling"
		}
		return fmt.Sprintf("watching %s (%s; debounce %s, auto-checkpoint %s); Ctrl-C stops", ev.Root, how, ev.Debounce, auto)
	case watch.EvPoll:
		return fmt.Sprintf("%s: %s", ev.Message, ev.Reason)
	case watch.EvLint:
		loc := ev.File
		if ev.Line > 0 {
			loc = fmt.Sprintf("%s:%d", ev.File, ev.Line)
		}
		if ev.Hint != "" {
			return fmt.Sprintf("%s: %s: %s (fix: %s)", loc, ev.Severity, ev.Message, ev.Hint)
		}
		return fmt.Sprintf("%s: %s: %s", loc, ev.Severity, ev.Message)
	case watch.EvFixed:
		return fmt.Sprintf("%s: fixed, %s", ev.File, ev.Message)
	case watch.EvTick:
		return "ticked: " + items
	case watch.EvCheckpoint:
		commit := ev.Commit
		if len(commit) > 12 {
			commit = commit[:12]
		}
		return fmt.Sprintf("checkpoint %s (%s): %s", ev.Checkpoint, commit, ev.Title)
	case watch.EvCovered:
		return fmt.Sprintf("%s: %s", ev.Message, items)
	case watch.EvCheckpointFile:
		return "checkpoint file written by another wf: " + ev.File
	case watch.EvResult:
		return "spec result: " + ev.File
	case watch.EvWake:
		return fmt.Sprintf("wait %s woke (%s: %s; %s), %s", ev.Wait, ev.Kind, ev.Condition, ev.Reason, ev.Message)
	case watch.EvError:
		if ev.Hint != "" {
			return fmt.Sprintf("error: %s (hint: %s)", ev.Message, ev.Hint)
		}
		return "error: " + ev.Message
	case watch.EvStop:
		if items != "" {
			return fmt.Sprintf("stopped (%s); %s: %s", ev.Reason, ev.Message, items)
		}
		return fmt.Sprintf("stopped (%s)", ev.Reason)
	}
	return ev.Event + " " + ev.Message
}
