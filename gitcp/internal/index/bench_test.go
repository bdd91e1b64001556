package index

import (
	"fmt"
	"testing"
)

// benchEntries returns n sorted entries with paths like those of a large
// work tree (500 folders).
func benchEntries(n int) []Entry {
	es := make([]Entry, n)
	for i := range es {
		es[i] = Entry{Name: fmt.Sprintf("src/d%03d/file%05d.go", i%500, i), Mode: 0o100644, Size: uint32(i), MtimeS: uint32(i)}
		es[i].Hash[0] = byte(i)
	}
	Sort(es)
	return es
}

// BenchmarkDecode decodes an index of 50,000 entries, versions 2 and 4:
// one allocation for the entries (and, for version 4, one name arena).
func BenchmarkDecode(b *testing.B) {
	for _, v := range []uint32{2, 4} {
		data := Encode(v, benchEntries(50000), nil)
		b.Run(fmt.Sprint("v", v), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncode writes the same index.
func BenchmarkEncode(b *testing.B) {
	es := benchEntries(50000)
	b.ReportAllocs()
	for b.Loop() {
		Encode(2, es, nil)
	}
}
