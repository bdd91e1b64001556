package spec

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

const sample = "# Spec: api\n\n**Status**: delegated\n**Item**: 3 (Rate limiting)\n**Agent**: sub-1\n\n## Goal\nAdd it.\n\n## Files to Read\n- `api.go`\n- docs/x.md (new) - notes\n\n## Files to Modify\n- limit.go (new): the limiter\n- api.go\n\n## Requirements\n- r\n\n## Constraints\n- (none)\n\n## Deliverable\nd\n"

func TestParse(t *testing.T) {
	s := Parse("api", "specs/api.md", []byte(sample))
	if s.Status() != Delegated {
		t.Errorf("status %q", s.Status())
	}
	if n, text := s.Item(); n != 3 || text != "Rate limiting" {
		t.Errorf("item %d %q", n, text)
	}
	if v, _ := s.Field("AGENT"); v != "sub-1" {
		t.Errorf("agent %q", v)
	}
	want := []FileRef{{Path: "limit.go", New: true, Line: 15, Note: "the limiter"}, {Path: "api.go", Line: 16}}
	if !reflect.DeepEqual(s.Modify, want) {
		t.Errorf("modify %+v, want %+v", s.Modify, want)
	}
	wantRead := []FileRef{{Path: "api.go", Line: 11}, {Path: "docs/x.md", New: true, Line: 12, Note: "notes"}}
	if !reflect.DeepEqual(s.Read, wantRead) {
		t.Errorf("read %+v, want %+v", s.Read, wantRead)
	}
	// "(none)" is a placeholder; the Goal is text.
	if s.Constraints != "" || s.Goal != "Add it." {
		t.Errorf("constraints %q goal %q", s.Constraints, s.Goal)
	}
}

