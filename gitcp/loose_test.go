package gitcp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestWriteLooseMatchesGit writes blobs as loose objects and checks them
// with git: cat-file gives the content back, fsck --strict accepts them,
// the file's mode is the one git gives the object it writes itself for
// the same content elsewhere, and core.looseCompression decides the
// level (0 stores, so the file outgrows the content; the default
// deflates it).
func TestWriteLooseMatchesGit(t *testing.T) {
	dir := gittest.NewRepo(t)
	content := strings.Repeat("a line that deflates well\n", 200)
	r := discover(t, dir)
	h, err := r.writeObject(plumbing.BlobObject, []byte(content), Hash{})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "x.txt")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSpace(gittest.Git(t, dir, "hash-object", "x.txt")); want != h.String() {
		t.Fatalf("wrote %s, git hashes the content to %s", h, want)
	}
	if got := gittest.Git(t, dir, "cat-file", "-p", h.String()); got != strings.TrimSuffix(content, "\n") { // Git trims the last newline
		t.Errorf("cat-file gives %d bytes, want %d", len(got), len(content))
	}
	gittest.Git(t, dir, "fsck", "--strict")
	ours, err := os.Stat(filepath.Join(dir, ".git", "objects", h.String()[:2], h.String()[2:]))
	if err != nil {
		t.Fatal(err)
	}
	other := gittest.NewRepo(t)
	gittest.Write(t, other, "x.txt", content)
	gittest.Git(t, other, "hash-object", "-w", "x.txt")
	theirs, err := os.Stat(filepath.Join(other, ".git", "objects", h.String()[:2], h.String()[2:]))
	if err != nil {
		t.Fatal(err)
	}
	if ours.Mode() != theirs.Mode() {
		t.Errorf("mode %v, git's %v", ours.Mode(), theirs.Mode())
	}
	if ours.Size() >= int64(len(content)) {
		t.Errorf("default level: %d bytes on disk for %d of content", ours.Size(), len(content))
	}
	entries, _ := os.ReadDir(filepath.Join(dir, ".git", "objects", h.String()[:2]))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "tmp_obj_") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}

	gittest.Git(t, dir, "config", "core.looseCompression", "0")
	stored := content + "stored\n"
	r = discover(t, dir)
	h2, err := r.writeObject(plumbing.BlobObject, []byte(stored), Hash{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, ".git", "objects", h2.String()[:2], h2.String()[2:]))
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() <= int64(len(stored)) {
		t.Errorf("core.looseCompression=0: %d bytes on disk for %d of content", st.Size(), len(stored))
	}
	if got := gittest.Git(t, dir, "cat-file", "-p", h2.String()); got != strings.TrimSuffix(stored, "\n") {
		t.Errorf("level 0: cat-file gives %d bytes, want %d", len(got), len(stored))
	}
	if _, err := r.writeObject(plumbing.BlobObject, []byte("x"), h2); err == nil {
		t.Errorf("content that does not hash to the expected id was written")
	}
	gittest.Git(t, dir, "fsck", "--strict")
}
