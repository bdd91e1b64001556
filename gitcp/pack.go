package gitcp

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/mmap"
)

// objDB reads raw objects straight from the pack files (mapped .idx and
// .pack, version 2 index) and loose objects of a repository's own object
// folder, for the hot read path of [Repo.Log]. It is read-only after
// openObjDB and may be shared by goroutines, each with its own
// [objReader]. Objects it cannot find (alternates, packs with an index
// version it does not read, packs added after it was opened) are reported
// as errObjNotHere so the caller can fall back to go-git's storage.
type objDB struct {
	objects string // <common dir>/objects
	packs   []*packFile
}

var errObjNotHere = errors.New("object not in local packs or loose objects")

type packFile struct {
	path    string
	idx     []byte // whole .idx (version 2)
	data    []byte // whole .pack
	n       int    // object count
	names   []byte // n*20 sorted object ids
	offs    []byte // n*4 offsets
	bigOffs []byte // 8-byte offsets (for entries with the MSB set)
	release []func()
}

// openObjDB maps every readable pack of objects; unreadable packs are
// skipped (their objects then fall back to go-git).
func openObjDB(objects string) *objDB {
	db := &objDB{objects: objects}
	ents, _ := os.ReadDir(filepath.Join(objects, "pack"))
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".idx")
		if !ok || !strings.HasPrefix(name, "pack-") {
			continue
		}
		base := filepath.Join(objects, "pack", name)
		if p, err := openPack(base); err == nil {
			db.packs = append(db.packs, p)
		}
	}
	return db
}

func (db *objDB) close() {
	for _, p := range db.packs {
		p.close()
	}
	db.packs = nil
}

func openPack(base string) (*packFile, error) {
	p := &packFile{path: base + ".pack"}
	idx, rel, err := mmap.Map(base + ".idx")
	if err != nil {
		return nil, err
	}
	p.idx, p.release = idx, append(p.release, rel)
	if err := p.parseIdx(); err != nil {
		p.close()
		return nil, err
	}
	data, rel, err := mmap.Map(p.path)
	if err != nil {
		p.close()
		return nil, err
	}
	p.data, p.release = data, append(p.release, rel)
	if len(data) < 32 || string(data[:4]) != "PACK" ||
		binary.BigEndian.Uint32(data[8:12]) != uint32(p.n) ||
		!bytes.Equal(data[len(data)-20:], idx[len(idx)-40:len(idx)-20]) {
		p.close()
		return nil, fmt.Errorf("%s does not match its index", p.path)
	}
	return p, nil
}

func (p *packFile) close() {
	for _, f := range p.release {
		f()
	}
	p.release, p.idx, p.data = nil, nil, nil
}

