package mdstate

import (
	"fmt"
	"reflect"
	"strings"
)

// stateSig is the recognised content of a State, compared across edits.
type stateSig struct {
	Fields    []string
	Phases    []PhaseRow
	Blockers  []Entry
	Waits     []Entry
	Decisions []Entry
	Attempts  []Entry
	Timeline  []Entry
	Effects   []Entry
	Settings  []string
}

func (st *State) sig() stateSig {
	var g stateSig
	for _, f := range st.Fields {
		g.Fields = append(g.Fields, f.Key+"="+f.Value)
	}
	for _, p := range st.Phases {
		g.Phases = append(g.Phases, PhaseRow{Name: p.Name, Status: p.Status, Entered: p.Entered, Completed: p.Completed})
	}
	strip := func(es []*Entry) []Entry {
		var out []Entry
		for _, e := range es {
			out = append(out, Entry{Text: e.Text})
		}
		return out
	}
	g.Blockers, g.Waits, g.Decisions, g.Attempts = strip(st.Blockers), strip(st.Waits), strip(st.Decisions), strip(st.Attempts)
	g.Timeline, g.Effects = strip(st.Timeline), strip(st.Effects)
	for _, s := range st.Settings {
		g.Settings = append(g.Settings, s.Key+"="+s.Value)
	}
	return g
}

func (st *State) apply(edits []Edit, mutate func(g *stateSig)) ([]byte, *State, error) {
	if st.partial {
		return nil, nil, fmt.Errorf("%s: read for some sections' entries only (mdstate.EntryReader), not for editing: parse it with ParseState", st.Src.Path)
	}
	out, err := Splice(st.Src, edits)
	if err != nil {
		return nil, nil, err
	}
	after := ParseState(st.Src.Path, out)
	want := st.sig()
	mutate(&want)
	if got := after.sig(); !reflect.DeepEqual(got, want) {
		return nil, nil, &VerifyError{Path: st.Src.Path, Msg: fmt.Sprintf("expected %+v, parsed %+v", want, got)}
	}
	return out, after, nil
}

// SetField sets a header field's value. A field that does not exist yet is
// written as "**Key**: value" after the last header field before the first
// section (or after the title).
func (st *State) SetField(key, value string) ([]byte, *State, error) {
	value = oneLine(value)
	s := st.Src
	if f := st.Field(key); f != nil {
		if f.Value == value {
			return s.Data, st, nil
		}
		i := indexOf(st.Fields, f)
		return st.apply([]Edit{s.replace(f.value.Start, f.value.End, value)}, func(g *stateSig) {
			g.Fields[i] = f.Key + "=" + value
		})
	}
	name := displayKey(key)
	// Insert after the last field above the first H2, else after the H1.
	var after *Field
	firstSec := len(s.Data)
	if len(st.Sections) > 0 {
		firstSec = s.LineStart(st.Sections[0].Line)
	}
	for _, f := range st.Fields {
		if !f.inFront && s.LineStart(f.Line) < firstSec {
			after = f
		}
	}
	var off int
	var line string
	var pos int
	if after != nil {
		off = s.LineNext(after.Line)
		line = strings.Replace(after.prefix, after.Key, name, 1)
		if !strings.Contains(after.prefix, after.Key) {
			line = "**" + name + "**: "
		}
		pos = indexOf(st.Fields, after) + 1
		ins := line + value + s.EOL
		// A field line with a hard break keeps the pattern.
		if tail := string(s.Data[after.value.End:s.LineEnd(after.Line)]); tail == "  " {
			ins = line + value + "  " + s.EOL
		}
		if off == len(s.Data) && s.Data[len(s.Data)-1] != '\n' {
			ins = s.EOL + strings.TrimSuffix(ins, s.EOL)
		}
		return st.apply([]Edit{s.insert(off, ins)}, func(g *stateSig) {
			g.Fields = append(g.Fields[:pos], append([]string{name + "=" + value}, g.Fields[pos:]...)...)
		})
	}
	off = s.BOM + s.FrontMatter
	pos = 0
	for _, f := range st.Fields {
		if f.inFront {
			pos++
		}
	}
	ins := "**" + name + "**: " + value + s.EOL + s.EOL
	if st.Title != "" {
		// after the H1 line and the blank line after it
		for ln := s.LineOf(off); ln <= s.Lines(); ln++ {
			if t := strings.TrimSpace(string(s.Line(ln))); strings.HasPrefix(t, "# ") || t == "#" {
				off = s.LineNext(ln)
				ins = s.EOL + "**" + name + "**: " + value + s.EOL
				if ln+1 <= s.Lines() && len(strings.TrimSpace(string(s.Line(ln+1)))) == 0 {
					off = s.LineNext(ln + 1)
					ins = "**" + name + "**: " + value + s.EOL + s.EOL
				}
				break
			}
		}
	}
	if off == len(s.Data) && s.noFinalNewline() {
		ins = s.EOL + strings.TrimSuffix(ins, s.EOL) // keep the missing final newline
	}
	return st.apply([]Edit{s.insert(off, ins)}, func(g *stateSig) {
		g.Fields = append(g.Fields[:pos], append([]string{name + "=" + value}, g.Fields[pos:]...)...)
	})
}

