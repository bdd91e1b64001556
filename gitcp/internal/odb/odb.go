package odb

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/zlib"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/mmap"
	"github.com/wf-tool/wf/gitcp/internal/rawio"
)

// DB reads raw objects straight from the pack files (mapped .idx and
// .pack, index version 1 or 2) and loose objects of a repository's object
// folder and of its alternates (objects/info/alternates, followed as git
// does), for gitcp's hot read paths (the log walk, tree reads). It is
// read-only after [Open] and may be shared by goroutines, each with its own
// [Reader]. Objects it cannot find (packs it could not map, packs added
// after it was opened) are reported as [ErrNotHere] so the caller can fall
// back to go-git's storage.
type DB struct {
	objects string   // <common dir>/objects
	dirs    []string // folders of loose objects: objects, then the alternates
	packs   []*packFile
	// complete is true when Open mapped every pack of the folder and of
	// its alternates: an object the DB does not find is then not in the
	// repository (but for packs written after Open).
	complete bool
}

// maxAlternateDepth is git's limit on alternates of alternates
// (sha1-file.c: "alternate ref nesting too deep").
const maxAlternateDepth = 5

// ErrNotHere is returned by [Reader.Read] for an object that is neither in
// a pack [Open] mapped nor a loose object.
var ErrNotHere = errors.New("object not in local packs or loose objects")

type packFile struct {
	path    string
	idx     []byte // whole .idx (version 2)
	data    []byte // whole .pack
	n       int    // object count
	fan     []byte // 256 cumulative counts, 4 bytes each
	v1      bool   // version-1 index: names holds n 24-byte entries (offset, id)
	names   []byte // n*20 sorted object ids (version 1: n*24 entries)
	offs    []byte // n*4 offsets (version 2)
	bigOffs []byte // 8-byte offsets (version 2, for entries with the MSB set)
	release []func()
	// idxFile is the open .idx for the first lookups (preadLookups),
	// which read it with pread(2) instead of through the mapping; nil
	// for packs given as bytes.
	idxFile *os.File
	lookups atomic.Int64
}

// preadLookups is how many lookups of a pack read its index with
// pread(2) before the mapping is used. A lookup through the mapping
// faults in the pages it touches and, through the kernel's fault-around,
// the pages around them (64 KB per fault): after a few hundred lookups
// most of a large index is resident memory (12 of terraform's 15 MB
// .idx after one checkpoint of 100 files), which counts towards the
// process's peak memory. Commands that look up few objects (checkpoint,
// show: a few hundred) stay on pread; walks over many (log) switch to the
// mapping, which is faster per lookup once mapped. Indexes smaller than
// preadMinIdx are always read through the mapping: all of one is little
// memory.
const (
	preadLookups = 1024
	preadMinIdx  = 4 << 20
)

// Open returns the object database of the objects folder (a repository's
// <common dir>/objects), mapping every pack whose index is version 2 and
// matches its pack; other packs are skipped (their objects then read as
// ErrNotHere). It does not fail: a folder without packs reads loose
// objects only.
//
// The alternates are read as git reads objects/info/alternates
// (gitrepository-layout(5)): one object folder per line, "#" lines and
// empty lines skipped, a relative path taken from the objects folder that
// lists it, a path in double quotes unquoted C-style; each alternate's own
// alternates are followed up to git's depth of 5, each folder once.
func Open(objects string) *DB {
	db := &DB{objects: objects, complete: true}
	db.add(objects, 0, map[string]bool{})
	return db
}

// add maps the packs of the objects folder dir and follows its alternates.
func (db *DB) add(dir string, depth int, seen map[string]bool) {
	key := filepath.Clean(dir)
	if seen[key] {
		return
	}
	seen[key] = true
	db.dirs = append(db.dirs, dir)
	ents, _ := os.ReadDir(filepath.Join(dir, "pack"))
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".idx")
		if !ok || !strings.HasPrefix(name, "pack-") {
			continue
		}
		base := filepath.Join(dir, "pack", name)
		if p, err := openPack(base); err == nil {
			db.packs = append(db.packs, p)
		} else {
			db.complete = false
		}
	}
	alts := Alternates(dir)
	if depth >= maxAlternateDepth {
		if len(alts) > 0 {
			db.complete = false // nested too deep: not followed
		}
		return
	}
	for _, alt := range alts {
		db.add(alt, depth+1, seen)
	}
}

