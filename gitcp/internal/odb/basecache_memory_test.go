package odb

import (
	"bytes"
	"testing"
)

// TestBaseCacheMemoryBounded checks that the memory the delta-base cache
// holds (the capacity of its bases' buffers and of its free list), not
// only the length of the bases, stays within its limit and the quarter of
// it the free buffers may take. A cache that reused an evicted base's
// buffer for any later base that fit in it let a small base pin a buffer
// of nearly the whole limit while counting as a few bytes (found in
// review: 40,192 bytes held at a limit of 1,000).
func TestBaseCacheMemoryBounded(t *testing.T) {
	const limit = 1000
	r := &Reader{baseLimit: limit}
	key := func(off int64) baseKey { return baseKey{off: off} }
	held := func() int {
		n := 0
		for _, e := range r.bases {
			n += cap(e.data)
		}
		for _, f := range r.free {
			n += cap(f)
		}
		return n
	}
	var small []int64 // the small bases kept so far, used again each round
	for round := range 50 {
		// A large base fills what the small ones leave free: a fresh
		// buffer (no free one is that large).
		r.keep(key(int64(1<<20+round)), 3, bytes.Repeat([]byte{'b'}, limit-r.baseBytes))
		// The small bases are used again (a commit's trees, read for
		// every commit), so the large one is now the least recently used.
		for _, off := range small {
			if e, ok := r.bases[key(off)]; ok {
				r.touch(key(off), e)
			}
		}
		// A new small base evicts the large one and takes its buffer.
		off := int64(round + 1)
		r.keep(key(off), 3, bytes.Repeat([]byte{'s'}, 10))
		small = append(small, off)
	}
	if r.baseBytes > limit {
		t.Fatalf("baseBytes %d over the limit %d", r.baseBytes, limit)
	}
	if h := held(); h > limit+limit/4 {
		t.Fatalf("the cache counts %d bytes in %d bases but holds %d bytes of buffers (limit %d)", r.baseBytes, len(r.bases), h, limit)
	}
}
