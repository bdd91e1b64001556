package commitgraph

import (
	"encoding/binary"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

//go:generate go test -run ^TestGenerateVectors$ -update

var update = flag.Bool("update", false, "rewrite testdata/good_* and testdata/bad_* from the git CLI")

// TestVectors parses every file in testdata: good_* must parse and answer
// every query for every position, bad_* must return ErrMalformed.
func TestVectors(t *testing.T) {
	checkVectors(t, "testdata")
}

func checkVectors(t *testing.T, dir string) {
	gittest.Vectors(t, dir, 2, 5, func(t *testing.T, name string, data []byte, good bool) {
		g, err := New([][]byte{data})
		switch {
		case !good:
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("%s: %v, want ErrMalformed", name, err)
			}
		case err != nil:
			t.Errorf("%s: %v", name, err)
		default:
			if err := walkAll(&g); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
}

// walkAll queries every position: its id must look itself up, its parents
// must be positions of the graph.
func walkAll(g *Graph) error {
	var ps []int
	for pos := 0; pos < g.Len(); pos++ {
		h := g.Hash(pos)
		if p, ok := g.Lookup(&h); !ok || p != pos {
			return errors.New("lookup of a listed id fails")
		}
		g.Date(pos)
		var err error
		if ps, err = g.Parents(ps[:0], pos); err != nil {
			return err
		}
		for _, p := range ps {
			if p < 0 || p >= g.Len() {
				return errors.New("parent out of range")
			}
		}
	}
	return nil
}

// TestGenerateVectors writes commit-graphs with git (a history with a
// merge and an octopus merge, so an EDGE chunk) into testdata with -update
// (go generate), else into a temporary folder, and checks them.
func TestGenerateVectors(t *testing.T) {
	out := t.TempDir()
	if *update {
		out = "testdata"
	}
	dir := gittest.NewRepo(t)
	g := func(args ...string) string { return gittest.Git(t, dir, args...) }
	commit := func(msg string) {
		g("commit", "-q", "--allow-empty", "-m", msg)
	}
	commit("root")
	for _, b := range []string{"b1", "b2", "b3"} {
		g("checkout", "-q", "-b", b, "main")
		commit(b)
	}
	g("checkout", "-q", "main")
	commit("main")
	g("merge", "-q", "--no-edit", "b1")
	graph := filepath.Join(dir, ".git", "objects", "info", "commit-graph")
	g("commit-graph", "write", "--reachable")
	save := func(name string, data []byte) { gittest.SaveVector(t, out, name, data) }
	read := func() []byte {
		data, err := os.ReadFile(graph)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	save("good_merge.graph", read())
	g("merge", "-q", "--no-edit", "b2", "b3")
	g("commit-graph", "write", "--reachable")
	octo := read()
	save("good_octopus_edge.graph", octo)

	save("bad_empty.graph", nil)
	save("bad_truncated_header.graph", octo[:30])
	save("bad_signature.graph", patch(octo, 0, []byte("CGPX")))
	save("bad_version_2.graph", patch(octo, 4, []byte{2}))
	save("bad_hash_version_sha256.graph", patch(octo, 5, []byte{2}))
	save("bad_base_count.graph", patch(octo, 7, []byte{1}))
	save("bad_chunk_count.graph", patch(octo, 6, []byte{200}))
	save("bad_truncated_chunks.graph", octo[:len(octo)-60])
	toc := func(id string) int {
		for i := 8; i+12 <= len(octo); i += 12 {
			if string(octo[i:i+4]) == id {
				return i
			}
		}
		t.Fatalf("no %s chunk", id)
		return 0
	}
	chunk := func(id string) int { return int(binary.BigEndian.Uint64(octo[toc(id)+4:])) }
	save("bad_chunk_offset_past_end.graph", patch(octo, toc("OIDL")+4, binary.BigEndian.AppendUint64(nil, uint64(len(octo)))))
	save("bad_fanout_count.graph", patch(octo, chunk("OIDF")+1020, be32(99)))
	save("bad_parent_out_of_range.graph", patch(octo, chunk("CDAT")+20, be32(1000)))
	save("bad_edge_out_of_range.graph", patch(octo, chunk("EDGE"), be32(1000)))
	checkVectors(t, out)
}

func be32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

func patch(data []byte, off int, b []byte) []byte {
	out := append([]byte{}, data...)
	copy(out[off:], b)
	return out
}
