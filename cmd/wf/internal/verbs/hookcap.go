package verbs

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// A session-start hook's output is injected into the agent's context by
// its host, which keeps only so much of it. Claude Code adds a
// SessionStart hook's stdout to the context up to 10,000 characters and
// past that keeps only a short preview (hooks reference,
// https://code.claude.com/docs/en/hooks, "SessionStart"). Codex
// (https://developers.openai.com/codex/hooks, "SessionStart") and Gemini CLI
// (google-gemini/gemini-cli docs/hooks/reference.md, "SessionStart") take
// the context as JSON, hookSpecificOutput.additionalContext, and document
// no limit; wf keeps them to the same 10,000 characters so that no host
// truncates it silently.

// HookLimit is the most characters of resume text a hook injects.
const HookLimit = 10000

// HookHosts returns the hosts `wf resume --hook` knows; a fresh copy.
func HookHosts() []string { return []string{"claude", "codex", "gemini"} }

// HookOutput returns text as host's session-start hook prints it: capped
// at [HookLimit] characters by [CapHookText], then plain text for Claude
// Code, or the JSON object Codex and Gemini CLI read.
func HookOutput(host, text string) (string, error) {
	text = CapHookText(text, HookLimit)
	switch host {
	case "claude":
		return text, nil
	case "codex", "gemini":
		out := map[string]any{"hookSpecificOutput": map[string]any{"hookEventName": "SessionStart", "additionalContext": text}}
		b, err := json.Marshal(out)
		if err != nil {
			return "", err
		}
		return string(b) + "\n", nil
	}
	return "", Usagef("wf resume --if-present --hook claude", "--hook %q is not one of: %s", host, strings.Join(HookHosts(), ", "))
}

// CapHookText returns text when it has at most limit characters; else
// its first lines, cut at a line boundary, and a closing line that says
// how many characters and which "## " sections were cut and how to read
// the rest, all within limit characters.
func CapHookText(text string, limit int) string {
	total := utf8.RuneCountInString(text)
	if total <= limit {
		return text
	}
	closing := func(cut int, sections []string) string {
		what := ""
		if len(sections) > 0 {
			what = " (" + strings.Join(sections, ", ") + ")"
		}
		return fmt.Sprintf("[wf: %d of %d characters cut here%s to fit the session-start limit of %d; run `wf resume --full` to read everything]\n",
			cut, total, what, limit)
	}
	// Keep whole lines while they and the longest closing line fit.
	lines := strings.SplitAfter(text, "\n")
	var sectionsAll []string
	for _, l := range lines {
		if strings.HasPrefix(l, "## ") {
			sectionsAll = append(sectionsAll, strings.TrimSpace(strings.TrimPrefix(l, "## ")))
		}
	}
	budget := limit - utf8.RuneCountInString(closing(total, sectionsAll))
	kept, n := 0, 0
	for kept < len(lines) {
		c := utf8.RuneCountInString(lines[kept])
		if n+c > budget {
			break
		}
		n += c
		kept++
	}
	var cutSections []string
	for _, l := range lines[kept:] {
		if strings.HasPrefix(l, "## ") {
			cutSections = append(cutSections, strings.TrimSpace(strings.TrimPrefix(l, "## ")))
		}
	}
	// A line cut in the middle of a section names that section as partly cut.
	if kept < len(lines) && !strings.HasPrefix(lines[kept], "## ") {
		for i := kept - 1; i >= 0; i-- {
			if strings.HasPrefix(lines[i], "## ") {
				cutSections = append([]string{"part of " + strings.TrimSpace(strings.TrimPrefix(lines[i], "## "))}, cutSections...)
				break
			}
		}
	}
	head := strings.Join(lines[:kept], "")
	if head != "" && !strings.HasSuffix(head, "\n") {
		head += "\n"
	}
	return head + closing(total-n, cutSections)
}
