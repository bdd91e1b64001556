package agentsetup

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// goldenClaude is what `wf setup claude` writes into a project without
// settings: the structure of the Claude Code hooks reference
// (https://code.claude.com/docs/en/hooks).
const goldenClaude = `{
  "hooks": {
    "SessionStart": [
      {
        "matcher": "startup|resume|clear|compact",
        "hooks": [
          {
            "type": "command",
            "command": "wf resume --if-present --hook claude"
          }
        ]
      }
    ]
  }
}
`

func TestMergeClaudeSettingsGolden(t *testing.T) {
	// A file with no settings gets the golden layout; what was there (blank
	// lines, a missing final newline) stays, around the inserted bytes.
	for in, want := range map[string]string{
		"":              goldenClaude,
		"  \n":          "  \n" + goldenClaude,
		"{}":            strings.TrimSuffix(goldenClaude, "\n"),
		"{}\n":          goldenClaude,
		`{"hooks": {}}`: `{"hooks": {"SessionStart":[{"matcher":"startup|resume|clear|compact","hooks":[{"type":"command","command":"wf resume --if-present --hook claude"}]}]}}`,
	} {
		out, added, err := MergeClaudeSettings("settings.json", []byte(in))
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if string(out) != want {
			t.Errorf("%q: got\n%s\nwant\n%s", in, out, want)
		}
		if !reflect.DeepEqual(added, SessionSources()) {
			t.Errorf("%q: added %v", in, added)
		}
		checkClaudeShape(t, out)
		insertionOnly(t, []byte(in), out)
	}
}

// insertionOnly checks that out is in with one run of bytes inserted:
// every byte of in is still there, in order, around it.
func insertionOnly(t *testing.T, in, out []byte) {
	t.Helper()
	p := 0
	for p < len(in) && p < len(out) && in[p] == out[p] {
		p++
	}
	q := 0
	for q < len(in)-p && q < len(out)-p && in[len(in)-1-q] == out[len(out)-1-q] {
		q++
	}
	if p+q != len(in) {
		t.Errorf("not an insertion: %d bytes of the input changed (from offset %d):\n--- in ---\n%s\n--- out ---\n%s", len(in)-p-q, p, in, out)
	}
}

// checkClaudeShape checks out against the documented hook structure:
// hooks.SessionStart is a list of {matcher, hooks: [{type, command}]} and
// some entry runs `wf resume` for each session source.
func checkClaudeShape(t *testing.T, out []byte) {
	t.Helper()
	var doc struct {
		Hooks map[string][]struct {
			Matcher *string `json:"matcher"`
			Hooks   []struct {
				Type    string `json:"type"`
				Command string `json:"command"`
			} `json:"hooks"`
		} `json:"hooks"`
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("result does not have the hooks structure: %v\n%s", err, out)
	}
	got := map[string]bool{}
	for _, e := range doc.Hooks["SessionStart"] {
		for _, h := range e.Hooks {
			if h.Type == "command" && isResumeCommand(h.Command) {
				for _, s := range claudeMatched(e.Matcher) {
					got[s] = true
				}
			}
		}
	}
	for _, s := range SessionSources() {
		if !got[s] {
			t.Errorf("no SessionStart hook runs wf resume on %q:\n%s", s, out)
		}
	}
}

func TestMergeClaudeSettingsKeepsEverything(t *testing.T) {
	in := `{
  "permissions": {
    "allow": ["Bash(go test:*)", "Read(<docs>/**)"],
    "deny": []
  },
  "env": {"BIG": 12345678901234567890, "E": 1e3, "S": "caf\u00e9 & <b>"},
  "hooks": {
    "PreToolUse": [
      {"matcher": "Bash", "hooks": [{"type": "command", "command": "./check.sh", "timeout": 30}]}
    ],
    "SessionStart": [
      {"matcher": "startup", "hooks": [{"type": "command", "command": "echo hello"}]}
    ],
    "Stop": []
  },
  "model": "opus"
}
`
	out, added, err := MergeClaudeSettings("settings.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(added, SessionSources()) {
		t.Errorf("added %v", added)
	}
	checkClaudeShape(t, out)
	// Key order kept, other values byte for byte (modulo indentation).
	for _, want := range []string{
		`"permissions": {`, `"Bash(go test:*)"`, `"Read(<docs>/**)"`, `"BIG": 12345678901234567890`, `"E": 1e3`,
		`"S": "caf\u00e9 & <b>"`, `"command": "./check.sh"`, `"timeout": 30`, `"command": "echo hello"`, `"Stop": []`,
		`"model": "opus"`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("lost %s:\n%s", want, out)
		}
	}
	order := []string{`"permissions"`, `"env"`, `"hooks"`, `"PreToolUse"`, `"SessionStart"`, `"echo hello"`, `"wf resume --if-present --hook claude"`, `"Stop"`, `"model"`}
	last := -1
	for _, k := range order {
		i := strings.Index(string(out), k)
		if i < last {
			t.Errorf("%s moved:\n%s", k, out)
		}
		last = i
	}
	// Everything but the new entry is equal as JSON.
	var a, b map[string]any
	json.Unmarshal([]byte(in), &a)
	json.Unmarshal(out, &b)
	ss := b["hooks"].(map[string]any)["SessionStart"].([]any)
	if len(ss) != 2 {
		t.Fatalf("SessionStart has %d entries, want 2", len(ss))
	}
	b["hooks"].(map[string]any)["SessionStart"] = ss[:1]
	if !reflect.DeepEqual(a, b) {
		t.Errorf("other content changed:\n%s", out)
	}
	insertionOnly(t, []byte(in), out)
	// Idempotent.
	again, added, err := MergeClaudeSettings("settings.json", out)
	if err != nil || added != nil || !bytes.Equal(again, out) {
		t.Errorf("second merge: added %v, err %v, changed %v", added, err, !bytes.Equal(again, out))
	}
}

