package odb

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strings"
	"testing"

	kzlib "github.com/klauspost/compress/zlib"
)

// smallObjects are a commit and a root-tree delta's worth of bytes as wf
// log reads them for every commit of a history: zlib streams of a few
// hundred bytes, for which building the Huffman tables costs more than
// decoding.
func smallObjects() map[string][]byte {
	commit := fmt.Sprintf("tree %s\nparent %s\nauthor A U Thor <a@example.com> 1764500000 +0000\ncommitter A U Thor <a@example.com> 1764500000 +0000\n\ncheckpoint: schema done\n\nThe schema is in place; routes next.\n\nWf-Checkpoint: 20261130-120000-a3f9-schema-done\nWf-Phase: Build\nWf-Status: running\nWf-Branch: main\n",
		strings.Repeat("4b825dc6", 5), strings.Repeat("a3f9c2d1", 5))
	var tree strings.Builder
	for i := range 50 {
		fmt.Fprintf(&tree, "100644 f%d.txt\x00%s", i, strings.Repeat("\x12\x34", 10))
	}
	out := map[string][]byte{}
	for name, raw := range map[string]string{"commit": commit, "tree": tree.String()} {
		var b bytes.Buffer
		w, _ := zlib.NewWriterLevel(&b, zlib.DefaultCompression)
		w.Write([]byte(raw))
		w.Close()
		out[name] = b.Bytes()
	}
	return out
}

// BenchmarkInflateSmall inflates small objects with the zlib reader wf
// uses (klauspost/compress) and with the standard library's, each reset
// per object as odb.Reader resets it:
//
//	go test ./gitcp/internal/odb -run X -bench InflateSmall -benchtime 20000x
func BenchmarkInflateSmall(b *testing.B) {
	for name, src := range smallObjects() {
		for _, lib := range []struct {
			name string
			open func(io.Reader) (io.ReadCloser, error)
		}{
			{"klauspost", func(r io.Reader) (io.ReadCloser, error) { return kzlib.NewReader(r) }},
			{"stdlib", func(r io.Reader) (io.ReadCloser, error) { return zlib.NewReader(r) }},
		} {
			b.Run(name+"/"+lib.name, func(b *testing.B) {
				var br bytes.Reader
				br.Reset(src)
				z, err := lib.open(&br)
				if err != nil {
					b.Fatal(err)
				}
				buf := make([]byte, 8<<10)
				b.SetBytes(int64(len(src)))
				for b.Loop() {
					br.Reset(src)
					if err := z.(zlib.Resetter).Reset(&br, nil); err != nil {
						b.Fatal(err)
					}
					if _, err := io.ReadFull(z, buf[:1]); err != nil {
						b.Fatal(err)
					}
					for {
						if _, err := z.Read(buf); err != nil {
							break
						}
					}
				}
			})
		}
	}
}