// Alternates lists the object folders named in objects/info/alternates of
// the objects folder dir, as absolute (or dir-relative joined) paths; nil
// when there is no such file.
func Alternates(dir string) []string {
	data, err := os.ReadFile(filepath.Join(dir, "info", "alternates"))
	if err != nil {
		return nil
	}
	return parseAlternates(data, dir)
}

// parseAlternates reads the lines of an alternates file of the objects
// folder dir.
func parseAlternates(data []byte, dir string) []string {
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '"' {
			if u, err := strconv.Unquote(line); err == nil {
				line = u
			}
		}
		if !filepath.IsAbs(line) {
			line = filepath.Join(dir, line)
		}
		out = append(out, filepath.Clean(line))
	}
	return out
}

// Has reports whether the object h is in a mapped pack or is a loose
// object of the folder or one of its alternates (found), and whether that
// answer is certain (sure): a miss is certain only when the DB is complete
// (every pack mapped, no alternates nested past git's depth). It reads no
// object, only the mapped indexes and one lstat per folder, where go-git's
// storage decodes every pack index first.
func (db *DB) Has(h [20]byte) (found, sure bool) {
	for _, p := range db.packs {
		if _, ok := p.find(&h); ok {
			return true, true
		}
	}
	id := hex.EncodeToString(h[:])
	for _, d := range db.dirs {
		if _, err := os.Lstat(filepath.Join(d, id[:2], id[2:])); err == nil {
			return true, true
		}
	}
	return false, db.complete
}

// Close unmaps the packs; no Reader of db may be used afterwards.
func (db *DB) Close() {
	for _, p := range db.packs {
		p.close()
	}
	db.packs = nil
}

func openPack(base string) (*packFile, error) {
	idx, relIdx, err := mmap.Map(base + ".idx")
	if err != nil {
		return nil, err
	}
	data, relData, err := mmap.Map(base + ".pack")
	if err != nil {
		relIdx()
		return nil, err
	}
	p, err := newPack(base+".pack", idx, data)
	if err != nil {
		relData()
		relIdx()
		return nil, err
	}
	p.release = []func(){relIdx, relData}
	if f, err := os.Open(base + ".idx"); err == nil {
		if fi, err := f.Stat(); err == nil && fi.Size() == int64(len(idx)) && len(idx) >= preadMinIdx {
			p.idxFile = f
			p.release = append(p.release, func() { f.Close() })
		} else {
			f.Close()
		}
	}
	return p, nil
}

// newPack checks a pack index (version 2) and its pack, and returns them
// as a packFile that references both.
func newPack(path string, idx, data []byte) (*packFile, error) {
	p := &packFile{path: path, idx: idx}
	if err := p.parseIdx(); err != nil {
		return nil, err
	}
	p.data = data
	if len(data) < 32 || string(data[:4]) != "PACK" ||
		binary.BigEndian.Uint32(data[8:12]) != uint32(p.n) ||
		!bytes.Equal(data[len(data)-20:], idx[len(idx)-40:len(idx)-20]) {
		return nil, fmt.Errorf("%s does not match its index", p.path)
	}
	return p, nil
}

func (p *packFile) close() {
	for _, f := range p.release {
		f()
	}
	p.release, p.idx, p.data, p.idxFile = nil, nil, nil, nil
}

