package verbs

import "github.com/wf-tool/wf/checkpoint/agentsetup"

// SetupClaudeMCP adds the wf MCP server (`wf mcp`, stdio) to Claude
// Code's project file .mcp.json at the repository top level.
func SetupClaudeMCP(e Env) (*SetupResult, error) { return setupHost(e, agentsetup.SetupClaudeMCP) }

// SetupCodexMCP adds the wf MCP server to Codex's project config
// .codex/config.toml at the repository top level.
func SetupCodexMCP(e Env) (*SetupResult, error) { return setupHost(e, agentsetup.SetupCodexMCP) }

// SetupGeminiMCP adds the wf MCP server to Gemini CLI's project settings
// .gemini/settings.json at the repository top level.
func SetupGeminiMCP(e Env) (*SetupResult, error) { return setupHost(e, agentsetup.SetupGeminiMCP) }
