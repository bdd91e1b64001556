package agentsetup

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/wf-tool/wf/mdstate"
)

// The MCP server entry that `wf setup AGENT --mcp` writes: a stdio server
// named wf, started by the agent host as `wf mcp` (cmd/wf/internal/mcp).
// The command is looked up on the PATH, as the session-start hooks are.
const (
	MCPServerName = "wf"
	MCPCommand    = "wf"
)

// MCPArgs returns the arguments of [MCPCommand]; a fresh copy.
func MCPArgs() []string { return []string{"mcp"} }

// Claude Code: project-scoped MCP servers live in .mcp.json at the
// project root, meant to be committed (https://code.claude.com/docs/en/mcp,
// "Project scope"):
//
//	{"mcpServers": {"NAME": {"type": "stdio", "command": "…", "args": […], "env": {…}}}}
//
// "type" defaults to stdio when absent; `claude mcp add --scope project`
// writes it. Claude Code asks each user to approve a project's servers
// before it starts them.
const ClaudeMCPFile = ".mcp.json"

// Gemini CLI: MCP servers in the project settings, .gemini/settings.json,
// under "mcpServers" → NAME → {command, args, env, cwd, timeout, trust}
// (google-gemini/gemini-cli docs/tools/mcp-server.md, "Configuration
// structure"; https://geminicli.com/docs/tools/mcp-server/). The file is
// the one [SetupGemini] writes its hook to.

// Codex: MCP servers are TOML tables [mcp_servers.NAME] with command and
// args for a stdio server, in the user's ~/.codex/config.toml or a
// project's .codex/config.toml, "trusted projects only"
// (https://developers.openai.com/codex/mcp, "Connect Codex to an MCP
// server"; https://developers.openai.com/codex/config-basic,
// "Configuration precedence"). wf writes the project file only.
const CodexConfigFile = ".codex/config.toml"

// mcpEntry is the server entry in the JSON hosts' files.
type mcpEntry struct {
	Type    string   `json:"type,omitempty"`
	Command string   `json:"command"`
	Args    []string `json:"args"`
}

