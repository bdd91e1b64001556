package verbs

import (
	"github.com/wf-tool/wf/checkpoint/agentsetup"
	"github.com/wf-tool/wf/checkpoint/workspace"
)

// SetupResult is what a setup verb did, and whether it worked outside a
// git repository (in the working directory itself).
type SetupResult struct {
	agentsetup.SetupResult
	Top        string // the folder set up: the git top level, or the working directory outside git
	OutsideGit bool
}

// SetupView is what `wf setup AGENT --json` prints.
type SetupView struct {
	Schema     int      `json:"schema"`
	Agent      string   `json:"agent"` // the subcommand: claude, agents-md, codex
	Path       string   `json:"path"`  // the file set up, absolute
	Created    bool     `json:"created"`
	Changed    bool     `json:"changed"` // false: already set up, nothing written
	Sources    []string `json:"sources"` // SessionStart matchers added (claude); [] otherwise
	Top        string   `json:"top"`
	OutsideGit bool     `json:"outside_git"`
	MCPServer  string   `json:"mcp_server"` // the MCP server entry running wf mcp (--mcp); "" otherwise
}

// View is r as `wf setup agent --json` prints it.
func (r *SetupResult) View(agent string) SetupView {
	v := SetupView{Schema: workspace.SchemaVersion, Agent: agent, Path: r.Path, Created: r.Created, Changed: r.Changed,
		Sources: append([]string{}, r.Sources...), Top: r.Top, OutsideGit: r.OutsideGit, MCPServer: r.MCPServer}
	return v
}

// SetupClaude adds the SessionStart hook to .claude/settings.json (or
// settings.local.json when local is set) at the repository top level.
func SetupClaude(e Env, local bool) (*SetupResult, error) {
	top, inRepo, err := agentsetup.SetupTop(e.options())
	if err != nil {
		return nil, err
	}
	res, err := agentsetup.SetupClaude(top, local)
	if err != nil {
		return nil, err
	}
	return &SetupResult{SetupResult: res, Top: top, OutsideGit: !inRepo}, nil
}

// SetupAgentsMD adds wf's section to AGENTS.md at the repository top
// level.
func SetupAgentsMD(e Env) (*SetupResult, error) {
	top, inRepo, err := agentsetup.SetupTop(e.options())
	if err != nil {
		return nil, err
	}
	res, err := agentsetup.SetupAgentsMD(top)
	if err != nil {
		return nil, err
	}
	return &SetupResult{SetupResult: res, Top: top, OutsideGit: !inRepo}, nil
}

// SetupCodex adds the SessionStart hook to .codex/hooks.json at the
// repository top level.
func SetupCodex(e Env) (*SetupResult, error) { return setupHost(e, agentsetup.SetupCodex) }

// SetupGemini adds the SessionStart hook to .gemini/settings.json at the
// repository top level.
func SetupGemini(e Env) (*SetupResult, error) { return setupHost(e, agentsetup.SetupGemini) }

func setupHost(e Env, setup func(top string) (agentsetup.SetupResult, error)) (*SetupResult, error) {
	top, inRepo, err := agentsetup.SetupTop(e.options())
	if err != nil {
		return nil, err
	}
	res, err := setup(top)
	if err != nil {
		return nil, err
	}
	return &SetupResult{SetupResult: res, Top: top, OutsideGit: !inRepo}, nil
}
