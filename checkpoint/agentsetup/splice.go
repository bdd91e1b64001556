package agentsetup

import (
	"bytes"
	"encoding/json"
	"strings"
)

// spliceError is a JSON shape the splice does not expect.
type spliceError string

func (e spliceError) Error() string { return string(e) }

// errNotObject cannot happen after jsParseObject accepted the data; it
// keeps the splice from guessing if it does.
const errNotObject spliceError = "not a JSON object"

// jsSpan is one member of a JSON object in the file's bytes: the offset
// of its key's opening quote and the offsets of its value.
type jsSpan struct {
	key              string
	keyStart         int
	valStart, valEnd int
	lineIndent       string // the blanks before the key when it starts its line, else ""
	startsLine       bool
}

// jsObject is an object's members and the offsets of its braces.
type jsObject struct {
	open, close int // offsets of "{" and "}"
	members     []jsSpan
}

// jsLocate reads the JSON object that starts at data[start] (after blanks)
// and returns where its members and braces are. data must be valid JSON
// there (the caller checked it with jsParseObject).
func jsLocate(data []byte, start, end int) (jsObject, bool) {
	obj := data[start:end]
	dec := json.NewDecoder(bytes.NewReader(obj))
	dec.UseNumber()
	t, err := dec.Token()
	if d, ok := t.(json.Delim); err != nil || !ok || d != '{' {
		return jsObject{}, false
	}
	o := jsObject{open: start + int(dec.InputOffset()) - 1}
	for dec.More() {
		before := int(dec.InputOffset())
		t, err := dec.Token()
		if err != nil {
			return jsObject{}, false
		}
		key, _ := t.(string)
		afterKey := int(dec.InputOffset())
		ks := before + bytes.IndexByte(obj[before:afterKey], '"')
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return jsObject{}, false
		}
		ve := int(dec.InputOffset())
		vs := ve - len(raw)
		m := jsSpan{key: key, keyStart: start + ks, valStart: start + vs, valEnd: start + ve}
		ls := bytes.LastIndexByte(data[:m.keyStart], '\n') + 1
		if pre := data[ls:m.keyStart]; len(bytes.Trim(pre, " \t")) == 0 {
			m.startsLine, m.lineIndent = true, string(pre)
		}
		o.members = append(o.members, m)
	}
	if _, err := dec.Token(); err != nil {
		return jsObject{}, false
	}
	o.close = start + int(dec.InputOffset()) - 1
	return o, true
}

// jsStyle is how the file lays out JSON: its line ending and indentation
// unit, and whether a container is written over several lines.
type jsStyle struct {
	eol, unit string
}

func jsStyleOf(data []byte) jsStyle {
	st := jsStyle{eol: "\n", unit: jsIndentUnit(data)}
	if i := bytes.IndexByte(data, '\n'); i > 0 && data[i-1] == '\r' {
		st.eol = "\r\n"
	}
	return st
}

// lineIndentAt is the blanks at the start of the line holding off.
func lineIndentAt(data []byte, off int) string {
	ls := bytes.LastIndexByte(data[:off], '\n') + 1
	i := ls
	for i < off && (data[i] == ' ' || data[i] == '\t') {
		i++
	}
	return string(data[ls:i])
}

// multiLine reports whether the container between open and close spans
// several lines.
func multiLine(data []byte, open, close int) bool {
	return bytes.IndexByte(data[open:close], '\n') >= 0
}

// render writes v as JSON: indented with the file's unit and line ending,
// its continuation lines starting with indent, when multi is set; compact
// otherwise. HTML characters are not escaped, as a person would write them.
func (st jsStyle) render(v any, indent string, multi bool) (string, error) {
	b, err := jsMarshal(v)
	if err != nil {
		return "", err
	}
	if !multi {
		return string(b), nil
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, indent, st.unit); err != nil {
		return "", err
	}
	return strings.ReplaceAll(out.String(), "\n", st.eol), nil
}

// insertMember returns the splice that adds "key": v as the last member of
// the object o in data, laid out like the object's other members.
func (st jsStyle) insertMember(data []byte, o jsObject, key string, v any) (off int, text string, err error) {
	k, err := jsMarshal(key)
	if err != nil {
		return 0, "", err
	}
	// An empty object is laid out over lines when the file has lines, or
	// when it is the whole document ("{}"): the golden layout.
	top := o.open == len(data)-len(bytes.TrimLeft(data, " \t\r\n"))
	multi := multiLine(data, o.open, o.close) || len(o.members) == 0 && (top || bytes.IndexByte(data, '\n') >= 0)
	if len(o.members) == 0 {
		outer := lineIndentAt(data, o.open)
		inner := outer + st.unit
		val, err := st.render(v, inner, multi)
		if err != nil {
			return 0, "", err
		}
		if !multi {
			return o.open + 1, string(k) + ":" + val, nil
		}
		// "{}" or "{ … }" with only blanks inside: the member on its own
		// line, the closing brace on the next. The blanks already inside
		// stay where they are, after the insertion.
		closing := st.eol + outer
		if bytes.IndexByte(data[o.open:o.close], '\n') >= 0 {
			closing = "" // the brace is already on a line of its own
		}
		return o.open + 1, st.eol + inner + string(k) + ": " + val + closing, nil
	}
	last := o.members[len(o.members)-1]
	if !multi {
		val, err := st.render(v, "", false)
		if err != nil {
			return 0, "", err
		}
		sep := ","
		if bytes.Contains(data[o.open:o.close], []byte(", ")) {
			sep = ", "
		}
		colon := ":"
		if spaceAfterColon(data, last) {
			colon = ": "
		}
		return last.valEnd, sep + string(k) + colon + val, nil
	}
	indent := last.lineIndent
	if !last.startsLine {
		indent = lineIndentAt(data, o.open) + st.unit
	}
	val, err := st.render(v, indent, true)
	if err != nil {
		return 0, "", err
	}
	return last.valEnd, "," + st.eol + indent + string(k) + ": " + val, nil
}

