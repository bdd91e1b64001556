package sections

import "bytes"

// Span is a byte range [Start, End) of [Doc.Src].
type Span struct{ Start, End int }

// Doc is a parsed body. See the package documentation for the rules.
type Doc struct {
	// Src is the input without its UTF-8 byte order mark and with CRLF
	// turned into LF. Every Span indexes it; line numbers are the input's.
	Src []byte

	// Title is the text of the title heading, the first "# " line before
	// the first section. TitleLine is its 1-based line, 0 when there is no
	// title (an empty "#" line is a title with empty text). TitleSpan is
	// the heading line with its newline; the zero Span when there is none.
	Title     string
	TitleLine int
	TitleSpan Span

	// Preamble is the text before the first section (all of Src when there
	// is none) without the title line, with leading and trailing newlines
	// trimmed. PreambleLine is the line of its first byte, 0 when it is
	// empty.
	Preamble     string
	PreambleLine int

	// Sections are the "## " sections in file order; repeated titles are
	// kept as they come.
	Sections []Section
}

// Section is one "## " heading and the text up to the next one.
type Section struct {
	Title string // the heading's text (see the package documentation)
	Line  int    // 1-based line of the heading

	// Text is the body: the bytes after the heading line up to the next
	// section or the end of Src, with leading and trailing newlines
	// trimmed. TextLine is the line of its first byte, 0 when it is empty.
	Text     string
	TextLine int

	Span Span // from the start of the heading line to the end of the section
	Body Span // the untrimmed body: from after the heading line to Span.End
}

// Parse splits src into a title, a preamble and "##" sections. It accepts
// any bytes (invalid UTF-8 passes through as text), never fails, and does
// not keep or modify src: [Doc.Src] is a copy.
func Parse(src []byte) *Doc {
	d, _ := parse(src)
	return d
}

// parse is [Parse]; it also returns the work done, a count of the bytes
// its line scans looked at, for the test that the cost stays linear.
func parse(src []byte) (*Doc, int) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")) // always a copy
	d := &Doc{Src: src}
	var sc scanner
	var secs []Section
	line := 0
	for off := 0; off < len(src); {
		eol := bytes.IndexByte(src[off:], '\n')
		next := len(src)
		if eol < 0 {
			eol = len(src)
		} else {
			eol += off
			next = eol + 1
		}
		sc.work += eol - off + 1
		line++
		level, text := sc.scan(src[off:eol])
		switch {
		case level == 1 && len(secs) == 0 && d.TitleLine == 0:
			d.Title, d.TitleLine, d.TitleSpan = text, line, Span{off, next}
		case level == 2:
			if n := len(secs); n > 0 {
				secs[n-1].Span.End = off
			}
			secs = append(secs, Section{Title: text, Line: line, Span: Span{off, off}, Body: Span{next, next}})
		}
		off = next
	}

	preEnd := len(src)
	if n := len(secs); n > 0 {
		secs[n-1].Span.End = len(src)
		preEnd = secs[0].Span.Start
	}
	for i := range secs {
		s := &secs[i]
		s.Body.End = s.Span.End
		body := src[s.Body.Start:s.Body.End]
		sc.work += len(body)
		s.Text, s.TextLine = trimLines(body, s.Line+1)
	}
	d.Sections = secs

	if d.TitleLine == 0 {
		sc.work += preEnd
		d.Preamble, d.PreambleLine = trimLines(src[:preEnd], 1)
	} else {
		before, after := src[:d.TitleSpan.Start], src[d.TitleSpan.End:preEnd]
		sc.work += len(before) + len(after)
		if len(bytes.Trim(before, "\n")) == 0 {
			// Only newlines before the title: the text starts after it.
			d.Preamble, d.PreambleLine = trimLines(after, d.TitleLine+1)
			if d.Preamble == "" {
				d.PreambleLine = 0
			}
		} else {
			joined := make([]byte, 0, len(before)+len(after))
			joined = append(append(joined, before...), after...)
			d.Preamble, d.PreambleLine = trimLines(joined, 1)
		}
	}
	return d, sc.work
}

