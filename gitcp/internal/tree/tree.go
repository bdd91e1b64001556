package tree

import (
	"bytes"
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
func Parse(data []byte) ([]Entry, error) {
	var out []Entry
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp < 0 {
			return nil, &FormatError{Reason: "entry without a space after its mode"}
		}
		mode, err := strconv.ParseUint(string(data[:sp]), 8, 32)
		if err != nil {
			return nil, &FormatError{Reason: "mode " + strconv.Quote(string(data[:sp])) + " is not octal"}
		}
		data = data[sp+1:]
		nul := bytes.IndexByte(data, 0)
		if nul < 0 || len(data) < nul+21 {
			return nil, &FormatError{Reason: "entry cut short"}
		}
		e := Entry{Mode: uint32(mode), Name: string(data[:nul])}
		copy(e.ID[:], data[nul+1:nul+21])
		data = data[nul+21:]
		out = append(out, e)
	}
	return out, nil
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
