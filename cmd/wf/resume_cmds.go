package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/urfave/cli/v2"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
)

// resumeCmd prints the re-entry context.
func (e *env) resumeCmd() *cli.Command {
	return &cli.Command{
		Name:      "resume",
		Usage:     "print the re-entry context a fresh session continues from (within a token budget)",
		ArgsUsage: " ",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "budget", Usage: fmt.Sprintf("ceiling in estimated tokens (default: Settings resume-budget, else %d)", workspace.DefaultResumeBudget)},
			&cli.BoolFlag{Name: "full", Usage: "lift the budget: print everything"},
			&cli.BoolFlag{Name: "if-present", Usage: "print nothing and succeed when there is no workflow here (for session-start hooks)"},
			&cli.StringFlag{Name: "hook", Usage: "print for a session-start hook of this agent (claude, codex, gemini): at most 10,000 characters, in its format"},
			jsonFlag(),
		},
		Action: e.act(0, 0, "no arguments", func(c *cli.Context, ve verbs.Env) error {
			shortRunGC()
			if done, err := e.specTaskResume(c, ve); done || err != nil {
				return err
			}
			r, err := verbs.Resume(ve, verbs.ResumeOptions{Budget: c.Int("budget"), BudgetSet: c.IsSet("budget"),
				Full: c.Bool("full"), IfPresent: c.Bool("if-present"), HookInput: c.String("hook") != ""})
			if err != nil || r == nil {
				return err
			}
			if c.IsSet("hook") {
				out, err := verbs.HookOutput(c.String("hook"), r.Text())
				if err != nil {
					return err
				}
				e.printf("%s", out)
				return nil
			}
			if c.Bool("json") {
				return e.printJSON(r)
			}
			e.printf("%s", r.Text())
			return nil
		}),
	}
}

// heartbeatCmd records that the working session is alive.
func (e *env) heartbeatCmd() *cli.Command {
	return &cli.Command{
		Name:      "heartbeat",
		Usage:     "record that the session working here is alive (wf resume warns when a running workflow's heartbeat is stale)",
		ArgsUsage: " ",
		Flags:     []cli.Flag{&cli.StringFlag{Name: "note", Usage: "what the session is doing"}, jsonFlag()},
		Action: e.act(0, 0, "no arguments", func(c *cli.Context, ve verbs.Env) error {
			res, err := verbs.Heartbeat(ve, c.String("note"))
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return e.printJSON(res)
			}
			e.printf("heartbeat %s\n", res.Time.Format(workspace.Timestamp))
			return nil
		}),
	}
}

// shortRunGCPercent is the garbage collector's target (GOGC) for wf
// resume: the heap may grow to three times what is live, not two, so the
// first collection comes at 8 MB rather than 4.
const shortRunGCPercent = 200

// shortRunGC sets shortRunGCPercent for a command that allocates a few
// megabytes and exits, unless the user set GOGC. At Go's default, wf
// resume on terraform collected once at 4 MB for a 5 MB total: with 200
// it collects never, and its peak memory is lower, not higher (21.4 MB
// against 21.9: no collector's own memory); on tldr (38,493 files) it
// collects once instead of twice, at the same time and a lower peak
// (27.1 MB against 27.9). BENCHMARKS.md has the runs. Only the command
// line sets it: the MCP server, which runs resume among others for
// hours, keeps Go's default.
func shortRunGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(shortRunGCPercent)
	}
}