// trimLines returns b without leading and trailing newlines, and the line of
// its first byte given that b starts on line first (0 when the result is
// empty).
func trimLines(b []byte, first int) (string, int) {
	lead := len(b) - len(bytes.TrimLeft(b, "\n"))
	t := bytes.TrimRight(b[lead:], "\n")
	if len(t) == 0 {
		return "", 0
	}
	return string(t), first + lead
}

// scanner classifies lines one after another. It carries the open fence or
// HTML block from line to line, and counts the bytes it looks at.
type scanner struct {
	fenceChar byte // '`' or '~' while inside a fence, 0 otherwise
	fenceLen  int  // length of the opening fence
	html      int  // kind (1 to 7) of the open HTML block, 0 if none
	para      bool // the previous line was non-blank text that a paragraph may continue
	work      int
}

// scan classifies one line (without its newline). It returns 1 or 2 and
// the heading text for a level-1 or level-2 heading, and 0 for text.
func (sc *scanner) scan(l []byte) (level int, text string) {
	sc.work += len(l)
	if sc.fenceChar != 0 {
		if closesFence(l, sc.fenceChar, sc.fenceLen) {
			sc.fenceChar, sc.fenceLen = 0, 0
		}
		sc.para = false
		return 0, ""
	}
	if sc.html != 0 {
		sc.work += len(l)
		if htmlEnds(sc.html, l) {
			sc.html = 0
		}
		sc.para = false
		return 0, ""
	}
	if lvl, t, ok := atxHeading(l); ok {
		sc.para = false
		if lvl <= 2 {
			return lvl, t
		}
		return 0, ""
	}
	if c, n, ok := opensFence(l); ok {
		sc.fenceChar, sc.fenceLen = c, n
		sc.para = false
		return 0, ""
	}
	sc.work += len(l)
	if k := htmlStart(l, sc.para); k != 0 {
		sc.work += len(l)
		if k >= 6 || !htmlEnds(k, l) {
			sc.html = k
		}
		sc.para = false
		return 0, ""
	}
	sc.para = !isBlank(l)
	return 0, ""
}

// atxHeading parses a column-0 ATX heading: 1 to 6 "#" followed by a space,
// a tab or the end of the line. It returns the level and the text without
// surrounding spaces and tabs and without a closing sequence (CommonMark
// 0.31.2 §4.2).
func atxHeading(l []byte) (int, string, bool) {
	n := 0
	for n < len(l) && n < 7 && l[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || (n < len(l) && l[n] != ' ' && l[n] != '\t') {
		return 0, "", false
	}
	t := bytes.Trim(l[n:], " \t")
	if j := len(bytes.TrimRight(t, "#")); j < len(t) {
		switch {
		case j == 0:
			t = t[:0]
		case t[j-1] == ' ' || t[j-1] == '\t':
			t = bytes.TrimRight(t[:j], " \t")
		}
	}
	return n, string(t), true
}

// opensFence reports whether l opens a fenced code block: after any
// indentation, three or more backticks or tildes, and for backticks no
// backtick in the rest of the line. It returns the character and the
// length of the run.
func opensFence(l []byte) (byte, int, bool) {
	t := bytes.TrimLeft(l, " \t")
	if len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return 0, 0, false
	}
	c := t[0]
	n := 0
	for n < len(t) && t[n] == c {
		n++
	}
	if n < 3 || (c == '`' && bytes.IndexByte(t[n:], '`') >= 0) {
		return 0, 0, false
	}
	return c, n, true
}

// closesFence reports whether l closes a fence opened with n times c: after
// any indentation, at least n times c, then only spaces and tabs.
func closesFence(l []byte, c byte, n int) bool {
	t := bytes.TrimLeft(l, " \t")
	m := 0
	for m < len(t) && t[m] == c {
		m++
	}
	return m >= n && isBlank(t[m:])
}

// isBlank reports whether l holds only spaces and tabs.
func isBlank(l []byte) bool {
	return len(bytes.Trim(l, " \t")) == 0
}

// lowerASCII returns s with ASCII letters in lower case; other bytes,
// including invalid UTF-8, are kept.
func lowerASCII(s []byte) string {
	b := make([]byte, len(s))
	for i, c := range s {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return string(b)
}