func TestSpliceFields(t *testing.T) {
	for _, c := range []struct {
		name, in string
		set      [][2]string
		want     string
	}{
		{"replace", "# S\n\n**Status**: draft\n**Created**: x\n\n## Goal\ng\n", [][2]string{{"status", "delegated"}},
			"# S\n\n**Status**: delegated\n**Created**: x\n\n## Goal\ng\n"},
		{"append after the last field", "# S\n\n**Status**: draft\n\n## Goal\n**Agent**: in a section\n", [][2]string{{"Agent", "a1"}},
			"# S\n\n**Status**: draft\n**Agent**: a1\n\n## Goal\n**Agent**: in a section\n"},
		{"no fields: after the title", "# S\n## Goal\ng\n", [][2]string{{"Status", "draft"}},
			"# S\n\n**Status**: draft\n## Goal\ng\n"},
		{"remove", "**A**: 1\n**B**: 2\n", [][2]string{{"a", ""}}, "**B**: 2\n"},
		{"CRLF and BOM kept", "\xef\xbb\xbf# S\r\n\r\n**Status**: draft\r\n\r\n## Goal\r\n", [][2]string{{"Status", "failed"}, {"Why", "x"}},
			"\xef\xbb\xbf# S\r\n\r\n**Status**: failed\r\n**Why**: x\r\n\r\n## Goal\r\n"},
		{"no newline at the end", "**Status**: draft", [][2]string{{"Agent", "b"}}, "**Status**: draft\n**Agent**: b\n"},
	} {
		got, err := spliceFields([]byte(c.in), c.set)
		if err != nil || string(got) != c.want {
			t.Errorf("%s: got %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	if _, err := spliceFields([]byte("x"), [][2]string{{"a", "b\nc"}}); err == nil {
		t.Error("a value with a line break was accepted")
	}
}

func TestValidateName(t *testing.T) {
	for _, ok := range []string{"api", "api-routes", "v1.2_x", "A1", strings.Repeat("a", MaxNameLen)} {
		if err := ValidateName(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "../x", "a/b", `a\b`, ".x", "-x", "a..b", "x.", "x.lock", "x.result", "x.md", "con", "NUL.txt", "a b", "é", "a\x00", strings.Repeat("a", MaxNameLen+1)} {
		var ne *NameError
		if err := ValidateName(bad); !errors.As(err, &ne) {
			t.Errorf("%q accepted (%v)", bad, err)
		}
	}
}

func TestParseResult(t *testing.T) {
	good := "# Result: x\n\n## Status\nfailed: tests do not build, bucket: build-fail\n\n## Changes\n- `a.go` (+10 -2) did it\n- b.go +3/-1\n- c.go\n\n## Decisions\n- d1\n\n## Tests needed\n(none)\n\n## Issues:\n- i1\n"
	r, err := ParseResult("x", "r.md", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != Failed || r.Bucket != "build-fail" || !strings.HasPrefix(r.Summary, "tests do not build") {
		t.Errorf("status %q bucket %q summary %q", r.Status, r.Bucket, r.Summary)
	}
	want := []Change{{Path: "a.go", Added: 10, Deleted: 2, Note: "did it", Line: 7}, {Path: "b.go", Added: 3, Deleted: 1, Line: 8}, {Path: "c.go", Line: 9}}
	if !reflect.DeepEqual(r.Changes, want) {
		t.Errorf("changes %+v", r.Changes)
	}
	if !reflect.DeepEqual(r.Decision, []string{"d1"}) || len(r.Tests) != 0 || !reflect.DeepEqual(r.Issues, []string{"i1"}) {
		t.Errorf("lists %q %q %q", r.Decision, r.Tests, r.Issues)
	}

	_, err = ParseResult("x", "r.md", []byte("## Status\ncomplete\n## Changes\n(none)\n"))
	var re *ResultError
	if !errors.As(err, &re) {
		t.Fatalf("got %v", err)
	}
	msgs := []string{}
	for _, p := range re.Problems {
		msgs = append(msgs, p.String())
	}
	for _, w := range []string{"r.md: no ## Decisions section", "r.md: no ## Tests needed section", "r.md: no ## Issues section", "r.md:3: a complete result lists no changes"} {
		if !strings.Contains(strings.Join(msgs, "\n"), w) {
			t.Errorf("missing %q in %q", w, msgs)
		}
	}
}

func TestConflictsAndOrder(t *testing.T) {
	mk := func(name, status string, modify, read []string) *Spec {
		var b bytes.Buffer
		b.WriteString("**Status**: " + status + "\n## Files to Read\n")
		for _, r := range read {
			b.WriteString("- " + r + "\n")
		}
		b.WriteString("## Files to Modify\n")
		for _, m := range modify {
			b.WriteString("- " + m + "\n")
		}
		return Parse(name, name+".md", b.Bytes())
	}
	specs := []*Spec{
		mk("a", Delegated, []string{"x.go", "y.go"}, nil),
		mk("b", Draft, []string{"y.go"}, []string{"x.go"}),
		mk("c", Integrated, []string{"x.go"}, nil),
		mk("d", Returned, []string{"z.go"}, nil),
	}
	got := Conflicts(specs, "")
	if len(got) != 1 || got[0].Path != "y.go" || got[0].A != "a" || got[0].B != "b" {
		t.Errorf("conflicts %+v", got)
	}
	if got := Conflicts(specs, "b"); len(got) != 1 || got[0].A != "b" || got[0].B != "a" {
		t.Errorf("conflicts of b %+v", got)
	}
	// c is integrated: it claims nothing, unless it is the one checked.
	if got := Conflicts(specs, "c"); len(got) != 1 || got[0].A != "c" || got[0].B != "a" {
		t.Errorf("conflicts of c %+v", got)
	}
	// d overlaps nothing; c shares x.go with a; b and a share two files each
	// and b modifies fewer.
	if got := IntegrationOrder(specs); !reflect.DeepEqual(got, []string{"d", "c", "b", "a"}) {
		t.Errorf("order %q", got)
	}
}
