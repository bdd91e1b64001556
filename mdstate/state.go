package mdstate

import (
	"bytes"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// State is a parsed workflow-state.md. Everything wf recognises carries
// its line; everything else stays in the file untouched and is listed in
// Unrecognised for wf lint and wf status.
type State struct {
	Src   *Source
	Title string // the first H1
	// Fields are "**Key**: value" lines (and front matter "key: value"), in
	// document order.
	Fields []*Field
	// Phases are the rows of the phase table.
	Phases []*PhaseRow
	// PhaseTable is the line of the phase table's header row, 0 if none.
	PhaseTable int
	Blockers   []*Entry
	Waits      []*Entry
	Decisions  []*Entry
	// Attempts are the entries of "## Failed Attempts": one line per
	// failed attempt on a TODO item, with its reason (wf todo fail).
	Attempts []*Entry
	// Timeline are the entries of "## Timeline": one line per status or
	// phase change (package lifecycle writes and reads them).
	Timeline []*Entry
	// Effects are the entries of "## Side Effects": one line per external
	// side effect recorded with its idempotency key.
	Effects  []*Entry
	Settings []*Setting
	// Sections are every H2 with the kind wf gave it ("" if unknown).
	Sections []*StateSection
	Notes    []Note
	// Deep are the lines nesting deeper than [MaxNesting], which wf does
	// not read.
	Deep []DeepLine
	// tables by header line, for phase-cell edits
	phaseCols map[string]int
	// partial is set on a State an EntryReader read: it holds some
	// sections' entries only, and refuses edits.
	partial bool
}

// Field is one "key: value" header line.
type Field struct {
	Key, Value string
	Line       int
	value      span
	prefix     string // the line up to the value, to write new fields alike
	inFront    bool
}

// PhaseRow is one row of the phase table.
type PhaseRow struct {
	Name, Status, Entered, Completed string
	Line                             int
	cells                            []span
}

// Entry is one top-level list item of a list section or, under Blocking
// Issues and Waiting, one block of other text (Prose).
type Entry struct {
	Text string
	Line int
	// EndLine is the last line of a Prose entry (0 for a list item).
	EndLine int
	// Prose is set for text that is not a list item: a blocker or wait
	// written as a sentence. wf counts it but edits only list items.
	Prose bool
}

// Setting is one "- key: value" line of the Settings section.
type Setting struct {
	Key, Value string
	Line       int
	value      span
}

// StateSection is an H2 of workflow-state.md.
type StateSection struct {
	Title   string
	Kind    string // "phases", "blockers", "waits", "decisions", "attempts", "timeline", "effects", "settings" or ""
	Line    int
	EndLine int
	End     int // offset where the section ends
	// lastEntryEnd is the offset after the last list entry's block, or -1.
	lastEntryEnd int
	prefix       string // bullet prefix of the last entry
	none         span   // a "(none)" placeholder line, to replace
}

var sectionKinds = map[string]string{
	"phase status": "phases", "phases": "phases", "phase table": "phases",
	"blocking issues": "blockers", "blockers": "blockers", "blocked": "blockers",
	"waiting": "waits", "waits": "waits", "waiting on": "waits",
	"decisions log": "decisions", "decisions": "decisions", "decision log": "decisions", "key decisions": "decisions",
	"settings":        "settings",
	"failed attempts": "attempts", "attempts": "attempts",
	"timeline": "timeline", "side effects": "effects", "effects": "effects",
}

// The regexps are compiled on first use, not at every start of wf
// (issue 12).
var (
	boldFieldRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^([ \t]*(?:[-+*][ \t]+)?\*\*([^*\r\n]{1,40}?)(?::\*\*|\*\*[ \t]*:)[ \t]*)([^\r]*?)[ \t]*\r?$`)
	})
	plainFieldRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^([ \t]*([A-Za-z][A-Za-z0-9 _-]{0,30}?)[ \t]*:[ \t]*)(\S[^\r]*?)[ \t]*\r?$`)
	})
	numberingRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[\s§#]*(?:\d+(?:\.\d+)*[.)]?\s+)?`) })
	settingRe   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z][A-Za-z0-9 _.-]*?)\s*[:=]\s*([^\r]*)$`) })
)

// sectionKind classifies an H2 title.
func sectionKind(title string) string {
	t := strings.ToLower(strings.TrimSpace(title))
	t = numberingRe().ReplaceAllString(t, "")
	t = strings.TrimRight(t, ": ")
	return sectionKinds[t]
}

// ParseState parses a workflow-state.md leniently: it never fails on
// Markdown, it recognises what it can.
func ParseState(path string, data []byte) *State {
	s := newSource(path, data)
	o := buildOutline(s)
	st := &State{Src: s, Deep: o.deep}
	// Front matter fields.
	if s.FrontMatter > 0 {
		first := s.LineOf(s.BOM)
		last := s.LineOf(s.BOM + s.FrontMatter - 1)
		for ln := first + 1; ln < last; ln++ {
			st.addField(s, ln, plainFieldRe(), true)
		}
	}
	var secs []*StateSection
	for _, h := range o.headings {
		if h.Level == 1 && st.Title == "" && !h.Container {
			st.Title = h.Text
		}
		if h.Level == 2 && !h.Container {
			secs = append(secs, &StateSection{Title: h.Text, Kind: sectionKind(h.Text), Line: h.Line, EndLine: h.EndLine, lastEntryEnd: -1})
		}
	}
	var levels []heading
	for _, h := range o.headings {
		if !h.Container {
			levels = append(levels, h)
		}
	}
	// Each section ends at the next heading of level 1 or 2. Both lists are
	// in line order and every section is such a heading, so one pass over
	// levels serves all of them.
	j := 0
	for _, sec := range secs {
		sec.End = len(data)
		for j < len(levels) && levels[j].Line <= sec.Line {
			j++
		}
		for k := j; k < len(levels); k++ {
			if levels[k].Level <= 2 {
				sec.End = s.LineStart(levels[k].Line)
				break
			}
		}
	}
	st.Sections = secs
	// secAt is the section holding line: the last one starting at or
	// before it (secs are in line order), found by binary search so that a
	// file of many sections is not read once per block.
	secAt := func(line int) *StateSection {
		i := sort.Search(len(secs), func(i int) bool { return secs[i].Line > line })
		if i == 0 {
			return nil
		}
		cur := secs[i-1]
		if s.LineStart(line) >= cur.End {
			return nil
		}
		return cur
	}
	// Header fields: paragraph lines and list items outside the known list
	// sections.
	for _, p := range o.paragraphs {
		sec := secAt(p.Line)
		if sec != nil && sec.Kind != "" {
			if !p.InList && sec.Kind != "phases" {
				for ln := p.Line; ln <= p.EndLine; ln++ {
					if isNone(s.Line(ln)) {
						sec.none = span{s.LineStart(ln), s.LineNext(ln)}
					}
				}
			}
			continue
		}
		for ln := p.Line; ln <= p.EndLine; ln++ {
			if !st.addField(s, ln, boldFieldRe(), false) && sec == nil && !p.InList {
				st.addField(s, ln, plainFieldRe(), false)
			}
		}
	}
	// List sections.
	for _, li := range o.items {
		sec := secAt(li.Line)
		if sec == nil || sec.Kind == "" || sec.Kind == "phases" || !li.TopLevel || !li.HasPara {
			continue
		}
		text := joinLines(string(s.Data[li.ParaStart:s.LineEnd(li.ParaEnd)]))
		sec.lastEntryEnd = s.LineNext(li.EndLine)
		sec.prefix = string(s.Data[s.LineStart(li.Line):li.ParaStart])
		if isNoneText(text) {
			sec.none = span{s.LineStart(li.Line), s.LineNext(li.EndLine)}
			continue
		}
		e := &Entry{Text: text, Line: li.Line}
		switch sec.Kind {
		case "blockers":
			st.Blockers = append(st.Blockers, e)
		case "waits":
			st.Waits = append(st.Waits, e)
		case "decisions":
			st.Decisions = append(st.Decisions, e)
		case "attempts":
			st.Attempts = append(st.Attempts, e)
		case "timeline":
			st.Timeline = append(st.Timeline, e)
		case "effects":
			st.Effects = append(st.Effects, e)
		case "settings":
			line := s.Line(li.Line)
			valStart := li.ParaStart
			raw := string(bytes.TrimRight(s.Data[valStart:s.LineEnd(li.Line)], " \t"))
			if m := settingRe().FindStringSubmatchIndex(raw); m != nil {
				st.Settings = append(st.Settings, &Setting{Key: raw[m[2]:m[3]], Value: raw[m[4]:m[5]], Line: li.Line, value: span{valStart + m[4], valStart + m[5]}})
			} else {
				st.Notes = append(st.Notes, Note{li.Line, "setting " + strings.TrimSpace(string(line)) + " is not \"key: value\""})
			}
		}
	}
	proseEntries(st, s, o, secs)
	// The phase table: the first table in a "phases" section, or the first
	// table whose header names Phase and Status.
	for _, tb := range o.tables {
		sec := secAt(tb.Line)
		header := splitRow(s, tb.Line)
		cols := map[string]int{}
		for i, c := range header {
			name := strings.ToLower(strings.Trim(strings.TrimSpace(string(s.Data[c.Start:c.End])), "*_ "))
			switch name {
			case "phase", "name", "stage":
				cols["phase"] = i
			case "status", "state":
				cols["status"] = i
			case "entered", "started", "start":
				cols["entered"] = i
			case "completed", "done", "finished", "end":
				cols["completed"] = i
			}
		}
		_, hasPhase := cols["phase"]
		_, hasStatus := cols["status"]
		if !hasPhase || !hasStatus || sec == nil || sec.Kind != "phases" {
			continue
		}
		st.PhaseTable = tb.Line
		st.phaseCols = cols
		for r := 0; r < tb.Rows; r++ {
			ln := tb.Line + 2 + r
			cells := splitRow(s, ln)
			row := &PhaseRow{Line: ln, cells: cells}
			get := func(k string) string {
				if i, ok := cols[k]; ok && i < len(cells) {
					// A pipe inside a cell is written "\\|"; the value is the pipe.
					return strings.ReplaceAll(strings.TrimSpace(string(s.Data[cells[i].Start:cells[i].End])), `\|`, "|")
				}
				return ""
			}
			row.Name, row.Status, row.Entered, row.Completed = get("phase"), get("status"), get("entered"), get("completed")
			st.Phases = append(st.Phases, row)
		}
		break
	}
	for _, sec := range secs {
		if sec.Kind == "" {
			st.Notes = append(st.Notes, Note{sec.Line, "section \"" + sec.Title + "\" is not one wf uses; kept as is"})
		}
	}
	return st
}

func (st *State) addField(s *Source, ln int, re *regexp.Regexp, front bool) bool {
	line := s.Data[s.LineStart(ln):s.LineEnd(ln)]
	m := re.FindSubmatchIndex(line)
	if m == nil {
		return false
	}
	start := s.LineStart(ln)
	key := strings.TrimSpace(string(line[m[4]:m[5]]))
	st.Fields = append(st.Fields, &Field{
		Key: key, Value: string(line[m[6]:m[7]]), Line: ln,
		value: span{start + m[6], start + m[7]}, prefix: string(line[:m[3]]), inFront: front,
	})
	return true
}

// isNone reports whether b is a placeholder for an empty section: "none",
// "nothing" or "n/a" in any case, after trimming white space and then
// "()_*.- " around it ("(none)", "- *Nothing.*").
func isNone(b []byte) bool { return isNoneText(string(b)) }

// isNoneText is isNone on a string. It allocates nothing: the words are
// ASCII and no longer than 7 bytes, and only ASCII letters lower-case to
// their letters (strings.EqualFold's extra foldings, 'ſ' to 's' and the
// Kelvin sign to 'k', touch none of them), so a longer trimmed text can
// never match.
func isNoneText(text string) bool {
	t := strings.Trim(strings.TrimSpace(text), "()_*.- ")
	return len(t) <= 7 && (strings.EqualFold(t, "none") || strings.EqualFold(t, "nothing") || strings.EqualFold(t, "n/a"))
}

// splitRow returns the cell spans of a table line, split on unescaped
// pipes, each trimmed of the spaces around it... spans exclude the padding.
func splitRow(s *Source, ln int) []span {
	start := s.LineStart(ln)
	line := s.Line(ln)
	var cells []span
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	if i < len(line) && line[i] == '|' {
		i++
	}
	end := len(line)
	for end > i && (line[end-1] == ' ' || line[end-1] == '\t') {
		end--
	}
	if end > i && line[end-1] == '|' && (end < 2 || line[end-2] != '\\') {
		end--
	}
	cellStart := i
	for j := i; j <= end; j++ {
		if j == end || (line[j] == '|' && (j == 0 || line[j-1] != '\\')) {
			a, b := cellStart, j
			for a < b && (line[a] == ' ' || line[a] == '\t') {
				a++
			}
			for b > a && (line[b-1] == ' ' || line[b-1] == '\t') {
				b--
			}
			cells = append(cells, span{start + a, start + b})
			cellStart = j + 1
		}
	}
	return cells
}

// canonical field keys and the names they are written under.
var fieldAliases = map[string][]string{
	"phase":           {"current phase", "phase", "current_phase", "current stage", "stage"},
	"status":          {"status", "current status", "workflow_status", "workflow status"},
	"mode":            {"mode"},
	"started":         {"started", "start date", "started at"},
	"last checkpoint": {"last checkpoint", "last_checkpoint"},
}

// Field returns the first field named key or one of its aliases.
func (st *State) Field(key string) *Field {
	names := fieldAliases[strings.ToLower(key)]
	if names == nil {
		names = []string{strings.ToLower(key)}
	}
	for _, f := range st.Fields {
		for _, n := range names {
			if strings.EqualFold(f.Key, n) {
				return f
			}
		}
	}
	return nil
}

// Get returns the value of a field, "" if absent.
func (st *State) Get(key string) string {
	if f := st.Field(key); f != nil {
		return strings.TrimSpace(f.Value)
	}
	return ""
}

// Setting returns a setting's value, "" if absent.
func (st *State) Setting(key string) string {
	for _, s := range st.Settings {
		if strings.EqualFold(s.Key, key) {
			return strings.TrimSpace(s.Value)
		}
	}
	return ""
}

// Phase returns the phase table row named name, or nil.
func (st *State) Phase(name string) *PhaseRow {
	for _, p := range st.Phases {
		if strings.EqualFold(p.Name, name) {
			return p
		}
	}
	return nil
}

// Section returns the first section of kind, or nil.
func (st *State) Section(kind string) *StateSection {
	for _, s := range st.Sections {
		if s.Kind == kind {
			return s
		}
	}
	return nil
}
