package odb

import (
	"bytes"
	"compress/zlib"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func deflate(s string) []byte {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

func vectorPacks(f *testing.F) [][2][]byte {
	var out [][2][]byte
	idxs, _ := filepath.Glob("testdata/*.idx")
	for _, p := range idxs {
		idx, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		pack, err := os.ReadFile(strings.TrimSuffix(p, ".idx") + ".pack")
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, [2][]byte{idx, pack})
	}
	return out
}

// FuzzPack opens an index and pack and reads every object they list:
// errors are fine, panics are not.
func FuzzPack(f *testing.F) {
	for _, v := range vectorPacks(f) {
		f.Add(v[0], v[1])
	}
	f.Fuzz(func(t *testing.T, idx, pack []byte) {
		readPack(idx, pack)
	})
}

// FuzzIdx parses a pack index and looks up ids in it; a found offset must
// come from the index's tables.
func FuzzIdx(f *testing.F) {
	for _, v := range vectorPacks(f) {
		f.Add(v[0], v[0][len(v[0])-40:len(v[0])-20])
	}
	f.Fuzz(func(t *testing.T, idx, key []byte) {
		p := &packFile{idx: idx}
		if p.parseIdx() != nil {
			return
		}
		var h [20]byte
		copy(h[:], key)
		look := func() {
			off, ok := p.find(&h)
			// The pread lookup answers as the mapping does.
			aoff, aok, err := p.findAt(bytes.NewReader(idx), &h)
			if err != nil || aoff != off || aok != ok {
				t.Fatalf("%x: findAt %d %v %v, find %d %v", h, aoff, aok, err, off, ok)
			}
		}
		look()
		for i := 0; i < p.n && i < 64; i++ {
			copy(h[:], p.name(i))
			look()
		}
	})
}

// FuzzEntryHeader decodes a pack entry header at any offset.
func FuzzEntryHeader(f *testing.F) {
	for _, v := range vectorPacks(f) {
		f.Add(v[1], int64(12))
	}
	f.Add([]byte("PACK\x00\x00\x00\x02\x00\x00\x00\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f"+strings.Repeat("\x00", 20)), int64(12))
	f.Fuzz(func(t *testing.T, data []byte, off int64) {
		p := &packFile{data: data}
		typ, size, next, err := p.entryHeader(off)
		if err != nil {
			return
		}
		if size < 0 || next <= off || next > int64(len(data)) || typ > 7 {
			t.Fatalf("entryHeader(%d) = %d, %d, %d", off, typ, size, next)
		}
	})
}

// FuzzApplyDelta applies a delta to a base: the result, when there is one,
// has the size the delta's header gives.
func FuzzApplyDelta(f *testing.F) {
	f.Add([]byte("hello world"), []byte("\x0b\x0d\x91\x00\x05\x08, there!"))
	f.Add([]byte("abc"), []byte("\x03\x80\x80\x80\x80\x10\x80"))
	f.Add([]byte(""), []byte("\x00\xff\xff\xff\xff\x0f"))
	f.Fuzz(func(t *testing.T, base, delta []byte) {
		out, err := applyDelta(nil, base, delta)
		if err != nil {
			return
		}
		_, rest, _ := deltaVarint(delta)
		if want, _, _ := deltaVarint(rest); len(out) != want {
			t.Fatalf("%d bytes, header says %d", len(out), want)
		}
	})
}

// FuzzLoose decodes a loose object file. With deflate set, data is the
// inflated content ("<type> <size>\x00..."), compressed first, so the
// header parser is reached without valid zlib from the fuzzer.
func FuzzLoose(f *testing.F) {
	objs, _ := filepath.Glob("testdata/*.obj")
	for _, p := range objs {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, false)
	}
	f.Add([]byte("blob 3\x00abc"), true)
	f.Add([]byte("commit 0\x00"), true)
	f.Add([]byte("tree 99999999999\x00"), true)
	f.Fuzz(func(t *testing.T, data []byte, compress bool) {
		if compress {
			data = deflate(string(data))
		}
		r := NewReader(nil)
		typ, out, err := r.decodeLoose(data)
		if err == nil && typ.String() == "unknown" {
			t.Fatalf("decoded an object of no type: %q", out)
		}
	})
}

// FuzzAlternates parses alternates files: every path is absolute when dir
// is, and clean.
func FuzzAlternates(f *testing.F) {
	f.Add([]byte("/abs/objects\n../rel/objects\n# comment\n\n\"/quoted\\tpath\"\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, p := range parseAlternates(data, "/repo/.git/objects") {
			if !filepath.IsAbs(p) || filepath.Clean(p) != p {
				t.Fatalf("path %q", p)
			}
		}
	})
}
