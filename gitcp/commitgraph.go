package gitcp

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"github.com/wf-tool/wf/gitcp/internal/commitgraph"
	"github.com/wf-tool/wf/gitcp/internal/mmap"
)

// commitGraph is the repository's commit-graph (objects/info/commit-graph,
// or the split chain objects/info/commit-graphs/commit-graph-chain), mapped
// and parsed, for the parents and committer dates of commits, so a history
// walk needs no object reads for topology. Read-only after
// openCommitGraph; safe for concurrent use.
type commitGraph struct {
	commitgraph.Graph
	release []func()
}

// openCommitGraph returns the repository's commit graph, or nil when there
// is none, it is disabled (core.commitGraph=false) or git would not use it
// (shallow repository, grafts), or it cannot be read.
func (r *Repo) openCommitGraph() *commitGraph {
	if !r.cfg.Bool("core.commitgraph", true) {
		return nil
	}
	for _, f := range []string{"shallow", "info/grafts"} {
		if _, err := os.Stat(filepath.Join(r.CommonDir, f)); err == nil {
			return nil
		}
	}
	info := filepath.Join(r.CommonDir, "objects", "info")
	files := []string{filepath.Join(info, "commit-graph")}
	if _, err := os.Stat(files[0]); err != nil {
		chain, err := os.ReadFile(filepath.Join(info, "commit-graphs", "commit-graph-chain"))
		if err != nil {
			return nil
		}
		files = files[:0]
		sc := bufio.NewScanner(bytes.NewReader(chain))
		for sc.Scan() {
			h := strings.TrimSpace(sc.Text())
			if !IsHash(h) {
				return nil
			}
			files = append(files, filepath.Join(info, "commit-graphs", "graph-"+h+".graph"))
		}
		if len(files) == 0 {
			return nil
		}
	}
	g := &commitGraph{}
	var buf [8][]byte // chains are short; no allocation for the list
	data := buf[:0]
	for _, f := range files {
		b, rel, err := mmap.Map(f)
		if err != nil {
			g.close()
			return nil
		}
		g.release = append(g.release, rel)
		data = append(data, b)
	}
	cg, err := commitgraph.New(data)
	if err != nil {
		g.close()
		return nil
	}
	g.Graph = cg
	return g
}

func (g *commitGraph) close() {
	if g == nil {
		return
	}
	for _, f := range g.release {
		f()
	}
	g.release, g.Graph = nil, commitgraph.Graph{}
}

// lookup returns the global position of h.
func (g *commitGraph) lookup(h *Hash) (int, bool) { return g.Lookup((*[20]byte)(h)) }

// hash returns the object id at pos.
func (g *commitGraph) hash(pos int) Hash { return g.Hash(pos) }

// date returns the committer time (unix seconds) at pos.
func (g *commitGraph) date(pos int) int64 { return g.Date(pos) }

func (g *commitGraph) tree(pos int) Hash { return g.Tree(pos) }

// parents appends the parent positions of pos to dst.
func (g *commitGraph) parents(dst []int, pos int) ([]int, error) { return g.Parents(dst, pos) }
