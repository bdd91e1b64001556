package gitcp

import (
	"bytes"
	"crypto/sha1"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/wf-tool/wf/gitcp/gittest"
)

func sampleDirCache() dirCache {
	return dirCache{
		"":                {st: fileStat{mode: fs.ModeDir, mtimeS: 1700000000, mtimeN: 5, ctimeS: 1700000001, ctimeN: 999999999, size: 4096, ino: 12, dev: 2049, uid: 1000, gid: 100}, ents: []dirEntry{{"a.txt", 0}, {"src", fs.ModeDir}, {"link", fs.ModeSymlink}, {"fifo", fs.ModeIrregular}}},
		"src":             {st: fileStat{mode: fs.ModeDir, mtimeS: -1, size: 0}, ents: []dirEntry{}},
		"src/deep name/ü": {st: fileStat{mode: fs.ModeDir, ino: 1 << 62}, ents: []dirEntry{{"x", 0}}},
	}
}

func TestDirCacheRoundTrip(t *testing.T) {
	c := sampleDirCache()
	data := encodeDirCache(c)
	got, err := parseDirCache(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, c)
	}
	if again := encodeDirCache(got); !bytes.Equal(again, data) {
		t.Error("encoding is not stable")
	}
	empty, err := parseDirCache(encodeDirCache(dirCache{}))
	if err != nil || len(empty) != 0 {
		t.Errorf("empty cache: %v %v", empty, err)
	}
}

func TestDirCacheRejects(t *testing.T) {
	good := encodeDirCache(sampleDirCache())
	resum := func(b []byte) []byte { // a valid checksum over a changed body
		body := b[:len(b)-20]
		return encodeRaw(body)
	}
	bad := map[string][]byte{
		"empty":          nil,
		"wrong magic":    append([]byte("WFDC\x02"), good[5:]...),
		"checksum":       append(append([]byte{}, good[:len(good)-1]...), good[len(good)-1]^1),
		"truncated":      resum(good[:len(good)-30]),
		"trailing bytes": resum(append(append([]byte{}, good[:len(good)-20]...), 0, 20)),
		"dotdot path":    encodeDirCache(dirCache{"a/../b": {}}),
		"absolute path":  encodeDirCache(dirCache{"/a": {}}),
		"slash in name":  encodeDirCache(dirCache{"": {ents: []dirEntry{{"a/b", 0}}}}),
		"dot name":       encodeDirCache(dirCache{"": {ents: []dirEntry{{".", 0}}}}),
		"empty name":     encodeDirCache(dirCache{"": {ents: []dirEntry{{"", 0}}}}),
		"huge count":     encodeRaw([]byte(dirCacheMagic + "\xff\xff\xff\xff\x0f")),
	}
	for name, data := range bad {
		if c, err := parseDirCache(data); err == nil {
			t.Errorf("%s: parsed as %+v", name, c)
		}
	}
}

// encodeRaw appends the checksum to a body.
func encodeRaw(body []byte) []byte {
	sum := sha1.Sum(body)
	return append(append([]byte{}, body...), sum[:]...)
}

func FuzzParseDirCache(f *testing.F) {
	f.Add(encodeDirCache(sampleDirCache()))
	f.Add(encodeDirCache(dirCache{}))
	f.Add([]byte(dirCacheMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		// With and without a valid checksum, so that the fuzzer reaches
		// the body's parser.
		for _, in := range [][]byte{data, encodeRaw(data)} {
			c, err := parseDirCache(in)
			if err != nil {
				continue
			}
			again, err := parseDirCache(encodeDirCache(c))
			if err != nil {
				t.Fatalf("re-encoded cache does not parse: %v", err)
			}
			if !reflect.DeepEqual(again, c) {
				t.Fatalf("round trip changed the cache:\n%+v\n%+v", c, again)
			}
		}
	})
}

