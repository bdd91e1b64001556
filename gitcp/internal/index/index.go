package index

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"time"
	"unsafe"
)

// Entry flag bits (gitformat-index, "Index entry"): [Entry.Flags] keeps
// FlagAssumeValid and the stage; [Entry.XFlags] the version 3 extended
// flags. FlagExtended and the name length are framing, set by [Write].
const (
	FlagAssumeValid   = 0x8000
	FlagExtended      = 0x4000
	FlagStageMask     = 0x3000
	flagNameMask      = 0x0fff
	XFlagSkipWorktree = 0x4000
	XFlagIntentToAdd  = 0x2000
)

// Entry is one index entry: its stat data (truncated to 32 bits as git
// stores it), mode, object id, flags and path. Name is slash-separated; after
// [Decode] it references the decoded buffer (see the package comment).
type Entry struct {
	Name                     string
	CtimeS, CtimeN           uint32
	MtimeS, MtimeN           uint32
	Dev, Ino, Mode, UID, GID uint32
	Size                     uint32
	Hash                     [20]byte
	Flags                    uint16 // assume-valid and stage bits only
	XFlags                   uint16 // skip-worktree, intent-to-add
}

// Stage returns the merge stage, 0 for a merged entry, 1 to 3 for a
// conflict's base, ours and theirs.
func (e *Entry) Stage() int { return int(e.Flags&FlagStageMask) >> 12 }

// SkipWorktree reports the skip-worktree bit (sparse checkout).
func (e *Entry) SkipWorktree() bool { return e.XFlags&XFlagSkipWorktree != 0 }

// IntentToAdd reports the intent-to-add bit (git add -N).
func (e *Entry) IntentToAdd() bool { return e.XFlags&XFlagIntentToAdd != 0 }

// Mtime returns the modification time as seconds and nanoseconds.
func (e *Entry) Mtime() (int64, int64) { return int64(e.MtimeS), int64(e.MtimeN) }

// File is a decoded index file: its version, its entries in file order
// (git writes them sorted by name, then stage; Decode does not check), and
// what [Read] learnt about the file itself.
type File struct {
	Version uint32
	Entries []Entry
	ModTime time.Time // modification time of the index file (for racy-git checks)
	Exists  bool
	HasTree bool // had a TREE extension
	// Tree is the payload of the TREE extension (the cache-tree), nil
	// without one; it shares the file's bytes. [ParseCacheTree] decodes
	// it. [Merge] drops it.
	Tree []byte
	// Sparse is set by the "sdir" extension: entries with mode 040000
	// and a name ending in "/" are sparse directories, each standing for
	// the tree of its object id (gitformat-index(5), "Sparse Directory
	// Entries").
	Sparse bool
	// Link is the split index's "link" extension, nil without one: the
	// entries are then the changes to apply to the shared index ([Merge]).
	Link *Link
}

// Read decodes the index file at path (GitDir/index) with [Decode] and
// records its modification time. A missing file is an empty version 2
// index with Exists false. It returns the error of reading the file or
// the [FormatError] of Decode.
func Read(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &File{Version: 2}, nil
	}
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	idx, err := Decode(data)
	if err != nil {
		return nil, err
	}
	idx.ModTime = fi.ModTime()
	idx.Exists = true
	return idx, nil
}