func (p *packFile) parseIdx() error {
	b := p.idx
	if len(b) < 8+1024+40 || string(b[:4]) != "\xfftOc" || binary.BigEndian.Uint32(b[4:8]) != 2 {
		return errors.New("unsupported pack index")
	}
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

// find returns the pack offset of h.
func (p *packFile) find(h *Hash) (int64, bool) {
	fan := p.idx[8:]
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
		name := p.names[m*20 : m*20+20]
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

// objReader reads objects from an objDB with reused inflate state and
// buffers. One per goroutine.
type objReader struct {
	db  *objDB
	z   io.ReadCloser // zlib reader, reset for each stream
	br  bytes.Reader
	buf []byte // object content of the last read
	lb  []byte // loose file bytes
	tmp []byte // delta scratch
}

const maxDeltaChain = 10000

// read returns the type and content of h. The content is valid until the
// next call on r.
func (r *objReader) read(h Hash) (plumbing.ObjectType, []byte, error) {
	for _, p := range r.db.packs {
		if off, ok := p.find(&h); ok {
			return r.readPacked(p, off, 0)
		}
	}
	return r.readLoose(h)
}

func (r *objReader) readLoose(h Hash) (plumbing.ObjectType, []byte, error) {
	hex := h.String()
	f, err := os.Open(filepath.Join(r.db.objects, hex[:2], hex[2:]))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return plumbing.InvalidObject, nil, errObjNotHere
		}
		return plumbing.InvalidObject, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return plumbing.InvalidObject, nil, err
	}
	if int64(cap(r.lb)) < fi.Size() {
		r.lb = make([]byte, fi.Size())
	}
	n, err := io.ReadFull(f, r.lb[:fi.Size()])
	if err != nil {
		return plumbing.InvalidObject, nil, err
	}
	if err := r.resetZ(r.lb[:n]); err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("loose object %s: %w", hex, err)
	}
	// Header "<type> <size>\0", at most a few dozen bytes; what follows
	// it in hdr is the start of the content.
	var hdr [64]byte
	n, err = io.ReadFull(r.z, hdr[:])
	if err != nil && err != io.ErrUnexpectedEOF {
		return plumbing.InvalidObject, nil, fmt.Errorf("loose object %s: %w", hex, err)
	}
	nul := bytes.IndexByte(hdr[:n], 0)
	if nul < 0 {
		return plumbing.InvalidObject, nil, fmt.Errorf("loose object %s: malformed header", hex)
	}
	tname, size, ok := strings.Cut(string(hdr[:nul]), " ")
	t, terr := plumbing.ParseObjectType(tname)
	sz, serr := strconv.ParseInt(size, 10, 64)
	head := hdr[nul+1 : n]
	if !ok || terr != nil || serr != nil || sz < int64(len(head)) || sz > 1<<31 ||
		(err == io.ErrUnexpectedEOF && sz != int64(len(head))) {
		return plumbing.InvalidObject, nil, fmt.Errorf("loose object %s: malformed header", hex)
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
		return plumbing.InvalidObject, nil, fmt.Errorf("loose object %s: %w", hex, err)
	}
	r.buf = out
	return t, out, nil
}

func (r *objReader) resetZ(src []byte) error {
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
func (r *objReader) inflateRest(buf []byte, size int) ([]byte, error) {
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

// entryHeader decodes the pack entry header at off: type, inflated size
// and the offset of what follows (delta base reference or zlib data).
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
	return t, size, off, nil
}

// readPacked returns the object at off, resolving deltas.
func (r *objReader) readPacked(p *packFile, off int64, depth int) (plumbing.ObjectType, []byte, error) {
	t, size, pos, err := p.entryHeader(off)
	if err != nil {
		return plumbing.InvalidObject, nil, err
	}
	if size > 1<<31 {
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
		bt, base, err = r.readPacked(p, off-rel, depth+1)
	} else {
		if pos+20 > int64(len(p.data)) {
			return plumbing.InvalidObject, nil, fmt.Errorf("%s at %d: truncated", p.path, off)
		}
		var bh Hash
		copy(bh[:], p.data[pos:pos+20])
		pos += 20
		if boff, ok := p.find(&bh); ok {
			bt, base, err = r.readPacked(p, boff, depth+1)
		} else {
			bt, base, err = r.read(bh)
		}
	}
	if err != nil {
		return plumbing.InvalidObject, nil, err
	}
	// base lives in r.buf; inflate the delta into r.tmp, then apply into a
	// fresh buffer that becomes r.buf.
	if err := r.resetZ(p.data[pos:]); err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("%s at %d: %w", p.path, off, err)
	}
	delta, err := r.inflateRest(r.tmp, int(size))
	if err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("%s at %d: %w", p.path, off, err)
	}
	r.tmp = delta
	out, err := applyDelta(nil, base, delta)
	if err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("%s at %d: %w", p.path, off, err)
	}
	r.tmp, r.buf = base[:0], out // swap: the old base buffer becomes scratch
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

// applyDelta applies a git delta to base, appending the result to dst.
func applyDelta(dst, base, delta []byte) ([]byte, error) {
	srcSize, delta, ok := deltaVarint(delta)
	if !ok || srcSize != len(base) {
		return nil, errBadDelta
	}
	dstSize, delta, ok := deltaVarint(delta)
	if !ok || dstSize > 1<<31 {
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
