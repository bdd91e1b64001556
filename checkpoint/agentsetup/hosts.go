package agentsetup

import (
	"path/filepath"
	"slices"
	"strings"
)

// Codex CLI: hooks from <repo>/.codex/hooks.json (or inline [hooks] tables
// in .codex/config.toml), in the layout Claude Code uses (hooks reference,
// https://developers.openai.com/codex/hooks, "Where Codex looks for hooks"
// and "SessionStart"):
//
//	{"hooks": {"SessionStart": [{"matcher": "startup|resume|clear",
//	  "hooks": [{"type": "command", "command": "…"}]}]}}
//
// The SessionStart matcher is a regular expression over the start source,
// whose runtime values are startup, resume and clear. A command's JSON
// output hookSpecificOutput.additionalContext (with hookEventName
// "SessionStart") is added to the context. Non-managed command hooks run
// only after the user has reviewed and trusted them.
const (
	CodexHooksFile   = ".codex/hooks.json"
	CodexHookCommand = HookCommand + " --hook codex"
)

// CodexSources returns Codex's SessionStart sources; a fresh copy.
func CodexSources() []string { return []string{"startup", "resume", "clear"} }

// Gemini CLI: hooks in the project settings, .gemini/settings.json, under
// "hooks" → event → [{matcher, hooks: [{type, command, name}]}] (hooks
// reference, google-gemini/gemini-cli docs/hooks/reference.md,
// "Configuration schema" and "SessionStart"; settings file locations in
// docs/reference/configuration.md). SessionStart fires on startup, resume
// and /clear; for lifecycle events the matcher is an exact string, and an
// entry without one runs for every source. The hook must print only JSON;
// hookSpecificOutput.additionalContext is injected as the first turn.
const (
	GeminiSettingsFile = ".gemini/settings.json"
	GeminiHookCommand  = HookCommand + " --hook gemini"
)

// GeminiSources returns Gemini CLI's SessionStart sources; a fresh copy.
func GeminiSources() []string { return []string{"startup", "resume", "clear"} }

type geminiHook struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Command string `json:"command"`
}

type geminiEntry struct {
	Matcher string       `json:"matcher,omitempty"`
	Hooks   []geminiHook `json:"hooks"`
}

// geminiMatched returns the sources a Gemini CLI lifecycle matcher
// matches: all of them when it is absent, empty or "*"; else the one it
// names exactly.
func geminiMatched(m *string) []string {
	if m == nil || *m == "" || *m == "*" {
		return GeminiSources()
	}
	if slices.Contains(GeminiSources(), *m) {
		return []string{*m}
	}
	return nil
}

// MergeCodexHooks is [MergeClaudeSettings] for Codex's .codex/hooks.json.
func MergeCodexHooks(path string, data []byte) (out []byte, added []string, err error) {
	return mergeSessionStart(path, data, CodexSources(), func(m *string) []string { return regexMatched(m, CodexSources()) },
		func(added []string) []any {
			return []any{claudeEntry{Matcher: strings.Join(added, "|"), Hooks: []claudeHook{{Type: "command", Command: CodexHookCommand}}}}
		})
}

// MergeGeminiSettings is [MergeClaudeSettings] for Gemini CLI's
// .gemini/settings.json. Its lifecycle matchers name one source exactly,
// so the hook is one entry without a matcher when every source is
// missing, else one entry per missing source.
func MergeGeminiSettings(path string, data []byte) (out []byte, added []string, err error) {
	return mergeSessionStart(path, data, GeminiSources(), geminiMatched, func(added []string) []any {
		hooks := []geminiHook{{Name: "wf-resume", Type: "command", Command: GeminiHookCommand}}
		if len(added) == len(GeminiSources()) {
			return []any{geminiEntry{Hooks: hooks}}
		}
		var out []any
		for _, s := range added {
			out = append(out, geminiEntry{Matcher: s, Hooks: hooks})
		}
		return out
	})
}

// SetupCodex adds the SessionStart hook running `wf resume` for Codex to
// .codex/hooks.json under top, spliced into what is there.
func SetupCodex(top string) (SetupResult, error) {
	return setupHookFile(top, CodexHooksFile, MergeCodexHooks)
}

// SetupGemini adds the SessionStart hook running `wf resume` for Gemini CLI
// to .gemini/settings.json under top, spliced into what is there.
func SetupGemini(top string) (SetupResult, error) {
	return setupHookFile(top, GeminiSettingsFile, MergeGeminiSettings)
}

// setupHookFile splices a SessionStart hook into the JSON settings file
// rel (slash-separated, under top) with merge, which returns the new bytes
// and the session sources it added (none: already set up, nothing is
// written).
func setupHookFile(top, rel string, merge func(string, []byte) ([]byte, []string, error)) (SetupResult, error) {
	path := filepath.Join(top, filepath.FromSlash(rel))
	res := SetupResult{Path: path}
	data, err := readSetupFile(top, path, &res)
	if err != nil {
		return res, err
	}
	out, added, err := merge(path, data)
	if err != nil {
		return res, err
	}
	res.Sources = added
	if len(added) == 0 {
		return res, nil
	}
	res.Changed = true
	return res, writeSetupFile(path, out, data, res.Created)
}