// parseIdx reads the index's layout: version 2 ("\377tOc", version,
// fan-out, ids, CRCs, offsets, large offsets, checksums) or version 1
// (fan-out, then 4-byte offset and id per object, checksums), as
// gitformat-pack(5) describes them.
func (p *packFile) parseIdx() error {
	b := p.idx
	if len(b) >= 8 && string(b[:4]) != "\xfftOc" {
		if len(b) < 1024+40 {
			return errors.New("truncated version-1 pack index")
		}
		n := int(binary.BigEndian.Uint32(b[255*4:]))
		rest := b[1024:]
		if n < 0 || len(rest) != n*24+40 {
			return errors.New("truncated version-1 pack index")
		}
		p.n, p.v1, p.fan, p.names = n, true, b[:1024], rest[:n*24]
		return nil
	}
	if len(b) < 8+1024+40 || string(b[:4]) != "\xfftOc" || binary.BigEndian.Uint32(b[4:8]) != 2 {
		return errors.New("unsupported pack index")
	}
	p.fan = b[8 : 8+1024]
	n := int(binary.BigEndian.Uint32(b[8+255*4:]))
	rest := b[8+1024:]
	if n < 0 || len(rest) < n*28+40 {
		return errors.New("truncated pack index")
	}
	p.n = n
	p.names = rest[:n*20]
	p.offs = rest[n*24 : n*28]
	p.bigOffs = rest[n*28 : len(rest)-40]
	return nil
}

// name is the i-th object id of the index.
func (p *packFile) name(i int) []byte {
	if p.v1 {
		return p.names[i*24+4 : i*24+24]
	}
	return p.names[i*20 : i*20+20]
}

// find returns the pack offset of h: with pread(2) on the index for the
// pack's first preadLookups lookups, through the mapping afterwards.
func (p *packFile) find(h *[20]byte) (int64, bool) {
	if p.idxFile != nil && p.lookups.Add(1) <= preadLookups {
		off, ok, err := p.findAt(p.idxFile, h)
		if err == nil {
			return off, ok
		}
		// A failed read: the mapping answers.
	}
	return p.findMapped(h)
}

// findAt is find reading the index's names and offsets from idx (the
// same bytes as p.idx) instead of p.idx: single names at the middle of
// the range until at most findChunk names are left, then those at once.
// The fan-out table is read from p.fan (one page).
func (p *packFile) findAt(idx io.ReaderAt, h *[20]byte) (int64, bool, error) {
	lo := 0
	if h[0] > 0 {
		lo = int(binary.BigEndian.Uint32(p.fan[(int(h[0])-1)*4:]))
	}
	hi := int(binary.BigEndian.Uint32(p.fan[int(h[0])*4:]))
	if hi > p.n || lo > hi {
		return 0, false, nil
	}
	namesAt, stride, skip := int64(8+1024), 20, 0 // version 2: header, fan-out, names
	if p.v1 {
		namesAt, stride, skip = 1024, 24, 4 // fan-out, then (offset, name) records
	}
	bp := findBufs.Get().(*[findChunk * 24]byte)
	defer findBufs.Put(bp)
	probe := bp[:24]
	for hi-lo > findChunk {
		m := int(uint(lo+hi) >> 1)
		if _, err := idx.ReadAt(probe[:stride], namesAt+int64(m*stride)); err != nil {
			return 0, false, err
		}
		switch c := bytes.Compare(probe[skip:stride], h[:]); {
		case c == 0:
			return p.offsetAt(idx, m, probe[:stride])
		case c < 0:
			lo = m + 1
		default:
			hi = m
		}
	}
	b := bp[:(hi-lo)*stride]
	if _, err := idx.ReadAt(b, namesAt+int64(lo*stride)); err != nil {
		return 0, false, err
	}
	i, j := 0, hi-lo
	for i < j {
		m := int(uint(i+j) >> 1)
		switch c := bytes.Compare(b[m*stride+skip:(m+1)*stride], h[:]); {
		case c == 0:
			return p.offsetAt(idx, lo+m, b[m*stride:(m+1)*stride])
		case c < 0:
			i = m + 1
		default:
			j = m
		}
	}
	return 0, false, nil
}

// findChunk is how many names findAt reads at once at the end.
const findChunk = 256

// findBufs are findAt's read buffers (a buffer handed to io.ReaderAt
// escapes, so a local array would be allocated on every lookup).
var findBufs = sync.Pool{New: func() any { return new([findChunk * 24]byte) }}

