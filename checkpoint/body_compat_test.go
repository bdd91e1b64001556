package checkpoint

import (
	"bytes"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// ParseBody moved onto mdstate/sections. oldParseBody is ParseBody as it
// was before (checkpoint/file.go at 8bfd058, its own line scanner). On the
// inputs of bodyDomain the two must agree; outside it they differ where
// sections.Parse follows CommonMark and the old scanner did not (see
// bodyDomain).
func oldParseBody(src []byte) *Body {
	b := &Body{Sections: map[string]string{}}
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	var cur *strings.Builder
	var curTitle string
	var pre strings.Builder
	flush := func() {
		if cur == nil {
			return
		}
		text := strings.Trim(cur.String(), "\n")
		if k := sectionKey(curTitle); k != "" {
			if old := b.Sections[k]; old != "" {
				text = old + "\n" + text
			}
			b.Sections[k] = text
		} else {
			b.Extra = append(b.Extra, BodySection{Title: curTitle, Text: text})
		}
	}
	fence := ""
	for _, line := range strings.Split(string(src), "\n") {
		t := strings.TrimSpace(line)
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
		} else if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = t[:3]
		} else if h, ok := strings.CutPrefix(line, "# "); ok && cur == nil && b.Title == "" {
			h = strings.TrimSpace(h)
			if rest, ok := cutPrefixFold(h, "checkpoint:"); ok {
				h = strings.TrimSpace(rest)
			}
			b.Title = h
			continue
		} else if h, ok := strings.CutPrefix(line, "## "); ok {
			flush()
			cur, curTitle = &strings.Builder{}, strings.TrimSpace(strings.TrimRight(strings.TrimSpace(h), "#"))
			continue
		}
		if cur != nil {
			cur.WriteString(line + "\n")
		} else if !isFieldLine(t) {
			pre.WriteString(line + "\n")
		}
	}
	flush()
	b.Preamble = strings.Trim(pre.String(), "\n")
	return b
}

var (
	// fenceish matches a line the old scanner took for a fence.
	fenceish = regexp.MustCompile("(?m)^[ \t]*(```|~~~)")
	// plainFence matches the fence lines on which both scanners agree.
	plainFence = regexp.MustCompile("(?m)^[ \t]*(```|~~~)[ \t]*$")
	// oddHeading matches heading lines the scanners read differently: "#"
	// or "##" with a tab or nothing after it, a text ending in "#", or an
	// empty title.
	oddHeading = regexp.MustCompile("(?m)^(##?(\t|$)|##? .*#[ \t]*$|# [ \t]*$)")
	// emptyTitle matches an H1 that is empty once "Checkpoint:" is cut:
	// the old scanner then took a later H1 as the title, ParseBody keeps
	// the first.
	emptyTitle = regexp.MustCompile("(?mi)^# [ \t]*checkpoint:[ \t]*$")
)

// bodyDomain reports whether the old and the new ParseBody should agree on
// src. They do not, by design, on: fence lines other than a bare ``` or ~~~
// (the old scanner closed a fence with any line starting with its first
// three characters, and opened one even when a backtick info string held a
// backtick); HTML blocks (the old scanner had none: any line starting with
// "<" is left out); heading lines that oddHeading matches (closing "#"
// sequences, "#" or "##" alone or with a tab, an empty title); and bytes
// that strings.TrimSpace trims but Parse keeps (CR outside CRLF, \v, \f,
// and non-ASCII, which may hold U+0085 or U+00A0).
func bodyDomain(src []byte) bool {
	s := bytes.ReplaceAll(bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")), []byte("\r\n"), []byte("\n"))
	for _, c := range s {
		if c == '\r' || c == '\v' || c == '\f' || c >= 0x80 {
			return false
		}
	}
	if len(fenceish.FindAll(s, -1)) != len(plainFence.FindAll(s, -1)) || oddHeading.Match(s) || emptyTitle.Match(s) {
		return false
	}
	for _, l := range bytes.Split(s, []byte("\n")) {
		if t := bytes.TrimLeft(l, " \t"); len(t) > 0 && t[0] == '<' {
			return false
		}
	}
	return true
}

func compareParseBody(t testing.TB, in []byte) {
	t.Helper()
	if !bodyDomain(in) {
		return
	}
	if o, n := oldParseBody(in), ParseBody(in); !reflect.DeepEqual(o, n) {
		t.Fatalf("ParseBody(%q):\nold %+v\nnew %+v", in, o, n)
	}
}

func TestParseBodyCompat(t *testing.T) {
	// TestParseBody's input.
	idTest := "# Checkpoint: Title here\r\n**Date**: x\r\n\r\nIntro.\r\n\r\n## Next Actions\r\n1. a\r\n2. b\r\n```\r\n## not a heading\r\n```\r\n## Key Decisions\r\n- d1\r\n  continued\r\n## Risks\r\n- r\r\n"
	if !bodyDomain([]byte(idTest)) {
		t.Fatal("checkpoint's own test input is outside the domain")
	}
	n := 0
	for _, in := range append(caseInputs(t), []byte(idTest), []byte("x\n# T\n**A**: b\ny\n## S\nz\n## State\n\n## Status\nw\n")) {
		if bodyDomain(in) {
			n++
		}
		compareParseBody(t, in)
	}
	if n < 5 {
		t.Fatalf("only %d inputs in the domain: the comparison tests little", n)
	}
}

// FuzzParseBodyCompat compares the old and the new ParseBody.
func FuzzParseBodyCompat(f *testing.F) {
	for _, in := range caseInputs(f) {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in []byte) { compareParseBody(t, in) })
}

// caseInputs are the inputs of mdstate/sections' case files.
func caseInputs(t testing.TB) [][]byte {
	files, err := filepath.Glob(filepath.Join("..", "mdstate", "sections", "testdata", "cases", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, fl := range ar.Files {
			if fl.Name == "input.md" {
				out = append(out, fl.Data)
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("no case inputs in ../mdstate/sections/testdata/cases")
	}
	return out
}
