package index

import (
	"encoding/hex"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestParseCacheTreeAgainstGit reads the cache-tree git writes (a commit
// leaves it whole; git add invalidates the folders above the path) and
// checks every valid node against git: its id is the folder's tree in
// HEAD (git rev-parse HEAD:folder) and its entry count the number of
// index entries under it (git ls-files). The folders git add invalidated
// must be missing, the others present.
func TestParseCacheTreeAgainstGit(t *testing.T) {
	dir := gittest.NewRepo(t)
	for _, p := range []string{"a.txt", "src/main.go", "src/util/s.go", "src/util/deep/x.go", "src/z.go", "docs/g.md", "docs-x/h.md", "e/f/g/h.txt"} {
		gittest.Write(t, dir, p, p+"\n")
	}
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "base")
	gittest.Write(t, dir, "src/util/s.go", "changed\n")
	gittest.Git(t, dir, "add", "src/util/s.go")
	invalid := map[string]bool{"": true, "src/": true, "src/util/": true}

	idx, err := Read(filepath.Join(dir, ".git", "index"))
	if err != nil || idx.Tree == nil {
		t.Fatalf("index: %v, TREE %v", err, idx != nil && idx.Tree != nil)
	}
	nodes, err := ParseCacheTree(idx.Tree)
	if err != nil {
		t.Fatal(err)
	}
	folders := map[string]bool{"": true}
	for _, line := range strings.Split(gittest.Git(t, dir, "ls-files"), "\n") {
		for i := range line {
			if line[i] == '/' {
				folders[line[:i+1]] = true
			}
		}
	}
	for f := range folders {
		n, ok := nodes[f]
		if ok == invalid[f] {
			t.Errorf("folder %q: in the parsed cache-tree %v, invalidated by git add %v", f, ok, invalid[f])
		}
		if !ok {
			continue
		}
		if want := gittest.Git(t, dir, "rev-parse", "HEAD:"+f); hex.EncodeToString(n.ID[:]) != want {
			t.Errorf("folder %q: id %x, HEAD has %s", f, n.ID, want)
		}
		files := gittest.Git(t, dir, "ls-files", "--", f)
		if want := strings.Count(files, "\n") + 1; n.Entries != want {
			t.Errorf("folder %q: %d entries, git ls-files lists %d", f, n.Entries, want)
		}
	}
	for f := range nodes {
		if !folders[f] {
			t.Errorf("parsed folder %q, which the index does not have", f)
		}
	}
}

// TestParseCacheTreeRefusals: malformed payloads are errors, never
// panics or partial maps.
func TestParseCacheTreeRefusals(t *testing.T) {
	id := strings.Repeat("\x01", 20)
	for name, data := range map[string]string{
		"truncated name":         "abc",
		"no subtree count":       "\x001 0",
		"bad count":              "\x00x 0\n" + id,
		"count below -1":         "\x00-2 0\n",
		"truncated id":           "\x001 0\n" + id[:10],
		"missing subtree":        "\x001 1\n" + id,
		"empty subtree name":     "\x001 1\n" + id + "\x001 0\n" + id,
		"slash in name":          "\x001 1\n" + id + "a/b\x001 0\n" + id,
		"bytes after":            "\x001 0\n" + id + "x",
		"folder named twice":     "\x002 2\n" + id + "a\x001 0\n" + id + "a\x001 0\n" + id,
		"huge subtree count":     "\x001 99999999\n" + id,
		"negative subtree count": "\x001 -1\n" + id,
	} {
		if got, err := ParseCacheTree([]byte(data)); err == nil {
			t.Errorf("%s: parsed as %v", name, got)
		} else if _, ok := err.(*FormatError); !ok {
			t.Errorf("%s: %T, want *FormatError", name, err)
		}
	}
	// An invalidated node's valid subtree is kept.
	got, err := ParseCacheTree([]byte("\x00-1 1\na\x003 0\n" + id))
	if err != nil || len(got) != 1 || got["a/"].Entries != 3 {
		t.Errorf("invalid root with a valid subtree: %v, %v", got, err)
	}
}

// FuzzParseCacheTree: ParseCacheTree never panics, refuses with a
// FormatError, and what it accepts names folders as "" or "x/", "x/y/".
func FuzzParseCacheTree(f *testing.F) {
	id := strings.Repeat("\x01", 20)
	f.Add([]byte("\x002 1\n" + id + "a\x001 0\n" + id))
	f.Add([]byte("\x00-1 2\na\x00-1 0\nb\x003 1\n" + id + "c\x001 0\n" + id))
	f.Fuzz(func(t *testing.T, data []byte) {
		nodes, err := ParseCacheTree(data)
		if err != nil {
			if _, ok := err.(*FormatError); !ok {
				t.Fatalf("%T %v, want *FormatError", err, err)
			}
			return
		}
		for k, n := range nodes {
			if k != "" && (!strings.HasSuffix(k, "/") || strings.HasPrefix(k, "/") || strings.Contains(k, "//")) {
				t.Fatalf("folder key %q", k)
			}
			if n.Entries < 0 {
				t.Fatalf("folder %q: %s entries", k, strconv.Itoa(n.Entries))
			}
		}
	})
}
