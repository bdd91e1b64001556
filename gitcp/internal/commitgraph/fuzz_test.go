package commitgraph

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzNew parses one file, or two split at cut as a chain, and queries
// every position of what it accepts: nothing may panic.
func FuzzNew(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.graph")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint16(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, cut uint16) {
		files := [][]byte{data}
		if c := int(cut); c > 0 && c < len(data) {
			files = [][]byte{data[:c], data[c:]}
		}
		g, err := New(files)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("%v, want ErrMalformed", err)
			}
			return
		}
		var ps []int
		for pos := 0; pos < g.Len(); pos++ {
			h := g.Hash(pos)
			g.Lookup(&h)
			g.Date(pos)
			ps, _ = g.Parents(ps[:0], pos)
			for _, p := range ps {
				if p < 0 || p >= g.Len() {
					t.Fatalf("parent %d of %d out of range", p, pos)
				}
			}
		}
	})
}
