package gitcp

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"
	"unsafe"
)

// Index entry flag bits (see git's Documentation/gitformat-index.txt).
const (
	flagAssumeValid  = 0x8000
	flagExtended     = 0x4000
	flagStageMask    = 0x3000
	flagNameMask     = 0x0fff
	xflagSkipWT      = 0x4000
	xflagIntentToAdd = 0x2000

	modeRegular    = 0o100644
	modeExecutable = 0o100755
	modeSymlink    = 0o120000
	modeGitlink    = 0o160000
	modeTree       = 0o040000
)

// ientry is one index entry. Names reference the decoded index buffer.
type ientry struct {
	name                     string
	ctimeS, ctimeN           uint32
	mtimeS, mtimeN           uint32
	dev, ino, mode, uid, gid uint32
	size                     uint32
	hash                     Hash
	flags                    uint16 // assume-valid and stage bits only
	xflags                   uint16 // skip-worktree, intent-to-add
}

func (e *ientry) stage() int            { return int(e.flags&flagStageMask) >> 12 }
func (e *ientry) skipWorktree() bool    { return e.xflags&xflagSkipWT != 0 }
func (e *ientry) intentToAdd() bool     { return e.xflags&xflagIntentToAdd != 0 }
func (e *ientry) mtime() (int64, int64) { return int64(e.mtimeS), int64(e.mtimeN) }

// gitIndex is a decoded index file.
type gitIndex struct {
	version uint32
	entries []ientry
	mtime   time.Time // modification time of the index file (for racy-git checks)
	exists  bool
	hasTree bool // had a TREE extension
}

// readIndex decodes GitDir/index. A missing index is an empty one.
// Extensions: TREE, REUC, UNTR, FSMN, EOIE and IEOT are dropped on rewrite
// (they are optional caches); "link" (split index), "sdir" (sparse index) and
// any other mandatory (lower-case) extension are refused with
// [IndexFormatError], as are versions other than 2, 3 and 4.
func readIndex(path string) (*gitIndex, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &gitIndex{version: 2}, nil
	}
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	idx, err := decodeIndex(data)
	if err != nil {
		return nil, err
	}
	idx.mtime = fi.ModTime()
	idx.exists = true
	return idx, nil
}

func decodeIndex(data []byte) (*gitIndex, error) {
	if len(data) < 12+20 || string(data[:4]) != "DIRC" {
		return nil, &IndexFormatError{Reason: "bad index signature"}
	}
	body, trailer := data[:len(data)-20], data[len(data)-20:]
	if !allZero(trailer) { // index.skipHash writes a zero trailer
		sum := sha1.Sum(body)
		if !bytes.Equal(sum[:], trailer) {
			return nil, &IndexFormatError{Reason: "index checksum mismatch (corrupt index?)"}
		}
	}
	be := binary.BigEndian
	idx := &gitIndex{version: be.Uint32(data[4:])}
	if idx.version < 2 || idx.version > 4 {
		return nil, &IndexFormatError{Reason: fmt.Sprintf("index version %d", idx.version)}
	}
	n := int(be.Uint32(data[8:]))
	if n > len(body)/40 {
		return nil, &IndexFormatError{Reason: "malformed index (entry count)"}
	}
	// Room to add a few entries in place (scan, restat) without copying.
	idx.entries = make([]ientry, n, n+64)
	off := 12
	var prev []byte // v4 previous name
	var arena []byte
	if idx.version == 4 {
		arena = make([]byte, 0, len(body))
	}
	for i := range n {
		if off+62 > len(body) {
			return nil, &IndexFormatError{Reason: "malformed index (truncated entry)"}
		}
		e := &idx.entries[i]
		p := body[off:]
		e.ctimeS, e.ctimeN = be.Uint32(p[0:]), be.Uint32(p[4:])
		e.mtimeS, e.mtimeN = be.Uint32(p[8:]), be.Uint32(p[12:])
		e.dev, e.ino, e.mode = be.Uint32(p[16:]), be.Uint32(p[20:]), be.Uint32(p[24:])
		e.uid, e.gid, e.size = be.Uint32(p[28:]), be.Uint32(p[32:]), be.Uint32(p[36:])
		copy(e.hash[:], p[40:60])
		flags := be.Uint16(p[60:])
		e.flags = flags & (flagAssumeValid | flagStageMask)
		hl := 62
		if flags&flagExtended != 0 {
			if idx.version < 3 {
				return nil, &IndexFormatError{Reason: "extended flag in a version 2 index"}
			}
			e.xflags = be.Uint16(p[62:])
			hl = 64
		}
		start := off + hl
		if idx.version == 4 {
			strip, k := readIndexVarint(body[start:])
			if k == 0 || int(strip) > len(prev) {
				return nil, &IndexFormatError{Reason: "malformed v4 index name"}
			}
			end := bytes.IndexByte(body[start+k:], 0)
			if end < 0 {
				return nil, &IndexFormatError{Reason: "malformed v4 index name"}
			}
			suffix := body[start+k : start+k+end]
			a0 := len(arena)
			arena = append(arena, prev[:len(prev)-int(strip)]...)
			arena = append(arena, suffix...)
			name := arena[a0:]
			e.name = unsafe.String(unsafe.SliceData(name), len(name))
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
					return nil, &IndexFormatError{Reason: "malformed index name"}
				}
				end = start + z
			}
			if end > len(body) {
				return nil, &IndexFormatError{Reason: "malformed index (truncated name)"}
			}
			e.name = unsafe.String(&body[start], end-start)
			entLen := hl + (end - start)
			off += (entLen + 8) &^ 7
		}
	}
	// Extensions.
	for off+8 <= len(body) {
		sig := string(body[off : off+4])
		sz := int(be.Uint32(body[off+4:]))
		if off+8+sz > len(body) {
			return nil, &IndexFormatError{Reason: "malformed index extension " + strconv.Quote(sig)}
		}
		switch {
		case sig == "link":
			return nil, &IndexFormatError{Reason: "split index (core.splitIndex / git update-index --split-index)"}
		case sig == "sdir":
			return nil, &IndexFormatError{Reason: "sparse index (index.sparse / git sparse-checkout --sparse-index)"}
		case sig == "TREE":
			idx.hasTree = true
		case sig[0] >= 'A' && sig[0] <= 'Z':
			// optional extension: dropped on rewrite
		default:
			return nil, &IndexFormatError{Reason: "unknown mandatory index extension " + strconv.Quote(sig)}
		}
		off += 8 + sz
	}
	return idx, nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// readIndexVarint decodes git's offset varint; it returns 0 bytes on error.