// TestDirCacheWalkMatchesGit records the folder-listing cache with a
// commit, changes the work tree in every way that adds, removes or
// replaces a name in a cached folder (and in ways that change no folder:
// edits in place, a .gitignore rewritten in place), and compares what wf
// sees with git: git add -A into a scratch index, then git diff --cached.
// The same walk without the cache must agree too.
func TestDirCacheWalkMatchesGit(t *testing.T) {
	if !dirCacheSupported {
		t.Skip("the folder cache is used on Linux only")
	}
	dir := gittest.NewRepo(t)
	files := map[string]string{
		"README.md":              "# r\n",
		"a/one.txt":              "1\n",
		"a/two.txt":              "2\n",
		"a/b/three.txt":          "3\n",
		"a/b/c/four.txt":         "4\n",
		"gone/x.txt":             "x\n",
		"ign/.gitignore":         "*.log\n",
		"ign/kept.txt":           "k\n",
		"swap/file":              "f\n",
		"swap/dir/inside.txt":    "i\n",
		"untracked-parent/t.txt": "t\n",
	}
	// Folders of pathOpenMin names or more are statted through an O_PATH
	// descriptor when their listing comes from the cache.
	for i := 0; i < pathOpenMin+4; i++ {
		files[fmt.Sprintf("many/f%02d.txt", i)] = fmt.Sprintf("%d\n", i)
		files[fmt.Sprintf("many2/f%02d.txt", i)] = fmt.Sprintf("%d\n", i)
	}
	for p, c := range files {
		gittest.Write(t, dir, p, c)
	}
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "base")
	if err := os.MkdirAll(filepath.Join(dir, ".git", "wf"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Folders changed within the last second are not recorded (racy).
	time.Sleep(dirRacyMargin + 100*time.Millisecond)
	gittest.Write(t, dir, "fresh.txt", "a new name in the top folder\n")
	res := commit(t, dir, CommitOptions{})
	cache := discover(t, dir).readDirCache()
	for _, want := range []string{"a", "a/b", "a/b/c", "gone", "ign", "swap", "swap/dir", "untracked-parent", "many", "many2"} {
		if cache[want] == nil {
			t.Fatalf("folder %q not in the recorded cache (%d folders)", want, len(cache))
		}
	}
	if cache[""] != nil {
		t.Errorf("the top folder changed within the second (fresh.txt) but was recorded")
	}

	// Changes to cached folders.
	gittest.Write(t, dir, "a/new.txt", "new\n")                  // added name
	mustRemove(t, dir, "a/two.txt")                              // removed name
	mustRename(t, dir, "a/b/three.txt", "a/b/three-renamed.txt") // renamed
	gittest.Write(t, dir, "a/b/c/four.txt", "4\nfour\n")         // edited in place: no folder change
	mustRemove(t, dir, "gone")                                   // a cached folder removed
	gittest.Write(t, dir, "ign/.gitignore", "*.txt\n")           // rewritten in place
	gittest.Write(t, dir, "ign/new.txt", "now ignored\n")
	gittest.Write(t, dir, "ign/debug.log", "no longer ignored\n")
	mustRemove(t, dir, "swap/file") // file becomes folder
	gittest.Write(t, dir, "swap/file/x.txt", "x\n")
	mustRemove(t, dir, "swap/dir") // folder becomes symlink
	mustSymlink(t, dir, "../a", "swap/dir")
	gittest.Write(t, dir, "untracked-parent/new/deep/u.txt", "u\n") // untracked folders
	gittest.Write(t, dir, "many/f03.txt", "3\nthree\n")             // many names, edited in place
	mustRemove(t, dir, "many2/f05.txt")                             // many names, one removed
	mustSymlink(t, dir, "f00.txt", "many2/f05.txt")                 // and back as a symlink

	r := discover(t, dir)
	got, err := r.DiffStat(res.Hash, Hash{})
	if err != nil {
		t.Fatal(err)
	}
	scratch := filepath.Join(t.TempDir(), "index")
	gittest.Git(t, dir, "read-tree", "--index-output="+scratch, "HEAD")
	env := []string{"GIT_INDEX_FILE=" + scratch}
	if _, err := gitEnvOut(dir, env, "add", "-A"); err != nil {
		t.Fatal(err)
	}
	want := gitDiffStat(t, dir, env, "--cached", res.Hash.String())
	if s := formatStats(got); s != want {
		t.Errorf("with the cache:\n--- git\n%s\n--- wf\n%s", want, s)
	}
	if err := os.Remove(filepath.Join(dir, ".git", "wf", dirCacheName)); err != nil {
		t.Fatal(err)
	}
	got, err = discover(t, dir).DiffStat(res.Hash, Hash{})
	if err != nil {
		t.Fatal(err)
	}
	if s := formatStats(got); s != want {
		t.Errorf("without the cache:\n--- git\n%s\n--- wf\n%s", want, s)
	}
}

// TestDirCacheTrustsStatData shows that a recorded listing is what the
// walk reads while the folder's stat data is unchanged, and is dropped as
// soon as it changes: a listing edited to hide a file hides it until a
// name is added to the folder.
func TestDirCacheTrustsStatData(t *testing.T) {
	if !dirCacheSupported {
		t.Skip("the folder cache is used on Linux only")
	}
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, "top.txt", "t\n")
	gittest.Write(t, dir, "sub/a.txt", "a\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "base")
	if err := os.MkdirAll(filepath.Join(dir, ".git", "wf"), 0o755); err != nil {
		t.Fatal(err)
	}
	// hidden.txt is in the listing but excluded (info/exclude, outside
	// the work tree) when the cache is recorded, so it stays untracked.
	gittest.Write(t, dir, ".git/info/exclude", "hidden.txt\n")
	gittest.Write(t, dir, "sub/hidden.txt", "h\n")
	time.Sleep(dirRacyMargin + 100*time.Millisecond)
	gittest.Write(t, dir, "top.txt", "t2\n")
	res := commit(t, dir, CommitOptions{})
	gittest.Write(t, dir, ".git/info/exclude", "\n")
	r := discover(t, dir)
	c := r.readDirCache()
	if c["sub"] == nil {
		t.Fatal("sub not recorded")
	}
	var keep []dirEntry
	for _, e := range c["sub"].ents {
		if e.name != "hidden.txt" {
			keep = append(keep, e)
		}
	}
	c["sub"].ents = keep
	if err := r.writeDirCache(c); err != nil {
		t.Fatal(err)
	}
	names := func() []string {
		stats, err := discover(t, dir).DiffStat(res.Hash, Hash{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range stats {
			out = append(out, s.Path)
		}
		return out
	}
	if got := names(); len(got) != 0 {
		t.Errorf("the listing was not used: %v", got)
	}
	gittest.Write(t, dir, "sub/another.txt", "x\n") // a new name: sub's mtime changes
	if got := names(); !reflect.DeepEqual(got, []string{"sub/another.txt", "sub/hidden.txt"}) {
		t.Errorf("after the folder changed: %v", got)
	}
}

// TestValidCacheDir checks the folder paths a cache may name: "" and clean
// slash-separated relative paths, nothing else.
func TestValidCacheDir(t *testing.T) {
	for p, want := range map[string]bool{
		"": true, "a": true, "a/b": true, "a.b/c..d/.e": true,
		"/": false, "/a": false, "a/": false, "a//b": false, ".": false, "..": false,
		"a/./b": false, "a/..": false, "../a": false, "a\x00b": false, "a/b\x00": false,
	} {
		if got := validCacheDir(p); got != want {
			t.Errorf("validCacheDir(%q) = %v, want %v", p, got, want)
		}
	}
}
