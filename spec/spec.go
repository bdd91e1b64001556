package spec

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wf-tool/wf/mdstate/sections"
)

// Section titles of a spec file (DESIGN.md §3.4), in the order wf writes
// them.
const (
	SecGoal        = "Goal"
	SecRead        = "Files to Read"
	SecModify      = "Files to Modify"
	SecRequire     = "Requirements"
	SecConstraints = "Constraints"
	SecDeliverable = "Deliverable"
)

// SpecSections returns the six section titles of a spec, in order (a
// fresh copy).
func SpecSections() []string {
	return []string{SecGoal, SecRead, SecModify, SecRequire, SecConstraints, SecDeliverable}
}

// Spec statuses, in the order a spec goes through them.
const (
	Draft      = "draft"
	Delegated  = "delegated"
	Returned   = "returned"
	Verified   = "verified"
	Integrated = "integrated"
	Failed     = "failed"
)

// Statuses returns the statuses a spec can have (a fresh copy).
func Statuses() []string {
	return []string{Draft, Delegated, Returned, Verified, Integrated, Failed}
}

// Active reports whether a spec in status st still claims its files to
// modify: every status but integrated and failed.
func Active(st string) bool { return st != Integrated && st != Failed }

// NewMarker marks a file to modify (or read) that does not exist yet.
const NewMarker = "(new)"

// FileRef is one entry of Files to Read or Files to Modify.
type FileRef struct {
	Path string `json:"path"`          // slash-separated, from the git top level
	New  bool   `json:"new,omitempty"` // marked (new): created by the sub-agent
	Line int    `json:"line"`          // 1-based line in the spec file
	// Note is the text after the path (and the marker), e.g. a
	// description; "" when there is none.
	Note string `json:"note,omitempty"`
}

// Field is one "**Key**: value" metadata line.
type Field struct {
	Key, Value string
	Line       int           // 1-based
	Span       sections.Span // the line, newline included, in Doc.Src
}

// Spec is a parsed spec file.
type Spec struct {
	Name   string
	Path   string // the file, for messages
	Doc    *sections.Doc
	Fields []Field

	Goal, Requirements, Constraints, Deliverable string
	Read, Modify                                 []FileRef
}

// Field returns the value of metadata field key (case-insensitive) and
// whether it is there.
func (s *Spec) Field(key string) (string, bool) {
	if f := s.field(key); f != nil {
		return f.Value, true
	}
	return "", false
}

func (s *Spec) field(key string) *Field {
	for i := range s.Fields {
		if strings.EqualFold(s.Fields[i].Key, key) {
			return &s.Fields[i]
		}
	}
	return nil
}

// Status is the spec's status, lower case; draft when the field is
// missing.
func (s *Spec) Status() string {
	v, ok := s.Field("status")
	v = strings.ToLower(strings.TrimSpace(v))
	if !ok || v == "" {
		return Draft
	}
	return v
}

// Item is the number of the TODO item the spec delivers and the item's
// text as recorded; 0 when the spec names none.
func (s *Spec) Item() (n int, text string) {
	v, ok := s.Field("item")
	if !ok {
		return 0, ""
	}
	v = strings.TrimSpace(v)
	num, rest, _ := strings.Cut(v, " ")
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 {
		return 0, ""
	}
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, "(") && strings.HasSuffix(rest, ")") {
		rest = rest[1 : len(rest)-1]
	}
	return n, rest
}

// Parse reads a spec file's bytes; path names it in messages. It never
// fails: what is missing or wrong is for [Check] to report, so that a
// spec being written can be listed.
func Parse(name, path string, data []byte) *Spec {
	d := sections.Parse(data)
	s := &Spec{Name: name, Path: path, Doc: d, Fields: parseFields(d)}
	for i := range d.Sections {
		sec := &d.Sections[i]
		switch key := canonical(sec.Title); key {
		case SecGoal:
			s.Goal = body(sec.Text)
		case SecRequire:
			s.Requirements = body(sec.Text)
		case SecConstraints:
			s.Constraints = body(sec.Text)
		case SecDeliverable:
			s.Deliverable = body(sec.Text)
		case SecRead:
			s.Read = append(s.Read, fileRefs(sec)...)
		case SecModify:
			s.Modify = append(s.Modify, fileRefs(sec)...)
		}
	}
	return s
}

// canonical maps a section title to one of SpecSections (case-insensitive,
// with "Files to read:" and the like accepted), or "".
func canonical(title string) string {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(title), ":"))
	for _, k := range SpecSections() {
		if strings.EqualFold(t, k) {
			return k
		}
	}
	return ""
}

// body is a section's text, or "" when it is only a placeholder.
func body(text string) string {
	if isPlaceholder(text) {
		return ""
	}
	return text
}

// isPlaceholder reports whether text is empty or one parenthesised
// placeholder, possibly as a single list item, as the template writes it.
func isPlaceholder(text string) bool {
	t := strings.TrimSpace(text)
	if c, ok := sections.CutItem(t); ok {
		t = c
	}
	if t == "" {
		return true
	}
	return strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")") && !strings.Contains(t, "\n") &&
		strings.Count(t, "(") == 1
}

// fileRefs reads the list of a Files section.
func fileRefs(sec *sections.Section) []FileRef {
	if isPlaceholder(sec.Text) {
		return nil
	}
	var out []FileRef
	for _, it := range sec.Items() {
		if r, ok := ParseFileRef(it.Text); ok {
			r.Line = it.Line
			out = append(out, r)
		}
	}
	return out
}

