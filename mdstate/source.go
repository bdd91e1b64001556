package mdstate

import (
	"bytes"
	"sort"
)

// Source is a state file's bytes plus what is needed to address them:
// the start offset of every line, the byte order mark and the line ending.
type Source struct {
	Path string
	Data []byte
	// BOM is the length of a leading UTF-8 byte order mark (0 or 3).
	BOM int
	// EOL is the file's line ending, "\r\n" when its first line ends so,
	// else "\n". Inserted lines use it.
	EOL string
	// FrontMatter is the byte length of a leading YAML front matter block
	// (after the BOM), 0 when there is none.
	FrontMatter int
	lineStarts  []int
}

func newSource(path string, data []byte) *Source {
	s := &Source{Path: path, Data: data, EOL: "\n"}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		s.BOM = 3
	}
	if i := bytes.IndexByte(data, '\n'); i > 0 && data[i-1] == '\r' {
		s.EOL = "\r\n"
	}
	s.lineStarts = append(s.lineStarts, 0)
	for i, b := range data {
		if b == '\n' && i+1 <= len(data) {
			s.lineStarts = append(s.lineStarts, i+1)
		}
	}
	s.FrontMatter = frontMatterLen(data[s.BOM:])
	return s
}

// Lines is the number of lines; a final newline does not start a new line.
func (s *Source) Lines() int {
	n := len(s.lineStarts)
	if n > 1 && s.lineStarts[n-1] == len(s.Data) {
		return n - 1
	}
	return n
}

// LineOf returns the 1-based line holding byte offset off.
func (s *Source) LineOf(off int) int {
	return sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > off })
}

// LineStart returns the offset of the first byte of 1-based line n.
func (s *Source) LineStart(n int) int {
	if n < 1 {
		return 0
	}
	if n > len(s.lineStarts) {
		return len(s.Data)
	}
	return s.lineStarts[n-1]
}

// LineEnd returns the offset of the end of line n's content, before its
// line ending.
func (s *Source) LineEnd(n int) int {
	end := s.LineNext(n)
	if end > s.LineStart(n) && s.Data[end-1] == '\n' {
		end--
		if end > s.LineStart(n) && s.Data[end-1] == '\r' {
			end--
		}
	}
	return end
}

// LineNext returns the offset just past line n's line ending: the start of
// line n+1, or the end of the file.
func (s *Source) LineNext(n int) int {
	if n >= len(s.lineStarts) {
		return len(s.Data)
	}
	return s.lineStarts[n]
}

// Line returns line n's content without its line ending.
func (s *Source) Line(n int) []byte { return s.Data[s.LineStart(n):s.LineEnd(n)] }

// frontMatterLen recognises a YAML front matter block: a first line of
// exactly "---" and a closing "---" or "..." line. It returns the length up
// to and including the closing line's ending, or 0.
func frontMatterLen(data []byte) int {
	first, rest, ok := cutLine(data)
	if !ok || string(bytes.TrimRight(first, "\r")) != "---" {
		return 0
	}
	off := len(data) - len(rest)
	for len(rest) > 0 {
		line, next, _ := cutLine(rest)
		t := string(bytes.TrimRight(line, " \t\r"))
		if t == "---" || t == "..." {
			return len(data) - len(next)
		}
		rest = next
		off = len(data) - len(rest)
	}
	_ = off
	return 0
}

// cutLine splits off the first line (without its "\n"); ok is false when
// data holds no "\n" at all.
func cutLine(data []byte) (line, rest []byte, ok bool) {
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		return data, nil, false
	}
	return data[:i], data[i+1:], true
}
