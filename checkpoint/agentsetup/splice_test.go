package agentsetup

import (
	"strings"
	"testing"
)

// TestMergeClaudeSettingsSplices: the hook is inserted into the user's
// JSON text; CRLF line endings, tabs, one-line arrays and objects, escapes
// and member order stay byte for byte, and only inserted bytes differ.
func TestMergeClaudeSettingsSplices(t *testing.T) {
	for name, tc := range map[string]struct{ in, inserted string }{
		"crlf tabs compact members": {
			in:       "{\r\n\t\"permissions\": {\r\n\t\t\"allow\": [\"Bash(npm test)\", \"Read(./src/**)\"],\r\n\t\t\"deny\": []\r\n\t},\r\n\t\"env\": {\"FOO\": \"a<b&c\"}\r\n}\r\n",
			inserted: ",\r\n\t\"hooks\": {\r\n\t\t\"SessionStart\": [\r\n\t\t\t{\r\n\t\t\t\t\"matcher\": \"startup|resume|clear|compact\",\r\n\t\t\t\t\"hooks\": [\r\n\t\t\t\t\t{\r\n\t\t\t\t\t\t\"type\": \"command\",\r\n\t\t\t\t\t\t\"command\": \"wf resume --if-present --hook claude\"\r\n\t\t\t\t\t}\r\n\t\t\t\t]\r\n\t\t\t}\r\n\t\t]\r\n\t}",
		},
		"existing hooks object": {
			in:       "{\n  \"hooks\": {\n    \"Stop\": []\n  }\n}\n",
			inserted: ",\n    \"SessionStart\": [\n      {\n        \"matcher\": \"startup|resume|clear|compact\",\n        \"hooks\": [\n          {\n            \"type\": \"command\",\n            \"command\": \"wf resume --if-present --hook claude\"\n          }\n        ]\n      }\n    ]",
		},
		"existing SessionStart array": {
			in:       "{\n  \"hooks\": {\n    \"SessionStart\": [\n      {\"matcher\": \"startup\", \"hooks\": [{\"type\": \"command\", \"command\": \"echo hi\"}]}\n    ]\n  }\n}\n",
			inserted: ",\n      {\n        \"matcher\": \"startup|resume|clear|compact\",\n        \"hooks\": [\n          {\n            \"type\": \"command\",\n            \"command\": \"wf resume --if-present --hook claude\"\n          }\n        ]\n      }",
		},
		"one-line file": {
			in:       `{"model": "opus", "hooks": {"SessionStart": []}}`,
			inserted: `{"matcher":"startup|resume|clear|compact","hooks":[{"type":"command","command":"wf resume --if-present --hook claude"}]}`,
		},
		"empty array over lines": {
			in:       "{\n  \"hooks\": {\n    \"SessionStart\": [\n    ]\n  }\n}\n",
			inserted: "\n      {\n        \"matcher\": \"startup|resume|clear|compact\",\n        \"hooks\": [\n          {\n            \"type\": \"command\",\n            \"command\": \"wf resume --if-present --hook claude\"\n          }\n        ]\n      }",
		},
	} {
		t.Run(name, func(t *testing.T) {
			out, added, err := MergeClaudeSettings("settings.json", []byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(added) != 4 {
				t.Errorf("added %v", added)
			}
			insertionOnly(t, []byte(tc.in), out)
			if got := len(out) - len(tc.in); got != len(tc.inserted) || !strings.Contains(string(out), tc.inserted) {
				t.Errorf("inserted %d bytes, want %q; got\n%s", got, tc.inserted, out)
			}
			checkClaudeShape(t, out)
			again, added, err := MergeClaudeSettings("settings.json", out)
			if err != nil || added != nil || string(again) != string(out) {
				t.Errorf("second run: added %v, err %v", added, err)
			}
		})
	}
}

// TestIsResumeCommand: wf's resume hook is recognised in the forms people
// write it, and other commands are not taken for it.
func TestIsResumeCommand(t *testing.T) {
	for _, cmd := range []string{
		"wf resume",
		"wf resume --if-present",
		"wf resume --if-present --hook claude",
		`cd "$CLAUDE_PROJECT_DIR" && wf resume`,
		`cd "$CLAUDE_PROJECT_DIR"; wf resume --budget 3000`,
		"WF_DIR=state FOO=1 wf resume",
		"/usr/local/bin/wf resume",
		`"$CLAUDE_PROJECT_DIR"/bin/wf resume`,
		"$CLAUDE_PROJECT_DIR/bin/wf resume --if-present",
		`bash -c "wf resume"`,
		"wf.exe resume",
		"(wf resume || true)",
		"echo start | wf resume",
	} {
		if !isResumeCommand(cmd) {
			t.Errorf("%q not recognised as wf resume", cmd)
		}
	}
	for _, cmd := range []string{"wf status", "mywf resume", "wf resumes", "wf-resume", "echo wf", "wf  checkpoint -m resume", ""} {
		if isResumeCommand(cmd) {
			t.Errorf("%q taken for wf resume", cmd)
		}
	}
}

// TestMergeClaudeSettingsSeesExistingHook: a SessionStart hook that runs wf
// resume behind `cd "$CLAUDE_PROJECT_DIR" &&` covers every source; nothing
// is added.
func TestMergeClaudeSettingsSeesExistingHook(t *testing.T) {
	in := `{
  "hooks": {
    "SessionStart": [
      {
        "matcher": "",
        "hooks": [
          { "type": "command", "command": "cd \"$CLAUDE_PROJECT_DIR\" && wf resume" }
        ]
      }
    ]
  }
}
`
	out, added, err := MergeClaudeSettings("settings.json", []byte(in))
	if err != nil || added != nil || string(out) != in {
		t.Fatalf("added %v, err %v, changed %t", added, err, string(out) != in)
	}
}