func readIndexVarint(b []byte) (uint64, int) {
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

func appendIndexVarint(dst []byte, v uint64) []byte {
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

// encodeIndex serialises entries (sorted by name then stage) with an
// optional TREE extension payload. Versions 2 and 3 are chosen as git does
// (3 only when an entry needs extended flags); version 4 is kept as 4.
func encodeIndex(version uint32, entries []ientry, tree []byte) []byte {
	size := 12 + 20 + len(tree) + 8
	for i := range entries {
		size += 72 + len(entries[i].name)
	}
	var b bytes.Buffer
	b.Grow(size)
	writeIndexTo(&b, version, entries, tree) // a bytes.Buffer does not fail
	return b.Bytes()
}

// writeIndex streams the index for entries into the lock file through a
// buffer, hashing as it goes, so the whole file is never held in memory.
func (l *lockFile) writeIndex(version uint32, entries []ientry, tree []byte) error {
	bw := bufio.NewWriterSize(l.f, 64<<10)
	if err := writeIndexTo(bw, version, entries, tree); err != nil {
		return err
	}
	return bw.Flush()
}

// writeIndexTo writes what encodeIndex returns to w.
func writeIndexTo(w io.Writer, version uint32, entries []ientry, tree []byte) error {
	if version != 4 {
		version = 2
		for i := range entries {
			if entries[i].xflags != 0 {
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
		be.PutUint32(hdr[0:], e.ctimeS)
		be.PutUint32(hdr[4:], e.ctimeN)
		be.PutUint32(hdr[8:], e.mtimeS)
		be.PutUint32(hdr[12:], e.mtimeN)
		be.PutUint32(hdr[16:], e.dev)
		be.PutUint32(hdr[20:], e.ino)
		be.PutUint32(hdr[24:], e.mode)
		be.PutUint32(hdr[28:], e.uid)
		be.PutUint32(hdr[32:], e.gid)
		be.PutUint32(hdr[36:], e.size)
		copy(hdr[40:60], e.hash[:])
		flags := e.flags & (flagAssumeValid | flagStageMask)
		if l := len(e.name); l < flagNameMask {
			flags |= uint16(l)
		} else {
			flags |= flagNameMask
		}
		hl := 62
		if e.xflags != 0 {
			flags |= flagExtended
			be.PutUint16(hdr[62:], e.xflags)
			hl = 64
		}
		be.PutUint16(hdr[60:], flags)
		out = append(out, hdr[:hl]...)
		if version == 4 {
			common := 0
			for common < len(prev) && common < len(e.name) && prev[common] == e.name[common] {
				common++
			}
			out = appendIndexVarint(out, uint64(len(prev)-common))
			out = append(out, e.name[common:]...)
			out = append(out, 0)
			prev = e.name
		} else {
			out = append(out, e.name...)
			pad := 8 - (hl+len(e.name))%8
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

func sortEntries(entries []ientry) {
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].name != entries[j].name {
			return entries[i].name < entries[j].name
		}
		return entries[i].stage() < entries[j].stage()
	})
}

func indexPath(r *Repo) string { return filepath.Join(r.GitDir, "index") }
