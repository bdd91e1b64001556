package odb

import "github.com/go-git/go-git/v5/plumbing"

// baseCacheLimit is how many bytes of delta bases a Reader keeps (4 MiB).
// git keeps up to core.deltaBaseCacheLimit, 96 MiB by default (git-config(1)),
// for the same purpose; wf reads far fewer objects per command. The
// versions of one state file share their chains, and 4 MiB holds them
// (wf stats on 300 packed checkpoints is as fast as with 16 MiB); a
// checkpoint that reads the old versions of 100 unrelated files reuses
// almost nothing and, with 16 MiB, peaked 2 MB higher on terraform. Any
// base up to the whole limit is kept, evicting the least recently used
// bases until it fits, so the versions of a file of 1 to 4 MiB share their
// chain too.
const baseCacheLimit = 4 << 20

// baseKey names a delta base by where it is: a pack and an offset in it.
// A pack's bytes never change while it is mapped (git writes a new pack
// and removes the old one), so an entry never goes stale; git's delta base
// cache is keyed the same way (packfile, offset).
type baseKey struct {
	p   *packFile
	off int64
}

// cachedBase is a delta base's type and content, resolved, with the
// number of its last use (see useMark).
type cachedBase struct {
	t    plumbing.ObjectType
	data []byte
	use  uint64
}

// useMark records that a base was used as the use-th use of the cache.
// Reader.order holds the marks oldest first; a mark whose use is not the
// base's last is stale and skipped, so that a hit costs an append instead
// of a search (git's delta base cache keeps an LRU list for the same
// eviction order).
type useMark struct {
	k   baseKey
	use uint64
}

// readBase returns the object at off in p, read as the base of a delta at
// depth: from the Reader's delta-base cache, or read and then kept there
// (a copy). cached reports a cache hit: data is then the cache's and must
// be neither changed nor reused as a buffer; it stays valid until the next
// base is kept. Reading the versions of a file along its history resolves
// the same chain again for every version; with the cache, each object of
// the chain is inflated once while it is in use.
func (r *Reader) readBase(p *packFile, off int64, depth int) (t plumbing.ObjectType, data []byte, cached bool, err error) {
	k := baseKey{p, off}
	if e, ok := r.bases[k]; ok {
		r.touch(k, e)
		return e.t, e.data, true, nil
	}
	t, data, err = r.readPacked(p, off, depth)
	if err != nil {
		return t, data, false, err
	}
	r.keep(k, t, data)
	return t, data, false, nil
}

// uses counts the cache's uses: the mark of the latest one.
func (r *Reader) uses() uint64 {
	if len(r.order) == 0 {
		return 1
	}
	return r.order[len(r.order)-1].use + 1
}

// touch marks e, the base at k, as the most recently used.
func (r *Reader) touch(k baseKey, e *cachedBase) {
	e.use = r.uses()
	r.order = append(r.order, useMark{k, e.use})
	if len(r.order) > 2*len(r.bases)+64 {
		// Drop the stale marks, keeping the order of the others.
		live := r.order[:0]
		for _, m := range r.order {
			if b, ok := r.bases[m.k]; ok && b.use == m.use {
				live = append(live, m)
			}
		}
		r.order = live
	}
}

// keep copies data, the base at k, into the cache, first evicting the
// least recently used bases until it fits under the limit; a base larger
// than the whole limit is not kept. The evicted bases' buffers hold the
// copies of the next ones.
func (r *Reader) keep(k baseKey, t plumbing.ObjectType, data []byte) {
	limit := baseCacheLimit
	if r.baseLimit > 0 {
		limit = r.baseLimit
	}
	if len(data) > limit {
		return
	}
	if r.bases == nil {
		r.bases = map[baseKey]*cachedBase{}
	}
	for r.baseBytes+len(data) > limit && len(r.order) > 0 {
		m := r.order[0]
		r.order = r.order[1:]
		if b, ok := r.bases[m.k]; ok && b.use == m.use {
			delete(r.bases, m.k)
			r.baseBytes -= len(b.data)
			if len(r.free) < 16 {
				r.free = append(r.free, b.data[:0])
			}
		}
	}
	var buf []byte
	for i, f := range r.free {
		if cap(f) >= len(data) {
			buf = f
			r.free[i] = r.free[len(r.free)-1]
			r.free = r.free[:len(r.free)-1]
			break
		}
	}
	e := &cachedBase{t: t, data: append(buf, data...), use: r.uses()}
	r.bases[k] = e
	r.order = append(r.order, useMark{k, e.use})
	r.baseBytes += len(data)
}
