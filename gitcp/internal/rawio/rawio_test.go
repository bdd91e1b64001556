package rawio

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestReadFileMatchesOS(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, 511, 4096, 70000} {
		p := filepath.Join(dir, "f")
		want := bytes.Repeat([]byte("abcdefg\n"), size/8+1)[:size]
		if err := os.WriteFile(p, want, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, buf := range [][]byte{nil, make([]byte, 0, 3), make([]byte, 10, 100000)} {
			got, err := ReadFile(p, buf, true)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("size %d, buf cap %d: %d bytes, %v", size, cap(buf), len(got), err)
			}
		}
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadFile(filepath.Join(dir, "missing"), nil, false); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	var pe *fs.PathError
	if _, err := ReadFile(dir, nil, false); err == nil || !errors.As(err, &pe) {
		t.Errorf("a folder: %v, want a *fs.PathError", err)
	}
	if runtime.GOOS == "windows" {
		return
	}
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("outside"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadFile(link, nil, false); err != nil || string(got) != "outside" {
		t.Errorf("following a link: %q %v", got, err)
	}
	if got, err := ReadFile(link, nil, true); err == nil {
		t.Errorf("noFollow read through a link: %q", got)
	}
}
