package mdstate

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestReadLimited reads files whose size is the hint, above it (the file
// grew after Stat) and below it, and one past MaxFileSize, which is cut
// one byte past the limit.
func TestReadLimited(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		size int
		hint int64
	}{
		{0, 0}, {1, 1}, {100, 100}, {100, 0}, {100, 7}, {5000, 4096}, {100, 5000}, {0, -1},
		{MaxFileSize + 10, MaxFileSize + 10}, {MaxFileSize + 10, 10},
	} {
		data := bytes.Repeat([]byte("0123456789abcdef\n"), tc.size/17+1)[:tc.size]
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := readLimited(f, tc.hint)
		f.Close()
		want := data[:min(len(data), MaxFileSize+1)]
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("size %d, hint %d: read %d bytes (err %v), want %d", tc.size, tc.hint, len(got), err, len(want))
		}
	}
}
