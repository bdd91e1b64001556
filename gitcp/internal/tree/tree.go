package tree

import (
	"strconv"
	"strings"
)

// ModeTree is the mode of a subtree entry.
const ModeTree = 0o040000

// FormatError is returned by [Parse] for content that is not a tree.
type FormatError struct {
	Reason string
}

func (e *FormatError) Error() string { return "malformed tree: " + e.Reason }

// Entry is one entry of a tree object.
type Entry struct {
	Mode uint32
	Name string
	ID   [20]byte
}

// IsTree reports whether e is a subtree.
func (e Entry) IsTree() bool { return e.Mode == ModeTree }

// Parse decodes the content of a tree object. It checks the framing of
// each entry and that the mode is octal; it does not check the order or
// the names, as git's tree walker does not either.
//
// The names are slices of one copy of data, so a tree costs two
// allocations whatever its size (a tree of 3,000 entries is common in
// real repositories, and the diff of two commits parses both sides of
// every folder that changed); data may be reused once Parse returns.
func Parse(data []byte) ([]Entry, error) {
	if len(data) == 0 {
		return nil, nil
	}
	// An entry is at least 28 bytes: 5 for the shortest mode (40000), a
	// space, a name of one byte, a NUL and the 20-byte id; a capacity
	// hint only.
	out := make([]Entry, 0, len(data)/28+1)
	s := string(data)
	for len(s) > 0 {
		sp := strings.IndexByte(s, ' ')
		if sp < 0 {
			return nil, &FormatError{Reason: "entry without a space after its mode"}
		}
		mode, ok := parseMode(s[:sp])
		if !ok {
			return nil, &FormatError{Reason: "mode " + strconv.Quote(s[:sp]) + " is not octal"}
		}
		s = s[sp+1:]
		nul := strings.IndexByte(s, 0)
		if nul < 0 || len(s) < nul+21 {
			return nil, &FormatError{Reason: "entry cut short"}
		}
		e := Entry{Mode: mode, Name: s[:nul]}
		copy(e.ID[:], s[nul+1:nul+21])
		s = s[nul+21:]
		out = append(out, e)
	}
	return out, nil
}

// parseMode reads an octal mode as strconv.ParseUint(m, 8, 32) does: one
// or more digits 0-7 whose value fits in 32 bits.
func parseMode(m string) (uint32, bool) {
	if m == "" {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(m); i++ {
		c := m[i]
		if c < '0' || c > '7' {
			return 0, false
		}
		v = v<<3 | uint64(c-'0')
		if v > 1<<32-1 {
			return 0, false
		}
	}
	return uint32(v), true
}

// AppendEntry appends the encoding of one entry to b.
func AppendEntry(b []byte, mode uint32, name string, id [20]byte) []byte {
	b = strconv.AppendUint(b, uint64(mode), 8)
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, 0)
	return append(b, id[:]...)
}

// EncodedLen is the length of the entry AppendEntry writes.
func EncodedLen(mode uint32, name string) int {
	digits := 1
	for m := mode >> 3; m > 0; m >>= 3 {
		digits++
	}
	return digits + 1 + len(name) + 1 + 20
}

// Compare orders names as git does in trees: a folder compares as its
// name followed by "/".
func Compare(a string, aTree bool, b string, bTree bool) int {
	n := min(len(a), len(b))
	if c := strings.Compare(a[:n], b[:n]); c != 0 {
		return c
	}
	ca, cb := byte(0), byte(0)
	if len(a) > n {
		ca = a[n]
	} else if aTree {
		ca = '/'
	}
	if len(b) > n {
		cb = b[n]
	} else if bTree {
		cb = '/'
	}
	switch {
	case ca < cb:
		return -1
	case ca > cb:
		return 1
	}
	return 0
}
