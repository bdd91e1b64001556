package mdstate

import "fmt"

// SuspectKind says why a task-shaped line is not one of wf's items.
type SuspectKind int

const (
	// SuspectUnknownBox is a box wf does not know: "[~]", "[/]", "[?]".
	SuspectUnknownBox SuspectKind = iota + 1
	// SuspectSpacedBox is a box with blanks around its mark: "[ x]", "[x ]".
	SuspectSpacedBox
	// SuspectInHTML is a line inside an HTML block, such as a <details>
	// element with no blank line after its <summary>: Markdown keeps an
	// HTML block as raw text, so nothing in it is a list.
	SuspectInHTML
	// SuspectTooDeep is a line nesting deeper than [MaxNesting].
	SuspectTooDeep
	// SuspectNotItem is a line Markdown reads as text rather than as the
	// first line of a list item: a paragraph's continuation ("2. [ ] x"
	// right after a paragraph), or a marker nesting wf does not read.
	SuspectNotItem
)

// Suspect is a line that another tool (GitHub, Obsidian, most task-list
// readers) would show as a task but wf does not read as an item. wf keeps
// it as written and counts it as an open item in every count, so that it
// never says that all the work is done while one exists; `wf lint` warns
// about it.
type Suspect struct {
	Line  int
	Kind  SuspectKind
	Box   string // what is between the brackets, as written
	Text  string // the rest of the line after the box, trimmed
	Phase string // the title of the nearest H2 above, "" if none
}

// Message says what the line is and why wf does not read it.
func (x Suspect) Message() string {
	switch x.Kind {
	case SuspectUnknownBox:
		return fmt.Sprintf("box [%s] is not one wf knows ([ ], [x], [-]); the line counts as an open item", x.Box)
	case SuspectSpacedBox:
		return fmt.Sprintf("box [%s] has blanks around its mark; the line counts as an open item", x.Box)
	case SuspectInHTML:
		return "checkbox line inside an HTML block is not an item; it counts as an open item"
	case SuspectTooDeep:
		return fmt.Sprintf("checkbox line nests more than %d levels and is not read; it counts as an open item", MaxNesting)
	default:
		return "checkbox line is not read as a list item (it continues the text above it); it counts as an open item"
	}
}

// Fix says how to make it an item wf reads.
func (x Suspect) Fix() string {
	switch x.Kind {
	case SuspectUnknownBox:
		return "write the box as [ ] (open), [x] (done) or [-] (skipped, with \"(skipped: reason)\")"
	case SuspectSpacedBox:
		return "write the box without blanks: [x], or [ ] for an open item"
	case SuspectInHTML:
		return "put a blank line after the HTML line that opens the block (e.g. after </summary>), or move the items out of it"
	case SuspectTooDeep:
		return fmt.Sprintf("nest the item at most %d levels deep", MaxNesting)
	default:
		return "put a blank line before it, or start it with \"- [ ]\" so it begins a list item"
	}
}

// taskShape finds a task box at the start of line, the way a line-based
// task-list reader finds one: blanks and "> " quote markers anywhere
// before the box, one or more list markers ("-", "+", "*", or up to 9 digits and "." or ")"),
// each followed by a blank, then "[", one to four characters other than
// brackets, "]", and a blank or the end of the line. It returns the box's
// inside and the offset just past "]". It reads each byte at most once.
func taskShape(line []byte) (box []byte, end int, ok bool) {
	i, markers := 0, 0
	for i < len(line) {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			i++
			continue
		case c == '>':
			i++
			continue
		case c == '-' || c == '+' || c == '*':
			if i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t') {
				markers++
				i += 2
				continue
			}
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i <= 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j-i <= 9 && j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
				markers++
				i = j + 2
				continue
			}
		case c == '[' && markers > 0:
			j := i + 1
			for j < len(line) && j-i <= 5 && line[j] != ']' && line[j] != '[' {
				j++
			}
			if j < len(line) && line[j] == ']' && j-i-1 >= 1 && j-i-1 <= 4 &&
				(j+1 == len(line) || line[j+1] == ' ' || line[j+1] == '\t' || line[j+1] == '\r') {
				return line[i+1 : j], j + 1, true
			}
		}
		return nil, 0, false
	}
	return nil, 0, false
}

// suspectKind classifies a task-shaped line that is not an item.
func suspectKind(box []byte, deep, html bool) SuspectKind {
	switch {
	case deep:
		return SuspectTooDeep
	case html:
		return SuspectInHTML
	case len(box) == 1 && isMark(box):
		return SuspectNotItem
	}
	mark := 0
	for _, c := range box {
		if c != ' ' && c != '\t' {
			mark++
		}
	}
	if mark == 1 && len(box) > 1 {
		for _, c := range box {
			if c == 'x' || c == 'X' || c == '-' {
				return SuspectSpacedBox
			}
		}
	}
	if mark == 0 && len(box) > 1 {
		return SuspectSpacedBox
	}
	return SuspectUnknownBox
}

// findSuspects returns the task-shaped lines of t's file that are not
// items, outside code blocks and front matter, in line order.
func findSuspects(t *Todo, o *outline) []Suspect {
	s := t.Src
	isItem := make(map[int]bool, len(t.Items))
	for _, it := range t.Items {
		isItem[it.Line] = true
	}
	deep := make(map[int]bool, len(o.deep))
	for _, d := range o.deep {
		deep[d.Line] = true
	}
	first := 1
	if s.FrontMatter > 0 {
		first = s.LineOf(s.BOM+s.FrontMatter-1) + 1
	}
	var out []Suspect
	si := -1
	for ln := first; ln <= s.Lines(); ln++ {
		if isItem[ln] || o.code[ln] {
			continue
		}
		line := s.Line(ln)
		if ln == 1 && s.BOM > 0 {
			line = line[s.BOM:]
		}
		box, end, ok := taskShape(line)
		if !ok {
			continue
		}
		for si+1 < len(t.Sections) && t.Sections[si+1].Line < ln {
			si++
		}
		phase := ""
		for j := si; j >= 0; j-- {
			if t.Sections[j].Level == 2 {
				phase = t.Sections[j].Title
				break
			}
			if t.Sections[j].Level < 2 {
				break
			}
		}
		out = append(out, Suspect{Line: ln, Kind: suspectKind(box, deep[ln], o.html[ln]), Box: string(box),
			Text: string(trimBlanks(line[end:])), Phase: phase})
	}
	return out
}

func trimBlanks(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// SuspectsError is the answer to "what is the next open item?" when no item
// is open but [Suspect] lines are left: wf cannot say which of them is next,
// nor that the work is done.
type SuspectsError struct {
	Path     string
	Suspects []Suspect // at least one
}

func (e *SuspectsError) Error() string {
	x := e.Suspects[0]
	more := ""
	if n := len(e.Suspects) - 1; n > 0 {
		more = fmt.Sprintf(" (and %d more)", n)
	}
	return fmt.Sprintf("%s:%d: no open item wf can read, but this line looks like one%s: %s", e.Path, x.Line, more, x.Message())
}

// Hint says how to go on.
func (e *SuspectsError) Hint() string {
	return e.Suspects[0].Fix() + "; wf lint lists every such line"
}
