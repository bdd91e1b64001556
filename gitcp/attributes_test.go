package gitcp

import (
	"path/filepath"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestConversionOnlyWhenNeeded guards the fast path: with no attribute
// file anywhere and no core.autocrlf the scan makes no conversion (no
// per-path lookup); an attribute file in the work tree, one only in the
// index, info/attributes, the global file or core.autocrlf each make one.
func TestConversionOnlyWhenNeeded(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  bool
	}{
		{"nothing", func(t *testing.T, dir string) {}, false},
		{"core.eol alone converts nothing", func(t *testing.T, dir string) { gitConfig(t, dir, "core.eol", "crlf") }, false},
		{"nested .gitattributes", func(t *testing.T, dir string) { gittest.Write(t, dir, "a/b/.gitattributes", "*.x text\n") }, true},
		{"info/attributes", func(t *testing.T, dir string) { gittest.Write(t, dir, ".git/info/attributes", "*.x text\n") }, true},
		{"global attributes", func(t *testing.T, dir string) {
			gittest.Write(t, dir, "../attrs", "*.x text\n")
			gitConfig(t, dir, "core.attributesFile", filepath.Join(dir, "..", "attrs"))
		}, true},
		{"core.autocrlf", func(t *testing.T, dir string) { gitConfig(t, dir, "core.autocrlf", "input") }, true},
		{"only in the index", func(t *testing.T, dir string) {
			gittest.Write(t, dir, "sub/.gitattributes", "*.x text\n")
			commitAll(t, dir, "attributes")
			mustRemove(t, dir, "sub/.gitattributes")
		}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gittest.Env(t)
			dir := filepath.Join(t.TempDir(), "repo")
			gittest.Git(t, filepath.Dir(dir), "init", "-q", "-b", "main", "repo")
			gittest.Write(t, dir, "f.txt", "x\n")
			c.setup(t, dir)
			r, err := Discover(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			idx, err := r.readIndexFile(indexPath(r))
			if err != nil {
				t.Fatal(err)
			}
			snap, err := r.scan(idx, false)
			if err != nil {
				t.Fatal(err)
			}
			if got := snap.conv != nil; got != c.want {
				t.Fatalf("conversion made: %v, want %v", got, c.want)
			}
		})
	}
}