// offsetAt returns the pack offset of the i-th object, reading its offset
// entry from idx; rec is the object's names-table record (version 1
// holds the offset there).
func (p *packFile) offsetAt(idx io.ReaderAt, i int, rec []byte) (int64, bool, error) {
	if p.v1 {
		return int64(binary.BigEndian.Uint32(rec)), true, nil
	}
	offsAt := int64(8 + 1024 + p.n*24) // after the names and the CRCs
	var b [8]byte
	if _, err := idx.ReadAt(b[:4], offsAt+int64(i*4)); err != nil {
		return 0, false, err
	}
	o := binary.BigEndian.Uint32(b[:4])
	if o&0x80000000 == 0 {
		return int64(o), true, nil
	}
	k := int(o & 0x7fffffff)
	if (k+1)*8 > len(p.bigOffs) {
		return 0, false, nil
	}
	if _, err := idx.ReadAt(b[:], int64(len(p.idx)-40-len(p.bigOffs)+k*8)); err != nil {
		return 0, false, err
	}
	return int64(binary.BigEndian.Uint64(b[:])), true, nil
}

// findMapped is find through the mapped index.
func (p *packFile) findMapped(h *[20]byte) (int64, bool) {
	fan := p.fan
	lo := 0
	if h[0] > 0 {
		lo = int(binary.BigEndian.Uint32(fan[(int(h[0])-1)*4:]))
	}
	hi := int(binary.BigEndian.Uint32(fan[int(h[0])*4:]))
	if hi > p.n || lo > hi {
		return 0, false
	}
	key := binary.BigEndian.Uint64(h[:8])
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		name := p.name(m)
		c := 0
		if k := binary.BigEndian.Uint64(name); k < key {
			c = -1
		} else if k > key {
			c = 1
		} else {
			c = bytes.Compare(name[8:], h[8:])
		}
		switch c {
		case 0:
			if p.v1 {
				return int64(binary.BigEndian.Uint32(p.names[m*24:])), true
			}
			o := binary.BigEndian.Uint32(p.offs[m*4:])
			if o&0x80000000 == 0 {
				return int64(o), true
			}
			k := int(o & 0x7fffffff)
			if (k+1)*8 > len(p.bigOffs) {
				return 0, false
			}
			return int64(binary.BigEndian.Uint64(p.bigOffs[k*8:])), true
		case -1:
			lo = m + 1
		default:
			hi = m
		}
	}
	return 0, false
}

// Reader reads objects from an DB with reused inflate state and
// buffers. One per goroutine.
type Reader struct {
	db  *DB
	z   io.ReadCloser // zlib reader, reset for each stream
	br  bytes.Reader
	buf []byte // object content of the last read
	lb  []byte // loose file bytes
	tmp []byte // delta scratch
	// spare is the buffer the next delta is applied into; it and buf
	// trade places after each delta.
	spare []byte
	// The delta-base cache (basecache.go): bases, its use order (oldest
	// first, with stale marks; see touch), the capacity of the bases'
	// buffers in bytes, and buffers of evicted bases kept for the next
	// ones with their capacity. baseLimit, when set, replaces
	// baseCacheLimit (for tests).
	bases     map[baseKey]*cachedBase
	order     []useMark
	baseBytes int
	free      [][]byte
	freeBytes int
	baseLimit int
}

const maxDeltaChain = 10000

// Read returns the type and content of the object h, deltas resolved: from
// the first mapped pack that lists it, else from its loose file, else
// [ErrNotHere]; other errors name the pack and offset or the loose object
// that could not be decoded. The content is valid until the next call on
// r.
func (r *Reader) Read(h [20]byte) (plumbing.ObjectType, []byte, error) {
	return r.read(h, 0)
}

// read is Read for a delta base at depth in a delta chain, so that a chain
// crossing packs (a reference delta whose base is in another pack) is
// bounded too.
func (r *Reader) read(h [20]byte, depth int) (plumbing.ObjectType, []byte, error) {
	for _, p := range r.db.packs {
		if off, ok := p.find(&h); ok {
			return r.readPacked(p, off, depth)
		}
	}
	return r.readLoose(h)
}