// Decode decodes a whole index file. Optional extensions (TREE, REUC,
// UNTR, FSMN, EOIE, IEOT and any other upper-case signature) are skipped,
// so a rewrite drops them (they are caches); HasTree records a TREE
// extension. It returns a [FormatError] for a bad signature or checksum, a
// version other than 2, 3 and 4, a truncated or malformed entry or
// extension, and any mandatory (lower-case) extension other than "link"
// and "sdir". A split index decodes with [File].Link set and
// its entries as stored (replacements with empty names): [Merge] them.
func Decode(data []byte) (*File, error) {
	if len(data) < 12+20 || string(data[:4]) != "DIRC" {
		return nil, &FormatError{Reason: "bad index signature"}
	}
	body, trailer := data[:len(data)-20], data[len(data)-20:]
	if !allZero(trailer) { // index.skipHash writes a zero trailer
		sum := sha1.Sum(body)
		if !bytes.Equal(sum[:], trailer) {
			return nil, &FormatError{Reason: "index checksum mismatch (corrupt index?)"}
		}
	}
	be := binary.BigEndian
	idx := &File{Version: be.Uint32(data[4:])}
	if idx.Version < 2 || idx.Version > 4 {
		return nil, &FormatError{Reason: fmt.Sprintf("index version %d", idx.Version)}
	}
	n := int(be.Uint32(data[8:]))
	if n > len(body)/40 {
		return nil, &FormatError{Reason: "malformed index (entry count)"}
	}
	// Room to add a few entries in place (scan, restat) without copying.
	idx.Entries = make([]Entry, n, n+64)
	off := 12
	var prev []byte    // v4 previous name
	emptyName := false // refused after the extensions, which name a split index
	var arena []byte
	if idx.Version == 4 {
		arena = make([]byte, 0, len(body))
	}
	for i := range n {
		if off+62 > len(body) {
			return nil, &FormatError{Reason: "malformed index (truncated entry)"}
		}
		e := &idx.Entries[i]
		p := body[off:]
		e.CtimeS, e.CtimeN = be.Uint32(p[0:]), be.Uint32(p[4:])
		e.MtimeS, e.MtimeN = be.Uint32(p[8:]), be.Uint32(p[12:])
		e.Dev, e.Ino, e.Mode = be.Uint32(p[16:]), be.Uint32(p[20:]), be.Uint32(p[24:])
		e.UID, e.GID, e.Size = be.Uint32(p[28:]), be.Uint32(p[32:]), be.Uint32(p[36:])
		copy(e.Hash[:], p[40:60])
		flags := be.Uint16(p[60:])
		e.Flags = flags & (FlagAssumeValid | FlagStageMask)
		hl := 62
		if flags&FlagExtended != 0 {
			if idx.Version < 3 {
				return nil, &FormatError{Reason: "extended flag in a version 2 index"}
			}
			if off+64 > len(body) {
				return nil, &FormatError{Reason: "malformed index (truncated entry)"}
			}
			e.XFlags = be.Uint16(p[62:])
			hl = 64
		}
		start := off + hl
		if idx.Version == 4 {
			// strip in uint64: a varint of many bytes wraps, and as an int
			// it could be negative (found by FuzzDecode).
			strip, k := readVarint(body[start:])
			if k == 0 || strip > uint64(len(prev)) {
				return nil, &FormatError{Reason: "malformed v4 index name"}
			}
			end := bytes.IndexByte(body[start+k:], 0)
			if end < 0 {
				return nil, &FormatError{Reason: "malformed v4 index name"}
			}
			suffix := body[start+k : start+k+end]
			if len(arena)+len(prev)-int(strip)+end > maxNameBytes(len(body)) {
				return nil, &FormatError{Reason: "malformed v4 index (names too long)"}
			}
			a0 := len(arena)
			arena = append(arena, prev[:len(prev)-int(strip)]...)
			arena = append(arena, suffix...)
			name := arena[a0:]
			emptyName = emptyName || len(name) == 0
			e.Name = unsafe.String(unsafe.SliceData(name), len(name))
			prev = name
			off = start + k + end + 1
		} else {
			nl := int(flags & flagNameMask)
			var end int
			if nl < flagNameMask {
				end = start + nl
			} else {
				z := bytes.IndexByte(body[start:], 0)
				if z < 0 {
					return nil, &FormatError{Reason: "malformed index name"}
				}
				end = start + z
			}
			if end > len(body) {
				return nil, &FormatError{Reason: "malformed index (truncated name)"}
			}
			// Not &body[start]: start may be len(body) when the name is
			// empty (a fuzzed file whose zero trailer is not checked).
			e.Name = unsafe.String(unsafe.SliceData(body[start:end]), end-start)
			emptyName = emptyName || end == start
			entLen := hl + (end - start)
			off += (entLen + 8) &^ 7
		}
	}
	// Extensions.
	for off+8 <= len(body) {
		sig := string(body[off : off+4])
		sz := int(be.Uint32(body[off+4:]))
		if off+8+sz > len(body) {
			return nil, &FormatError{Reason: "malformed index extension " + strconv.Quote(sig)}
		}
		switch {
		case sig == "link":
			l, err := parseLink(body[off+8 : off+8+sz])
			if err != nil {
				return nil, err
			}
			if idx.Version == 4 {
				return nil, &FormatError{Reason: "split index in a version 4 index", Extension: "link"}
			}
			idx.Link = l
		case sig == "sdir":
			// A sparse index: some entries are folders (mode 040000,
			// name ending in "/", skip-worktree) standing for a tree.
			idx.Sparse = true
		case sig == "TREE":
			idx.HasTree = true
			idx.Tree = body[off+8 : off+8+sz : off+8+sz]
		case sig[0] >= 'A' && sig[0] <= 'Z':
			// optional extension: dropped on rewrite
		default:
			return nil, &FormatError{Reason: "unknown mandatory index extension " + strconv.Quote(sig)}
		}
		off += 8 + sz
	}
	if emptyName && idx.Link == nil {
		return nil, &FormatError{Reason: "malformed index (empty name)"}
	}
	return idx, nil
}

// maxNameBytes bounds the total length of the names of a version 4 index
// of size n: each name may repeat most of the previous one, so without a
// bound a small file would expand quadratically. An entry takes at least 64
// bytes on disk, so 64 times the file size allows names of 4 KiB on
// average, more than any real index holds.
func maxNameBytes(n int) int { return 64 * n }

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// readVarint decodes git's offset varint (the version 4 name prefix
// length); it returns 0 bytes on error.
func readVarint(b []byte) (uint64, int) {
	if len(b) == 0 {
		return 0, 0
	}
	c := b[0]
	val := uint64(c & 127)
	i := 1
	for c&128 != 0 {
		if i >= len(b) {
			return 0, 0
		}
		val++
		c = b[i]
		i++
		val = val<<7 + uint64(c&127)
	}
	return val, i
}