// ParseFileRef reads one Files entry: a path, optionally in backticks,
// then optionally "(new)", then an optional note (after " - ", ": " or a
// space). ok is false for an empty entry.
func ParseFileRef(t string) (FileRef, bool) {
	t = strings.TrimSpace(t)
	var path, rest string
	if strings.HasPrefix(t, "`") {
		end := strings.IndexByte(t[1:], '`')
		if end < 0 {
			path, rest = t[1:], ""
		} else {
			path, rest = t[1:1+end], t[2+end:]
		}
	} else {
		path, rest, _ = strings.Cut(t, " ")
	}
	path = strings.TrimSpace(path)
	if path == "" {
		return FileRef{}, false
	}
	r := FileRef{Path: strings.TrimPrefix(path, "./")}
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(strings.ToLower(rest), NewMarker) {
		r.New = true
		rest = strings.TrimSpace(rest[len(NewMarker):])
	}
	rest = strings.TrimSpace(strings.TrimLeft(rest, "-–—:"))
	r.Note = rest
	return r, true
}

// parseFields reads the "**Key**: value" lines of the preamble (the text
// before the first section).
func parseFields(d *sections.Doc) []Field {
	end := len(d.Src)
	if len(d.Sections) > 0 {
		end = d.Sections[0].Span.Start
	}
	var out []Field
	line := 0
	for off := 0; off < end; {
		line++
		eol := strings.IndexByte(string(d.Src[off:end]), '\n')
		next := end
		if eol >= 0 {
			next = off + eol + 1
		} else {
			eol = end - off
		}
		if k, v, ok := cutField(string(d.Src[off : off+eol])); ok {
			out = append(out, Field{Key: k, Value: v, Line: line, Span: sections.Span{Start: off, End: next}})
		}
		off = next
	}
	return out
}

// cutField splits "**Key**: value" (also "**Key:** value" and
// "- **Key**: value").
func cutField(l string) (key, value string, ok bool) {
	t := strings.TrimSpace(l)
	t = strings.TrimPrefix(t, "- ")
	if !strings.HasPrefix(t, "**") {
		return "", "", false
	}
	rest := t[2:]
	end := strings.Index(rest, "**")
	if end <= 0 {
		return "", "", false
	}
	key, after := rest[:end], rest[end+2:]
	if strings.HasSuffix(key, ":") {
		key = strings.TrimSuffix(key, ":")
	} else if strings.HasPrefix(after, ":") {
		after = after[1:]
	} else {
		return "", "", false
	}
	return strings.TrimSpace(key), strings.TrimSpace(after), key != ""
}

// spliceFields returns src (a spec file's bytes, as read) with the metadata
// fields set: an existing "**Key**:" line is replaced in place, a new one
// is inserted after the last metadata line (or after the title). Only the
// bytes of those lines change (CRLF line ends and a byte order mark are
// kept). A value of "" removes the field. It fails only when a key or a
// value holds a line break.
func spliceFields(src []byte, set [][2]string) ([]byte, error) {
	for _, kv := range set {
		if strings.ContainsAny(kv[0]+kv[1], "\n\r") {
			return nil, fmt.Errorf("internal error: field %q has a line break", kv[0])
		}
	}
	out := src
	for _, kv := range set {
		var err error
		if out, err = setField(out, kv[0], kv[1]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func setField(src []byte, key, value string) ([]byte, error) {
	// Work on the file's own bytes: sections.Parse normalises CRLF and a
	// BOM, so spans are mapped back by re-finding the line.
	eol := "\n"
	if strings.Contains(string(src), "\r\n") {
		eol = "\r\n"
	}
	bom := ""
	if strings.HasPrefix(string(src), "\xef\xbb\xbf") {
		bom = "\xef\xbb\xbf"
	}
	lines := strings.SplitAfter(strings.TrimPrefix(string(src), bom), "\n")
	d := sections.Parse(src)
	firstSec := len(lines) + 1
	if len(d.Sections) > 0 {
		firstSec = d.Sections[0].Line
	}
	lastField, titleLine := 0, d.TitleLine
	for i := 0; i < len(lines) && i+1 < firstSec; i++ {
		k, _, ok := cutField(strings.TrimRight(lines[i], "\r\n"))
		if !ok {
			continue
		}
		lastField = i + 1
		if strings.EqualFold(k, key) {
			if value == "" {
				lines = append(lines[:i], lines[i+1:]...)
			} else {
				end := lines[i][len(strings.TrimRight(lines[i], "\r\n")):]
				lines[i] = "**" + k + "**: " + value + end
			}
			return []byte(bom + strings.Join(lines, "")), nil
		}
	}
	if value == "" {
		return src, nil
	}
	at := lastField // insert after this line (1-based), 0 = at the top
	nl := "**" + key + "**: " + value + eol
	if at == 0 {
		at = titleLine
		if at > 0 {
			nl = eol + nl // a blank line between the title and the fields
		}
	}
	if at > 0 && at <= len(lines) && !strings.HasSuffix(lines[at-1], "\n") {
		lines[at-1] += eol
	}
	lines = append(lines[:at], append([]string{nl}, lines[at:]...)...)
	return []byte(bom + strings.Join(lines, "")), nil
}
