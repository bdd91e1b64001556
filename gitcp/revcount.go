package gitcp

import (
	"container/heap"
	"path/filepath"

	"github.com/wf-tool/wf/gitcp/internal/odb"
)

// RevCount returns what `git rev-list --count base..from` counts: the
// commits reachable from from that are not reachable from base; and
// whether base is an ancestor of from (or equal to it). There is no depth
// limit. The walk paints commits from both ends in order of generation
// number (a commit's is greater than each of its parents'), highest
// first, so a commit is counted only after every path to it from base has
// been seen, and it stops as soon as nothing left to visit can still be
// reachable from from alone. Generation numbers come from the
// commit-graph where it has them, and are computed (once per commit) for
// the commits it lacks.
func (r *Repo) RevCount(from, base Hash) (n int, ancestor bool, err error) {
	if from.IsZero() {
		return 0, base.IsZero(), nil
	}
	if from == base {
		return 0, true, nil
	}
	db := odb.Open(filepath.Join(r.CommonDir, "objects"))
	defer db.Close()
	w := &revWalk{repo: r, rd: odb.NewReader(db), g: r.openCommitGraph(), gen: map[Hash]uint64{}, parents: map[Hash][]Hash{}}
	defer w.g.close()
	return w.count(from, base)
}

const (
	flagFrom = 1 << iota // reachable from from
	flagBase             // reachable from base
)

type revWalk struct {
	repo    *Repo
	rd      *odb.Reader
	g       *commitGraph
	gen     map[Hash]uint64
	parents map[Hash][]Hash
}

// parentsOf returns h's parents, from the commit-graph when it has h.
func (w *revWalk) parentsOf(h Hash) ([]Hash, error) {
	if ps, ok := w.parents[h]; ok {
		return ps, nil
	}
	var ps []Hash
	if pos, ok := w.graphPos(h); ok {
		pp, err := w.g.Parents(nil, pos)
		if err != nil {
			return nil, err
		}
		for _, p := range pp {
			ps = append(ps, Hash(w.g.Hash(p)))
		}
	} else {
		data, err := w.repo.rawCommit(w.rd, h, nil)
		if err != nil {
			return nil, err
		}
		ps = append(ps, parseRawCommit(h, data).parents...)
	}
	w.parents[h] = ps
	return ps, nil
}

func (w *revWalk) graphPos(h Hash) (int, bool) {
	if w.g == nil {
		return 0, false
	}
	return w.g.Lookup((*[20]byte)(&h))
}

// graphGen is the topological level the commit-graph records for pos, 0
// when the file has none (written before git computed them).
func (w *revWalk) graphGen(pos int) uint64 { return uint64(w.g.Generation(pos)) }

// generation returns h's generation number: 1 for a root commit, else one
// more than its parents' highest. Iterative, so a long history cannot
// overflow the stack.
func (w *revWalk) generation(h Hash) (uint64, error) {
	if g, ok := w.gen[h]; ok {
		return g, nil
	}
	stack := []Hash{h}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		if _, ok := w.gen[c]; ok {
			stack = stack[:len(stack)-1]
			continue
		}
		if pos, ok := w.graphPos(c); ok {
			if g := w.graphGen(pos); g > 0 {
				w.gen[c] = g
				stack = stack[:len(stack)-1]
				continue
			}
		}
		ps, err := w.parentsOf(c)
		if err != nil {
			return 0, err
		}
		var max uint64
		pending := false
		for _, p := range ps {
			if g, ok := w.gen[p]; ok {
				max = maxU(max, g)
			} else {
				stack = append(stack, p)
				pending = true
			}
		}
		if !pending {
			w.gen[c] = max + 1
			stack = stack[:len(stack)-1]
		}
	}
	return w.gen[h], nil
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

func (w *revWalk) count(from, base Hash) (int, bool, error) {
	flags := map[Hash]uint8{}
	q := &genQueue{}
	push := func(h Hash, f uint8) error {
		old, seen := flags[h]
		flags[h] = old | f
		if seen {
			return nil // queued already; its flags travel on when it is popped
		}
		g, err := w.generation(h)
		if err != nil {
			return err
		}
		heap.Push(q, genEntry{h, g})
		return nil
	}
	if err := push(from, flagFrom); err != nil {
		return 0, false, err
	}
	if !base.IsZero() {
		if err := push(base, flagBase); err != nil {
			return 0, false, err
		}
	}
	n, interesting := 0, 1 // queued commits reachable from from alone
	for q.Len() > 0 && interesting > 0 {
		e := heap.Pop(q).(genEntry)
		f := flags[e.h]
		if f == flagFrom {
			interesting--
			n++
		}
		ps, err := w.parentsOf(e.h)
		if err != nil {
			return 0, false, err
		}
		for _, p := range ps {
			before, seen := flags[p]
			if err := push(p, f); err != nil {
				return 0, false, err
			}
			after := flags[p]
			switch {
			case !seen && after == flagFrom:
				interesting++
			case seen && before == flagFrom && after != flagFrom:
				interesting--
			}
		}
	}
	return n, flags[base]&flagFrom != 0, nil
}

type genEntry struct {
	h   Hash
	gen uint64
}

// genQueue pops the highest generation first.
type genQueue []genEntry

func (q genQueue) Len() int           { return len(q) }
func (q genQueue) Less(i, j int) bool { return q[i].gen > q[j].gen }
func (q genQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *genQueue) Push(x any)        { *q = append(*q, x.(genEntry)) }
func (q *genQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}
