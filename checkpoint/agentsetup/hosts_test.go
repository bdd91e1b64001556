package agentsetup

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestSetupCodexAndGemini: each writes its agent's documented layout,
// running wf resume in hook mode for every session source, and a second
// run changes nothing.
func TestSetupCodexAndGemini(t *testing.T) {
	for _, tc := range []struct {
		name    string
		setup   func(string) (SetupResult, error)
		file    string
		command string
		matcher *string
	}{
		{"codex", SetupCodex, CodexHooksFile, CodexHookCommand, ptr("startup|resume|clear")},
		{"gemini", SetupGemini, GeminiSettingsFile, GeminiHookCommand, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			top := t.TempDir()
			res, err := tc.setup(top)
			if err != nil || !res.Created || !res.Changed || len(res.Sources) != 3 {
				t.Fatalf("first run: %+v %v", res, err)
			}
			data, err := os.ReadFile(filepath.Join(top, filepath.FromSlash(tc.file)))
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Hooks struct {
					SessionStart []struct {
						Matcher *string `json:"matcher"`
						Hooks   []struct {
							Type, Command string
						} `json:"hooks"`
					}
				} `json:"hooks"`
			}
			if err := json.Unmarshal(data, &doc); err != nil || len(doc.Hooks.SessionStart) != 1 {
				t.Fatalf("%s: %v\n%s", tc.file, err, data)
			}
			e := doc.Hooks.SessionStart[0]
			if !reflect.DeepEqual(e.Matcher, tc.matcher) || len(e.Hooks) != 1 || e.Hooks[0].Type != "command" || e.Hooks[0].Command != tc.command {
				t.Errorf("%s:\n%s", tc.file, data)
			}
			res, err = tc.setup(top)
			if err != nil || res.Changed {
				t.Errorf("second run: %+v %v", res, err)
			}
		})
	}
}

func ptr(s string) *string { return &s }

// TestMergeGeminiSettingsPartial: Gemini CLI's lifecycle matchers name one
// source exactly, so an existing startup hook gets one entry each for
// resume and clear, spliced in after it; the CRLF file keeps its bytes.
func TestMergeGeminiSettingsPartial(t *testing.T) {
	in := "{\r\n  \"theme\": \"dark\",\r\n  \"hooks\": {\"SessionStart\": [{\"matcher\": \"startup\", \"hooks\": [{\"type\": \"command\", \"command\": \"cd \\\"$GEMINI_PROJECT_DIR\\\" && wf resume\"}]}]}\r\n}\r\n"
	out, added, err := MergeGeminiSettings("settings.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(added, []string{"resume", "clear"}) {
		t.Errorf("added %v", added)
	}
	insertionOnly(t, []byte(in), out)
	again, added, err := MergeGeminiSettings("settings.json", out)
	if err != nil || added != nil || string(again) != string(out) {
		t.Errorf("second run: added %v, err %v", added, err)
	}
}
