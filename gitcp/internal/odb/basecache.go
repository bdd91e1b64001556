package odb

import "github.com/go-git/go-git/v5/plumbing"

// baseCacheLimit is how many bytes of delta bases a Reader keeps (4 MiB).
// git keeps up to core.deltaBaseCacheLimit, 96 MiB by default (git-config(1)),
// for the same purpose; wf reads far fewer objects per command. The
// versions of one state file share their chains, and 4 MiB holds them
// (wf stats on 300 packed checkpoints is as fast as with 16 MiB); a
// checkpoint that reads the old versions of 100 unrelated files reuses
// almost nothing and, with 16 MiB, peaked 2 MB higher on terraform. Any
// base up to the whole limit is kept (a base that does not fit empties
// the cache first), so the versions of a file of 1 to 4 MiB share their
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

// cachedBase is a delta base's type and content, resolved.
type cachedBase struct {
	t    plumbing.ObjectType
	data []byte
}

// readBase returns the object at off in p, read as the base of a delta at
// depth: from the Reader's delta-base cache, or read and then kept there
// (a copy). cached reports a cache hit: data is then the cache's and must
// be neither changed nor reused as a buffer. Reading the versions of a
// file along its history resolves the same chain again for every
// version; with the cache, each object of the chain is inflated once.
func (r *Reader) readBase(p *packFile, off int64, depth int) (t plumbing.ObjectType, data []byte, cached bool, err error) {
	k := baseKey{p, off}
	if e, ok := r.bases[k]; ok {
		return e.t, e.data, true, nil
	}
	t, data, err = r.readPacked(p, off, depth)
	if err != nil {
		return t, data, false, err
	}
	limit := baseCacheLimit
	if r.baseLimit > 0 {
		limit = r.baseLimit
	}
	if len(data) <= limit {
		if r.bases == nil || r.baseBytes+len(data) > limit {
			r.bases, r.baseBytes = map[baseKey]cachedBase{}, 0
		}
		r.bases[k] = cachedBase{t, append([]byte(nil), data...)}
		r.baseBytes += len(data)
	}
	return t, data, false, nil
}