func TestMergeClaudeSettingsAlreadyInstalled(t *testing.T) {
	for name, in := range map[string]string{
		"golden":     goldenClaude,
		"no matcher": `{"hooks":{"SessionStart":[{"hooks":[{"type":"command","command":"wf resume"}]}]}}`,
		"star":       `{"hooks":{"SessionStart":[{"matcher":"*","hooks":[{"type":"command","command":"wf resume --budget 3000"}]}]}}`,
		"split": `{"hooks":{"SessionStart":[
			{"matcher":"startup|resume","hooks":[{"type":"command","command":"/usr/local/bin/wf resume"}]},
			{"matcher":"clear|compact","hooks":[{"type":"command","command":"echo x"},{"type":"command","command":"wf resume"}]}]}}`,
		"regex": `{"hooks":{"SessionStart":[{"matcher":".*","hooks":[{"type":"command","command":"wf resume"}]}]}}`,
	} {
		out, added, err := MergeClaudeSettings("s.json", []byte(in))
		if err != nil || added != nil || string(out) != in {
			t.Errorf("%s: added %v, err %v, changed %v", name, added, err, string(out) != in)
		}
	}
}

// TestMergeClaudeSettingsExactNames: Claude Code reads a hook's "hooks",
// "type" and "command" by their exact names; a hook that spells them
// otherwise runs nothing, so wf still adds its own.
func TestMergeClaudeSettingsExactNames(t *testing.T) {
	for _, in := range []string{
		`{"hooks":{"SessionStart":[{"Hooks":[{"type":"command","command":"wf resume"}]}]}}`,
		`{"hooks":{"SessionStart":[{"hooks":[{"Type":"command","command":"wf resume"}]}]}}`,
		`{"hooks":{"SessionStart":[{"hooks":[{"type":"command","COMMAND":"wf resume"}]}]}}`,
	} {
		out, added, err := MergeClaudeSettings("s.json", []byte(in))
		if err != nil || len(added) == 0 {
			t.Errorf("%s: added %v, err %v, want wf's hook added", in, added, err)
			continue
		}
		checkClaudeShape(t, out)
	}
}

func TestMergeClaudeSettingsPartial(t *testing.T) {
	in := "{\n    \"hooks\": {\n        \"SessionStart\": [\n            {\"matcher\": \"startup\", \"hooks\": [{\"type\": \"command\", \"command\": \"wf resume\"}]}\n        ]\n    }\n}\n"
	out, added, err := MergeClaudeSettings("s.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"resume", "clear", "compact"}; !reflect.DeepEqual(added, want) {
		t.Errorf("added %v, want %v", added, want)
	}
	if !strings.Contains(string(out), `"matcher": "resume|clear|compact"`) {
		t.Errorf("no entry for the missing sources:\n%s", out)
	}
	if !strings.HasPrefix(string(out), "{\n    \"hooks\": {\n        \"SessionStart\": [") {
		t.Errorf("4-space indentation not kept:\n%s", out)
	}
	checkClaudeShape(t, out)
}

func TestMergeClaudeSettingsRefuses(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"{\n  \"a\": 1,\n  \"b\": ,\n}", "s.json:3:8: invalid JSON"},
		{"{\n  \"a\": 1\n", "s.json:2:9: invalid JSON"},
		{`{"a": 1} {}`, "s.json:1:10: invalid JSON"},
		{"[]", "s.json: is not a JSON object"},
		{"null", "s.json: is not a JSON object"},
		{`{"hooks": []}`, `s.json: "hooks" is not a JSON object`},
		{`{"hooks": {"SessionStart": {}}}`, `s.json: "hooks.SessionStart" is not an array`},
		{`{"hooks": {"SessionStart": null}}`, `s.json: "hooks.SessionStart" is not an array`},
	} {
		_, _, err := MergeClaudeSettings("s.json", []byte(c.in))
		var je *JSONError
		if !errors.As(err, &je) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: err %v, want prefix %q", c.in, err, c.want)
		} else if je.Hint() == "" {
			t.Errorf("%q: no hint", c.in)
		}
	}
}

