package sections

import (
	"bytes"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// checkpoint's ParseBody is to move onto Parse. oldParseBody is ParseBody
// as it is in checkpoint/file.go at 8bfd058, copied with its helpers;
// newParseBody is ParseBody written on this package. On the inputs of
// bodyDomain the two must agree; outside it they differ where Parse follows
// CommonMark and the old scanner did not (see bodyDomain).

type body struct {
	Title    string
	Preamble string
	Sections map[string]string
	Extra    []bodySection
}

type bodySection struct{ Title, Text string }

func sectionKey(title string) string {
	t := strings.ToLower(title)
	switch {
	case strings.Contains(t, "context") || strings.Contains(t, "resume"):
		return "context"
	case strings.Contains(t, "decision"):
		return "decisions"
	case strings.Contains(t, "next") || strings.Contains(t, "action"):
		return "next"
	case strings.Contains(t, "file"):
		return "files"
	case strings.Contains(t, "summary") || strings.Contains(t, "state") || strings.Contains(t, "status"):
		return "summary"
	}
	return ""
}

func oldParseBody(src []byte) *body {
	b := &body{Sections: map[string]string{}}
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
			b.Extra = append(b.Extra, bodySection{Title: curTitle, Text: text})
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

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

func isFieldLine(t string) bool {
	if !strings.HasPrefix(t, "**") {
		return false
	}
	i := strings.Index(t[2:], "**")
	return i > 0 && strings.HasPrefix(t[2+i+2:], ":")
}

// newParseBody is ParseBody on Parse: the title without "Checkpoint:", the
// preamble without field lines, the sections classified by sectionKey with
// repeated keys merged, the others kept in order.
func newParseBody(src []byte) *body {
	d := Parse(src)
	b := &body{Sections: map[string]string{}}
	b.Title = d.Title
	if rest, ok := cutPrefixFold(b.Title, "checkpoint:"); ok {
		b.Title = strings.TrimSpace(rest)
	}
	var pre []string
	for _, l := range strings.Split(d.Preamble, "\n") {
		if !isFieldLine(strings.TrimSpace(l)) {
			pre = append(pre, l)
		}
	}
	b.Preamble = strings.Trim(strings.Join(pre, "\n"), "\n")
	for _, s := range d.Sections {
		if k := sectionKey(s.Title); k != "" {
			text := s.Text
			if old := b.Sections[k]; old != "" {
				text = old + "\n" + text
			}
			b.Sections[k] = text
		} else {
			b.Extra = append(b.Extra, bodySection{Title: s.Title, Text: s.Text})
		}
	}
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
	if len(fenceish.FindAll(s, -1)) != len(plainFence.FindAll(s, -1)) || oddHeading.Match(s) {
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
	if o, n := oldParseBody(in), newParseBody(in); !reflect.DeepEqual(o, n) {
		t.Fatalf("ParseBody(%q):\nold %+v\nnew %+v", in, o, n)
	}
}

func TestParseBodyCompat(t *testing.T) {
	// checkpoint/id_test.go's TestParseBody input.
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
