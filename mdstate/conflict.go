package mdstate

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// conflictMarkerSize is git's default conflict-marker-size (gitattributes(5)).
const conflictMarkerSize = 7

// ConflictMarker is one line of an unresolved git merge conflict.
type ConflictMarker struct {
	Line int    // 1-based
	Text string // the line, without its line ending
}

// FindConflictMarkers returns the marker lines of every unresolved conflict
// git left in data, in order: a "<<<<<<<" line, optionally "|||||||" (the
// diff3 and zdiff3 styles), then "=======", then ">>>>>>>" (git-merge(1),
// "HOW CONFLICTS ARE PRESENTED"; seven characters, git's default
// conflict-marker-size). A lone "=======" (a Markdown setext underline)
// is not a conflict; neither is a block that never closes.
func FindConflictMarkers(data []byte) []ConflictMarker {
	var out, block []ConflictMarker
	state := 0 // 0 outside, 1 after <<<, 2 after ===
	line := 0
	for len(data) > 0 {
		line++
		l := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		l = bytes.TrimSuffix(l, []byte{'\r'})
		kind := markerKind(l)
		switch {
		case kind == '<':
			state, block = 1, []ConflictMarker{{line, string(l)}}
		case kind == '|' && state == 1, kind == '=' && state == 1:
			block = append(block, ConflictMarker{line, string(l)})
			if kind == '=' {
				state = 2
			}
		case kind == '>' && state == 2:
			out = append(out, append(block, ConflictMarker{line, string(l)})...)
			state, block = 0, nil
		}
	}
	return out
}

// markerKind returns '<', '|', '=' or '>' when l is that conflict marker
// line, else 0. "<<<<<<<", "|||||||" and ">>>>>>>" are followed by the end
// of the line or a space and a label; "=======" stands alone.
func markerKind(l []byte) byte {
	if len(l) < conflictMarkerSize {
		return 0
	}
	c := l[0]
	if c != '<' && c != '|' && c != '=' && c != '>' {
		return 0
	}
	for i := 1; i < conflictMarkerSize; i++ {
		if l[i] != c {
			return 0
		}
	}
	rest := l[conflictMarkerSize:]
	if c == '=' {
		if len(bytes.TrimRight(rest, " \t")) == 0 {
			return c
		}
		return 0
	}
	if len(rest) == 0 || rest[0] == ' ' {
		return c
	}
	return 0
}

// ConflictError is returned when a state file holds unresolved git
// conflict markers: wf neither edits nor commits such a file, since its
// parse mixes both sides.
type ConflictError struct {
	Path    string // as the user names it
	Markers []ConflictMarker
}

func (e *ConflictError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s has unresolved git conflict markers:", e.Path)
	for i, m := range e.Markers {
		if i == 6 {
			fmt.Fprintf(&b, " …")
			break
		}
		fmt.Fprintf(&b, " line %d %q;", m.Line, m.Text)
	}
	return strings.TrimSuffix(b.String(), ";")
}

// Hint says what the user can do.
func (e *ConflictError) Hint() string {
	lines := make([]string, 0, len(e.Markers))
	for _, m := range e.Markers {
		lines = append(lines, strconv.Itoa(m.Line))
	}
	return fmt.Sprintf("resolve the conflict in %s (keep the right side, delete the <<<<<<< ======= >>>>>>> lines %s), then git add %s; wf lint checks the file", e.Path, strings.Join(lines, ", "), e.Path)
}

// CheckConflicts returns a [*ConflictError] when data (the file named
// path) holds unresolved conflict markers, else nil.
func CheckConflicts(path string, data []byte) error {
	if ms := FindConflictMarkers(data); len(ms) > 0 {
		return &ConflictError{Path: path, Markers: ms}
	}
	return nil
}