func TestSetupClaudeFiles(t *testing.T) {
	top := t.TempDir()
	path := filepath.Join(top, ".claude", "settings.json")

	res, err := SetupClaude(top, false)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || !res.Changed || res.Path != path {
		t.Errorf("first run: %+v", res)
	}
	if b, _ := os.ReadFile(path); string(b) != goldenClaude {
		t.Errorf("wrote\n%s", b)
	}
	res, err = SetupClaude(top, false)
	if err != nil || res.Changed || res.Created {
		t.Errorf("second run: %+v %v", res, err)
	}

	// Invalid JSON is left alone.
	bad := []byte("{\n  \"hooks\": {\n    \"SessionStart\": [\n  }\n}\n")
	os.WriteFile(path, bad, 0o644)
	if _, err := SetupClaude(top, false); err == nil || !strings.Contains(err.Error(), "settings.json:4:3") {
		t.Errorf("invalid JSON: %v", err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, bad) {
		t.Errorf("invalid file was changed")
	}

	// --local writes settings.local.json.
	res, err = SetupClaude(top, true)
	if err != nil || !res.Created || filepath.Base(res.Path) != "settings.local.json" {
		t.Errorf("local: %+v %v", res, err)
	}
}

func TestMergeAgentsMD(t *testing.T) {
	block := strings.Join(agentsSection, "\n")
	for _, c := range []struct{ name, in, want string }{
		{"empty", "", block + "\n"},
		{"no final newline", "# Agents\nBe nice.", "# Agents\nBe nice.\n\n" + block + "\n"},
		{"final newline", "# Agents\n", "# Agents\n\n" + block + "\n"},
		{"blank line at end", "# Agents\n\n", "# Agents\n\n" + block + "\n"},
		{"crlf", "# Agents\r\nBe nice.\r\n", "# Agents\r\nBe nice.\r\n\r\n" + strings.Join(agentsSection, "\r\n") + "\r\n"},
		{"old block", "# A\n\n" + AgentsBegin + "\nold text\n" + AgentsEnd + "\n\n## Other\nkept\n", "# A\n\n" + block + "\n\n## Other\nkept\n"},
		{"old block at end, no newline", "\ufeffx\n" + AgentsBegin + "\nold\n" + AgentsEnd, "\ufeffx\n" + block},
		{"crlf old block", "a\r\n" + AgentsBegin + "\r\nold\r\n" + AgentsEnd + "\r\nb\r\n", "a\r\n" + strings.Join(agentsSection, "\r\n") + "\r\nb\r\n"},
	} {
		out, changed, err := MergeAgentsMD("AGENTS.md", []byte(c.in))
		if err != nil || !changed || string(out) != c.want {
			t.Errorf("%s: changed %v err %v\ngot  %q\nwant %q", c.name, changed, err, out, c.want)
			continue
		}
		again, changed, err := MergeAgentsMD("AGENTS.md", out)
		if err != nil || changed || !bytes.Equal(again, out) {
			t.Errorf("%s: second run changed %v err %v", c.name, changed, err)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"a\n" + AgentsBegin + "\nb\n", "AGENTS.md:2: " + AgentsBegin + " without"},
		{"a\n\n" + AgentsEnd + "\n", "AGENTS.md:3: " + AgentsEnd + " without"},
		{AgentsEnd + "\n" + AgentsBegin + "\n", "AGENTS.md:1: " + AgentsEnd + " before"},
		{AgentsBegin + "\n" + AgentsBegin + "\n" + AgentsEnd + "\n", "AGENTS.md:2: a second"},
		{AgentsBegin + "\n" + AgentsEnd + "\n" + AgentsEnd + "\n", "AGENTS.md:3: a second"},
	} {
		_, _, err := MergeAgentsMD("AGENTS.md", []byte(c.in))
		var fe *mdstate.FileError
		if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), c.want) || fe.Hint() == "" {
			t.Errorf("%q: err %v, want prefix %q", c.in, err, c.want)
		}
	}
}

func TestSetupAgentsMDFiles(t *testing.T) {
	top := t.TempDir()
	path := filepath.Join(top, "AGENTS.md")
	res, err := SetupAgentsMD(top)
	if err != nil || !res.Created || !res.Changed {
		t.Fatalf("create: %+v %v", res, err)
	}
	first, _ := os.ReadFile(path)
	if !strings.Contains(string(first), "wf resume") || !strings.Contains(string(first), "wf checkpoint -m") {
		t.Errorf("section lacks the commands:\n%s", first)
	}
	res, err = SetupAgentsMD(top)
	if err != nil || res.Changed {
		t.Errorf("second run: %+v %v", res, err)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(again, first) {
		t.Errorf("second run changed the file")
	}
}

func TestSetupTop(t *testing.T) {
	dir := t.TempDir()
	top, inRepo, err := SetupTop(workspace.Options{WorkDir: dir})
	if err != nil || inRepo || top != dir {
		t.Errorf("outside git: %q %v %v", top, inRepo, err)
	}
}
