package spec

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzParse checks that the spec and result parsers accept any bytes
// without panicking, that every line they report is inside the input, and
// that setting a field changes only metadata lines: the sections' text is
// the same before and after.
func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("# Result: x\n## Status\ncomplete\n## Changes\n- a.go (+1 -2)\n## Decisions\n## Tests needed\n## Issues\n"))
	f.Add([]byte("\xef\xbb\xbf**Status**: draft\r\n## Goal\r\n```\n## x\n"))
	f.Add([]byte("**a**b**: c\n- **Item:** 9 (x)\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		s := Parse("x", "x.md", data)
		for _, r := range append(append([]FileRef(nil), s.Read...), s.Modify...) {
			if r.Line < 1 || r.Line > lines || r.Path == "" {
				t.Fatalf("file ref %+v outside %d lines", r, lines)
			}
		}
		_ = s.Status()
		s.Item()
		if r, err := ParseResult("x", "x.md", data); err == nil {
			for _, c := range r.Changes {
				if c.Line < 1 || c.Line > lines || c.Added < 0 || c.Deleted < 0 {
					t.Fatalf("change %+v", c)
				}
			}
		}
		out, err := spliceFields(data, [][2]string{{"Status", "delegated"}, {"Agent", "a"}})
		if err != nil {
			t.Fatal(err)
		}
		s2 := Parse("x", "x.md", out)
		if s2.Status() != Delegated {
			// Only when the input has a field line the splice cannot see
			// as the first one (e.g. inside a fence before a section).
			if v, _ := s2.Field("status"); !strings.EqualFold(v, Delegated) && len(s.Doc.Sections) == len(s2.Doc.Sections) {
				t.Fatalf("status not set: %q in %q", s2.Status(), out)
			}
		}
		if len(s.Doc.Sections) == len(s2.Doc.Sections) {
			for i := range s.Doc.Sections {
				if s.Doc.Sections[i].Text != s2.Doc.Sections[i].Text && i > 0 {
					t.Fatalf("section %d changed: %q -> %q", i, s.Doc.Sections[i].Text, s2.Doc.Sections[i].Text)
				}
			}
		}
	})
}
