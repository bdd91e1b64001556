package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/wf-tool/wf/checkpoint"
)

// setupCmd wires `wf resume` into agents' session start.
func (e *env) setupCmd() *cli.Command {
	return &cli.Command{
		Name:  "setup",
		Usage: "wire wf resume into an agent's session start (claude, agents-md, codex)",
		Subcommands: []*cli.Command{
			{
				Name:      "claude",
				Usage:     "add a Claude Code SessionStart hook running wf resume to .claude/settings.json (merged; idempotent)",
				ArgsUsage: " ",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "local", Usage: "write .claude/settings.local.json (not committed) instead"},
				},
				Action: func(c *cli.Context) error {
					if err := needArgs(c, 0, 0, "no arguments"); err != nil {
						return err
					}
					top, err := e.setupTop(c)
					if err != nil {
						return err
					}
					res, err := checkpoint.SetupClaude(top, c.Bool("local"))
					if err != nil {
						return err
					}
					e.reportClaude(res)
					return nil
				},
			},
			{
				Name:      "agents-md",
				Usage:     "add a section telling agents to run wf resume first to AGENTS.md (between wf markers; idempotent)",
				ArgsUsage: " ",
				Action: func(c *cli.Context) error {
					return e.setupAgents(c, "")
				},
			},
			{
				Name:      "codex",
				Usage:     "the same as agents-md: Codex reads AGENTS.md from the repository root down",
				ArgsUsage: " ",
				Action: func(c *cli.Context) error {
					// https://developers.openai.com/codex/guides/agents-md: "Codex
					// reads AGENTS.md files before doing any work … Starting at the
					// project root (typically the Git root), Codex walks down to
					// your current working directory."
					return e.setupAgents(c, "Codex reads AGENTS.md at the start of every session")
				},
			},
		},
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usagef("wf setup --help", "unknown agent %q; wf setup knows claude, agents-md and codex", c.Args().First())
			}
			return usagef("wf setup claude   (or: wf setup agents-md, wf setup codex)", "wf setup needs an agent to set up")
		},
	}
}

// setupTop is the repository top level (or the folder, outside git).
func (e *env) setupTop(c *cli.Context) (string, error) {
	top, inRepo, err := checkpoint.SetupTop(e.options(c))
	if err != nil {
		return "", err
	}
	if !inRepo {
		e.printf("note: not in a git repository; setting up %s\n", top)
	}
	return top, nil
}

func (e *env) reportClaude(res checkpoint.SetupResult) {
	path := setupRel(res.Path)
	switch {
	case !res.Changed:
		e.printf("%s already runs %s at session start (%s); nothing changed\n",
			path, checkpoint.ResumeCommand, strings.Join(checkpoint.SessionSources, ", "))
		return
	case res.Created:
		e.printf("created %s\n", path)
	}
	e.printf("added a SessionStart hook to %s: %s on %s\n",
		path, checkpoint.HookCommand, strings.Join(res.Sources, ", "))
	e.printf("Claude Code now starts every session, and every restart after a compaction, with the output of %s\n",
		checkpoint.ResumeCommand)
}

func (e *env) setupAgents(c *cli.Context, note string) error {
	if err := needArgs(c, 0, 0, "no arguments"); err != nil {
		return err
	}
	top, err := e.setupTop(c)
	if err != nil {
		return err
	}
	res, err := checkpoint.SetupAgentsMD(top)
	if err != nil {
		return err
	}
	path := setupRel(res.Path)
	switch {
	case !res.Changed:
		e.printf("%s already has the current wf section; nothing changed\n", path)
	case res.Created:
		e.printf("created %s with the wf section\n", path)
	default:
		e.printf("wrote the wf section to %s (between %s and %s; the rest is unchanged)\n",
			path, checkpoint.AgentsBegin, checkpoint.AgentsEnd)
	}
	if note != "" {
		e.printf("%s\n", note)
	}
	return nil
}

// setupRel is p relative to the working directory when that is shorter.
func setupRel(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, p); err == nil && len(r) < len(p) {
			return r
		}
	}
	return p
}