// spaceAfterColon reports whether member m is written "key": value.
func spaceAfterColon(data []byte, m jsSpan) bool {
	between := data[m.keyStart:m.valStart]
	i := bytes.LastIndexByte(between, ':')
	return i >= 0 && i+1 < len(between) && (between[i+1] == ' ' || between[i+1] == '\t')
}

// insertElement returns the splice that appends v to the JSON array that
// occupies data[start:end], laid out like its other elements.
func (st jsStyle) insertElement(data []byte, start, end int, v any) (off int, text string, err error) {
	var elems []json.RawMessage
	if err := json.Unmarshal(data[start:end], &elems); err != nil {
		return 0, "", err
	}
	open := start + bytes.IndexByte(data[start:end], '[')
	close := start + bytes.LastIndexByte(data[start:end], ']')
	multi := multiLine(data, open, close) || len(elems) == 0 && bytes.IndexByte(data, '\n') >= 0
	if len(elems) == 0 {
		outer := lineIndentAt(data, open)
		inner := outer + st.unit
		val, err := st.render(v, inner, multi)
		if err != nil {
			return 0, "", err
		}
		if !multi {
			return open + 1, val, nil
		}
		closing := st.eol + outer
		if bytes.IndexByte(data[open:close], '\n') >= 0 {
			closing = ""
		}
		return open + 1, st.eol + inner + val + closing, nil
	}
	// The end of the last element: the last byte before "]" that is not a
	// blank or a line break.
	lastEnd := close
	for lastEnd > open && strings.IndexByte(" \t\r\n", data[lastEnd-1]) >= 0 {
		lastEnd--
	}
	lastStart := lastEnd - len(bytes.TrimSpace(elems[len(elems)-1]))
	if !multi {
		val, err := st.render(v, "", false)
		if err != nil {
			return 0, "", err
		}
		sep := ","
		if bytes.Contains(data[open:close], []byte(", ")) {
			sep = ", "
		}
		return lastEnd, sep + val, nil
	}
	indent := lineIndentAt(data, lastStart)
	if ls := bytes.LastIndexByte(data[:lastStart], '\n') + 1; len(bytes.Trim(data[ls:lastStart], " \t")) != 0 {
		indent = lineIndentAt(data, open) + st.unit
	}
	val, err := st.render(v, indent, true)
	if err != nil {
		return 0, "", err
	}
	return lastEnd, "," + st.eol + indent + val, nil
}

// spliceSessionStart adds entry to the "hooks" → event array of the JSON
// object in data, creating the member or members it needs, and returns
// the new bytes: data with one run of bytes inserted, every other byte
// (indentation, line endings, member order, one-line arrays) as it was.
// data must be a valid JSON object (or blank), as jsParseObject checked.
func spliceSessionStart(data []byte, event string, entry any) ([]byte, error) {
	st := jsStyleOf(data)
	if jsBlank(data) {
		doc := map[string]any{"hooks": map[string]any{event: []any{entry}}}
		out, err := st.render(doc, "", true)
		if err != nil {
			return nil, err
		}
		return []byte(string(data) + out + st.eol), nil
	}
	top, ok := jsLocate(data, 0, len(data))
	if !ok {
		return nil, errNotObject
	}
	var off int
	var text string
	var err error
	hi := jsLastSpan(top.members, "hooks")
	switch {
	case hi < 0:
		off, text, err = st.insertMember(data, top, "hooks", map[string]any{event: []any{entry}})
	default:
		h := top.members[hi]
		hooks, ok := jsLocate(data, h.valStart, h.valEnd)
		if !ok {
			return nil, errNotObject
		}
		si := jsLastSpan(hooks.members, event)
		if si < 0 {
			off, text, err = st.insertMember(data, hooks, event, []any{entry})
		} else {
			s := hooks.members[si]
			off, text, err = st.insertElement(data, s.valStart, s.valEnd, entry)
		}
	}
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(data)+len(text))
	out = append(out, data[:off]...)
	out = append(out, text...)
	out = append(out, data[off:]...)
	return out, nil
}

func jsLastSpan(ms []jsSpan, key string) int {
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].key == key {
			return i
		}
	}
	return -1
}

// jsBlank reports whether data holds only JSON whitespace (space, tab,
// line feed, carriage return): an empty settings file. Other blank bytes
// ("\v", "\f") are not JSON, and such a file is refused.
func jsBlank(data []byte) bool { return len(bytes.Trim(data, " \t\r\n")) == 0 }
