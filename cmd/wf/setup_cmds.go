package main

import (
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/wf-tool/wf/checkpoint/agentsetup"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
)

// setupCmd wires `wf resume` into agents' session start.
func (e *env) setupCmd() *cli.Command {
	return &cli.Command{
		Name:  "setup",
		Usage: "wire wf resume into an agent's session start (claude, codex, gemini, agents-md), or wf mcp into its MCP servers (--mcp)",
		Subcommands: []*cli.Command{
			{
				Name:      "claude",
				Usage:     "add a Claude Code SessionStart hook running wf resume to .claude/settings.json (merged; idempotent)",
				ArgsUsage: " ",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "local", Usage: "write .claude/settings.local.json (not committed) instead"},
					mcpFlag(agentsetup.ClaudeMCPFile, "Claude Code asks each user to approve it"),
					jsonFlag(),
				},
				Action: e.act(0, 0, "no arguments", func(c *cli.Context, ve verbs.Env) error {
					if c.Bool("mcp") {
						if c.Bool("local") {
							return &verbs.UsageError{Msg: "--local and --mcp cannot be combined: the project's MCP servers are in .mcp.json",
								HintText: "wf setup claude --mcp"}
						}
						return e.setupMCP(ve, "claude", c.Bool("json"))
					}
					res, err := verbs.SetupClaude(ve, c.Bool("local"))
					if err != nil {
						return err
					}
					if c.Bool("json") {
						return e.printJSON(res.View("claude"))
					}
					e.reportClaude(ve, res)
					return nil
				}),
			},
			{
				Name:      "agents-md",
				Usage:     "add a section telling agents to run wf resume first to AGENTS.md (between wf markers; idempotent)",
				ArgsUsage: " ",
				Flags:     []cli.Flag{jsonFlag()},
				Action: func(c *cli.Context) error {
					return e.setupAgents(c, "agents-md", "")
				},
			},
			// Codex reads AGENTS.md before doing any work
			// (https://developers.openai.com/codex/guides/agents-md) and runs
			// hooks only once the user has trusted them, so it gets both.
			e.hostCmd("codex", "add a Codex SessionStart hook running wf resume to .codex/hooks.json and the wf section to AGENTS.md (spliced in; idempotent)",
				verbs.SetupCodex, agentsetup.CodexHookCommand, "Codex runs it at startup, resume and clear once you have reviewed and trusted the hook", true),
			e.hostCmd("gemini", "add a Gemini CLI SessionStart hook running wf resume to .gemini/settings.json (spliced in; idempotent)",
				verbs.SetupGemini, agentsetup.GeminiHookCommand, "Gemini CLI runs it at startup, resume and clear", false),
		},
		// An unknown or missing agent is refused by setUsageHandlers.
	}
}

// outsideGit says that setup worked in a folder outside any repository.
func (e *env) outsideGit(res *verbs.SetupResult) {
	if res.OutsideGit {
		e.printf("note: not in a git repository; setting up %s\n", res.Top)
	}
}

func (e *env) reportClaude(ve verbs.Env, res *verbs.SetupResult) {
	e.outsideGit(res)
	path := setupRel(ve, res.Path)
	switch {
	case !res.Changed:
		e.printf("%s already runs %s at session start (%s); nothing changed\n",
			path, agentsetup.ResumeCommand, strings.Join(agentsetup.SessionSources(), ", "))
		return
	case res.Created:
		e.printf("created %s\n", path)
	}
	e.printf("added a SessionStart hook to %s: %s on %s\n",
		path, agentsetup.ClaudeHookCommand, strings.Join(res.Sources, ", "))
	e.printf("Claude Code now starts every session, and every restart after a compaction, with the output of %s\n",
		agentsetup.ResumeCommand)
}

func (e *env) setupAgents(c *cli.Context, agent, note string) error {
	return e.act(0, 0, "no arguments", func(c *cli.Context, ve verbs.Env) error {
		return e.setupAgentsIn(ve, agent, note, c.Bool("json"))
	})(c)
}

func (e *env) setupAgentsIn(ve verbs.Env, agent, note string, asJSON bool) error {
	res, err := verbs.SetupAgentsMD(ve)
	if err != nil {
		return err
	}
	if asJSON {
		return e.printJSON(res.View(agent))
	}
	e.outsideGit(res)
	path := setupRel(ve, res.Path)
	switch {
	case !res.Changed:
		e.printf("%s already has the current wf section; nothing changed\n", path)
	case res.Created:
		e.printf("created %s with the wf section\n", path)
	default:
		e.printf("wrote the wf section to %s (between %s and %s; the rest is unchanged)\n",
			path, agentsetup.AgentsBegin, agentsetup.AgentsEnd)
	}
	if note != "" {
		e.printf("%s\n", note)
	}
	return nil
}

// setupRel is p relative to the working directory when that is shorter.
func setupRel(ve verbs.Env, p string) string {
	if r, err := filepath.Rel(ve.WorkDir, p); err == nil && len(r) < len(p) {
		return r
	}
	return p
}

// mcpFiles are the files `wf setup codex|gemini --mcp` write.
// Codex has a user file too (~/.codex/config.toml); wf writes the
// project's only.
var mcpFiles = map[string][2]string{
	"codex":  {agentsetup.CodexConfigFile, "Codex loads it only in a project you trust"},
	"gemini": {agentsetup.GeminiSettingsFile, ""},
}

// hostCmd is `wf setup codex` or `wf setup gemini`: a SessionStart hook in
// the agent's JSON settings, reported like Claude's.
func (e *env) hostCmd(name, usage string, setup func(verbs.Env) (*verbs.SetupResult, error), command, note string, agentsMD bool) *cli.Command {
	return &cli.Command{
		Name:      name,
		Usage:     usage,
		ArgsUsage: " ",
		Flags:     []cli.Flag{mcpFlag(mcpFiles[name][0], mcpFiles[name][1]), jsonFlag()},
		Action: e.act(0, 0, "no arguments", func(c *cli.Context, ve verbs.Env) error {
			if c.Bool("mcp") {
				return e.setupMCP(ve, name, c.Bool("json"))
			}
			res, err := setup(ve)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				if agentsMD {
					if _, err := verbs.SetupAgentsMD(ve); err != nil {
						return err
					}
				}
				return e.printJSON(res.View(name))
			}
			e.outsideGit(res)
			path := setupRel(ve, res.Path)
			switch {
			case !res.Changed:
				e.printf("%s already runs %s at session start; nothing changed\n", path, agentsetup.ResumeCommand)
			case res.Created:
				e.printf("created %s\n", path)
			}
			if res.Changed {
				e.printf("added a SessionStart hook to %s: %s on %s\n", path, command, strings.Join(res.Sources, ", "))
				e.printf("%s\n", note)
			}
			if agentsMD {
				return e.setupAgentsIn(ve, "agents-md", "Codex reads AGENTS.md at the start of every session", false)
			}
			return nil
		}),
	}
}