func (r *Reader) readLoose(h [20]byte) (plumbing.ObjectType, []byte, error) {
	id := hex.EncodeToString(h[:])
	for _, d := range r.db.dirs {
		data, err := rawio.ReadFile(filepath.Join(d, id[:2], id[2:]), r.lb, false)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return plumbing.InvalidObject, nil, err
		}
		r.lb = data[:0]
		t, out, err := r.decodeLoose(data)
		if err != nil {
			return plumbing.InvalidObject, nil, fmt.Errorf("loose object %s: %w", id, err)
		}
		return t, out, nil
	}
	return plumbing.InvalidObject, nil, ErrNotHere
}

// maxInflate bounds the size a zlib stream of n bytes can inflate to:
// deflate's best ratio is 1032:1. A size field larger than that is a lie,
// refused before anything is allocated for it.
func maxInflate(n int) int64 { return int64(n)*1032 + 64 }

// decodeLoose inflates a loose object file's content and parses its
// header "<type> <size>\x00". The content is valid until the next call on r.
func (r *Reader) decodeLoose(compressed []byte) (plumbing.ObjectType, []byte, error) {
	if err := r.resetZ(compressed); err != nil {
		return plumbing.InvalidObject, nil, err
	}
	// Header "<type> <size>\0", at most a few dozen bytes; what follows
	// it in hdr is the start of the content.
	var hdr [64]byte
	n, err := io.ReadFull(r.z, hdr[:])
	if err != nil && err != io.ErrUnexpectedEOF {
		return plumbing.InvalidObject, nil, err
	}
	nul := bytes.IndexByte(hdr[:n], 0)
	if nul < 0 {
		return plumbing.InvalidObject, nil, errors.New("malformed header")
	}
	tname, size, ok := strings.Cut(string(hdr[:nul]), " ")
	t, terr := plumbing.ParseObjectType(tname)
	sz, serr := strconv.ParseInt(size, 10, 64)
	head := hdr[nul+1 : n]
	if !ok || terr != nil || serr != nil || sz < int64(len(head)) || sz > 1<<31 ||
		(err == io.ErrUnexpectedEOF && sz != int64(len(head))) {
		return plumbing.InvalidObject, nil, errors.New("malformed header")
	}
	if sz > maxInflate(len(compressed)) {
		return plumbing.InvalidObject, nil, errors.New("size in header larger than the file can hold")
	}
	out := r.buf
	if cap(out) < int(sz) {
		out = make([]byte, sz, sz+sz/4)
	}
	out = out[:sz]
	copy(out, head)
	if err == io.ErrUnexpectedEOF { // the whole stream fit in hdr
		r.buf = out
		return t, out, nil
	}
	if _, err := r.inflateRest(out[len(head):], int(sz)-len(head)); err != nil {
		return plumbing.InvalidObject, nil, err
	}
	r.buf = out
	return t, out, nil
}

func (r *Reader) resetZ(src []byte) error {
	r.br.Reset(src)
	if r.z == nil {
		z, err := zlib.NewReader(&r.br)
		if err != nil {
			return err
		}
		r.z = z
		return nil
	}
	return r.z.(zlib.Resetter).Reset(&r.br, nil)
}

// inflateRest reads exactly size bytes from the current zlib stream into
// buf (grown as needed) and checks that the stream ends there (which also
// verifies its checksum).
func (r *Reader) inflateRest(buf []byte, size int) ([]byte, error) {
	if cap(buf) < size {
		buf = make([]byte, size, size+size/4)
	}
	buf = buf[:size]
	if _, err := io.ReadFull(r.z, buf); err != nil {
		return buf, err
	}
	var one [1]byte
	if n, err := r.z.Read(one[:]); n != 0 || err != io.EOF {
		if err == nil || err == io.EOF {
			err = errors.New("object longer than its header says")
		}
		return buf, err
	}
	return buf, nil
}