func displayKey(key string) string {
	k := strings.ToLower(key)
	if names := fieldAliases[k]; names != nil {
		k = names[0]
	}
	if k == "" {
		return k
	}
	return strings.ToUpper(k[:1]) + k[1:]
}

func indexOf(fs []*Field, f *Field) int {
	for i, x := range fs {
		if x == f {
			return i
		}
	}
	return -1
}

// SetPhaseCell sets one cell ("status", "entered" or "completed") of the
// phase table row named phase.
func (st *State) SetPhaseCell(phase, column, value string) ([]byte, *State, error) {
	row := st.Phase(phase)
	if row == nil {
		return nil, nil, fmt.Errorf("%s has no phase %q in its phase table", st.Src.Path, phase)
	}
	col, ok := st.phaseCols[column]
	if !ok || col >= len(row.cells) {
		return nil, nil, fmt.Errorf("%s:%d: the phase table has no %q column", st.Src.Path, st.PhaseTable, column)
	}
	value = oneLine(value)
	c := row.cells[col]
	i := 0
	for k, p := range st.Phases {
		if p == row {
			i = k
		}
	}
	cell := strings.ReplaceAll(value, "|", `\|`)
	return st.apply([]Edit{st.Src.replace(c.Start, c.End, cell)}, func(g *stateSig) {
		switch column {
		case "status":
			g.Phases[i].Status = value
		case "entered":
			g.Phases[i].Entered = value
		case "completed":
			g.Phases[i].Completed = value
		}
	})
}

// sectionTitles are the headings wf writes for a new list section.
var sectionTitles = map[string]string{
	"blockers": "Blocking Issues", "waits": "Waiting", "decisions": "Decisions Log", "attempts": "Failed Attempts", "settings": "Settings",
	"timeline": "Timeline", "effects": "Side Effects",
}

// AppendEntry adds "- text" at the end of the list section of kind
// ("blockers", "waits", "decisions", "attempts", "timeline", "effects",
// "settings"), replacing a "(none)"
// placeholder, or adds the section at the end of the file.
func (st *State) AppendEntry(kind, text string) ([]byte, *State, error) {
	text = oneLine(text)
	if text == "" {
		return nil, nil, fmt.Errorf("the text is empty")
	}
	s := st.Src
	eol := s.EOL
	mutate := func(g *stateSig) {
		e := Entry{Text: text}
		switch kind {
		case "blockers":
			g.Blockers = append(g.Blockers, e)
		case "waits":
			g.Waits = append(g.Waits, e)
		case "decisions":
			g.Decisions = append(g.Decisions, e)
		case "attempts":
			g.Attempts = append(g.Attempts, e)
		case "timeline":
			g.Timeline = append(g.Timeline, e)
		case "effects":
			g.Effects = append(g.Effects, e)
		case "settings":
			if m := settingRe().FindStringSubmatch(text); m != nil {
				g.Settings = append(g.Settings, m[1]+"="+m[2])
			}
		}
	}
	sec := st.Section(kind)
	var ed Edit
	switch {
	case sec == nil:
		title, ok := sectionTitles[kind]
		if !ok {
			return nil, nil, fmt.Errorf("unknown section kind %q", kind)
		}
		pre := ""
		if len(s.Data) > 0 {
			pre = eol
		}
		ed = s.insertEnd(pre + "## " + title + eol + "- " + text + eol)
	case sec.none.ok():
		prefix := "- "
		old := string(s.Data[sec.none.Start:sec.none.End])
		end := ""
		if strings.HasSuffix(old, "\n") {
			end = eol
		}
		ed = s.replace(sec.none.Start, sec.none.End, prefix+text+end)
	case sec.lastEntryEnd >= 0:
		prefix := listPrefix(sec.prefix)
		ins := leadingPrefix(sec.prefix) + prefix + text + eol
		if sec.lastEntryEnd == len(s.Data) && s.Data[len(s.Data)-1] != '\n' {
			ins = eol + strings.TrimSuffix(ins, eol)
		}
		ed = s.insert(sec.lastEntryEnd, ins)
	default:
		// An empty section: after its heading.
		off := s.LineNext(sec.EndLine)
		ins := "- " + text + eol
		if off == len(s.Data) && s.Data[len(s.Data)-1] != '\n' {
			ins = eol + "- " + text
		}
		if off < len(s.Data) && len(strings.TrimSpace(string(s.Line(sec.EndLine+1)))) > 0 {
			ins += eol
		}
		ed = s.insert(off, ins)
	}
	return st.apply([]Edit{ed}, mutate)
}

// PhaseColumn returns the index of a column ("phase", "status",
// "entered" or "completed") of the phase table, and false when the table
// has no such column.
func (st *State) PhaseColumn(column string) (int, bool) {
	i, ok := st.phaseCols[column]
	return i, ok
}
