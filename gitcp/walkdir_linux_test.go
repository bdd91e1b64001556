package gitcp

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestCachedDirStatterMatchesLstat checks that a folder statted through
// its O_PATH descriptor gives lstat's stat data, that its names are
// statted as lstat does, and that a symlink in the folder's place is
// refused rather than followed.
func TestCachedDirStatterMatchesLstat(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < pathOpenMin; i++ {
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%d", i)), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("f0", filepath.Join(sub, "link")); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, pathOpenMin} {
		sd, st, done, err := cachedDirStatter(sub, n)
		if err != nil {
			t.Fatal(err)
		}
		want, err := lstat(sub)
		if err != nil {
			t.Fatal(err)
		}
		if !sameDirStat(&st, &want) {
			t.Errorf("n=%d: folder stat %+v, lstat %+v", n, st, want)
		}
		for _, name := range []string{"f1", "link"} {
			got, err := sd.lstat(name)
			if err != nil {
				t.Fatal(err)
			}
			want, err := lstat(filepath.Join(sub, name))
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("n=%d %s: %+v, lstat %+v", n, name, got, want)
			}
		}
		if _, err := sd.lstat("missing"); !os.IsNotExist(err) {
			t.Errorf("n=%d: missing name: %v", n, err)
		}
		done()
	}
	if err := os.Symlink("sub", filepath.Join(dir, "via")); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := cachedDirStatter(filepath.Join(dir, "via"), pathOpenMin); err == nil {
		t.Errorf("a symlink to a folder was opened as the folder")
	}
}