// entryHeader decodes the pack entry header at off (gitformat-pack,
// "Pack file"): type, inflated size and the offset of what follows (delta
// base reference or zlib data). It fails for an offset outside the pack's
// entries and a size that does not fit 63 bits.
func (p *packFile) entryHeader(off int64) (plumbing.ObjectType, int64, int64, error) {
	d := p.data
	if off < 12 || off >= int64(len(d))-20 {
		return 0, 0, 0, fmt.Errorf("%s: bad offset %d", p.path, off)
	}
	c := d[off]
	off++
	t := plumbing.ObjectType((c >> 4) & 7)
	size := int64(c & 15)
	for shift := uint(4); c&0x80 != 0; shift += 7 {
		if off >= int64(len(d)) || shift > 60 {
			return 0, 0, 0, fmt.Errorf("%s: bad entry header", p.path)
		}
		c = d[off]
		off++
		size |= int64(c&0x7f) << shift
	}
	if size < 0 {
		return 0, 0, 0, fmt.Errorf("%s: bad entry header", p.path)
	}
	return t, size, off, nil
}

// readPacked returns the object at off, resolving deltas.
func (r *Reader) readPacked(p *packFile, off int64, depth int) (plumbing.ObjectType, []byte, error) {
	t, size, pos, err := p.entryHeader(off)
	if err != nil {
		return plumbing.InvalidObject, nil, err
	}
	if size > 1<<31 || size > maxInflate(len(p.data)-int(pos)) {
		return plumbing.InvalidObject, nil, fmt.Errorf("%s: object at %d too large", p.path, off)
	}
	switch t {
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
		if err := r.resetZ(p.data[pos:]); err != nil {
			return plumbing.InvalidObject, nil, fmt.Errorf("%s at %d: %w", p.path, off, err)
		}
		out, err := r.inflateRest(r.buf, int(size))
		if err != nil {
			return plumbing.InvalidObject, nil, fmt.Errorf("%s at %d: %w", p.path, off, err)
		}
		r.buf = out
		return t, out, nil
	case plumbing.OFSDeltaObject, plumbing.REFDeltaObject:
	default:
		return plumbing.InvalidObject, nil, fmt.Errorf("%s at %d: bad object type %d", p.path, off, t)
	}
	if depth > maxDeltaChain {
		return plumbing.InvalidObject, nil, fmt.Errorf("%s at %d: delta chain too long", p.path, off)
	}
	var bt plumbing.ObjectType
	var base []byte
	cached := false // base is the delta-base cache's: not a buffer to reuse
	if t == plumbing.OFSDeltaObject {
		d := p.data
		if pos >= int64(len(d)) {
			return plumbing.InvalidObject, nil, fmt.Errorf("%s at %d: truncated", p.path, off)
		}
		c := d[pos]
		pos++
		rel := int64(c & 0x7f)
		for c&0x80 != 0 {
			if pos >= int64(len(d)) || rel > 1<<55 {
				return plumbing.InvalidObject, nil, fmt.Errorf("%s at %d: bad delta offset", p.path, off)
			}
			c = d[pos]
			pos++
			rel = (rel+1)<<7 | int64(c&0x7f)
		}
		if rel <= 0 || rel > off {
			return plumbing.InvalidObject, nil, fmt.Errorf("%s at %d: bad delta offset", p.path, off)
		}
		bt, base, cached, err = r.readBase(p, off-rel, depth+1)
	} else {
		if pos+20 > int64(len(p.data)) {
			return plumbing.InvalidObject, nil, fmt.Errorf("%s at %d: truncated", p.path, off)
		}
		var bh [20]byte
		copy(bh[:], p.data[pos:pos+20])
		pos += 20
		if boff, ok := p.find(&bh); ok {
			bt, base, cached, err = r.readBase(p, boff, depth+1)
		} else {
			bt, base, err = r.read(bh, depth+1)
		}
	}
	if err != nil {
		return plumbing.InvalidObject, nil, err
	}
	// base lives in r.buf or in the cache; inflate the delta into r.tmp,
	// then apply it into r.spare, which becomes r.buf: the buffers rotate
	// instead of one being allocated per delta (a walk over history
	// resolves one delta per version it reads).
	if err := r.resetZ(p.data[pos:]); err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("%s at %d: %w", p.path, off, err)
	}
	delta, err := r.inflateRest(r.tmp, int(size))
	if err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("%s at %d: %w", p.path, off, err)
	}
	r.tmp = delta
	out, err := applyDelta(r.spare[:0], base, delta)
	if err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("%s at %d: %w", p.path, off, err)
	}
	if cached {
		r.spare, r.buf = r.buf[:0], out // the cache's base stays the cache's
	} else {
		r.spare, r.buf = base[:0], out // the old base buffer is the next output's
	}
	return bt, out, nil
}

