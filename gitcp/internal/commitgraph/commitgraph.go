package commitgraph

import (
	"bytes"
	"encoding/binary"
	"errors"
)

// Graph is a commit-graph file, or a split chain of them, as parsed by
// [New]: the object ids, parents and committer dates of the commits it
// holds, by position. Positions are global across the layers of a chain
// (base layer first), as in the file format. A Graph only reads the bytes
// it was given; it is safe for concurrent use.
type Graph struct {
	layers []*layer
	total  int
}

type layer struct {
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

// New parses the layers of a commit-graph chain, base layer first (a single
// objects/info/commit-graph file is a chain of one). The Graph keeps
// references into the files' bytes, not the files slice. It returns [ErrMalformed] when a layer is not a
// version 1 SHA-1 commit-graph with the OIDF, OIDL and CDAT chunks, when a
// layer's base count does not match its depth in the chain, or when a
// parent or extra edge names a position outside the chain.
func New(files [][]byte) (Graph, error) {
	var g Graph
	for i, data := range files {
		l, err := parseLayer(data, i)
		if err != nil {
			return Graph{}, err
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
				return Graph{}, ErrMalformed
			}
		}
		for i := 0; i+4 <= len(l.edges); i += 4 {
			if int(binary.BigEndian.Uint32(l.edges[i:])&^graphLastEdge) >= g.total {
				return Graph{}, ErrMalformed
			}
		}
	}
	return g, nil
}

// ErrMalformed is returned by [New] for bytes that are not a commit-graph
// it can use, and by [Graph.Parents] for an extra edge list that runs off
// the end of its chunk.
var ErrMalformed = errors.New("malformed commit-graph")

func parseLayer(b []byte, depth int) (*layer, error) {
	if len(b) < 8+12+20 || string(b[:4]) != "CGPH" || b[4] != 1 || b[5] != 1 {
		return nil, ErrMalformed
	}
	nchunks, nbase := int(b[6]), int(b[7])
	if nbase != depth {
		return nil, ErrMalformed
	}
	l := &layer{}
	toc := b[8:]
	if len(toc) < (nchunks+1)*12 {
		return nil, ErrMalformed
	}
	end := uint64(len(b) - 20)
	for i := 0; i < nchunks; i++ {
		e := toc[i*12:]
		start, stop := binary.BigEndian.Uint64(e[4:]), binary.BigEndian.Uint64(e[16:])
		if start > stop || stop > end {
			return nil, ErrMalformed
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
		return nil, ErrMalformed
	}
	l.n = len(l.oids) / 20
	if int(binary.BigEndian.Uint32(l.fanout[1020:])) != l.n || len(l.cdat) != l.n*36 || len(l.edges)%4 != 0 {
		return nil, ErrMalformed
	}
	return l, nil
}

// Lookup returns the global position of the commit h and whether the graph
// holds it.
func (g *Graph) Lookup(h *[20]byte) (int, bool) {
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

func (g *Graph) layer(pos int) (*layer, int) {
	for i := len(g.layers) - 1; i > 0; i-- {
		if l := g.layers[i]; pos >= l.base {
			return l, pos - l.base
		}
	}
	return g.layers[0], pos
}

// Hash returns the object id of the commit at pos, a position [Graph.Lookup]
// or [Graph.Parents] returned.
func (g *Graph) Hash(pos int) [20]byte {
	l, i := g.layer(pos)
	var h [20]byte
	copy(h[:], l.oids[i*20:])
	return h
}

// Tree returns the object id of the root tree of the commit at pos (the
// first 20 bytes of its CDAT record, gitformat-commit-graph(5)).
func (g *Graph) Tree(pos int) [20]byte {
	l, i := g.layer(pos)
	var h [20]byte
	copy(h[:], l.cdat[i*36:])
	return h
}

// Date returns the committer time (unix seconds) of the commit at pos.
func (g *Graph) Date(pos int) int64 {
	l, i := g.layer(pos)
	c := l.cdat[i*36+28:]
	return int64(binary.BigEndian.Uint32(c)&3)<<32 | int64(binary.BigEndian.Uint32(c[4:]))
}

// Generation returns the topological level the file records for the
// commit at pos (generation number v1: the top 30 bits of the CDAT date
// word; one more than the highest of its parents', 1 for a root). It is 0
// when the file was written without levels (GENERATION_NUMBER_ZERO), and
// callers must then compute it.
func (g *Graph) Generation(pos int) uint32 {
	l, i := g.layer(pos)
	return binary.BigEndian.Uint32(l.cdat[i*36+28:]) >> 2
}

// Parents appends the positions of the parents of the commit at pos to dst
// and returns it; [ErrMalformed] when its extra edge list is cut short.
func (g *Graph) Parents(dst []int, pos int) ([]int, error) {
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
				return dst, ErrMalformed
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

// Len returns the number of commits in the graph; positions run from 0 to
// Len()-1.
func (g *Graph) Len() int { return g.total }
