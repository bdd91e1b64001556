package agentsetup

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/wf-tool/wf/mdstate"
)

// goldenClaudeMCP is .mcp.json as `wf setup claude --mcp` creates it: the
// layout `claude mcp add --scope project` writes (two-space JSON).
const goldenClaudeMCP = `{
  "mcpServers": {
    "wf": {
      "type": "stdio",
      "command": "wf",
      "args": [
        "mcp"
      ]
    }
  }
}
`

// goldenCodexMCP is .codex/config.toml as `wf setup codex --mcp` creates it.
const goldenCodexMCP = "[mcp_servers.wf]\ncommand = \"wf\"\nargs = [\"mcp\"]\n"

// checkJSONServer checks that out (a JSON host file) has mcpServers.name
// running wf mcp, as the hosts read it.
func checkJSONServer(t *testing.T, out []byte, name string) {
	t.Helper()
	var doc struct {
		MCPServers map[string]struct {
			Type    string   `json:"type"`
			Command string   `json:"command"`
			Args    []string `json:"args"`
		} `json:"mcpServers"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("result is not JSON: %v\n%s", err, out)
	}
	s, ok := doc.MCPServers[name]
	if !ok || !isMCPCommand(s.Command, s.Args) {
		t.Fatalf("mcpServers.%s does not run wf mcp:\n%s", name, out)
	}
}

// TestMergeMCPServersJSONSplices: the entry is spliced into the user's
// JSON; every other byte (CRLF, tabs, one-line objects, other servers and
// keys) stays, and a second merge changes nothing.
func TestMergeMCPServersJSONSplices(t *testing.T) {
	for name, tc := range map[string]struct {
		in       string
		withType bool
		inserted string
	}{
		"empty file": {
			in: "", withType: true, inserted: goldenClaudeMCP,
		},
		"empty object": {
			in: "{}", withType: true,
			inserted: "\n  \"mcpServers\": {\n    \"wf\": {\n      \"type\": \"stdio\",\n      \"command\": \"wf\",\n      \"args\": [\n        \"mcp\"\n      ]\n    }\n  }\n",
		},
		"other servers kept": {
			in:       "{\n  \"mcpServers\": {\n    \"github\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@modelcontextprotocol/server-github\"],\n      \"env\": {\"TOKEN\": \"${GITHUB_TOKEN}\"}\n    }\n  }\n}\n",
			withType: true,
			inserted: ",\n    \"wf\": {\n      \"type\": \"stdio\",\n      \"command\": \"wf\",\n      \"args\": [\n        \"mcp\"\n      ]\n    }",
		},
		"crlf and tabs": {
			in:       "{\r\n\t\"mcpServers\": {\r\n\t\t\"db\": {\"type\": \"http\", \"url\": \"https://example.com/mcp\"}\r\n\t}\r\n}\r\n",
			withType: true,
			inserted: ",\r\n\t\t\"wf\": {\r\n\t\t\t\"type\": \"stdio\",\r\n\t\t\t\"command\": \"wf\",\r\n\t\t\t\"args\": [\r\n\t\t\t\t\"mcp\"\r\n\t\t\t]\r\n\t\t}",
		},
		"one-line file": {
			in:       `{"mcpServers": {"a": {"command": "a"}}}`,
			inserted: `,"wf": {"command":"wf","args":["mcp"]}`,
		},
		"gemini settings with hooks, no mcpServers": {
			in:       "{\n  \"theme\": \"GitHub\",\n  \"hooks\": {\"SessionStart\": []}\n}\n",
			inserted: ",\n  \"mcpServers\": {\n    \"wf\": {\n      \"command\": \"wf\",\n      \"args\": [\n        \"mcp\"\n      ]\n    }\n  }",
		},
	} {
		t.Run(name, func(t *testing.T) {
			out, res, err := MergeMCPServersJSON(".mcp.json", []byte(tc.in), tc.withType)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Added || res.Server != "wf" {
				t.Errorf("result %+v", res)
			}
			insertionOnly(t, []byte(tc.in), out)
			if got := len(out) - len(tc.in); got != len(tc.inserted) || !strings.Contains(string(out), tc.inserted) {
				t.Errorf("inserted %d bytes, want %q; got\n%q", got, tc.inserted, out)
			}
			checkJSONServer(t, out, "wf")
			again, res, err := MergeMCPServersJSON(".mcp.json", out, tc.withType)
			if err != nil || res.Added || !bytes.Equal(again, out) {
				t.Errorf("second run: %+v, err %v", res, err)
			}
		})
	}
}

// TestMergeMCPServersJSONSeesExisting: an entry under any name that runs
// wf mcp (by a path, with more arguments) is wf's, and nothing is added.
func TestMergeMCPServersJSONSeesExisting(t *testing.T) {
	for _, in := range []string{
		`{"mcpServers": {"wf": {"command": "wf", "args": ["mcp"]}}}`,
		`{"mcpServers": {"workflow": {"type": "stdio", "command": "/usr/local/bin/wf", "args": ["mcp", "--tools", "all"]}}}`,
		`{"mcpServers": {"w": {"command": "C:\\tools\\wf.exe", "args": ["mcp"]}}}`,
		`{"mcpServers": {"w": {"command": "wf mcp"}}}`,
	} {
		out, res, err := MergeMCPServersJSON("s.json", []byte(in), true)
		if err != nil || res.Added || res.Server == "" || out == nil || !bytes.Equal(out, []byte(in)) {
			t.Errorf("%s: %+v %v", in, res, err)
		}
	}
	for _, cmd := range [][]string{{"mywf", "mcp"}, {"wf", "resume"}, {"node", "wf", "mcp"}, {"wf"}} {
		if isMCPCommand(cmd[0], cmd[1:]) {
			t.Errorf("%q taken for wf mcp", cmd)
		}
	}
}

// TestMergeMCPServersJSONRefuses: what wf cannot edit safely is refused
// with a message naming the file (and the line of a syntax error).
func TestMergeMCPServersJSONRefuses(t *testing.T) {
	for in, want := range map[string]string{
		"{\n  \"mcpServers\": {\n    \"a\": 1,\n  }\n}\n": "s.json:4:3: invalid JSON",
		`[]`:                 "s.json: is not a JSON object",
		`{"mcpServers": []}`: `"mcpServers" is not a JSON object`,
		`{"mcpServers": {"wf": {"command": "node", "args": ["x.js"]}}}`: `"mcpServers.wf" already names another server (command "node x.js")`,
		`{"mcpServers": {"wf": {"url": "https://x"}}}`:                  `(url "https://x")`,
	} {
		_, _, err := MergeMCPServersJSON("s.json", []byte(in), true)
		var je *JSONError
		var fe *mdstate.FileError
		if !errors.As(err, &je) && !errors.As(err, &fe) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", in, err, want)
		}
	}
}

// TestMergeCodexMCP: the table is appended after every byte of the file,
// in its line endings; existing wf servers are seen; a second merge
// changes nothing.
func TestMergeCodexMCP(t *testing.T) {
	for name, tc := range map[string]struct{ in, want string }{
		"empty":   {"", goldenCodexMCP},
		"comment": {"# Codex project config", "# Codex project config\n\n" + goldenCodexMCP},
		"other servers and keys": {
			"model = \"gpt-5\"\n\n[mcp_servers.docs]\ncommand = \"docs-server\" # ours\nargs = [\"--port\", \"0\"]\n\n[mcp_servers.docs.env]\nKEY = \"v\"\n",
			"model = \"gpt-5\"\n\n[mcp_servers.docs]\ncommand = \"docs-server\" # ours\nargs = [\"--port\", \"0\"]\n\n[mcp_servers.docs.env]\nKEY = \"v\"\n\n" + goldenCodexMCP,
		},
		"crlf": {
			"[profiles.x]\r\nmodel = \"o3\"\r\n",
			"[profiles.x]\r\nmodel = \"o3\"\r\n\r\n[mcp_servers.wf]\r\ncommand = \"wf\"\r\nargs = [\"mcp\"]\r\n",
		},
		"dotted keys": {
			"mcp_servers.a.command = \"a\"\n\n\n",
			"mcp_servers.a.command = \"a\"\n\n\n" + goldenCodexMCP,
		},
		"a header for mcp_servers": {
			"[mcp_servers]\n[[other]]\nx = 1\n",
			"[mcp_servers]\n[[other]]\nx = 1\n\n" + goldenCodexMCP,
		},
	} {
		t.Run(name, func(t *testing.T) {
			out, res, err := MergeCodexMCP("config.toml", []byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tc.want || !res.Added || res.Server != "wf" {
				t.Errorf("got %+v\n%q\nwant\n%q", res, out, tc.want)
			}
			var doc struct {
				MCPServers map[string]struct {
					Command string   `toml:"command"`
					Args    []string `toml:"args"`
				} `toml:"mcp_servers"`
			}
			if err := toml.Unmarshal(out, &doc); err != nil || doc.MCPServers["wf"].Command != "wf" {
				t.Errorf("result does not read back: %v %+v", err, doc)
			}
			again, res, err := MergeCodexMCP("config.toml", out)
			if err != nil || res.Added || !bytes.Equal(again, out) {
				t.Errorf("second run: %+v %v", res, err)
			}
		})
	}
	for _, in := range []string{
		"[mcp_servers.wf]\ncommand = \"wf\"\nargs = [\"mcp\"]\n",
		"[mcp_servers.state]\ncommand = \"/opt/bin/wf\"\nargs = [\"mcp\", \"--tools\", \"all\"]\nstartup_timeout_sec = 20\n",
		"mcp_servers = { w = { command = \"wf\", args = [\"mcp\"] } }\n",
	} {
		out, res, err := MergeCodexMCP("config.toml", []byte(in))
		if err != nil || res.Added || res.Server == "" || !bytes.Equal(out, []byte(in)) {
			t.Errorf("%q: %+v %v", in, res, err)
		}
	}
}

// TestMergeCodexMCPRefuses: invalid TOML (with its line and column), an
// mcp_servers of another type or written inline, and someone else's wf
// server are refused.
func TestMergeCodexMCPRefuses(t *testing.T) {
	for in, want := range map[string]string{
		"model = \"o3\"\n[mcp_servers.docs\ncommand = \"x\"\n": "config.toml:2:18: invalid TOML",
		"a = 1\na = 2\n":                                                 "invalid TOML",
		"mcp_servers = 3\n":                                              "mcp_servers is not a table",
		"[[mcp_servers]]\ncommand = \"x\"\n":                             "mcp_servers is not a table",
		"[mcp_servers]\nwf = \"x\"\n":                                    "mcp_servers.wf is not a table",
		"[mcp_servers.wf]\ncommand = \"node\"\nargs = [\"x.js\"]\n":      `[mcp_servers.wf] already names another server (command "node x.js")`,
		"model = \"o3\"\nmcp_servers = { docs = { command = \"d\" } }\n": "config.toml:2: mcp_servers is an inline table",
	} {
		_, _, err := MergeCodexMCP("config.toml", []byte(in))
		var fe *mdstate.FileError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), want) || fe.Hint() == "" {
			t.Errorf("%q: got %v, want %q", in, err, want)
		}
	}
}

// TestSetupMCPFiles: each host's file is created under top, left alone
// when already set up, and an invalid file is not touched.
func TestSetupMCPFiles(t *testing.T) {
	top := t.TempDir()
	for _, tc := range []struct {
		rel    string
		setup  func(string) (SetupResult, error)
		golden string
		bad    string
	}{
		{".mcp.json", SetupClaudeMCP, goldenClaudeMCP, "{\"mcpServers\": {\n"},
		{".codex/config.toml", SetupCodexMCP, goldenCodexMCP, "[mcp_servers\n"},
		{".gemini/settings.json", SetupGeminiMCP, "", "{,}"},
	} {
		path := filepath.Join(top, filepath.FromSlash(tc.rel))
		res, err := tc.setup(top)
		if err != nil || !res.Created || !res.Changed || res.MCPServer != "wf" || res.Path != path {
			t.Fatalf("%s: first run %+v %v", tc.rel, res, err)
		}
		first, _ := os.ReadFile(path)
		if tc.golden != "" && string(first) != tc.golden {
			t.Errorf("%s: wrote\n%s", tc.rel, first)
		}
		res, err = tc.setup(top)
		if err != nil || res.Created || res.Changed || res.MCPServer != "wf" {
			t.Errorf("%s: second run %+v %v", tc.rel, res, err)
		}
		if again, _ := os.ReadFile(path); !bytes.Equal(again, first) {
			t.Errorf("%s: second run changed the file", tc.rel)
		}
		os.WriteFile(path, []byte(tc.bad), 0o644)
		if _, err := tc.setup(top); err == nil {
			t.Errorf("%s: invalid file accepted", tc.rel)
		}
		if b, _ := os.ReadFile(path); string(b) != tc.bad {
			t.Errorf("%s: invalid file was changed", tc.rel)
		}
	}
	// The Gemini settings keep their hook: both setups share the file.
	os.Remove(filepath.Join(top, ".gemini", "settings.json"))
	if _, err := SetupGemini(top); err != nil {
		t.Fatal(err)
	}
	if _, err := SetupGeminiMCP(top); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(top, ".gemini", "settings.json"))
	checkJSONServer(t, b, "wf")
	if !bytes.Contains(b, []byte(GeminiHookCommand)) {
		t.Errorf("the hook is gone:\n%s", b)
	}
}

// TestSetupMCPSymlinkOut: a host file that is a symbolic link out of the
// tree is neither read nor written.
func TestSetupMCPSymlinkOut(t *testing.T) {
	top, outside := t.TempDir(), t.TempDir()
	target := filepath.Join(outside, "mcp.json")
	os.WriteFile(target, []byte("{}"), 0o644)
	if err := os.Symlink(target, filepath.Join(top, ".mcp.json")); err != nil {
		t.Skip("no symlinks:", err)
	}
	if _, err := SetupClaudeMCP(top); err == nil {
		t.Error("followed a symlink out of the tree")
	}
	if b, _ := os.ReadFile(target); string(b) != "{}" {
		t.Errorf("wrote through the symlink: %s", b)
	}
}

// TestMergeMCPServersJSONExactNames: an agent host reads "command" and
// "args" by their exact names (JSON.parse); an entry that spells them
// otherwise, or has no name, runs nothing, so wf still adds its own
// (FuzzMergeMCPServersJSON found "CommAnd" taken for "command").
func TestMergeMCPServersJSONExactNames(t *testing.T) {
	for _, in := range []string{
		`{"mcpServers": {"w": {"CommAnd": "wf", "Args": ["mcp"]}}}`,
		`{"mcpServers": {"w": {"command": "wf", "ARGS": ["mcp"]}}}`,
		`{"mcpServers": {"": {"command": "wf", "args": ["mcp"]}}}`,
		`{"mcpServers": {"w": {"command": "node", "args": ["x"], "command ": "wf"}}}`,
	} {
		out, res, err := MergeMCPServersJSON("s.json", []byte(in), true)
		if err != nil || !res.Added || res.Server != MCPServerName {
			t.Errorf("%s: %+v %v, want wf's entry added", in, res, err)
			continue
		}
		if _, res2, err := MergeMCPServersJSON("s.json", out, true); err != nil || res2.Added || res2.Server != MCPServerName {
			t.Errorf("%s: merged again: %+v %v", in, res2, err)
		}
	}
	// The last member of a repeated name counts, as in JSON.parse.
	in := `{"mcpServers": {"w": {"command": "node", "command": "wf", "args": ["mcp"]}}}`
	if _, res, err := MergeMCPServersJSON("s.json", []byte(in), true); err != nil || res.Added || res.Server != "w" {
		t.Errorf("%s: %+v %v, want w seen", in, res, err)
	}
}