func appendVarint(dst []byte, v uint64) []byte {
	var buf [16]byte
	pos := len(buf) - 1
	buf[pos] = byte(v & 127)
	for v >>= 7; v != 0; v >>= 7 {
		v--
		pos--
		buf[pos] = 128 | byte(v&127)
	}
	return append(dst, buf[pos:]...)
}

// Encode returns the index file for entries (sorted by name then stage,
// see [Sort]) with tree as the TREE extension payload when it is not nil
// (see [AppendCacheTreeNode]). A version other than 4 is replaced by what
// git would write: 3 when an entry has extended flags, else 2.
func Encode(version uint32, entries []Entry, tree []byte) []byte {
	size := 12 + 20 + len(tree) + 8
	for i := range entries {
		size += 72 + len(entries[i].Name)
	}
	var b bytes.Buffer
	b.Grow(size)
	Write(&b, version, entries, tree) // a bytes.Buffer does not fail
	return b.Bytes()
}

// Write writes what [Encode] returns to w, hashing as it goes, so the
// whole file is never held in memory. It returns w's first error.
func Write(w io.Writer, version uint32, entries []Entry, tree []byte) error {
	if version != 4 {
		version = 2
		for i := range entries {
			if entries[i].XFlags != 0 {
				version = 3
				break
			}
		}
	}
	h := sha1.New()
	out := make([]byte, 12, 32<<10)
	be := binary.BigEndian
	copy(out, "DIRC")
	be.PutUint32(out[4:], version)
	be.PutUint32(out[8:], uint32(len(entries)))
	flush := func() error {
		h.Write(out)
		_, err := w.Write(out)
		out = out[:0]
		return err
	}
	var prev string
	var hdr [64]byte
	var zeros [8]byte
	for i := range entries {
		if len(out) > 28<<10 {
			if err := flush(); err != nil {
				return err
			}
		}
		e := &entries[i]
		be.PutUint32(hdr[0:], e.CtimeS)
		be.PutUint32(hdr[4:], e.CtimeN)
		be.PutUint32(hdr[8:], e.MtimeS)
		be.PutUint32(hdr[12:], e.MtimeN)
		be.PutUint32(hdr[16:], e.Dev)
		be.PutUint32(hdr[20:], e.Ino)
		be.PutUint32(hdr[24:], e.Mode)
		be.PutUint32(hdr[28:], e.UID)
		be.PutUint32(hdr[32:], e.GID)
		be.PutUint32(hdr[36:], e.Size)
		copy(hdr[40:60], e.Hash[:])
		flags := e.Flags & (FlagAssumeValid | FlagStageMask)
		if l := len(e.Name); l < flagNameMask {
			flags |= uint16(l)
		} else {
			flags |= flagNameMask
		}
		hl := 62
		if e.XFlags != 0 {
			flags |= FlagExtended
			be.PutUint16(hdr[62:], e.XFlags)
			hl = 64
		}
		be.PutUint16(hdr[60:], flags)
		out = append(out, hdr[:hl]...)
		if version == 4 {
			common := 0
			for common < len(prev) && common < len(e.Name) && prev[common] == e.Name[common] {
				common++
			}
			out = appendVarint(out, uint64(len(prev)-common))
			out = append(out, e.Name[common:]...)
			out = append(out, 0)
			prev = e.Name
		} else {
			out = append(out, e.Name...)
			pad := 8 - (hl+len(e.Name))%8
			out = append(out, zeros[:pad]...)
		}
	}
	if tree != nil {
		out = append(out, "TREE"...)
		out = be.AppendUint32(out, uint32(len(tree)))
		if err := flush(); err != nil {
			return err
		}
		h.Write(tree)
		if _, err := w.Write(tree); err != nil {
			return err
		}
	}
	if err := flush(); err != nil {
		return err
	}
	_, err := w.Write(h.Sum(nil))
	return err
}

// Sort sorts entries by name, then stage, as the index keeps them.
func Sort(entries []Entry) {
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].Name != entries[j].Name {
			return entries[i].Name < entries[j].Name
		}
		return entries[i].Stage() < entries[j].Stage()
	})
}

// AppendCacheTreeNode appends one node of the cache-tree ("TREE")
// extension to b and returns the extended slice: name (the path component,
// empty for the root), a NUL, the count of index entries the tree covers,
// a space, the count of its subtrees, a newline and the tree's object id.
// The caller appends each subtree's node after it, depth first in tree
// order, and hands the whole payload to [Encode] or [Write].
func AppendCacheTreeNode(b []byte, name string, entries, subtrees int, tree [20]byte) []byte {
	b = append(b, name...)
	b = append(b, 0)
	b = strconv.AppendInt(b, int64(entries), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(subtrees), 10)
	b = append(b, '\n')
	return append(b, tree[:]...)
}
