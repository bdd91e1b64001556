package sections

import (
	"bytes"
	"strings"
)

// HTML blocks, CommonMark 0.31.2 §4.6
// (https://spec.commonmark.org/0.31.2/#html-blocks). Each function looks at
// one line; none looks at a byte more than a bounded number of times.

// htmlStart returns the kind (1 to 7) of HTML block that line l starts, or
// 0. para reports whether l would continue a paragraph, which kind 7 may
// not interrupt.
func htmlStart(l []byte, para bool) int {
	i := 0
	for i < 3 && i < len(l) && l[i] == ' ' {
		i++
	}
	s := l[i:]
	if len(s) < 2 || s[0] != '<' {
		return 0
	}
	switch {
	case tagThen(s[1:], "script", "pre", "style", "textarea"):
		return 1
	case bytes.HasPrefix(s, []byte("<!--")):
		return 2
	case s[1] == '?':
		return 3
	case s[1] == '!' && len(s) > 2 && isLetter(s[2]):
		return 4
	case bytes.HasPrefix(s, []byte("<![CDATA[")):
		return 5
	}
	j := 1
	if s[j] == '/' {
		j++
	}
	k := j
	for k < len(s) && (isLetter(s[k]) || isDigit(s[k])) {
		k++
	}
	if k > j && blockTag(lowerASCII(s[j:k])) {
		if rest := s[k:]; len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '>' || bytes.HasPrefix(rest, []byte("/>")) {
			return 6
		}
	}
	if !para && loneTag(s) {
		return 7
	}
	return 0
}

// htmlEnds reports whether line l meets the end condition of an HTML block
// of the given kind; the line belongs to the block.
func htmlEnds(kind int, l []byte) bool {
	switch kind {
	case 1:
		return containsFold(l, "</script>") || containsFold(l, "</pre>") ||
			containsFold(l, "</style>") || containsFold(l, "</textarea>")
	case 2:
		return bytes.Contains(l, []byte("-->"))
	case 3:
		return bytes.Contains(l, []byte("?>"))
	case 4:
		return bytes.IndexByte(l, '>') >= 0
	case 5:
		return bytes.Contains(l, []byte("]]>"))
	}
	return isBlank(l) // kinds 6 and 7 end before a blank line
}

// tagThen reports whether s starts with one of names, ignoring ASCII case,
// followed by a space, a tab, ">" or the end of the line (the start of an
// HTML block of kind 1).
func tagThen(s []byte, names ...string) bool {
	for _, n := range names {
		if len(s) >= len(n) && lowerASCII(s[:len(n)]) == n {
			if rest := s[len(n):]; len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '>' {
				return true
			}
		}
	}
	return false
}

// blockTag reports whether name (in lower case) is one of CommonMark's
// block-level tag names, which start an HTML block of kind 6.
func blockTag(name string) bool {
	switch name {
	case "address", "article", "aside", "base", "basefont", "blockquote", "body",
		"caption", "center", "col", "colgroup", "dd", "details", "dialog", "dir",
		"div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
		"frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header",
		"hr", "html", "iframe", "legend", "li", "link", "main", "menu", "menuitem",
		"nav", "noframes", "ol", "optgroup", "option", "p", "param", "search",
		"section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
		"title", "tr", "track", "ul":
		return true
	}
	return false
}

// loneTag reports whether s is one complete HTML open tag or closing tag
// (CommonMark §6.6) followed only by spaces and tabs, with a tag name other
// than pre, script, style or textarea: the start of an HTML block of kind 7.
func loneTag(s []byte) bool {
	i := 1
	closing := i < len(s) && s[i] == '/'
	if closing {
		i++
	}
	st := i
	if i >= len(s) || !isLetter(s[i]) {
		return false
	}
	for i < len(s) && (isLetter(s[i]) || isDigit(s[i]) || s[i] == '-') {
		i++
	}
	switch lowerASCII(s[st:i]) {
	case "pre", "script", "style", "textarea":
		return false
	}
	if closing {
		i = skipSpace(s, i)
	} else {
		for {
			j := skipSpace(s, i)
			if j < len(s) && (s[j] == '>' || s[j] == '/') {
				i = j
				break
			}
			if j == i || j >= len(s) || !attrNameStart(s[j]) {
				return false // an attribute must follow white space
			}
			i = j + 1
			for i < len(s) && attrNameChar(s[i]) {
				i++
			}
			k := skipSpace(s, i)
			if k < len(s) && s[k] == '=' {
				if i = valueEnd(s, skipSpace(s, k+1)); i < 0 {
					return false
				}
			}
		}
		if s[i] == '/' {
			i++
		}
	}
	if i >= len(s) || s[i] != '>' {
		return false
	}
	return isBlank(s[i+1:])
}

// valueEnd returns the offset after an attribute value starting at s[i]
// (quoted with ' or ", or unquoted), or -1 if there is none.
func valueEnd(s []byte, i int) int {
	if i >= len(s) {
		return -1
	}
	if q := s[i]; q == '"' || q == '\'' {
		e := bytes.IndexByte(s[i+1:], q)
		if e < 0 {
			return -1
		}
		return i + 1 + e + 1
	}
	j := i
	for j < len(s) && strings.IndexByte(" \t\"'=<>`", s[j]) < 0 {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

func skipSpace(s []byte, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

func attrNameStart(c byte) bool { return isLetter(c) || c == '_' || c == ':' }

func attrNameChar(c byte) bool {
	return isLetter(c) || isDigit(c) || c == '_' || c == '.' || c == ':' || c == '-'
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// containsFold reports whether l contains sub (lower-case ASCII), ignoring
// ASCII case. It looks at each byte of l at most len(sub) times.
func containsFold(l []byte, sub string) bool {
	for i := 0; i+len(sub) <= len(l); i++ {
		j := 0
		for j < len(sub) && foldEq(l[i+j], sub[j]) {
			j++
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

// foldEq reports whether c equals lc, a lower-case ASCII byte, ignoring
// ASCII case.
func foldEq(c, lc byte) bool {
	if 'a' <= lc && lc <= 'z' {
		return c|0x20 == lc
	}
	return c == lc
}
