package index

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode checks that Decode never panics and that what it accepts
// encodes to a file that decodes to the same entries. Each input is also
// tried with a zero trailer (index.skipHash), which Decode does not
// check, so mutations are not all stopped by the checksum.
func FuzzDecode(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.index")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecode(t, data)
		if len(data) >= 32 {
			z := append([]byte{}, data...)
			clear(z[len(z)-20:])
			checkDecode(t, z)
		}
	})
}

func checkDecode(t *testing.T, data []byte) {
	idx, err := Decode(data)
	if err != nil {
		if _, ok := err.(*FormatError); !ok {
			t.Fatalf("%T %v, want *FormatError", err, err)
		}
		return
	}
	if idx.Link != nil {
		// A split index's entries are changes to a shared index: merged
		// with an empty one, the bitmaps must be refused or bounded.
		if _, err := Merge(idx, &File{Version: 2}); err != nil {
			if _, ok := err.(*FormatError); !ok {
				t.Fatalf("Merge: %T %v, want *FormatError", err, err)
			}
		}
		return
	}
	again, err := Decode(Encode(idx.Version, idx.Entries, nil))
	if err != nil {
		t.Fatalf("re-encoded index: %v", err)
	}
	if len(again.Entries) != len(idx.Entries) {
		t.Fatalf("%d entries, re-encoded %d", len(idx.Entries), len(again.Entries))
	}
	for i := range idx.Entries {
		if again.Entries[i] != idx.Entries[i] {
			t.Fatalf("entry %d: %+v, re-encoded %+v", i, idx.Entries[i], again.Entries[i])
		}
	}
}
