package index

import (
	"encoding/binary"
	"fmt"
)

// The split index (gitformat-index(5), "Split index"; git's
// split-index.c): the index file holds a "link" extension naming a shared
// index ($GIT_DIR/sharedindex.<id>) and two EWAH bitmaps over the shared
// index's entry positions, "delete" and "replace". The file's first
// entries, one per replace bit and with empty names, replace those shared
// entries (taking their names); its other entries are added; entries with
// a delete bit are dropped.

// Link is a decoded "link" extension.
type Link struct {
	Shared          [20]byte // the shared index's id: sharedindex.<hex>
	Delete, Replace ewah     // bitmaps over shared entry positions; empty when absent
}

// ewah is an EWAH-compressed bitmap as git's ewah/ewah_io.c stores it: the
// bit count, the 64-bit words (running-length words, each followed by its
// literal words) and the position of the last running-length word.
type ewah struct {
	bits  uint32
	words []uint64
}

// parseLink decodes the payload of a "link" extension.
func parseLink(b []byte) (*Link, error) {
	if len(b) < 20 {
		return nil, &FormatError{Reason: "malformed link extension (short)", Extension: "link"}
	}
	l := &Link{}
	copy(l.Shared[:], b[:20])
	rest := b[20:]
	if len(rest) == 0 {
		return l, nil
	}
	var err error
	if l.Delete, rest, err = parseEWAH(rest); err != nil {
		return nil, err
	}
	if l.Replace, rest, err = parseEWAH(rest); err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, &FormatError{Reason: "malformed link extension (trailing bytes)", Extension: "link"}
	}
	return l, nil
}

func parseEWAH(b []byte) (ewah, []byte, error) {
	bad := &FormatError{Reason: "malformed link extension (bitmap)", Extension: "link"}
	if len(b) < 8 {
		return ewah{}, nil, bad
	}
	e := ewah{bits: binary.BigEndian.Uint32(b)}
	n := binary.BigEndian.Uint32(b[4:])
	if uint64(len(b)-8) < uint64(n)*8+4 {
		return ewah{}, nil, bad
	}
	e.words = make([]uint64, n)
	for i := range e.words {
		e.words[i] = binary.BigEndian.Uint64(b[8+8*i:])
	}
	return e, b[8+8*int(n)+4:], nil
}

// positions returns the set bits of e, in order, refusing a bit at or past
// limit (the shared index's entry count): the cost is bounded by limit and
// the number of words, whatever the run lengths say.
func (e ewah) positions(limit int) ([]int, error) {
	var out []int
	pos := uint64(0)
	for i := 0; i < len(e.words); {
		rlw := e.words[i]
		i++
		run := (rlw >> 1) & 0xffffffff
		lits := int(rlw >> 33)
		if rlw&1 != 0 && run > 0 {
			// A run of set bits, cut at the bit count; past the last
			// shared entry it is corrupt (and would cost its length).
			end := min(pos+run*64, uint64(e.bits))
			if end > uint64(limit) {
				return nil, fmt.Errorf("split index bitmap names entry %d of %d", end-1, limit)
			}
			for p := pos; p < end; p++ {
				out = append(out, int(p))
			}
		}
		pos += run * 64
		for k := 0; k < lits; k++ {
			if i >= len(e.words) {
				return nil, &FormatError{Reason: "malformed link extension (bitmap literal words)", Extension: "link"}
			}
			w := e.words[i]
			i++
			for bit := uint64(0); bit < 64 && w != 0; bit++ {
				if w&(1<<bit) == 0 {
					continue
				}
				w &^= 1 << bit
				p := pos + bit
				if p >= uint64(e.bits) {
					continue
				}
				if p >= uint64(limit) {
					return nil, fmt.Errorf("split index bitmap names entry %d of %d", p, limit)
				}
				out = append(out, int(p))
			}
			pos += 64
		}
	}
	return out, nil
}

// Merge applies the split index f (whose Link is set) to the entries of
// its shared index, as git's merge_base_index does, and returns f with
// the merged, sorted entries and Link cleared: writing it gives an
// ordinary index.
func Merge(f *File, shared *File) (*File, error) {
	if f.Link == nil {
		return f, nil
	}
	if shared.Link != nil {
		return nil, &FormatError{Reason: "the shared index is itself split", Extension: "link"}
	}
	base := shared.Entries
	del, err := f.Link.Delete.positions(len(base))
	if err != nil {
		return nil, &FormatError{Reason: err.Error(), Extension: "link"}
	}
	rep, err := f.Link.Replace.positions(len(base))
	if err != nil {
		return nil, &FormatError{Reason: err.Error(), Extension: "link"}
	}
	if len(rep) > len(f.Entries) {
		return nil, &FormatError{Reason: fmt.Sprintf("split index replaces %d entries but holds %d", len(rep), len(f.Entries)), Extension: "link"}
	}
	out := make([]Entry, len(base), len(base)+len(f.Entries))
	copy(out, base)
	for k, p := range rep {
		e := f.Entries[k]
		if e.Name != "" {
			return nil, &FormatError{Reason: fmt.Sprintf("split index entry %d should have an empty name", k), Extension: "link"}
		}
		e.Name = base[p].Name
		out[p] = e
	}
	drop := make(map[int]bool, len(del))
	for _, p := range del {
		drop[p] = true
	}
	byName := map[string]int{}
	kept := out[:0]
	for i, e := range out {
		if drop[i] {
			continue
		}
		byName[e.Name+"\x00"+string(rune('0'+e.Stage()))] = len(kept)
		kept = append(kept, e)
	}
	for k := len(rep); k < len(f.Entries); k++ {
		e := f.Entries[k]
		if e.Name == "" {
			return nil, &FormatError{Reason: fmt.Sprintf("split index entry %d should have a name", k), Extension: "link"}
		}
		if j, ok := byName[e.Name+"\x00"+string(rune('0'+e.Stage()))]; ok {
			kept[j] = e // added over an existing entry: replaces it
			continue
		}
		kept = append(kept, e)
	}
	Sort(kept)
	m := *f
	// The cache-tree is dropped: it is not read from a split index.
	m.Entries, m.Link, m.Tree = kept, nil, nil
	return &m, nil
}
