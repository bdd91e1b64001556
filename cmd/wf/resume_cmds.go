package main

import (
	"fmt"

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
