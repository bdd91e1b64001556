package odb

import (
	"bytes"
	"encoding/binary"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// buildIdx returns a pack index (version 1 or 2) of ids (sorted here) at
// the given offsets; version 2 stores offsets of 2 GiB and more in its
// large-offset table, as git does. The checksums are left zero.
func buildIdx(v1 bool, ids [][20]byte, offs []int64) []byte {
	order := make([]int, len(ids))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return bytes.Compare(ids[order[a]][:], ids[order[b]][:]) < 0 })
	var fan [256]uint32
	for _, id := range ids {
		for b := int(id[0]); b < 256; b++ {
			fan[b]++
		}
	}
	var out []byte
	if !v1 {
		out = append(out, 0xff, 't', 'O', 'c', 0, 0, 0, 2)
	}
	for _, c := range fan {
		out = binary.BigEndian.AppendUint32(out, c)
	}
	if v1 {
		for _, i := range order {
			out = binary.BigEndian.AppendUint32(out, uint32(offs[i]))
			out = append(out, ids[i][:]...)
		}
		return append(out, make([]byte, 40)...)
	}
	for _, i := range order {
		out = append(out, ids[i][:]...)
	}
	out = append(out, make([]byte, 4*len(ids))...) // CRCs
	var big []byte
	for _, i := range order {
		if offs[i] >= 1<<31 {
			out = binary.BigEndian.AppendUint32(out, 0x80000000|uint32(len(big)/8))
			big = binary.BigEndian.AppendUint64(big, uint64(offs[i]))
		} else {
			out = binary.BigEndian.AppendUint32(out, uint32(offs[i]))
		}
	}
	out = append(out, big...)
	return append(out, make([]byte, 40)...)
}

// TestFindAtMatchesMapped looks every id of large indexes (buckets of
// thousands of names, so that findAt narrows with single reads before its
// last chunk), and ids that are not there, up with pread (findAt, on a
// real file) and through the mapping (findMapped): the answers must be
// the same.
func TestFindAtMatchesMapped(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	for _, v1 := range []bool{false, true} {
		n := 20000
		ids := make([][20]byte, n)
		offs := make([]int64, n)
		for i := range ids {
			rng.Read(ids[i][:])
			if i%3 == 0 {
				ids[i][0] = 0x42 // one crowded bucket
			}
			offs[i] = 12 + int64(i)*7
			if !v1 && i%5 == 0 {
				offs[i] += 1 << 32
			}
		}
		idx := buildIdx(v1, ids, offs)
		path := filepath.Join(t.TempDir(), "p.idx")
		if err := os.WriteFile(path, idx, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		p := &packFile{idx: idx}
		if err := p.parseIdx(); err != nil {
			t.Fatal(err)
		}
		check := func(h [20]byte, want int64, wantOK bool) {
			t.Helper()
			got, ok, err := p.findAt(f, &h)
			mg, mok := p.findMapped(&h)
			if err != nil || got != mg || ok != mok || ok != wantOK || (ok && got != want) {
				t.Fatalf("v1=%v %x: findAt %d %v %v, findMapped %d %v, want %d %v", v1, h, got, ok, err, mg, mok, want, wantOK)
			}
		}
		for i, h := range ids {
			check(h, offs[i], true)
		}
		for range 5000 {
			var h [20]byte
			rng.Read(h[:])
			if rng.Intn(2) == 0 {
				h[0] = 0x42
			}
			check(h, 0, false)
		}
		// find itself: pread for the first preadLookups lookups, then
		// the mapping, with the same answers.
		p.idxFile = f
		for i, h := range ids {
			if got, ok := p.find(&h); !ok || got != offs[i] {
				t.Fatalf("v1=%v lookup %d through find: %d %v, want %d", v1, i, got, ok, offs[i])
			}
		}
		if p.lookups.Load() <= preadLookups {
			t.Fatalf("only %d lookups: the mapping was not reached", p.lookups.Load())
		}
		p.idxFile = nil
		// Neighbours of present ids: same prefix, last byte off by one.
		for _, h := range ids[:2000] {
			h[19]++
			if _, ok := p.findMapped(&h); !ok {
				check(h, 0, false)
			}
		}
	}
}
