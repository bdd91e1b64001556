//go:build unix

package refs

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestPackedRefsReadAgainWhenReplaced: the packed-refs content a
// PackedCache keeps is not used once the file changed, even when the new
// file has the same size and modification time as the old (git pack-refs
// and git update-ref replace it by a rename) and the kept file's inode
// (ext4 hands a freed inode out again): the change time differs. Content
// read within two seconds of a change is not kept. Each lookup agrees
// with git rev-parse. A Store without a cache reads the file each time.
func TestPackedRefsReadAgainWhenReplaced(t *testing.T) {
	dir := gittest.NewRepo(t)
	g := func(args ...string) string { return gittest.Git(t, dir, args...) }
	var commits []string
	for _, c := range []string{"a", "b", "c"} {
		gittest.Write(t, dir, "a.txt", c+"\n")
		g("add", "-A")
		g("commit", "-q", "-m", c)
		commits = append(commits, g("rev-parse", "HEAD"))
	}
	var cache PackedCache
	s := Store{GitDir: filepath.Join(dir, ".git"), CommonDir: filepath.Join(dir, ".git"), Packed: &cache}
	check := func(when, want string) {
		t.Helper()
		id, found, err := s.Resolve("refs/heads/p")
		if got := hex.EncodeToString(id[:]); err != nil || !found || got != want || got != g("rev-parse", "refs/heads/p") {
			t.Errorf("%s: refs/heads/p = %s, %v, %v; want %s", when, got, found, err, want)
		}
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	pack := func(to string) {
		g("update-ref", "refs/heads/p", to)
		g("pack-refs", "--all")
		if err := os.Chtimes(s.PackedFile(), old, old); err != nil {
			t.Fatal(err)
		}
	}
	settle := func() { time.Sleep(packedRacy + 100*time.Millisecond) } // Chtimes changed the change time

	pack(commits[0])
	settle()
	check("packed", commits[0])
	if cache.data == nil {
		t.Fatal("the content of a packed-refs file changed more than 2 s ago was not kept")
	}
	check("packed, kept", commits[0])
	pack(commits[1])
	check("replaced by pack-refs with the same size and time", commits[1])
	settle()
	check("kept again", commits[1])
	pack(commits[2])
	pack(commits[0]) // two rewrites; an inode handed out again is TestPackedCacheComparesEveryStampField's
	check("replaced twice", commits[0])
	cur := commits[0]

	other := commits[1]
	data, err := os.ReadFile(s.PackedFile())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.PackedFile(), []byte(strings.ReplaceAll(string(data), cur, other)), 0o644); err != nil {
		t.Fatal(err)
	}
	check("rewritten in place just now", other)
	if cache.data != nil {
		t.Error("content read within 2 s of a change was kept")
	}
	s.Packed = nil
	if err := os.WriteFile(s.PackedFile(), data, 0o644); err != nil {
		t.Fatal(err)
	}
	check("without a cache", cur)
}

// TestPackedCacheComparesEveryStampField: with stat data made up to be
// what a file system can give (the same device, inode, size and times
// for a file whose content changed), the kept content is used; a change
// in any one of the fields, the change time included, reads the file
// again; stat data of a change less than two seconds old is never kept.
func TestPackedCacheComparesEveryStampField(t *testing.T) {
	path := filepath.Join(t.TempDir(), "packed-refs")
	write := func(s string) {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("one")
	base, err := statPacked(path)
	if err != nil {
		t.Fatal(err)
	}
	hourAgo := time.Now().Add(-time.Hour).UnixNano()
	base.mtime, base.ctime = hourAgo, hourAgo
	fake := base
	statPackedFile = func(string) (packedStamp, error) { return fake, nil }
	defer func() { statPackedFile = statPacked }()
	for _, c := range []struct {
		name   string
		change func(*packedStamp)
	}{
		{"device", func(s *packedStamp) { s.dev++ }},
		{"inode", func(s *packedStamp) { s.ino++ }},
		{"size", func(s *packedStamp) { s.size++ }},
		{"modification time", func(s *packedStamp) { s.mtime++ }},
		{"change time", func(s *packedStamp) { s.ctime++ }},
	} {
		var cache PackedCache
		fake = base
		write("kept")
		if got, err := cache.read(path); err != nil || string(got) != "kept" {
			t.Fatalf("%s: first read %q, %v", c.name, got, err)
		}
		write("new!") // the same size
		if got, _ := cache.read(path); string(got) != "kept" {
			t.Fatalf("%s: with the same stat data, read %q, want the kept content", c.name, got)
		}
		c.change(&fake)
		if got, _ := cache.read(path); string(got) != "new!" {
			t.Errorf("%s changed: read %q, want the file's new content", c.name, got)
		}
	}
	var cache PackedCache
	fake = base
	fake.ctime = time.Now().UnixNano()
	write("recent")
	cache.read(path)
	if cache.data != nil {
		t.Error("content whose change time is now was kept")
	}
}
