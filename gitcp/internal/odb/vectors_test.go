package odb

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/gittest"
)

//go:generate go test -run ^TestGenerateVectors$ -update

var update = flag.Bool("update", false, "rewrite testdata/good_* and testdata/bad_* from the git CLI")

// Vectors: <name>.idx with <name>.pack is a pack; <name>.obj a loose
// object file. good_* must open and every object they list must read and
// hash to its id; bad_* must fail to open or fail to read an object, with
// an error, never a panic.

// readPack opens the pack idx/pack and reads every object it lists,
// checking each object's id.
func readPack(idx, pack []byte) (int, error) {
	p, err := newPack("vector.pack", idx, pack)
	if err != nil {
		return 0, err
	}
	r := NewReader(&DB{objects: os.DevNull, packs: []*packFile{p}})
	// In pack order, so a vector's first entry is read first.
	ids := make([][20]byte, p.n)
	offs := map[[20]byte]int64{}
	for i := range ids {
		copy(ids[i][:], p.name(i))
		offs[ids[i]], _ = p.find(&ids[i])
	}
	sort.Slice(ids, func(i, j int) bool { return offs[ids[i]] < offs[ids[j]] })
	for i, h := range ids {
		t, data, err := r.Read(h)
		if err != nil {
			return i, err
		}
		if got := HashObject(t, data); got != h {
			return i, fmt.Errorf("object %x reads as %s %x", h, t, got)
		}
	}
	return len(ids), nil
}

func TestVectors(t *testing.T) { checkVectors(t, "testdata") }

func checkVectors(t *testing.T, dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	var good, bad int
	for _, de := range ents {
		name := de.Name()
		var err error
		switch {
		case strings.HasSuffix(name, ".idx"):
			var n int
			n, err = readPack(read(name), read(strings.TrimSuffix(name, ".idx")+".pack"))
			if err == nil && n < 2 {
				err = fmt.Errorf("only %d objects", n)
			}
		case strings.HasSuffix(name, ".obj"):
			r := NewReader(nil)
			var typ plumbing.ObjectType
			var data []byte
			typ, data, err = r.decodeLoose(read(name))
			if err == nil && !strings.Contains(name, "_"+typ.String()) {
				err = fmt.Errorf("a %s, %q", typ, data)
			}
		default:
			continue
		}
		switch {
		case strings.HasPrefix(name, "good_"):
			good++
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
		case strings.HasPrefix(name, "bad_"):
			bad++
			t.Logf("%s: %v", name, err)
			if err == nil {
				t.Errorf("%s: read without error", name)
			}
		}
	}
	if good < 3 || bad < 5 {
		t.Fatalf("%s: %d good and %d bad vectors; run go generate", dir, good, bad)
	}
}

