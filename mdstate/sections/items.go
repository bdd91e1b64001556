package sections

import "strings"

// Item is one list item of a fragment.
type Item struct {
	Text string // the item's text, continuation lines joined with a space
	Line int    // 1-based line of its first line (see [Items] and [Section.Items])
}

// Items returns the list items of a Markdown fragment, such as a section's
// text. A line whose trimmed text starts with "- ", "* ", "+ ", "1. " or
// "1) " (any number; see [CutItem]) starts an item, unless the line is
// indented by two spaces or a tab. Every other non-blank line, trimmed,
// continues the previous item, joined with one space: indented sub-items
// and wrapped lines become part of their parent. A non-blank line before
// the first item starts an item of its own, with its text as it is. Blank lines are skipped. Lines
// are 1-based lines of text. Items does not know about fenced code: a
// caller that keeps code in a list section gets its lines as text.
//
// These are the rules of checkpoint's listItems, which reads the Next
// Actions, Context and Key Decisions sections; Items takes time linear in
// the length of text.
func Items(text string) []Item {
	var out []Item
	var cur []string // the pieces of the last item, joined when it ends
	flush := func() {
		if len(cur) > 0 {
			out[len(out)-1].Text = strings.Join(cur, " ")
			cur = cur[:0]
		}
	}
	for n, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		s, ok := CutItem(t)
		switch {
		case ok && !strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "\t"):
		case len(out) == 0:
			s = t // text before the first item, marker and all
		default:
			cur = append(cur, t)
			continue
		}
		flush()
		out = append(out, Item{Line: n + 1})
		cur = append(cur, s)
	}
	flush()
	return out
}

// Items returns the list items of the section's text as [Items] does, with
// Line the line in the file.
func (s *Section) Items() []Item {
	items := Items(s.Text)
	for i := range items {
		items[i].Line += s.TextLine - 1
	}
	return items
}

// CutItem returns the text of a list item line t (already trimmed of
// leading white space) without its marker: "- ", "* ", "+ ", or one or more
// digits then "." or ")" and a space; the rest is trimmed. ok is false, and
// text is t, when t does not start with a marker. A marker alone ("-") is
// not an item.
func CutItem(t string) (text string, ok bool) {
	for _, p := range []string{"- ", "* ", "+ "} {
		if s, ok := strings.CutPrefix(t, p); ok {
			return strings.TrimSpace(s), true
		}
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && t[i+1] == ' ' {
		return strings.TrimSpace(t[i+2:]), true
	}
	return t, false
}
