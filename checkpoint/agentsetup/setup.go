// Package agentsetup wires `wf resume` into coding agents' session start:
// a Claude Code SessionStart hook merged into .claude/settings.json, and a
// marked section in AGENTS.md (read by Codex and others); and the MCP
// server entry that starts `wf mcp` in each host's project configuration
// (mcp.go: .mcp.json, .codex/config.toml, .gemini/settings.json). It owns
// the formats and the merges, which keep every byte of the user's file
// they do not have to change, and refuses a file it cannot parse. It
// never reads or writes the state files.
package agentsetup

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// ResumeCommand is the command agents run at session start.
const ResumeCommand = "wf resume"

// HookCommand is what a session-start hook ran before hook mode existed:
// wf resume, silent in a project that has no workflow (or no longer has
// one), so that the hook never breaks a session. It is still recognised
// as wf's hook.
const HookCommand = ResumeCommand + " --if-present"

// ClaudeHookCommand is what `wf setup claude` writes: HookCommand in hook
// mode, which keeps the output within what Claude Code injects at session
// start (see cmd/wf/internal/verbs/hookcap.go).
const ClaudeHookCommand = HookCommand + " --hook claude"

// Files that setup writes, relative to the repository top level
// (slash-separated; filepath.FromSlash gives the system's form).
const (
	ClaudeSettingsFile      = ".claude/settings.json"
	ClaudeLocalSettingsFile = ".claude/settings.local.json"
	AgentsFile              = "AGENTS.md"
)

// The Claude Code hook format, from the hooks reference
// (https://code.claude.com/docs/en/hooks, "Structure" and "SessionStart"):
//
//	{"hooks": {"EventName": [{"matcher": "...", "hooks": [{"type": "command", "command": "..."}]}]}}
//
//	SessionStart — Matchers:
//	  startup - Invoked from startup
//	  resume  - Invoked from --resume, --continue, or /resume
//	  clear   - Invoked from /clear
//	  compact - Invoked from auto or manual compact.
//
//	Exit code 0: Success. stdout is shown to the user in verbose mode,
//	except for UserPromptSubmit and SessionStart, where stdout is added to
//	the context.
//
// Matchers are regular expressions ("Supports regex: Edit|Write"), so one
// entry with the matcher "startup|resume|clear|compact" injects `wf
// resume` at every session start, including the restart after a
// compaction, which is when an agent most needs it.

// SessionSources returns the SessionStart matchers, in the documented
// order; a fresh copy.
func SessionSources() []string { return []string{"startup", "resume", "clear", "compact"} }

type claudeHook struct {
	Type    string `json:"type"`
	Command string `json:"command"`
}

type claudeEntry struct {
	Matcher string       `json:"matcher,omitempty"`
	Hooks   []claudeHook `json:"hooks"`
}

// SetupResult says what a setup step did.
type SetupResult struct {
	// Path is the file set up.
	Path string
	// Created is set when the file did not exist.
	Created bool
	// Changed is false when the file was already set up and nothing was
	// written.
	Changed bool
	// Sources are the SessionStart matchers added (Claude only).
	Sources []string
	// MCPServer names the MCP server entry that runs `wf mcp` (added or
	// found) when the setup wrote an MCP configuration; "" otherwise.
	MCPServer string
}

// SetupTop returns the folder setup writes to: the git top level of the
// working directory (or of --dir), or that folder itself outside a git
// repository. It does not need a workflow to exist.
func SetupTop(o workspace.Options) (top string, inRepo bool, err error) {
	start, ws, err := o.Resolve()
	if err != nil {
		return "", false, err
	}
	if ws.Repo != nil {
		return ws.Repo.TopLevel, true, nil
	}
	return start, false, nil
}

// JSONError is a JSON file wf will not edit because it cannot parse it.
type JSONError struct {
	Path      string
	Line, Col int // 1-based; 0 when unknown
	Msg       string
}

func (e *JSONError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
	}
	return e.Path + ": " + e.Msg
}

// Hint says how to go on.
func (e *JSONError) Hint() string {
	return "fix " + e.Path + " by hand (wf never rewrites a file it cannot parse), then run the command again"
}

// SetupClaude installs the SessionStart hook that runs `wf resume` in the
// Claude Code project settings under top (.claude/settings.json, or
// .claude/settings.local.json when local is set), merged with what is
// there. Running it again changes nothing.
func SetupClaude(top string, local bool) (SetupResult, error) {
	rel := ClaudeSettingsFile
	if local {
		rel = ClaudeLocalSettingsFile
	}
	return setupHookFile(top, rel, MergeClaudeSettings)
}

