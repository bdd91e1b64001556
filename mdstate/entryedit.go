package mdstate

import (
	"fmt"
	"slices"
	"strings"
)

// RemoveEntry deletes entry i (1-based) of the list section of kind
// ("blockers", "waits", "decisions"): the lines of its list item, or of
// its paragraph when it is not a list item. When it was the section's
// only entry, a "(none)" placeholder takes its place, as wf init writes
// it.
func (st *State) RemoveEntry(kind string, i int) ([]byte, *State, error) {
	var entries []*Entry
	switch kind {
	case "blockers":
		entries = st.Blockers
	case "waits":
		entries = st.Waits
	case "decisions":
		entries = st.Decisions
	default:
		return nil, nil, fmt.Errorf("unknown section kind %q", kind)
	}
	if i < 1 || i > len(entries) {
		return nil, nil, fmt.Errorf("%s has no %s entry %d (it has %d)", st.Src.Path, kind, i, len(entries))
	}
	e := entries[i-1]
	s := st.Src
	o := buildOutline(s)
	endLine := 0
	for _, li := range o.items {
		if li.Line == e.Line && li.TopLevel {
			endLine = li.EndLine
			break
		}
	}
	if endLine == 0 {
		for _, p := range o.paragraphs {
			if p.Line == e.Line {
				endLine = p.EndLine
				break
			}
		}
	}
	if endLine == 0 {
		return nil, nil, &VerifyError{Path: s.Path, Msg: fmt.Sprintf("line %d: cannot find where the entry ends", e.Line)}
	}
	start, end := s.LineStart(e.Line), s.LineNext(endLine)
	repl := ""
	if len(entries) == 1 {
		repl = "(none)"
		if end > start && s.Data[end-1] == '\n' {
			repl += s.EOL
		}
	} else if end == len(s.Data) && s.noFinalNewline() && start > 0 {
		start--
		if start > 0 && s.Data[start-1] == '\r' {
			start--
		}
	}
	return st.apply([]Edit{s.replace(start, end, repl)}, func(g *stateSig) {
		var list *[]Entry
		switch kind {
		case "blockers":
			list = &g.Blockers
		case "waits":
			list = &g.Waits
		default:
			list = &g.Decisions
		}
		*list = append((*list)[:i-1:i-1], (*list)[i:]...)
		if len(*list) == 0 {
			*list = nil
		}
	})
}

// AddPhaseRow appends a row for phase name to the phase table, in the
// shape of the table's last row (or its header when it has no rows): the
// same pipes, padding and column order. The row reads status in the
// Status column and "--" in the Entered and Completed columns; other
// columns are left empty.
func (st *State) AddPhaseRow(name, status string) ([]byte, *State, error) {
	name, status = oneLine(name), oneLine(status)
	if name == "" {
		return nil, nil, fmt.Errorf("the phase name is empty")
	}
	if st.PhaseTable == 0 {
		return nil, nil, fmt.Errorf("%s has no phase table", st.Src.Path)
	}
	if st.Phase(name) != nil {
		return nil, nil, fmt.Errorf("%s: the phase table already has %q", st.Src.Path, name)
	}
	s := st.Src
	model := st.PhaseTable
	if n := len(st.Phases); n > 0 {
		model = st.Phases[n-1].Line
	}
	cells := splitRow(s, model)
	values := make([]string, len(cells))
	for k, col := range st.phaseCols {
		if col >= len(values) {
			continue
		}
		switch k {
		case "phase":
			values[col] = strings.ReplaceAll(name, "|", `\|`)
		case "status":
			values[col] = status
		case "entered", "completed":
			values[col] = "--"
		}
	}
	lineStart := s.LineStart(model)
	line := string(s.Line(model))
	// An aligned table (the model's pipes where the delimiter row has
	// them) stays aligned: short values are padded to the model's cell
	// widths.
	aligned := slices.Equal(pipes(line), pipes(string(s.Line(st.PhaseTable+1))))
	var b strings.Builder
	prev := 0
	for k, c := range cells {
		a, z := c.Start-lineStart, c.End-lineStart
		b.WriteString(line[prev:a])
		v := values[k]
		if w := z - a; aligned && len(v) < w && a < z {
			v += strings.Repeat(" ", w-len(v)) // keep the columns aligned
		}
		if a == z && v != "" && (a == 0 || line[a-1] == '|') {
			v = " " + v + " "
		}
		b.WriteString(v)
		prev = z
	}
	b.WriteString(line[prev:])
	row := strings.TrimRight(b.String(), "\r")
	off := s.LineNext(model)
	if len(st.Phases) == 0 {
		off = s.LineNext(st.PhaseTable + 1) // after the delimiter row
	}
	ins := row + s.EOL
	if off == len(s.Data) && s.noFinalNewline() {
		ins = s.EOL + row
	}
	return st.apply([]Edit{s.insert(off, ins)}, func(g *stateSig) {
		g.Phases = append(g.Phases, PhaseRow{Name: name, Status: status, Entered: ifCol(st, "entered", "--"), Completed: ifCol(st, "completed", "--")})
	})
}

func ifCol(st *State, col, v string) string {
	if _, ok := st.phaseCols[col]; ok {
		return v
	}
	return ""
}

// pipes lists the offsets of the unescaped pipes of a table line.
func pipes(line string) []int {
	var out []int
	for i := 0; i < len(line); i++ {
		if line[i] == '|' && (i == 0 || line[i-1] != '\\') {
			out = append(out, i)
		}
	}
	return out
}
