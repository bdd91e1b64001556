package agentsetup

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzMergeSettings: for any input, each merge either refuses it or
// returns valid JSON that is the input with bytes inserted only, and a
// second merge changes nothing.
func FuzzMergeSettings(f *testing.F) {
	for _, s := range []string{"", "{}", "{\r\n\t\"a\": [1, 2]\r\n}\r\n", `{"hooks": {}}`, `{"hooks": {"SessionStart": []}}`,
		"{\n  \"hooks\": {\n    \"SessionStart\": [\n      {\"matcher\": \"startup\", \"hooks\": [{\"type\": \"command\", \"command\": \"wf resume\"}]}\n    ]\n  }\n}\n",
		`{"hooks": {"SessionStart": [{"hooks": [{"type": "command", "command": "cd x && wf resume"}]}]}}`, "[]", "{\"a\":1,\"a\":2}", "  {  }  "} {
		f.Add([]byte(s))
	}
	merges := map[string]func(string, []byte) ([]byte, []string, error){
		"claude": MergeClaudeSettings, "codex": MergeCodexHooks, "gemini": MergeGeminiSettings,
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for name, merge := range merges {
			out, added, err := merge("s.json", data)
			if err != nil {
				continue
			}
			if !json.Valid(out) {
				t.Fatalf("%s: invalid JSON out of %q:\n%s", name, data, out)
			}
			if len(added) == 0 && !bytes.Equal(out, data) {
				t.Fatalf("%s: nothing added but the file changed", name)
			}
			p := 0
			for p < len(data) && p < len(out) && data[p] == out[p] {
				p++
			}
			q := 0
			for q < len(data)-p && q < len(out)-p && data[len(data)-1-q] == out[len(out)-1-q] {
				q++
			}
			if len(added) > 0 && p+q != len(data) && len(bytes.TrimSpace(data)) > 0 {
				// More than one entry (Gemini, several sources) is several
				// insertions: the input must still be a subsequence.
				if !subsequence(data, out) {
					t.Fatalf("%s: input bytes changed:\n%q\n%q", name, data, out)
				}
			}
			again, added2, err := merge("s.json", out)
			if err != nil || added2 != nil || !bytes.Equal(again, out) {
				t.Fatalf("%s: second merge: added %v, err %v", name, added2, err)
			}
		}
	})
}

// subsequence reports whether a's bytes appear in b in order.
func subsequence(a, b []byte) bool {
	i := 0
	for j := 0; i < len(a) && j < len(b); j++ {
		if a[i] == b[j] {
			i++
		}
	}
	return i == len(a)
}