// writeSetupFile writes out over data, the file at path as read (created,
// with its folder, when created is set). A file changed on disk since it
// was read is left alone: [mdstate.ErrChanged], named and explained.
func writeSetupFile(path string, out, data []byte, created bool) error {
	if created {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return &mdstate.FileError{Path: filepath.Dir(path), Msg: "cannot create folder: " + err.Error(), Err: err}
		}
		return mdstate.CreateFileExclusive(path, out, 0o644)
	}
	if err := mdstate.WriteFileAtomic(path, out, data); err != nil {
		if errors.Is(err, mdstate.ErrChanged) {
			return &mdstate.FileError{Path: path, Msg: "changed on disk while wf was editing it; nothing written",
				Fix: "run the command again", Err: err}
		}
		return err
	}
	return nil
}

// MergeClaudeSettings returns the Claude Code settings data (from the file
// named path, for messages) with a SessionStart hook that runs `wf resume`
// for every session source, and the sources it had to add; none means data
// already has it and is returned unchanged. Every other key, hook and
// value is kept, in its order; the result is indented like the input (two
// spaces by default). Empty data is an empty object. Data that is not a
// JSON object, or whose "hooks" or "hooks.SessionStart" has the wrong
// type, is refused with a [*JSONError].
func MergeClaudeSettings(path string, data []byte) (out []byte, added []string, err error) {
	return mergeSessionStart(path, data, SessionSources(), claudeMatched, func(added []string) []any {
		return []any{claudeEntry{
			Matcher: strings.Join(added, "|"),
			Hooks:   []claudeHook{{Type: "command", Command: ClaudeHookCommand}},
		}}
	})
}

// mergeSessionStart returns data (the JSON settings file named path) with
// the entries that entries(added) makes appended to hooks.SessionStart, where
// added are the sources no existing entry runs wf resume for (matched
// says which sources an entry's matcher covers); nothing is added, and
// data is returned as it is, when every source is covered. Claude Code,
// Codex and Gemini CLI share this layout: {"hooks": {"SessionStart":
// [{"matcher": …, "hooks": [{"type": "command", "command": …}]}]}}.
func mergeSessionStart(path string, data []byte, sources []string, matched func(*string) []string, entries func(added []string) []any) (out []byte, added []string, err error) {
	var top []jsMember
	if !jsBlank(data) {
		if top, err = jsParseObject(path, data, data, ""); err != nil {
			return nil, nil, err
		}
	}
	hi := jsLastMember(top, "hooks")
	var hooks []jsMember
	if hi >= 0 {
		if hooks, err = jsParseObject(path, data, top[hi].val, `"hooks"`); err != nil {
			return nil, nil, err
		}
	}
	si := jsLastMember(hooks, "SessionStart")
	var existing []json.RawMessage
	if si >= 0 {
		if err := json.Unmarshal(hooks[si].val, &existing); err != nil || existing == nil {
			return nil, nil, &JSONError{Path: path, Msg: `"hooks.SessionStart" is not an array`}
		}
	}
	covered := map[string]bool{}
	for _, raw := range existing {
		var matcher *string
		var hs []json.RawMessage
		if !jsField(raw, "matcher", &matcher) || !jsField(raw, "hooks", &hs) {
			continue // someone else's shape: keep it, ignore it
		}
		for _, h := range hs {
			var typ, cmd string
			if jsField(h, "type", &typ) && jsField(h, "command", &cmd) && typ == "command" && isResumeCommand(cmd) {
				for _, s := range matched(matcher) {
					covered[s] = true
				}
			}
		}
	}
	for _, s := range sources {
		if !covered[s] {
			added = append(added, s)
		}
	}
	if len(added) == 0 {
		return data, nil, nil
	}
	out = data
	for _, e := range entries(added) {
		if out, err = spliceSessionStart(out, "SessionStart", e); err != nil {
			return nil, nil, &JSONError{Path: path, Msg: "cannot add the hook: " + err.Error()}
		}
	}
	return out, added, nil
}

