package checkpoint

import (
	"fmt"
	"strings"
	"time"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate/sections"
)

// Section keys of a checkpoint file, in file order.
const (
	SecContext   = "context"
	SecSummary   = "summary"
	SecDecisions = "decisions"
	SecFiles     = "files"
	SecNext      = "next"
)

// sectionTitles are the headings wf writes.
var sectionTitles = []struct{ key, title string }{
	{SecContext, "Context Required to Resume"},
	{SecSummary, "State Summary"},
	{SecDecisions, "Key Decisions (do not re-evaluate)"},
	{SecFiles, "Current File State"},
	{SecNext, "Next Actions (in order)"},
}

// sectionKey classifies a heading of a body given on stdin.
func sectionKey(title string) string {
	t := strings.ToLower(title)
	switch {
	case strings.Contains(t, "context") || strings.Contains(t, "resume"):
		return SecContext
	case strings.Contains(t, "decision"):
		return SecDecisions
	case strings.Contains(t, "next") || strings.Contains(t, "action"):
		return SecNext
	case strings.Contains(t, "file"):
		return SecFiles
	case strings.Contains(t, "summary") || strings.Contains(t, "state") || strings.Contains(t, "status"):
		return SecSummary
	}
	return ""
}

// Body is a checkpoint body given as Markdown (on stdin): an optional H1
// title, text before the first H2 (taken as summary), and H2 sections
// matched to the checkpoint's sections by their words.
type Body struct {
	Title    string
	Preamble string
	Sections map[string]string // by section key
	Extra    []BodySection     // headings wf does not know, kept in order
}

// BodySection is an H2 and its text.
type BodySection struct{ Title, Text string }

// ParseBody splits a Markdown body (mdstate/sections reads its shape):
// the H1 gives the title ("# Checkpoint: X" and "# X" both give X), text
// before the first H2 is the preamble, without "**Date**:" style field
// lines (wf writes its own), and each H2 is matched to a checkpoint
// section by its words (sectionKey); repeated ones are joined, unknown
// ones kept in order in Extra. Headings inside fenced code blocks and
// HTML blocks are text.
func ParseBody(src []byte) *Body {
	d := sections.Parse(src)
	b := &Body{Sections: map[string]string{}}
	b.Title = d.Title
	if rest, ok := cutPrefixFold(b.Title, "checkpoint:"); ok {
		b.Title = strings.TrimSpace(rest)
	}
	var pre []string
	for _, l := range strings.Split(d.Preamble, "\n") {
		if !isFieldLine(strings.TrimSpace(l)) {
			pre = append(pre, l)
		}
	}
	b.Preamble = strings.Trim(strings.Join(pre, "\n"), "\n")
	for _, s := range d.Sections {
		if k := sectionKey(s.Title); k != "" {
			text := s.Text
			if old := b.Sections[k]; old != "" {
				text = old + "\n" + text
			}
			b.Sections[k] = text
		} else {
			b.Extra = append(b.Extra, BodySection{Title: s.Title, Text: s.Text})
		}
	}
	return b
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// isFieldLine matches "**Date**: …" lines.
func isFieldLine(t string) bool {
	if !strings.HasPrefix(t, "**") {
		return false
	}
	i := strings.Index(t[2:], "**")
	return i > 0 && strings.HasPrefix(t[2+i+2:], ":")
}

// ListItems returns the text of the list items of a Markdown fragment
// ("- x", "* x", "1. x"); indented lines and lines that are not items
// continue the previous one ([sections.Items]).
func ListItems(md string) []string {
	var out []string
	for _, it := range sections.Items(md) {
		out = append(out, it.Text)
	}
	return out
}

// Doc is a checkpoint file's content before rendering.
type Doc struct {
	ID       string
	Title    string
	Date     time.Time
	Phase    string
	Status   string
	Previous string // id of the previous checkpoint, "" for the first
	// Sections hold each section's Markdown body by key, in wf's layout.
	Sections map[string]string
	Extra    []BodySection
}

// Render writes the checkpoint file.
func (d *Doc) Render() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# Checkpoint: %s\n", d.Title)
	fmt.Fprintf(&b, "**Date**: %s\n", d.Date.Format(workspace.Timestamp))
	fmt.Fprintf(&b, "**Checkpoint**: %s\n", d.ID)
	if d.Phase != "" || d.Status != "" {
		fmt.Fprintf(&b, "**Phase**: %s\n", orText(d.Phase, "(none)"))
		fmt.Fprintf(&b, "**Status**: %s\n", orText(d.Status, "(none)"))
	}
	fmt.Fprintf(&b, "**Previous checkpoint**: %s\n", orText(d.Previous, "(none)"))
	b.WriteString("**Resumable by**: any agent with access to this repository\n")
	for _, s := range sectionTitles {
		fmt.Fprintf(&b, "\n## %s\n", s.title)
		text := strings.Trim(d.Sections[s.key], "\n")
		if text == "" {
			text = "(none)"
		}
		b.WriteString(text + "\n")
	}
	for _, x := range d.Extra {
		fmt.Fprintf(&b, "\n## %s\n", x.Title)
		if t := strings.Trim(x.Text, "\n"); t != "" {
			b.WriteString(t + "\n")
		}
	}
	return []byte(b.String())
}

func orText(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// Bullets renders items as a "- " list, one line each.
func Bullets(items []string) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString("- " + it + "\n")
	}
	return b.String()
}

// Numbered renders items as a "1. " list, one line each.
func Numbered(items []string) string {
	var b strings.Builder
	for i, it := range items {
		fmt.Fprintf(&b, "%d. %s\n", i+1, it)
	}
	return b.String()
}
