package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf16"
)

// pyDumps re-encodes the JSON value in data as Python's json.dumps(value)
// writes it with its defaults, the form in which issue 18 first measured
// the peers: ", " between items, ": " after keys, every character outside
// printable ASCII (0x20-0x7e) escaped as \uXXXX (lower-case hex, UTF-16
// surrogate pairs above U+FFFF), except \n \r \t \b \f and the escaped
// quote and backslash. Members keep their order. Numbers are kept as
// written (Python would rewrite a float such as 1e5 as 100000.0; tool
// lists hardly have any).
func pyDumps(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out bytes.Buffer
	// Each open container: its kind and how many tokens it has had.
	type frame struct {
		object bool
		n      int
	}
	var stack []frame
	for {
		t, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if d, ok := t.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			out.WriteByte(byte(d))
			continue
		}
		if len(stack) > 0 {
			f := &stack[len(stack)-1]
			switch {
			case f.object && f.n%2 == 1:
				out.WriteString(": ")
			case f.n > 0:
				out.WriteString(", ")
			}
			f.n++
		}
		switch v := t.(type) {
		case json.Delim:
			out.WriteByte(byte(v))
			stack = append(stack, frame{object: v == '{'})
		case string:
			pyString(&out, v)
		case json.Number:
			out.WriteString(string(v))
		case bool:
			fmt.Fprint(&out, v)
		case nil:
			out.WriteString("null")
		}
	}
	return out.Bytes(), nil
}

// pyString writes s as Python's json.dumps quotes it with ensure_ascii.
func pyString(out *bytes.Buffer, s string) {
	out.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			out.WriteString(`\"`)
		case r == '\\':
			out.WriteString(`\\`)
		case r == '\n':
			out.WriteString(`\n`)
		case r == '\r':
			out.WriteString(`\r`)
		case r == '\t':
			out.WriteString(`\t`)
		case r == '\b':
			out.WriteString(`\b`)
		case r == '\f':
			out.WriteString(`\f`)
		case r >= 0x20 && r <= 0x7e:
			out.WriteRune(r)
		case r > 0xffff:
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(out, `\u%04x\u%04x`, hi, lo)
		default:
			fmt.Fprintf(out, `\u%04x`, r)
		}
	}
	out.WriteByte('"')
}