// resumeRe finds `wf resume` anywhere in a shell command: as the whole
// command, after `cd "$CLAUDE_PROJECT_DIR" &&`, `;`, `|`, `(`, environment
// assignments or a quote (`bash -c "wf resume"`), and with wf given by any
// path (`/usr/local/bin/wf`, `"$CLAUDE_PROJECT_DIR"/bin/wf`, `wf.exe`).
// "wf" must start a word or follow a "/", so "mywf resume" is not wf's.
var resumeRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?:^|[\s;&|()"'` + "`" + `/=])wf(?:\.exe)?["']?[ \t]+resume(?:[\s;&|)"'` + "`" + `]|$)`)
})

// isResumeCommand reports whether a hook command runs `wf resume` (with
// or without flags, with or without a path to wf, anywhere in the shell
// command).
func isResumeCommand(cmd string) bool { return resumeRe().MatchString(cmd) }

// claudeMatched returns the session sources a SessionStart matcher
// matches: all of them when it is absent, empty or "*"; else those it
// matches as a regular expression (as Claude Code does), or as a list of
// names separated by "|" when it is not one.
func claudeMatched(m *string) []string { return regexMatched(m, SessionSources()) }

// regexMatched returns the sources a matcher matches: all of them when it
// is absent, empty or "*"; else those it matches as a regular expression,
// or as a list of names separated by "|" when it is not one.
func regexMatched(m *string, sources []string) []string {
	if m == nil || *m == "" || *m == "*" {
		return sources
	}
	var out []string
	re, err := regexp.Compile("^(?:" + *m + ")$")
	for _, s := range sources {
		if err == nil && re.MatchString(s) {
			out = append(out, s)
		} else if err != nil {
			for _, p := range strings.Split(*m, "|") {
				if strings.TrimSpace(p) == s {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// jsMember is one key of a JSON object, its value kept as written.
type jsMember struct {
	key string
	val json.RawMessage
}

// jsField decodes the member named exactly key of the JSON object raw
// into v, as the agent hosts (JavaScript's JSON.parse) read it: the last
// member of that name counts, and a name that differs only in case is
// another member (encoding/json's struct decoding would take it). It
// reports false when raw is not an object or the member does not decode
// into v; a missing member leaves v as it is and reports true.
func jsField(raw json.RawMessage, key string, v any) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || m == nil {
		return false
	}
	r, ok := m[key]
	if !ok {
		return true
	}
	return json.Unmarshal(r, v) == nil
}

func jsLastMember(ms []jsMember, key string) int {
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].key == key {
			return i
		}
	}
	return -1
}

// jsParseObject splits the JSON object obj (a part of the file data, for
// error positions) into its members in order. what names obj in errors
// ("" for the whole file).
func jsParseObject(path string, data, obj []byte, what string) ([]jsMember, error) {
	if !json.Valid(obj) {
		var v any
		err := json.Unmarshal(obj, &v)
		var se *json.SyntaxError
		if errors.As(err, &se) && what == "" {
			line, col := jsLineCol(data, int(se.Offset))
			return nil, &JSONError{Path: path, Line: line, Col: col, Msg: "invalid JSON: " + se.Error()}
		}
		return nil, &JSONError{Path: path, Msg: "invalid JSON"}
	}
	notObject := func() error {
		if what == "" {
			return &JSONError{Path: path, Msg: "is not a JSON object"}
		}
		return &JSONError{Path: path, Msg: what + " is not a JSON object"}
	}
	dec := json.NewDecoder(bytes.NewReader(obj))
	dec.UseNumber()
	t, err := dec.Token()
	if d, ok := t.(json.Delim); err != nil || !ok || d != '{' {
		return nil, notObject()
	}
	var ms []jsMember
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, notObject()
		}
		key, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, notObject()
		}
		ms = append(ms, jsMember{key: key, val: raw})
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, notObject()
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, notObject()
	}
	return ms, nil
}

// jsLineCol turns a byte offset into a 1-based line and column (in
// characters). encoding/json reports the offset just past the bad byte.
func jsLineCol(data []byte, off int) (line, col int) {
	off = min(max(off-1, 0), len(data))
	line = 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, len([]rune(string(data[start:off]))) + 1
}

// jsIndentUnit is the indentation of the first indented line of data, two
// spaces when there is none.
func jsIndentUnit(data []byte) string {
	for _, line := range strings.Split(string(data), "\n") {
		n := len(line) - len(strings.TrimLeft(line, " \t"))
		if n > 0 && n < len(strings.TrimRight(line, "\r")) {
			return line[:n]
		}
	}
	return "  "
}

func jsMarshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// Markers around wf's section in AGENTS.md.
const (
	AgentsBegin = "<!-- wf:begin -->"
	AgentsEnd   = "<!-- wf:end -->"
)

// agentsSection is the text between the markers (lines without endings).
var agentsSection = []string{
	AgentsBegin,
	"## Work state: wf",
	"",
	"This project keeps its work state in Markdown files managed by `wf`",
	"(workflow-state.md, TODO.md, checkpoints/), committed with git.",
	"",
	"1. At the start of every session, run `wf resume` first and follow it:",
	"   it says where the work stands and what to do next.",
	"2. After each TODO item: `wf todo done <item>`, then",
	"   `wf checkpoint -m \"<what was done, what is next>\"`.",
	"3. Record each decision that must not be re-evaluated:",
	"   `wf decide \"<chose X over Y because Z>\"`.",
	"4. `wf status` shows the state at any time.",
	"5. Where wf's MCP tools are loaded (`wf mcp`), they do the same as these commands.",
	AgentsEnd,
}

// readSetupFile reads a file setup merges into; a missing one is empty
// and marks res as created.
func readSetupFile(top, path string, res *SetupResult) ([]byte, error) {
	data, _, err := mdstate.ReadFile(top, path)
	if errors.Is(err, fs.ErrNotExist) {
		res.Created = true
		return nil, nil
	}
	return data, err
}

// SetupAgentsMD adds wf's section, between [AgentsBegin] and [AgentsEnd],
// to AGENTS.md under top, creating the file if needed, or replaces the
// marked section if present. Every byte outside the markers is kept; the
// section uses the file's line endings (CRLF when its first line ends so).
// Running it again changes nothing.
func SetupAgentsMD(top string) (SetupResult, error) {
	path := filepath.Join(top, AgentsFile)
	res := SetupResult{Path: path}
	data, err := readSetupFile(top, path, &res)
	if err != nil {
		return res, err
	}
	out, changed, err := MergeAgentsMD(path, data)
	if err != nil || !changed {
		return res, err
	}
	res.Changed = true
	return res, writeSetupFile(path, out, data, res.Created)
}

// MergeAgentsMD returns data (the AGENTS.md file named path) with wf's
// section added or brought up to date, and whether that changed anything.
func MergeAgentsMD(path string, data []byte) ([]byte, bool, error) {
	eol := "\n"
	if i := bytes.IndexByte(data, '\n'); i > 0 && data[i-1] == '\r' {
		eol = "\r\n"
	}
	block := strings.Join(agentsSection, eol)
	b := bytes.Index(data, []byte(AgentsBegin))
	e := bytes.Index(data, []byte(AgentsEnd))
	line := func(off int) int { return 1 + bytes.Count(data[:off], []byte("\n")) }
	markerErr := func(off int, msg string) error {
		return &mdstate.FileError{Path: path, Line: line(off), Msg: msg,
			Fix: "keep one " + AgentsBegin + " line and one " + AgentsEnd + " line after it (or remove both), then run the command again"}
	}
	switch {
	case b < 0 && e < 0:
		var out bytes.Buffer
		out.Write(data)
		if len(data) > 0 {
			if !bytes.HasSuffix(data, []byte("\n")) {
				out.WriteString(eol)
			}
			if !bytes.HasSuffix(out.Bytes(), []byte(eol+eol)) {
				out.WriteString(eol)
			}
		}
		out.WriteString(block + eol)
		return out.Bytes(), true, nil
	case b < 0:
		return nil, false, markerErr(e, AgentsEnd+" without "+AgentsBegin+" before it")
	case e < 0:
		return nil, false, markerErr(b, AgentsBegin+" without "+AgentsEnd+" after it")
	case e < b:
		return nil, false, markerErr(e, AgentsEnd+" before "+AgentsBegin)
	}
	if i := bytes.Index(data[b+1:], []byte(AgentsBegin)); i >= 0 {
		return nil, false, markerErr(b+1+i, "a second "+AgentsBegin)
	}
	if i := bytes.Index(data[e+1:], []byte(AgentsEnd)); i >= 0 {
		return nil, false, markerErr(e+1+i, "a second "+AgentsEnd)
	}
	end := e + len(AgentsEnd)
	if string(data[b:end]) == block {
		return data, false, nil
	}
	out := make([]byte, 0, len(data)+len(block))
	out = append(out, data[:b]...)
	out = append(out, block...)
	out = append(out, data[end:]...)
	return out, true, nil
}