// isMCPCommand reports whether a server entry's command and args start
// `wf mcp`: command is wf (wf.exe) by any path and the first argument is
// mcp, or command is one string "wf mcp …" without args. Later arguments
// (`--tools all`) are the user's choice and still wf's server.
func isMCPCommand(command string, args []string) bool {
	isWF := func(s string) bool {
		s = strings.Trim(s, `"'`)
		b := path.Base(strings.ReplaceAll(s, `\`, "/"))
		return b == "wf" || b == "wf.exe"
	}
	if len(args) > 0 {
		return isWF(command) && args[0] == "mcp"
	}
	f := strings.Fields(command)
	return len(f) >= 2 && isWF(f[0]) && f[1] == "mcp"
}

// MCPResult is what a merge of wf's MCP server entry found or did.
type MCPResult struct {
	// Server names the entry that runs `wf mcp`: the one added
	// ([MCPServerName]), or the existing one that already did.
	Server string
	// Added is set when the entry was added (out differs from the input).
	Added bool
}

// MergeMCPServersJSON returns data (the JSON file named path: Claude
// Code's .mcp.json or Gemini CLI's settings.json) with the server entry
// mcpServers.wf running `wf mcp` added, and what it found or did. When
// an entry under any name already runs `wf mcp` (see [isMCPCommand]),
// data is returned as it is. Every other byte is kept: the entry is
// spliced in, laid out like the file (indentation, line endings, one-line
// objects). withType adds "type": "stdio" (Claude Code's form).
//
// Refused: data that is not a JSON object (empty data is an empty
// object) or an "mcpServers" that is not an object, with a [*JSONError];
// an entry named wf that runs something else (wf never overwrites it),
// with a [*mdstate.FileError].
func MergeMCPServersJSON(path string, data []byte, withType bool) (out []byte, res MCPResult, err error) {
	var top []jsMember
	if !jsBlank(data) {
		if top, err = jsParseObject(path, data, data, ""); err != nil {
			return nil, res, err
		}
	}
	var servers []jsMember
	if i := jsLastMember(top, "mcpServers"); i >= 0 {
		if servers, err = jsParseObject(path, data, top[i].val, `"mcpServers"`); err != nil {
			return nil, res, err
		}
	}
	seen := map[string]bool{}
	for i := len(servers) - 1; i >= 0; i-- { // the last of a repeated name counts
		s := servers[i]
		if seen[s.key] {
			continue
		}
		seen[s.key] = true
		if s.key == "" {
			continue // a server with no name is no server to name
		}
		var cmd string
		var args []string
		if jsField(s.val, "command", &cmd) && jsField(s.val, "args", &args) && isMCPCommand(cmd, args) {
			return data, MCPResult{Server: s.key}, nil
		}
	}
	if i := jsLastMember(servers, MCPServerName); i >= 0 {
		return nil, res, &mdstate.FileError{Path: path, Msg: fmt.Sprintf("%q already names another server (%s); wf will not replace it",
			"mcpServers."+MCPServerName, describeJSONServer(servers[i].val)),
			Fix: "rename or remove that entry, or make it run wf with the arguments [\"mcp\"], then run the command again"}
	}
	entry := mcpEntry{Command: MCPCommand, Args: MCPArgs()}
	if withType {
		entry.Type = "stdio"
	}
	out, err = spliceMember(data, "mcpServers", MCPServerName, entry)
	if err != nil {
		return nil, res, &JSONError{Path: path, Msg: "cannot add the server: " + err.Error()}
	}
	return out, MCPResult{Server: MCPServerName, Added: true}, nil
}

// describeJSONServer says in a few words what a server entry runs.
func describeJSONServer(raw json.RawMessage) string {
	var cmd, url, httpURL string
	var args []string
	jsField(raw, "command", &cmd)
	jsField(raw, "args", &args)
	jsField(raw, "url", &url)
	jsField(raw, "httpUrl", &httpURL)
	switch {
	case cmd != "":
		return "command " + strconvQuote(strings.Join(append([]string{cmd}, args...), " "))
	case url != "" || httpURL != "":
		return "url " + strconvQuote(url+httpURL)
	}
	return "not wf mcp"
}

func strconvQuote(s string) string {
	b, _ := jsMarshal(s)
	return string(b)
}

// spliceMember adds "key": v to the object under the top-level member
// outer of the JSON object in data, creating outer when it is missing,
// and returns data with that one run of bytes inserted. data must be a
// valid JSON object (or blank) whose outer, if present, is an object.
func spliceMember(data []byte, outer, key string, v any) ([]byte, error) {
	st := jsStyleOf(data)
	if jsBlank(data) {
		doc, err := st.render(map[string]any{outer: map[string]any{key: v}}, "", true)
		if err != nil {
			return nil, err
		}
		return []byte(string(data) + doc + st.eol), nil
	}
	top, ok := jsLocate(data, 0, len(data))
	if !ok {
		return nil, errNotObject
	}
	var off int
	var text string
	var err error
	if i := jsLastSpan(top.members, outer); i < 0 {
		off, text, err = st.insertMember(data, top, outer, map[string]any{key: v})
	} else {
		o, ok := jsLocate(data, top.members[i].valStart, top.members[i].valEnd)
		if !ok {
			return nil, errNotObject
		}
		off, text, err = st.insertMember(data, o, key, v)
	}
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(data)+len(text))
	out = append(out, data[:off]...)
	out = append(out, text...)
	return append(out, data[off:]...), nil
}

// MergeCodexMCP returns data (the Codex config.toml named path) with the
// table [mcp_servers.wf] (command = "wf", args = ["mcp"]) appended, and
// what it found or did. When a server under any name already runs `wf
// mcp`, data is returned as it is. The table is appended at the end of
// the file, after a blank line, in the file's line endings (CRLF when its
// first line ends so); every byte before it is kept. TOML allows a table
// anywhere after the tables it extends, and the result is parsed again to
// confirm that mcp_servers.wf is exactly the table added.
//
// Refused, with a [*mdstate.FileError] naming the line when the parser
// gives one: invalid TOML, an mcp_servers that is not a table, an
// mcp_servers written as an inline table (which TOML closes to additions),
// and a server named wf that runs something else.
func MergeCodexMCP(path string, data []byte) (out []byte, res MCPResult, err error) {
	fix := "fix " + path + " by hand (wf never rewrites a file it cannot parse), then run the command again"
	doc, err := parseTOML(path, data, fix)
	if err != nil {
		return nil, res, err
	}
	servers, err := tomlServers(path, doc, fix)
	if err != nil {
		return nil, res, err
	}
	names := make([]string, 0, len(servers))
	for name := range servers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if command, args, ok := tomlCommand(servers[name]); ok && isMCPCommand(command, args) {
			return data, MCPResult{Server: name}, nil
		}
	}
	if s, ok := servers[MCPServerName]; ok {
		what := "not wf mcp"
		if command, args, ok := tomlCommand(s); ok {
			what = "command " + strconvQuote(strings.Join(append([]string{command}, args...), " "))
		}
		return nil, res, &mdstate.FileError{Path: path, Msg: fmt.Sprintf("[mcp_servers.%s] already names another server (%s); wf will not replace it", MCPServerName, what),
			Fix: "rename or remove that table, or make it run wf with args = [\"mcp\"], then run the command again"}
	}
	eol := "\n"
	if i := bytes.IndexByte(data, '\n'); i > 0 && data[i-1] == '\r' {
		eol = "\r\n"
	}
	var b bytes.Buffer
	b.Write(data)
	if len(bytes.TrimSpace(data)) > 0 {
		if !bytes.HasSuffix(data, []byte("\n")) {
			b.WriteString(eol)
		}
		if !bytes.HasSuffix(b.Bytes(), []byte(eol+eol)) {
			b.WriteString(eol)
		}
	}
	args, _ := json.Marshal(MCPArgs()) // a JSON array of plain strings is a TOML array
	fmt.Fprintf(&b, "[mcp_servers.%s]%scommand = %s%sargs = %s%s", MCPServerName, eol,
		strconvQuote(MCPCommand), eol, strings.ReplaceAll(string(args), `","`, `", "`), eol)
	out = b.Bytes()
	// Confirm: the result parses, and the table is what was meant.
	again, err := parseTOML(path, out, fix)
	if err == nil {
		var s map[string]map[string]any
		if s, err = tomlServers(path, again, fix); err == nil {
			command, args, ok := tomlCommand(s[MCPServerName])
			if !ok || command != MCPCommand || !slices.Equal(args, MCPArgs()) {
				err = errors.New("the added table did not read back")
			}
		}
	}
	if err != nil {
		if line := tomlAssignLine(data, "mcp_servers"); line > 0 {
			return nil, res, &mdstate.FileError{Path: path, Line: line,
				Msg: "mcp_servers is an inline table, which TOML closes to new tables; wf cannot add [mcp_servers." + MCPServerName + "]",
				Fix: "write each server as its own [mcp_servers.NAME] table, then run the command again"}
		}
		return nil, res, &mdstate.FileError{Path: path, Msg: "cannot add [mcp_servers." + MCPServerName + "]: " + err.Error(),
			Fix: "add the table by hand: [mcp_servers." + MCPServerName + "] command = \"wf\" args = [\"mcp\"]"}
	}
	return out, MCPResult{Server: MCPServerName, Added: true}, nil
}

// parseTOML decodes a config.toml; a syntax error names its line and
// column.
func parseTOML(path string, data []byte, fix string) (map[string]any, error) {
	doc := map[string]any{}
	if err := toml.Unmarshal(data, &doc); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, col := de.Position()
			return nil, &mdstate.FileError{Path: path, Line: line, Col: col,
				Msg: "invalid TOML: " + strings.TrimPrefix(de.Error(), "toml: "), Fix: fix, Err: err}
		}
		return nil, &mdstate.FileError{Path: path, Msg: "invalid TOML: " + strings.TrimPrefix(err.Error(), "toml: "), Fix: fix, Err: err}
	}
	return doc, nil
}

// tomlServers is the mcp_servers table of a decoded config (nil when
// absent), each server a table.
func tomlServers(path string, doc map[string]any, fix string) (map[string]map[string]any, error) {
	v, ok := doc["mcp_servers"]
	if !ok {
		return nil, nil
	}
	t, ok := v.(map[string]any)
	if !ok {
		return nil, &mdstate.FileError{Path: path, Msg: "mcp_servers is not a table", Fix: fix}
	}
	out := make(map[string]map[string]any, len(t))
	for name, s := range t {
		st, ok := s.(map[string]any)
		if !ok {
			return nil, &mdstate.FileError{Path: path, Msg: "mcp_servers." + name + " is not a table", Fix: fix}
		}
		out[name] = st
	}
	return out, nil
}

// tomlCommand is a server table's command and args, when both have the
// types Codex reads (a string, an array of strings).
func tomlCommand(s map[string]any) (command string, args []string, ok bool) {
	command, ok = s["command"].(string)
	if !ok {
		return "", nil, false
	}
	switch a := s["args"].(type) {
	case nil:
	case []any:
		for _, x := range a {
			str, isStr := x.(string)
			if !isStr {
				return "", nil, false
			}
			args = append(args, str)
		}
	default:
		return "", nil, false
	}
	return command, args, true
}

// tomlAssignLine is the 1-based line of the first line that assigns key
// at the top level ("key = …"), 0 if none: for messages only.
func tomlAssignLine(data []byte, key string) int {
	for i, line := range strings.Split(string(data), "\n") {
		l := strings.TrimLeft(line, " \t")
		if rest, ok := strings.CutPrefix(l, key); ok && strings.HasPrefix(strings.TrimLeft(rest, " \t"), "=") {
			return i + 1
		}
	}
	return 0
}

// SetupClaudeMCP adds the wf MCP server to Claude Code's project file
// .mcp.json under top, spliced into what is there.
func SetupClaudeMCP(top string) (SetupResult, error) {
	return setupMCPFile(top, ClaudeMCPFile, func(p string, d []byte) ([]byte, MCPResult, error) {
		return MergeMCPServersJSON(p, d, true)
	})
}

// SetupGeminiMCP adds the wf MCP server to Gemini CLI's project settings
// .gemini/settings.json under top, spliced into what is there.
func SetupGeminiMCP(top string) (SetupResult, error) {
	return setupMCPFile(top, GeminiSettingsFile, func(p string, d []byte) ([]byte, MCPResult, error) {
		return MergeMCPServersJSON(p, d, false)
	})
}

// SetupCodexMCP adds the wf MCP server table to Codex's project config
// .codex/config.toml under top, appended to what is there.
func SetupCodexMCP(top string) (SetupResult, error) {
	return setupMCPFile(top, CodexConfigFile, MergeCodexMCP)
}

// setupMCPFile merges wf's MCP server into the file rel (slash-separated,
// under top) with merge, and writes it when merge added the entry: read
// and written like the hook files (no symlinks out of the tree, atomic
// replace, a file changed meanwhile left alone).
func setupMCPFile(top, rel string, merge func(string, []byte) ([]byte, MCPResult, error)) (SetupResult, error) {
	path := filepath.Join(top, filepath.FromSlash(rel))
	res := SetupResult{Path: path}
	data, err := readSetupFile(top, path, &res)
	if err != nil {
		return res, err
	}
	out, m, err := merge(path, data)
	if err != nil {
		return res, err
	}
	res.MCPServer = m.Server
	if !m.Added {
		return res, nil
	}
	res.Changed = true
	return res, writeSetupFile(path, out, data, res.Created)
}