// TestGenerateVectors writes a deltified pack and loose objects with git
// into testdata with -update (go generate), else into a temporary folder,
// and checks them.
func TestGenerateVectors(t *testing.T) {
	out := t.TempDir()
	if *update {
		out = "testdata"
	}
	dir := gittest.NewRepo(t)
	g := func(args ...string) string { return gittest.Git(t, dir, args...) }
	save := func(name string, data []byte) { gittest.SaveVector(t, out, name, data) }
	read := func(p string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, ".git", p))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	loose := func(id string) []byte { return read("objects/" + id[:2] + "/" + id[2:]) }
	var text strings.Builder
	for i := range 60 {
		fmt.Fprintf(&text, "line %d of a file that changes a little in each commit\n", i)
	}
	for i := range 6 {
		gittest.Write(t, dir, "f.txt", strings.Replace(text.String(), fmt.Sprintf("line %d ", i*9), "changed ", 1))
		g("add", "f.txt")
		g("commit", "-q", "-m", fmt.Sprint("c", i))
	}
	save("good_loose_blob.obj", loose(g("rev-parse", "HEAD:f.txt")))
	save("good_loose_tree.obj", loose(g("rev-parse", "HEAD^{tree}")))
	commit := loose(g("rev-parse", "HEAD"))
	save("good_loose_commit.obj", commit)
	savePack := func(name string, idx, pack []byte) {
		save(name+".idx", idx)
		save(name+".pack", pack)
	}
	// repack writes offset deltas, or reference deltas with
	// repack.useDeltaBaseOffset=false; the second is kept as written.
	var idx, pack []byte
	for _, ofs := range []bool{false, true} {
		g("-c", fmt.Sprint("repack.useDeltaBaseOffset=", ofs), "repack", "-q", "-adf", "--window=10", "--depth=4")
		packs, _ := filepath.Glob(filepath.Join(dir, ".git/objects/pack/*.idx"))
		if len(packs) != 1 {
			t.Fatalf("packs %v", packs)
		}
		if v := g("verify-pack", "-v", packs[0]); !strings.Contains(v, "chain length = 1") {
			t.Fatalf("no delta in the pack:\n%s", v)
		}
		idx = read("objects/pack/" + filepath.Base(packs[0]))
		pack = read("objects/pack/" + strings.TrimSuffix(filepath.Base(packs[0]), ".idx") + ".pack")
		name := "good_ref_deltas"
		if ofs {
			name = "good_ofs_deltas"
		}
		savePack(name, idx, pack)
	}
	// The same pack with a version-1 index (gitformat-pack(5)).
	packs, _ := filepath.Glob(filepath.Join(dir, ".git/objects/pack/*.pack"))
	v1 := filepath.Join(t.TempDir(), "v1.idx")
	g("index-pack", "--index-version=1", "-o", v1, packs[0])
	idx1, err := os.ReadFile(v1)
	if err != nil {
		t.Fatal(err)
	}
	savePack("good_v1_index", idx1, pack)
	savePack("bad_v1_index_truncated", idx1[:len(idx1)-30], pack)
	savePack("bad_v1_index_count", patch(idx1, 255*4, []byte{0, 0, 1, 0}), pack)

	// Corruptions. The pack trailer is not checked (git checks it on
	// fsck), so entries can be changed in place.
	savePack("bad_idx_version", patch(idx, 4, []byte{0, 0, 0, 3}), pack)
	savePack("bad_idx_truncated", idx[:1100], pack)
	savePack("bad_idx_count", patch(idx, 8+255*4, []byte{0, 0, 1, 0}), pack)
	savePack("bad_pack_signature", idx, patch(pack, 0, []byte("KCAP")))
	savePack("bad_pack_other_index", idx, patch(pack, len(pack)-1, []byte{pack[len(pack)-1] ^ 1}))
	// The first entry (offset 12): a size field larger than the pack can
	// inflate to, a type that does not exist, a cut zlib stream.
	savePack("bad_entry_size_too_large", idx, patch(pack, 12, []byte{0x9f, 0xff, 0xff, 0xff, 0x7f}))
	savePack("bad_entry_type_5", idx, patch(pack, 12, []byte{pack[12]&^0x70 | 0x50}))
	// A size field that reaches bit 63: read as negative, it made
	// inflateRest slice with a negative length (a panic) until entryHeader
	// refused it.
	hl := 1 // the first entry's header length; its zlib data follows
	for pack[12+hl-1]&0x80 != 0 {
		hl++
	}
	neg := append([]byte{pack[12]&0x70 | 0x8f}, append(bytes.Repeat([]byte{0xff}, 8), 0x0f)...)
	savePack("bad_entry_size_negative", idx, append(append(append([]byte{}, pack[:12]...), neg...), pack[12+hl:]...))
	savePack("bad_entry_zlib", idx, patch(pack, 14, bytes.Repeat([]byte{0xff}, 8)))
	save("bad_loose_not_zlib.obj", []byte("blob 3\x00abc"))
	save("bad_loose_truncated.obj", commit[:len(commit)/2])
	save("bad_loose_size_lie.obj", deflate("blob 99999999\x00abc"))
	save("bad_loose_type.obj", deflate("blub 3\x00abc"))
	save("bad_loose_longer_than_header.obj", deflate("blob 3\x00abcd"))
	checkVectors(t, out)
}

func patch(data []byte, off int, b []byte) []byte {
	out := append([]byte{}, data...)
	copy(out[off:], b)
	return out
}
