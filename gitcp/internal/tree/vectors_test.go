package tree

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

//go:generate go test -run ^TestGenerateVectors$ -update

var update = flag.Bool("update", false, "rewrite testdata/good_* and testdata/bad_* from the git CLI")

// TestVectors parses every file in testdata: good_* must parse, encode
// back to the same bytes and be in Compare order; bad_* must return a
// *FormatError. Neither may panic.
func TestVectors(t *testing.T) {
	checkVectors(t, "testdata", true)
}

func checkVectors(t *testing.T, dir string, wantAll bool) {
	minGood, minBad := 0, 0
	if wantAll {
		minGood, minBad = 3, 4
	}
	gittest.Vectors(t, dir, minGood, minBad, func(t *testing.T, name string, data []byte, good bool) {
		entries, err := Parse(data)
		if good {
			if err != nil {
				t.Errorf("%s: %v", name, err)
				return
			}
			if out := encode(entries); !bytes.Equal(out, data) {
				t.Errorf("%s: encoding differs", name)
			}
			for i := 1; i < len(entries); i++ {
				a, b := entries[i-1], entries[i]
				if Compare(a.Name, a.IsTree(), b.Name, b.IsTree()) >= 0 {
					t.Errorf("%s: %q before %q", name, a.Name, b.Name)
				}
			}
			return
		}
		t.Logf("%s: %v", name, err)
		var fe *FormatError
		if err == nil {
			t.Errorf("%s: parsed without error", name)
		} else if !errors.As(err, &fe) {
			t.Errorf("%s: %T %v, want *FormatError", name, err, err)
		}
	})
}

// catFileTree is "git cat-file tree rev", its output untrimmed.
func catFileTree(t *testing.T, dir, rev string) []byte {
	t.Helper()
	cmd := exec.Command("git", "cat-file", "tree", rev)
	cmd.Dir = dir
	data, err := cmd.Output()
	if err != nil {
		t.Fatalf("git cat-file tree %s: %v", rev, err)
	}
	return data
}

func encode(entries []Entry) []byte {
	var b []byte
	for _, e := range entries {
		n := len(b)
		b = AppendEntry(b, e.Mode, e.Name, e.ID)
		if len(b)-n != EncodedLen(e.Mode, e.Name) {
			panic(fmt.Sprintf("EncodedLen(%o, %q) = %d, AppendEntry wrote %d", e.Mode, e.Name, EncodedLen(e.Mode, e.Name), len(b)-n))
		}
	}
	return b
}

// TestGenerateVectors builds the vectors with the git CLI (git cat-file
// tree): into testdata with -update (go generate), else into a temporary
// folder, and checks them, so Parse is also tried on the installed git's
// output.
func TestGenerateVectors(t *testing.T) {
	out := t.TempDir()
	if *update {
		out = "testdata"
	}
	dir := gittest.NewRepo(t)
	g := func(args ...string) string { return gittest.Git(t, dir, args...) }
	save := func(name string, data []byte) { gittest.SaveVector(t, out, name, data) }
	catTree := func(rev string) []byte { return catFileTree(t, dir, rev) }
	// Names around "a" that git's order puts on both sides of the folder
	// "a" (compared as "a/"), an executable, a symlink, a submodule.
	for _, n := range []string{"a-b", "a.b", "a0", "a/x", "a/y/z", "b c", "é.txt", strings.Repeat("n", 200)} {
		gittest.Write(t, dir, n, n+"\n")
	}
	gittest.Write(t, dir, "run.sh", "#!/bin/sh\n")
	if err := os.Chmod(filepath.Join(dir, "run.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.b", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	g("add", "-A")
	g("update-index", "--add", "--cacheinfo", "160000,"+strings.Repeat("5", 40)+",sub")
	g("commit", "-q", "-m", "tree")
	root := catTree("HEAD^{tree}")
	save("good_root.tree", root)
	save("good_subtree.tree", catTree("HEAD:a"))
	save("good_empty.tree", catTree(g("mktree")))

	save("bad_truncated_id.tree", root[:len(root)-5])
	nul := bytes.IndexByte(root, 0)
	save("bad_truncated_name.tree", root[:nul])
	save("bad_mode_not_octal.tree", append([]byte("100648"), root[6:]...))
	save("bad_no_space.tree", []byte("100644a\x00"+strings.Repeat("x", 20)))
	save("bad_empty_mode.tree", []byte(" a\x00"+strings.Repeat("x", 20)))
	save("bad_mode_too_large.tree", []byte("77777777777 a\x00"+strings.Repeat("x", 20)))
	checkVectors(t, out, true)
}

// TestEncodeMatchesMktree encodes entries in Compare order and checks the
// id and bytes against git mktree, which sorts its input itself.
func TestEncodeMatchesMktree(t *testing.T) {
	dir := gittest.NewRepo(t)
	names := []string{"a-b", "a.b", "a0", "a_", "A", "b c", "é", "z", "ab", "a b", "~", "!"}
	var entries []Entry
	var input strings.Builder
	for i, n := range names {
		for _, tree := range []bool{false, true} {
			if (i+len(n))%2 == 0 && tree || (n == "z" || n == "a") && !tree {
				continue
			}
			e := Entry{Mode: 0o100644, Name: n}
			if tree {
				e = Entry{Mode: ModeTree, Name: n + "d"}
				if i%3 == 0 {
					e.Name = n // the same name as a file elsewhere in the list
				}
			}
			if i%4 == 1 && !tree {
				e.Mode = 0o100755
			}
			e.ID = sha1.Sum([]byte(e.Name))
			if slices.ContainsFunc(entries, func(o Entry) bool { return o.Name == e.Name }) {
				continue
			}
			entries = append(entries, e)
			typ := "blob"
			if tree {
				typ = "tree"
			}
			fmt.Fprintf(&input, "%06o %s %x\t%s\n", e.Mode, typ, e.ID, e.Name)
		}
	}
	slices.SortFunc(entries, func(a, b Entry) int { return Compare(a.Name, a.IsTree(), b.Name, b.IsTree()) })
	data := encode(entries)
	sum := sha1.Sum(append([]byte(fmt.Sprintf("tree %d\x00", len(data))), data...))
	id := gittest.GitStdin(t, dir, input.String(), "mktree", "--missing")
	if hex.EncodeToString(sum[:]) != id {
		t.Fatalf("encoded tree %x, git mktree %s", sum, id)
	}
	if stored := catFileTree(t, dir, id); !bytes.Equal(stored, data) {
		t.Fatalf("git stored\n%q\nencoded\n%q", stored, data)
	}
	back, err := Parse(data)
	if err != nil || !slices.Equal(back, entries) {
		t.Fatalf("parsed back %v %v", back, err)
	}
}
