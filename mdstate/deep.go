package mdstate

import "fmt"

// MaxNesting is the deepest nesting of containers (list items and block
// quotes) wf reads on one line. goldmark's block parser does work in
// proportion to the open containers for every container it opens on a
// line and for every line that continues them, so a line of 40,000 list
// markers ("- - - … [ ] x") took it 38 seconds, growing with the square of
// the line. No hand-written TODO.md comes near this depth: a sub-item 32
// levels down is already 64 columns in.
const MaxNesting = 32

// DeepLine is a line that nests deeper than [MaxNesting]. wf does not read
// it (goldmark never sees it: it parses the line as blank); `wf lint`
// reports it and a task-shaped one counts as an open item (a [Suspect]).
type DeepLine struct {
	Line  int
	Depth int // the nesting counted, up to the first MaxNesting+1 levels
}

// Error says what is wrong with the line.
func (d DeepLine) Error() string {
	return fmt.Sprintf("line %d nests more than %d list items or quotes; wf does not read it", d.Line, MaxNesting)
}

// Hint says how to fix it.
func (d DeepLine) Hint() string {
	return fmt.Sprintf("flatten line %d to at most %d levels of \"- \", \"1. \" or \"> \" (and at most %d columns of indentation)", d.Line, MaxNesting, 2*MaxNesting)
}

// nesting returns an upper bound of the containers line opens or stays
// in, capped at MaxNesting+1 so that a long line costs no more than a short
// one: every block quote marker and list marker at its start, and one
// level per two further columns of indentation before, between and after
// them (a nested list item must be indented past its parent's marker); the
// one blank a marker needs is not counted. It reads
// the line once, left to right, and stops at the first byte that is none
// of these. A line with no marker opens no container whatever its
// indentation: it is 0.
func nesting(line []byte) int {
	depth, cols := 0, 0
	total := func() int {
		if depth == 0 {
			return 0
		}
		return depth + cols/2
	}
	for i := 0; i < len(line) && depth <= MaxNesting; {
		c := line[i]
		switch {
		case c == ' ':
			cols++
			i++
		case c == '\t':
			cols += 4 - cols%4
			i++
		case c == '>':
			depth++
			i++
		case c == '-' || c == '+' || c == '*':
			if i+1 < len(line) && line[i+1] != ' ' && line[i+1] != '\t' {
				return total()
			}
			depth++
			i += 2 // the marker and the blank that must follow it
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 10 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j-i > 9 || j >= len(line) || line[j] != '.' && line[j] != ')' ||
				j+1 < len(line) && line[j+1] != ' ' && line[j+1] != '\t' {
				return total()
			}
			depth++
			i = j + 2
		default:
			return total()
		}
	}
	return total()
}

// findDeepLines returns the lines of s (from offset base on, after the
// front matter) that nest deeper than MaxNesting, and how many lines open
// or stay in a container at all (nesting above 0): no more list items can
// start than that, which sizes the outline's slices. Front matter, which
// goldmark sees blanked, is not read; the first line is read after its
// byte order mark (before, a BOM let a line 1 of thousands of list markers
// through to goldmark: 5.5 s for 4,000).
func findDeepLines(s *Source, base int) (deep []DeepLine, containers int) {
	from := base + s.FrontMatter
	for ln := s.LineOf(from); ln <= s.Lines(); ln++ {
		start, end := max(s.LineStart(ln), from), s.LineEnd(ln)
		if end <= start {
			continue
		}
		d := nesting(s.Data[start:end])
		if d > 0 {
			containers++
		}
		if d > MaxNesting {
			deep = append(deep, DeepLine{Line: ln, Depth: d})
		}
	}
	return deep, containers
}

// blankLines turns lines of view (the file's bytes from base on) into
// blanks, so that goldmark's work stays linear in the file's size: deep
// lines nesting past MaxNesting. A blanked line keeps its length and its
// line ending, so offsets still map straight back to the file.
func blankLines(s *Source, view []byte, base int, deep []DeepLine) {
	for _, d := range deep {
		for i := max(s.LineStart(d.Line)-base, 0); i < s.LineEnd(d.Line)-base; i++ {
			view[i] = ' '
		}
	}
}