func deltaVarint(d []byte) (int, []byte, bool) {
	var v int
	for shift := uint(0); ; shift += 7 {
		if len(d) == 0 || shift > 56 {
			return 0, nil, false
		}
		c := d[0]
		d = d[1:]
		v |= int(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, d, true
		}
	}
}

var errBadDelta = errors.New("malformed delta")

// applyDelta applies a git delta (gitformat-pack, "Deltified
// representation") to base, appending the result to dst (reallocated when
// its capacity is short of the result's size). It returns errBadDelta when
// the delta's source size is not len(base), a copy reaches outside base, or
// the output size differs from the delta's header.
func applyDelta(dst, base, delta []byte) ([]byte, error) {
	srcSize, delta, ok := deltaVarint(delta)
	if !ok || srcSize != len(base) {
		return nil, errBadDelta
	}
	dstSize, delta, ok := deltaVarint(delta)
	// Each delta byte yields at most max(len(base), 127) bytes: a copy
	// stays inside base, an insert is at most 127 bytes. The bound keeps a
	// lying header from allocating gigabytes (FuzzPack ran slowly on such
	// deltas).
	if !ok || dstSize < 0 || int64(dstSize) > 1<<31 || int64(dstSize) > int64(len(delta))*int64(max(len(base), 127)) {
		return nil, errBadDelta
	}
	if cap(dst) < dstSize {
		dst = make([]byte, 0, dstSize)
	}
	for len(delta) > 0 {
		op := delta[0]
		delta = delta[1:]
		switch {
		case op&0x80 != 0:
			var off, n int
			for i := uint(0); i < 4; i++ {
				if op&(1<<i) != 0 {
					if len(delta) == 0 {
						return nil, errBadDelta
					}
					off |= int(delta[0]) << (8 * i)
					delta = delta[1:]
				}
			}
			for i := uint(0); i < 3; i++ {
				if op&(0x10<<i) != 0 {
					if len(delta) == 0 {
						return nil, errBadDelta
					}
					n |= int(delta[0]) << (8 * i)
					delta = delta[1:]
				}
			}
			if n == 0 {
				n = 0x10000
			}
			if off+n > len(base) || len(dst)+n > dstSize {
				return nil, errBadDelta
			}
			dst = append(dst, base[off:off+n]...)
		case op != 0:
			n := int(op)
			if n > len(delta) || len(dst)+n > dstSize {
				return nil, errBadDelta
			}
			dst = append(dst, delta[:n]...)
			delta = delta[n:]
		default:
			return nil, errBadDelta
		}
	}
	if len(dst) != dstSize {
		return nil, errBadDelta
	}
	return dst, nil
}

// HashObject returns the object id of data stored as an object of type t:
// the SHA-1 of "<type> <size>\x00" followed by data (gitformat-hash).
func HashObject(t plumbing.ObjectType, data []byte) [20]byte {
	h := sha1.New()
	var hdr [32]byte
	b := append(hdr[:0], t.String()...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(len(data)), 10)
	b = append(b, 0)
	h.Write(b)
	h.Write(data)
	var out [20]byte
	h.Sum(out[:0])
	return out
}

// NewReader returns a Reader of db's objects, with its own inflate state
// and buffers. Use one per goroutine.
func NewReader(db *DB) *Reader { return &Reader{db: db} }

// Packs returns the number of packs db mapped.
func (db *DB) Packs() int { return len(db.packs) }
