package index

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

//go:generate go test -run ^TestGenerateVectors$ -update

var update = flag.Bool("update", false, "rewrite testdata/good_* and testdata/bad_* from the git CLI")

// TestVectors decodes every file in testdata: good_* must decode (and
// encode back to the same bytes when the file has no extension and a
// checked trailer), bad_* must return a *FormatError. Neither may panic.
func TestVectors(t *testing.T) {
	checkVectors(t, "testdata", true)
}

func checkVectors(t *testing.T, dir string, wantAll bool) {
	min := 0
	if wantAll {
		min = 5
	}
	gittest.Vectors(t, dir, min, min, func(t *testing.T, name string, data []byte, good bool) {
		idx, err := Decode(data)
		if good {
			if err != nil {
				t.Errorf("%s: %v", name, err)
				return
			}
			if !idx.HasTree && !allZero(data[len(data)-20:]) {
				if out := Encode(idx.Version, idx.Entries, nil); !bytes.Equal(out, data) && !strings.Contains(name, "ext_") {
					t.Errorf("%s: re-encoding differs", name)
				}
			}
			return
		}
		t.Logf("%s: %v", name, err)
		if err == nil {
			t.Errorf("%s: decoded without error", name)
		} else if _, ok := err.(*FormatError); !ok {
			t.Errorf("%s: %T %v, want *FormatError", name, err, err)
		}
	})
}

// TestGenerateVectors builds the vectors with the git CLI: into testdata
// with -update (go generate), else into a temporary folder, and checks
// them, so the decoder is also tried on the installed git's output.
func TestGenerateVectors(t *testing.T) {
	out := t.TempDir()
	if *update {
		out = "testdata"
	}
	dir := gittest.NewRepo(t)
	g := func(args ...string) string { return gittest.Git(t, dir, args...) }
	save := func(name string, data []byte) { gittest.SaveVector(t, out, name, data) }
	read := func() []byte {
		data, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	// Version 2, no extension.
	gittest.Write(t, dir, "a.txt", "a\n")
	gittest.Write(t, dir, "dir/b.txt", "b\n")
	gittest.Write(t, dir, "dir/sub/c.txt", "c\n")
	g("add", "-A")
	v2 := read()
	save("good_v2.index", v2)
	// index.skipHash (git 2.40) writes the same bytes with a zero trailer.
	save("good_v2_zero_trailer.index", zeroTrailer(v2))
	// Version 2 with a TREE extension (git commit writes the cache-tree).
	g("commit", "-q", "-m", "one")
	save("good_v2_ext_tree.index", read())
	// Version 3: skip-worktree and intent-to-add.
	g("update-index", "--skip-worktree", "dir/b.txt")
	gittest.Write(t, dir, "new.txt", "new\n")
	g("add", "-N", "new.txt")
	save("good_v3_skip_worktree_intent_to_add.index", read())
	// Version 4, prefix-compressed names.
	g("update-index", "--index-version", "4")
	v4 := read()
	save("good_v4.index", v4)
	save("good_v4_zero_trailer.index", zeroTrailer(v4))
	// Conflict stages and a name of 0xfff bytes or more (stored NUL-ended).
	blob := g("hash-object", "-w", "a.txt")
	long := strings.Repeat("d/", 2100) + "f"
	gittest.GitStdin(t, dir, "100644 "+blob+" 1\tconflict.txt\n100644 "+blob+" 2\tconflict.txt\n100644 "+blob+" 3\tconflict.txt\n",
		"update-index", "--index-info")
	g("update-index", "--index-version", "2")
	g("update-index", "--add", "--cacheinfo", "100644,"+blob+","+long)
	save("good_v2_conflict_long_name.index", read())
	// An empty index.
	g("read-tree", "--empty")
	save("good_v2_empty.index", read())

	// A split index decodes (its entries are merged with the shared
	// index by Merge); so does a sparse index (Sparse set: gitcp
	// expands its directory entries from the object database).
	g("reset", "-q", "--hard")
	g("update-index", "--split-index")
	save("good_ext_split_index_link.index", read())
	g("update-index", "--no-split-index")
	if _, err := gittest.TryGit(dir, "sparse-checkout", "init", "--cone", "--sparse-index"); err == nil {
		g("sparse-checkout", "set", "dir")
		save("good_ext_sparse_index_sdir.index", read())
		g("sparse-checkout", "disable")
	}

	// Corruptions of the real files.
	save("bad_empty_file.index", nil)
	save("bad_signature.index", patch(v2, 0, []byte("DIRX"), true))
	save("bad_checksum.index", patch(v2, 40, []byte{v2[40] ^ 1}, false))
	save("bad_version_1.index", patch(v2, 4, be32(1), true))
	save("bad_version_5.index", patch(v2, 4, be32(5), true))
	save("bad_entry_count.index", patch(v2, 8, be32(0x7fffffff), true))
	save("bad_truncated_entry.index", fixTrailer(append(hdr(2, 1), v2[12:12+50]...)))
	save("bad_truncated_name.index", fixTrailer(append(hdr(2, 1), v2[12:12+62+2]...)))
	save("bad_v4_strip_too_long.index", patch(v4, 12+62, []byte{0x7f}, true))
	save("bad_extended_flag_in_v2.index", patch(v2, 12+60, []byte{v2[12+60] | 0x40}, true))
	save("bad_mandatory_extension.index", fixTrailer(append(append([]byte{}, v2[:len(v2)-20]...), "abcd\x00\x00\x00\x00"...)))
	save("bad_extension_size.index", fixTrailer(append(append([]byte{}, v2[:len(v2)-20]...), "TREE\x00\x01\x00\x00"...)))
	// Found by FuzzDecode: with a zero trailer (never checked), an entry
	// whose name length is 0 ending the body, and a version 3 entry whose
	// extended flags are cut off.
	save("bad_fuzz_empty_name_at_end.index", zeroTrailer(append(hdr(2, 1), make([]byte, 62+20)...)))
	save("bad_fuzz_extended_flags_truncated.index", zeroTrailer(append(append(hdr(3, 1), patch(make([]byte, 63), 60, []byte{0x40, 0}, false)...), make([]byte, 20)...)))
	// Found by FuzzDecode: a version 4 name whose prefix-strip varint is
	// 2^63, negative as an int: it passed the "strip <= previous name"
	// check, and the name-length bound overflowed, so the previous name
	// was sliced past its end.
	v4e := func(name string, strip ...byte) []byte {
		return append(append(make([]byte, 62), strip...), name+"\x00"...)
	}
	wrap := append(append(hdr(4, 2), v4e("a", 0)...), v4e("b", 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xfe, 0xff, 0x00)...)
	save("bad_fuzz_v4_strip_2p63.index", zeroTrailer(append(wrap, make([]byte, 20)...)))
	checkVectors(t, out, true)
}

func hdr(version, n uint32) []byte {
	return append(append([]byte("DIRC"), be32(version)...), be32(n)...)
}

func be32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// patch returns a copy of data with b written at off, with the trailer
// recomputed when fix is set.
func patch(data []byte, off int, b []byte, fix bool) []byte {
	out := append([]byte{}, data...)
	copy(out[off:], b)
	if fix {
		sum := sha1.Sum(out[:len(out)-20])
		copy(out[len(out)-20:], sum[:])
	}
	return out
}

// fixTrailer appends the SHA-1 of body.
func fixTrailer(body []byte) []byte {
	sum := sha1.Sum(body)
	return append(body, sum[:]...)
}

func zeroTrailer(data []byte) []byte {
	out := append([]byte{}, data...)
	clear(out[len(out)-20:])
	return out
}
