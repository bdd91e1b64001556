package agentsetup

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzMergeMCPServersJSON: for any input, the merge either refuses it or
// returns valid JSON that is the input with one run of bytes inserted,
// in which an entry runs wf mcp; a second merge changes nothing.
func FuzzMergeMCPServersJSON(f *testing.F) {
	for _, s := range []string{"", "{}", "[]", "{\r\n\t\"mcpServers\": {}\r\n}\r\n", `{"mcpServers": {"a": {"command": "a"}}}`,
		`{"mcpServers": {"wf": {"command": "wf", "args": ["mcp"]}}}`, `{"mcpServers": {"wf": 1}}`, `{"mcpServers": 1}`,
		"{\"mcpServers\":{},\"mcpServers\":{\"x\":{}}}", "  {  }  ", `{"a": "\u00e9<>"}`} {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, withType bool) {
		out, res, err := MergeMCPServersJSON("s.json", data, withType)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON out of %q:\n%s", data, out)
		}
		if !res.Added {
			if !bytes.Equal(out, data) || res.Server == "" {
				t.Fatalf("nothing added but the file changed, or no server named: %+v", res)
			}
			return
		}
		p := 0
		for p < len(data) && p < len(out) && data[p] == out[p] {
			p++
		}
		q := 0
		for q < len(data)-p && q < len(out)-p && data[len(data)-1-q] == out[len(out)-1-q] {
			q++
		}
		if p+q != len(data) {
			t.Fatalf("input bytes changed:\n%q\n%q", data, out)
		}
		again, res2, err := MergeMCPServersJSON("s.json", out, withType)
		if err != nil || res2.Added || res2.Server == "" || !bytes.Equal(again, out) {
			t.Fatalf("second merge of %q: %+v, err %v", out, res2, err)
		}
	})
}

// FuzzMergeCodexMCP: for any input, the merge either refuses it or
// returns TOML that starts with the input byte for byte and parses, with
// an mcp_servers table that runs wf mcp; a second merge changes nothing.
func FuzzMergeCodexMCP(f *testing.F) {
	for _, s := range []string{"", "# c", "model = \"o3\"\r\n", "[mcp_servers.docs]\ncommand = \"d\"\n",
		"[mcp_servers.wf]\ncommand = \"wf\"\nargs = [\"mcp\"]\n", "mcp_servers = { a = { command = \"a\" } }\n",
		"mcp_servers.a.command = \"a\"", "[[mcp_servers]]\n", "[mcp_servers]\nwf = 1\n", "a = \"\"\"\nx\n\"\"\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, res, err := MergeCodexMCP("config.toml", data)
		if err != nil {
			return
		}
		if !bytes.HasPrefix(out, data) {
			t.Fatalf("input bytes changed:\n%q\n%q", data, out)
		}
		if !res.Added && !bytes.Equal(out, data) {
			t.Fatalf("nothing added but the file changed")
		}
		doc, err := parseTOML("config.toml", out, "")
		if err != nil {
			t.Fatalf("result does not parse: %v\n%q", err, out)
		}
		servers, err := tomlServers("config.toml", doc, "")
		if err != nil {
			t.Fatal(err)
		}
		if c, a, ok := tomlCommand(servers[res.Server]); !ok || !isMCPCommand(c, a) {
			t.Fatalf("server %q does not run wf mcp:\n%q", res.Server, out)
		}
		again, res2, err := MergeCodexMCP("config.toml", out)
		if err != nil || res2.Added || !bytes.Equal(again, out) {
			t.Fatalf("second merge of %q: %+v, err %v", out, res2, err)
		}
	})
}
