package main

import (
	"io"

	"github.com/urfave/cli/v2"
	"github.com/wf-tool/wf/cmd/wf/internal/mcp"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
)

// mcpCmd serves the verbs as MCP tools over stdio (issue 18).
func (e *env) mcpCmd() *cli.Command {
	return &cli.Command{
		Name:      "mcp",
		Usage:     "serve wf as an MCP server over stdio, for agent hosts (tools, wf:// resources, a resume prompt; docs/mcp.md)",
		ArgsUsage: " ",
		Description: "An agent host starts it and speaks JSON-RPC on its stdin and stdout. Each tool call runs the\n" +
			"command of the same name (resume, status, todo, decide, checkpoint, wait, approve, reject; with\n" +
			"--tools all also spec and phase) and reads the files afresh, so the CLI, the server and hand\n" +
			"edits can interleave. A tool's errors and notes are in its result; only the server's own\n" +
			"trouble (a panic's stack) goes to stderr.\n\n" +
			"Example, in a project's .mcp.json (Claude Code):\n\n" +
			"   {\"mcpServers\": {\"wf\": {\"command\": \"wf\", \"args\": [\"mcp\"]}}}\n\n" +
			"By hand: wf mcp --tools all   (then type JSON-RPC lines; Ctrl-D ends it)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "tools", Value: "default", Usage: "default (resume, status, todo, decide, checkpoint, wait, approve, reject) or all (adds spec and phase)"},
		},
		Action: e.act(0, 0, "no arguments", func(c *cli.Context, ve verbs.Env) error {
			all := false
			switch c.String("tools") {
			case "default":
			case "all":
				all = true
			default:
				return usagef("wf mcp --tools all", "--tools %q is not default or all", c.String("tools"))
			}
			srv := mcp.New(mcp.Options{WorkDir: ve.WorkDir, Dir: ve.Dir, LockWait: ve.LockWait, Now: ve.Now,
				Actor: ve.Actor, Session: ve.Session, All: all, Log: e.stderr, Version: versionInfo().Version})
			// The protocol stream is not text for a person: it goes out
			// as the server writes it (its JSON strings are escaped).
			var out io.Writer = e.stdout
			if u, ok := out.(interface{ Unwrap() io.Writer }); ok {
				out = u.Unwrap()
			}
			ctx, stop := signalContext()
			defer stop()
			return srv.Serve(ctx, e.stdin, out)
		}),
	}
}
