package main

import (
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/wf-tool/wf/checkpoint/agentsetup"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
)

// mcpHost is how `wf setup AGENT --mcp` wires one agent host to `wf mcp`.
type mcpHost struct {
	setup func(verbs.Env) (*verbs.SetupResult, error)
	note  string // what the user does next, printed after a change
}

// mcpHosts are the agents `--mcp` knows; the files and formats are in
// checkpoint/agentsetup/mcp.go, each with its documentation.
func mcpHosts() map[string]mcpHost {
	return map[string]mcpHost{
		"claude": {verbs.SetupClaudeMCP, "Claude Code asks you to approve the project's MCP servers at its next start; /mcp lists them"},
		"codex":  {verbs.SetupCodexMCP, "Codex reads .codex/config.toml only in a project you have trusted; /mcp lists its servers"},
		"gemini": {verbs.SetupGeminiMCP, "Gemini CLI starts it at its next start; /mcp lists its tools"},
	}
}

// mcpFlag is --mcp on `wf setup claude|codex|gemini`; note says what the
// host needs before it starts the server ("" if nothing).
func mcpFlag(file, note string) cli.Flag {
	usage := "instead of the SessionStart hook, add the MCP server wf (runs wf mcp over stdio) to " +
		file + " (merged; idempotent; run without --mcp for the hook too)"
	if note != "" {
		usage += "; " + note
	}
	return &cli.BoolFlag{Name: "mcp", Usage: usage}
}

// setupMCP runs `wf setup AGENT --mcp` and reports it.
func (e *env) setupMCP(ve verbs.Env, agent string, asJSON bool) error {
	h := mcpHosts()[agent]
	res, err := h.setup(ve)
	if err != nil {
		return err
	}
	if asJSON {
		return e.printJSON(res.View(agent))
	}
	e.outsideGit(res)
	path := setupRel(ve, res.Path)
	run := agentsetup.MCPCommand + " " + strings.Join(agentsetup.MCPArgs(), " ")
	switch {
	case !res.Changed:
		e.printf("%s already has the MCP server %s running %s; nothing changed\n", path, res.MCPServer, run)
		return nil
	case res.Created:
		e.printf("created %s\n", path)
	}
	e.printf("added the MCP server %s to %s: %s over stdio\n", res.MCPServer, path, run)
	e.printf("%s\n", h.note)
	return nil
}
