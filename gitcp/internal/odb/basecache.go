package odb

import "github.com/go-git/go-git/v5/plumbing"

// baseCacheLimit is how many bytes of delta bases a Reader keeps (4 MiB).
// git keeps up to core.deltaBaseCacheLimit, 96 MiB by default (git-config(1)),
// for the same purpose; wf reads far fewer objects per command. The
// versions of one state file share their chains, and 4 MiB holds them. In
// the cache that emptied itself when full (before fde292a), wf stats on
// 300 packed checkpoints was as fast with 4 MiB as with 16, and a
// checkpoint that reads the old versions of 100 unrelated files, reusing
// almost nothing, peaked 2 MB higher on terraform with 16. Any base up to
// the whole limit is kept, evicting the least recently used bases until it
// fits, so the versions of a file of 1 to 4 MiB share their chain too.
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
// than the whole limit is not kept. The limit bounds the memory the cache
// holds: baseBytes counts the capacity of each base's buffer, and the
// buffers of evicted bases, kept to hold the next ones, count against a
// quarter of the limit. A buffer is reused only for a base of at least
// half its size, so a small base never pins a large buffer.
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
	for r.baseBytes+len(data) > limit && r.evict(limit) {
	}
	var buf []byte
	for i, f := range r.free {
		if cap(f) >= len(data) && cap(f) <= 2*len(data)+64 {
			buf = f
			r.free[i] = r.free[len(r.free)-1]
			r.free = r.free[:len(r.free)-1]
			r.freeBytes -= cap(f)
			break
		}
	}
	if buf == nil {
		buf = make([]byte, 0, len(data))
	}
	for r.baseBytes+cap(buf) > limit && r.evict(limit) {
	}
	e := &cachedBase{t: t, data: append(buf, data...), use: r.uses()}
	r.bases[k] = e
	r.order = append(r.order, useMark{k, e.use})
	r.baseBytes += cap(e.data)
}

// evict drops the least recently used base, keeping its buffer for the
// next bases while the free buffers stay under a quarter of limit; false
// when the cache is empty.
func (r *Reader) evict(limit int) bool {
	for len(r.order) > 0 {
		m := r.order[0]
		r.order = r.order[1:]
		b, ok := r.bases[m.k]
		if !ok || b.use != m.use {
			continue // a stale mark
		}
		delete(r.bases, m.k)
		r.baseBytes -= cap(b.data)
		if r.freeBytes+cap(b.data) <= limit/4 {
			r.free = append(r.free, b.data[:0])
			r.freeBytes += cap(b.data)
		}
		return true
	}
	return false
}
