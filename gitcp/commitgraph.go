package gitcp

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// commitGraph reads git's commit-graph (objects/info/commit-graph, or the
// split chain objects/info/commit-graphs/commit-graph-chain) for the
// parents and committer dates of commits, so a history walk needs no
// object reads for topology. Positions are global across the layers of a
// chain (base layer first), as in the file format. Read-only after
// openCommitGraph; safe for concurrent use.
type commitGraph struct {
	layers  []*graphLayer
	total   int
	release []func()
}

type graphLayer struct {
	base   int    // global position of this layer's first commit
	n      int    // commits in this layer
	fanout []byte // 256*4
	oids   []byte // n*20
	cdat   []byte // n*36
	edges  []byte // extra edge list, 4-byte entries
}

const (
	graphNoParent   = 0x70000000
	graphExtraEdges = 0x80000000
	graphLastEdge   = 0x80000000
)

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
	g := &commitGraph{}
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
	for i, f := range files {
		data, rel, err := mapFile(f)
		if err != nil {
			g.close()
			return nil
		}
		g.release = append(g.release, rel)
		l, err := parseGraphLayer(data, i)
		if err != nil {
			g.close()
			return nil
		}
		l.base = g.total
		g.total += l.n
		g.layers = append(g.layers, l)
	}
	// Every parent position must name a commit of the graph.
	for _, l := range g.layers {
		for i := 0; i < l.n; i++ {
			c := l.cdat[i*36:]
			p1, p2 := binary.BigEndian.Uint32(c[20:]), binary.BigEndian.Uint32(c[24:])
			if (p1 != graphNoParent && int(p1) >= g.total) ||
				(p2 != graphNoParent && p2&graphExtraEdges == 0 && int(p2) >= g.total) {
				g.close()
				return nil
			}
		}
		for i := 0; i+4 <= len(l.edges); i += 4 {
			if int(binary.BigEndian.Uint32(l.edges[i:])&^graphLastEdge) >= g.total {
				g.close()
				return nil
			}
		}
	}
	return g
}

func (g *commitGraph) close() {
	if g == nil {
		return
	}
	for _, f := range g.release {
		f()
	}
	g.release, g.layers = nil, nil
}

var errBadGraph = errors.New("malformed commit-graph")

func parseGraphLayer(b []byte, depth int) (*graphLayer, error) {
	if len(b) < 8+12+20 || string(b[:4]) != "CGPH" || b[4] != 1 || b[5] != 1 {
		return nil, errBadGraph
	}
	nchunks, nbase := int(b[6]), int(b[7])
	if nbase != depth {
		return nil, errBadGraph
	}
	l := &graphLayer{}
	toc := b[8:]
	if len(toc) < (nchunks+1)*12 {
		return nil, errBadGraph
	}
	end := uint64(len(b) - 20)
	for i := 0; i < nchunks; i++ {
		e := toc[i*12:]
		start, stop := binary.BigEndian.Uint64(e[4:]), binary.BigEndian.Uint64(e[16:])
		if start > stop || stop > end {
			return nil, errBadGraph
		}
		chunk := b[start:stop]
		switch string(e[:4]) {
		case "OIDF":
			l.fanout = chunk
		case "OIDL":
			l.oids = chunk
		case "CDAT":
			l.cdat = chunk
		case "EDGE":
			l.edges = chunk
		}
	}
	if len(l.fanout) != 1024 || len(l.oids)%20 != 0 {
		return nil, errBadGraph
	}
	l.n = len(l.oids) / 20
	if int(binary.BigEndian.Uint32(l.fanout[1020:])) != l.n || len(l.cdat) != l.n*36 || len(l.edges)%4 != 0 {
		return nil, errBadGraph
	}
	return l, nil
}

// lookup returns the global position of h.
func (g *commitGraph) lookup(h *Hash) (int, bool) {
	for _, l := range g.layers {
		lo := 0
		if h[0] > 0 {
			lo = int(binary.BigEndian.Uint32(l.fanout[(int(h[0])-1)*4:]))
		}
		hi := int(binary.BigEndian.Uint32(l.fanout[int(h[0])*4:]))
		if hi > l.n {
			hi = l.n
		}
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			switch bytes.Compare(l.oids[m*20:m*20+20], h[:]) {
			case 0:
				return l.base + m, true
			case -1:
				lo = m + 1
			default:
				hi = m
			}
		}
	}
	return 0, false
}

func (g *commitGraph) layer(pos int) (*graphLayer, int) {
	for i := len(g.layers) - 1; i > 0; i-- {
		if l := g.layers[i]; pos >= l.base {
			return l, pos - l.base
		}
	}
	return g.layers[0], pos
}

// hash returns the object id at pos.
func (g *commitGraph) hash(pos int) Hash {
	l, i := g.layer(pos)
	var h Hash
	copy(h[:], l.oids[i*20:])
	return h
}

// date returns the committer time (unix seconds) at pos.
func (g *commitGraph) date(pos int) int64 {
	l, i := g.layer(pos)
	c := l.cdat[i*36+28:]
	return int64(binary.BigEndian.Uint32(c)&3)<<32 | int64(binary.BigEndian.Uint32(c[4:]))
}

// parents appends the parent positions of pos to dst.
func (g *commitGraph) parents(dst []int, pos int) ([]int, error) {
	l, i := g.layer(pos)
	c := l.cdat[i*36:]
	p1, p2 := binary.BigEndian.Uint32(c[20:]), binary.BigEndian.Uint32(c[24:])
	if p1 == graphNoParent {
		return dst, nil
	}
	dst = append(dst, int(p1))
	switch {
	case p2 == graphNoParent:
	case p2&graphExtraEdges == 0:
		dst = append(dst, int(p2))
	default:
		for k := int(p2 &^ graphExtraEdges); ; k++ {
			if (k+1)*4 > len(l.edges) {
				return dst, errBadGraph
			}
			e := binary.BigEndian.Uint32(l.edges[k*4:])
			dst = append(dst, int(e&^graphLastEdge))
			if e&graphLastEdge != 0 {
				break
			}
		}
	}
	return dst, nil
}
