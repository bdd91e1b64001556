package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/wf-tool/wf/checkpoint/tokens"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// DefaultPromptBudget is the token budget of [Prompt] when the caller
// gives none: the spec, the result format and a conventions file of a few
// hundred lines fit in it.
const DefaultPromptBudget = 4000

// ResultTemplate returns the exact result format a sub-agent fills in for
// spec name (seed 002: "Status, Changes, Decisions, Tests needed,
// Issues").
func ResultTemplate(name string) string {
	return "# Result: " + name + `

## Status
complete | partial | failed (for partial or failed, say why; "bucket: test-fail" names the failure kind)

## Changes
- path/from/repository/top (+added -deleted) what changed

## Decisions
- a choice you made that the spec left open, and why (or: (none))

## Tests needed
- a test the leader should add or run (or: (none))

## Issues
- anything the leader must know: problems found, files outside your scope that need changing (or: (none))
`
}

// RecordCommand is the one command that records a result for spec name,
// reading it from stdin.
func RecordCommand(name string) string { return "wf spec result " + name + " < result.md" }

// PromptResult is a brief and what it holds.
type PromptResult struct {
	Text        string // the brief
	Tokens      int    // its estimate (checkpoint/tokens)
	Budget      int
	Conventions string // the conventions file included, relative to the top; "" for none
	Truncated   bool   // the conventions file was cut to fit
}

// BudgetError is a spec that does not fit the brief's budget even
// without the conventions file.
type BudgetError struct {
	Name         string
	Need, Budget int
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("the brief for spec %s needs about %d tokens without the conventions file, over the budget of %d", e.Name, e.Need, e.Budget)
}

// Hint says what to do.
func (e *BudgetError) Hint() string {
	return fmt.Sprintf("raise it (wf spec prompt %s --budget %d) or split the spec into smaller ones", e.Name, e.Need)
}

// Prompt builds the self-contained brief a fresh sub-agent is given for
// spec s (seed 002, "Why Specs Beat Verbal Instructions": everything it
// needs, nothing it does not): how to work, the spec file as written, the
// project's conventions file (the first of [workspace.ConventionFiles] at
// the git top level), the exact result format and the one command that
// records it. It stays within budget tokens (estimated with
// checkpoint/tokens, as resume counts them; 0 means
// [DefaultPromptBudget]): when it does not fit, the conventions file is
// cut at a line boundary with a note, then left out; when the rest alone
// does not fit it returns a [*BudgetError].
func Prompt(w *workspace.Workspace, s *Spec, budget int) (*PromptResult, error) {
	if budget <= 0 {
		budget = DefaultPromptBudget
	}
	var head strings.Builder
	fmt.Fprintf(&head, "# Brief: spec %s\n\n", s.Name)
	fmt.Fprintf(&head, "You are a sub-agent with one scoped task. Read only the files under \"Files to Read\" and change only the files under \"Files to Modify\" (create those marked (new)). Do not change any other file; if one needs changing, say so under Issues. Paths are from the repository top.\n")
	if n, text := s.Item(); n > 0 {
		fmt.Fprintf(&head, "This spec delivers TODO item %d: %s\n", n, text)
	}
	fmt.Fprintf(&head, "\n## The spec (%s)\n\n", s.Path)
	head.WriteString(strings.TrimRight(string(s.Doc.Src), "\n"))
	head.WriteString("\n")

	var tail strings.Builder
	fmt.Fprintf(&tail, "\n## When you are done\n\nWrite your result in exactly this format (about 100 tokens; no transcript):\n\n````markdown\n%s````\n\n", ResultTemplate(s.Name))
	fmt.Fprintf(&tail, "Record it with this one command, from the repository or your worktree:\n\n    %s\n\n(or: wf spec result %s --file result.md). If it is refused, fix what the error names and run it again.\n", RecordCommand(s.Name), s.Name)

	base := head.String() + tail.String()
	need := tokens.EstimateTokens(base)
	if need > budget {
		return nil, &BudgetError{Name: s.Name, Need: need, Budget: budget}
	}
	res := &PromptResult{Budget: budget}
	conv, convName := conventions(w)
	text := base
	if conv != "" {
		intro := fmt.Sprintf("\n## Project conventions (%s)\n\n", convName)
		full := head.String() + intro + strings.TrimRight(conv, "\n") + "\n" + tail.String()
		if tokens.EstimateTokens(full) <= budget {
			text, res.Conventions = full, convName
		} else {
			note := fmt.Sprintf("\n[… %s cut to fit the brief's budget; read the rest of it if you need it]\n", convName)
			room := budget - need - tokens.EstimateTokens(intro+note)
			if cut, _ := tokens.TruncateToTokens(conv, room); strings.TrimSpace(cut) != "" {
				text = head.String() + intro + strings.TrimRight(cut, "\n") + "\n" + note + tail.String()
				res.Conventions, res.Truncated = convName, true
			}
		}
	}
	res.Text, res.Tokens = text, tokens.EstimateTokens(text)
	return res, nil
}

// conventions returns the first conventions file at the top level and its
// name; "" when there is none or it cannot be read.
func conventions(w *workspace.Workspace) (string, string) {
	for _, n := range workspace.ConventionFiles() {
		p := filepath.Join(w.Top(), n)
		data, _, err := mdstate.ReadFile(w.Top(), p)
		if errors.Is(err, fs.ErrNotExist) || err != nil {
			continue
		}
		return string(data), n
	}
	return "", ""
}
