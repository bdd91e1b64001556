package verbs

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func longResume(sections, linesPer int) string {
	var b strings.Builder
	b.WriteString("# Resume: big\n")
	for s := range sections {
		fmt.Fprintf(&b, "## Section %d\n", s)
		for l := range linesPer {
			fmt.Fprintf(&b, "- line %d of section %d: ünïcödé text that fills the line up to about sixty chars\n", l, s)
		}
	}
	return b.String()
}

// TestCapHookText: output over the limit is cut at a line boundary, stays
// within the limit in characters (not bytes), and ends with a line naming
// how much and which sections were cut and how to read the rest.
func TestCapHookText(t *testing.T) {
	short := longResume(2, 3)
	if got := CapHookText(short, HookLimit); got != short {
		t.Errorf("text under the limit changed")
	}
	text := longResume(10, 40) // about 30,000 characters
	got := CapHookText(text, HookLimit)
	if n := utf8.RuneCountInString(got); n > HookLimit || n < HookLimit-200 {
		t.Errorf("capped to %d characters, want at most %d and not much less", n, HookLimit)
	}
	lines := strings.SplitAfter(got, "\n")
	closing := lines[len(lines)-2] // the text ends with "\n"
	head := strings.Join(lines[:len(lines)-2], "")
	if !strings.HasPrefix(text, head) || !strings.HasSuffix(head, "\n") {
		t.Errorf("the kept text is not a prefix of whole lines")
	}
	cut := utf8.RuneCountInString(text) - utf8.RuneCountInString(head)
	for _, want := range []string{fmt.Sprintf("%d of %d characters cut", cut, utf8.RuneCountInString(text)), "Section 9", "part of Section", "wf resume --full"} {
		if !strings.Contains(closing, want) {
			t.Errorf("closing line %q does not say %q", closing, want)
		}
	}
	if strings.Contains(closing, "Section 0,") {
		t.Errorf("closing line names a section that was kept: %q", closing)
	}
}

// TestHookOutput: Claude Code gets plain text; Codex and Gemini CLI the
// JSON object with additionalContext, capped the same way; an unknown host
// is a usage error.
func TestHookOutput(t *testing.T) {
	text := longResume(10, 40)
	out, err := HookOutput("claude", text)
	if err != nil || utf8.RuneCountInString(out) > HookLimit {
		t.Fatalf("claude: %d characters, %v", utf8.RuneCountInString(out), err)
	}
	for _, host := range []string{"codex", "gemini"} {
		out, err := HookOutput(host, text)
		if err != nil {
			t.Fatal(err)
		}
		var v struct {
			H struct {
				Event   string `json:"hookEventName"`
				Context string `json:"additionalContext"`
			} `json:"hookSpecificOutput"`
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil || v.H.Event != "SessionStart" || utf8.RuneCountInString(v.H.Context) > HookLimit || !strings.HasPrefix(text, v.H.Context[:100]) {
			t.Errorf("%s: %v %+v", host, err, v.H.Event)
		}
	}
	if _, err := HookOutput("cursor", text); err == nil {
		t.Error("unknown host accepted")
	}
}
