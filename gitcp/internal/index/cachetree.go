package index

import (
	"bytes"
	"fmt"
)

// CacheTreeNode is one valid node of the cache-tree: the tree object id
// of a folder and the number of index entries it covers.
type CacheTreeNode struct {
	Entries int
	ID      [20]byte
}

// ParseCacheTree decodes the payload of the TREE extension ([File].Tree)
// into its valid nodes, keyed by folder as "a/b/" ("" for the top).
// Invalidated nodes (entry count -1, which git writes for a folder whose
// entries changed since its tree was computed) are left out; their
// subtrees are kept when they are valid.
//
// The format is gitformat-index(5), "Cache tree": each node is its path
// component, a NUL, the entry count in ASCII decimal, a space, the
// subtree count, a newline and, when the entry count is not negative,
// the 20-byte object id; its subtrees follow it, depth first. It returns
// a [FormatError] for a truncated or malformed node, a node whose
// subtrees run past the payload, a component that is empty below the top
// or holds "/", a folder named twice, and bytes after the root's last
// subtree.
func ParseCacheTree(data []byte) (map[string]CacheTreeNode, error) {
	bad := func(why string) error { return &FormatError{Reason: "cache-tree: " + why, Extension: "TREE"} }
	// One node per line; a name holds no newline, an id may.
	out := make(map[string]CacheTreeNode, bytes.Count(data, []byte{'\n'}))
	var key []byte // the folder being read, reused
	type open struct {
		prefix string
		left   int // subtrees still to read
	}
	var stack []open
	off := 0
	for first := true; first || len(stack) > 0; first = false {
		prefix := ""
		if !first {
			top := &stack[len(stack)-1]
			if top.left == 0 {
				stack = stack[:len(stack)-1]
				continue
			}
			top.left--
			prefix = top.prefix
		}
		name, n, ok := cut(data[off:], 0)
		if !ok {
			return nil, bad("truncated node name")
		}
		off += n
		if !first && (len(name) == 0 || bytes.IndexByte(name, '/') >= 0) {
			return nil, bad(fmt.Sprintf("bad folder name %q", name))
		}
		count, n, ok := cut(data[off:], ' ')
		if !ok {
			return nil, bad("truncated entry count")
		}
		off += n
		subs, n, ok := cut(data[off:], '\n')
		if !ok {
			return nil, bad("truncated subtree count")
		}
		off += n
		entries, ok := atoi(count)
		if !ok || entries < -1 {
			return nil, bad(fmt.Sprintf("bad entry count %q", count))
		}
		nsub, ok := atoi(subs)
		// Every subtree takes at least four bytes ("x\x000 0\n" less the
		// name): a count beyond that is refused before it is followed.
		if !ok || nsub < 0 || nsub > (len(data)-off)/4 {
			return nil, bad(fmt.Sprintf("bad subtree count %q", subs))
		}
		key = append(key[:0], prefix...)
		if !first { // the root's name is "", and not looked at
			key = append(append(key, name...), '/')
		}
		if _, dup := out[string(key)]; dup {
			return nil, bad(fmt.Sprintf("folder %q named twice", key))
		}
		folder := string(key)
		if entries >= 0 {
			if len(data)-off < 20 {
				return nil, bad("truncated object id")
			}
			var id [20]byte
			copy(id[:], data[off:off+20])
			off += 20
			out[folder] = CacheTreeNode{Entries: entries, ID: id}
		}
		stack = append(stack, open{prefix: folder, left: nsub})
	}
	if off != len(data) {
		return nil, bad(fmt.Sprintf("%d bytes after the last node", len(data)-off))
	}
	return out, nil
}

// atoi parses a decimal integer with an optional "-", as git writes the
// counts (strconv.Atoi's syntax, without a copy of b); ok is false for
// anything else or a value beyond nine digits.
func atoi(b []byte) (n int, ok bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// cut returns b up to the first sep, and how many bytes that and sep
// take; ok is false when b holds no sep.
func cut(b []byte, sep byte) (field []byte, n int, ok bool) {
	i := bytes.IndexByte(b, sep)
	if i < 0 {
		return nil, 0, false
	}
	return b[:i], i + 1, true
}
