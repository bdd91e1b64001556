package sections

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// goldmark is the oracle for CommonMark block structure. On the inputs
// commonDomain admits, the title line and the section lines of Parse must
// be the lines of goldmark's document-level ATX headings of level 1 (the
// first one before the first section) and 2.

// commonDomain reports whether Parse promises goldmark's answer for src
// (normalised): the package documentation lists where it departs from
// CommonMark, and each departure is excluded here:
//   - a CR that is not part of a CRLF (a line ending for CommonMark, a byte
//     here);
//   - an indented line starting with "`", "~" or "<": fences and HTML
//     blocks inside list items, and indented code, need the container
//     structure this scanner does not build;
//   - a line that would start an HTML block of kind 7 right after a
//     non-blank line: "in a paragraph" is approximated;
//
// and where goldmark v1.8.7 departs from CommonMark 0.31.2, which this
// package follows:
//   - "<!" then a lower-case letter starts an HTML block of kind 4 since
//     CommonMark 0.31; goldmark still asks for an upper-case letter.
//
// Setext headings need no exclusion: only ATX heading lines are compared.
func commonDomain(src []byte) bool {
	if bytes.IndexByte(src, '\r') >= 0 {
		return false
	}
	prevBlank := true
	for _, l := range bytes.Split(src, []byte("\n")) {
		if len(l) > 0 && (l[0] == ' ' || l[0] == '\t') {
			if t := bytes.TrimLeft(l, " \t"); len(t) > 0 && (t[0] == '`' || t[0] == '~' || t[0] == '<') {
				return false
			}
		}
		t := bytes.TrimLeft(l, " ")
		if !prevBlank && len(t) > 0 && t[0] == '<' && loneTag(t) {
			return false
		}
		if len(t) > 2 && t[0] == '<' && t[1] == '!' && 'a' <= t[2] && t[2] <= 'z' {
			return false
		}
		prevBlank = isBlank(l)
	}
	return true
}

// goldmarkLines returns the line of the title (0 if none) and of each
// section as goldmark sees src: document-level ATX headings.
func goldmarkLines(src []byte) (title int, secs []int) {
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	lineOf := func(off int) int { return bytes.Count(src[:off], []byte("\n")) + 1 }
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok || h.Level > 2 {
			continue
		}
		var line int
		if h.Lines().Len() > 0 {
			line = lineOf(h.Lines().At(0).Start)
		} else {
			line = lineOf(max(h.Pos(), 0))
		}
		start := bytes.LastIndexByte(src[:min(len(src), max(h.Pos(), 0))], '\n') + 1
		if h.Lines().Len() > 0 {
			start = bytes.LastIndexByte(src[:h.Lines().At(0).Start], '\n') + 1
		}
		if !atxLine.Match(src[start:]) {
			continue // a setext heading, whose text may start with "#"
		}
		switch {
		case h.Level == 2:
			secs = append(secs, line)
		case title == 0 && len(secs) == 0:
			title = line
		}
	}
	return title, secs
}

// atxLine matches the start of an ATX heading line in column 0 (CommonMark
// §4.2), to tell goldmark's ATX headings from its setext ones.
var atxLine = regexp.MustCompile(`^#{1,6}(?:[ \t]|\n|$)`)

func compareGoldmark(t testing.TB, in []byte) {
	t.Helper()
	d := Parse(in)
	if !commonDomain(d.Src) {
		return
	}
	title, secs := goldmarkLines(d.Src)
	var got []int
	for _, s := range d.Sections {
		got = append(got, s.Line)
	}
	if title != d.TitleLine || !slices.Equal(got, secs) {
		t.Fatalf("Parse(%q): title line %d, sections on %v; goldmark: title line %d, sections on %v",
			d.Src, d.TitleLine, got, title, secs)
	}
}

func TestGoldmarkAgrees(t *testing.T) {
	n := 0
	for _, in := range caseInputs(t) {
		if commonDomain(Parse(in).Src) {
			n++
		}
		compareGoldmark(t, in)
	}
	if n < 5 {
		t.Fatalf("only %d case inputs are in the common domain: the comparison tests little", n)
	}
	for i, in := range []string{
		"<!--\n## a\n-->\n## b\n",
		"<details>\n## a\n\n## b\n",
		"```\n## a\n``` x\n## b\n```\n## c\n",
		"~~~\n## a\n~~~~\n## b\n",
		"```a`b\n## a\n",
		"<script>\n## a\n</SCRIPT>\n## b\n",
		"para\n<div>\n## a\n\n## b\n",
		"- a\n## b\n> q\n## c\n",
		"Setext\n---\n## a\n",
		"#\n##\n# x #\n## y ##\n",
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) { compareGoldmark(t, []byte(in)) })
	}
}

// FuzzGoldmark compares Parse with goldmark on the inputs of commonDomain.
func FuzzGoldmark(f *testing.F) {
	for _, in := range caseInputs(f) {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in []byte) { compareGoldmark(t, in) })
}
