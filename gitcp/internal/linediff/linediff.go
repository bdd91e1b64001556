package linediff

import (
	"bytes"
	"hash/maphash"
)

// binaryProbe is how many leading bytes IsBinary looks at, as git's
// FIRST_FEW_BYTES.
const binaryProbe = 8000

// maxEdit is the edit distance above which Count stops searching.
const maxEdit = 40000

// IsBinary reports whether b holds a NUL byte in its first 8000 bytes.
func IsBinary(b []byte) bool {
	return bytes.IndexByte(b[:min(len(b), binaryProbe)], 0) >= 0
}

// Count counts added and deleted lines between a and b (Myers' O(ND)
// edit distance on lines, after trimming the common prefix and suffix).
// A line is its bytes up to and including its newline; a last line
// without a newline differs from the same text with one.
func Count(a, b []byte) (added, deleted int) {
	seed := maphash.MakeSeed()
	fa, fb := hashLines(a, seed), hashLines(b, seed)
	la, lb := fa, fb
	for len(la) > 0 && len(lb) > 0 && la[0] == lb[0] {
		la, lb = la[1:], lb[1:]
	}
	for len(la) > 0 && len(lb) > 0 && la[len(la)-1] == lb[len(lb)-1] {
		la, lb = la[:len(la)-1], lb[:len(lb)-1]
	}
	if len(la) == 0 || len(lb) == 0 {
		return len(lb), len(la)
	}
	ka, kb := discard(fa, fb, la, lb)
	added, deleted = shortestEdit(ka, kb)
	return added + len(lb) - len(kb), deleted + len(la) - len(ka)
}

// xdiff's limits (xdiff/xdiffi.h, xprepare.c): a line with at least
// bogosqrt(lines of its file) matches in the other file, capped at
// maxEqLimit, counts as one with many matches; runs are looked at within
// simscanWindow lines; kpdisRun weighs them.
const (
	maxEqLimit    = 1024
	simscanWindow = 100
	kpdisRun      = 4
)

// bogosqrt is xdiff's xdl_bogosqrt: a power of two near the square root
// of n.
func bogosqrt(n int) int {
	i := 1
	for ; n > 0; n >>= 2 {
		i <<= 1
	}
	return i
}

// discard returns the lines of the differing middles la and lb (of the
// whole files fa and fb) that git's xdiff keeps for its diff
// (xdl_cleanup_records): a line with no match in the other file is a
// change and is left out, and so is a line with many matches (a lone
// "}" or blank line) sitting in a run of lines that have none
// (xdl_clean_mmatch). Both are counted as changed, as git counts them, so
// the counts equal git diff --numstat's even where that is not a minimal
// diff.
func discard(fa, fb, la, lb []uint64) (ka, kb []uint64) {
	countA := make(map[uint64]int, len(fa))
	for _, h := range fa {
		countA[h]++
	}
	countB := make(map[uint64]int, len(fb))
	for _, h := range fb {
		countB[h]++
	}
	classify := func(lines []uint64, other map[uint64]int, total int) []byte {
		limit := min(bogosqrt(total), maxEqLimit)
		dis := make([]byte, len(lines))
		for i, h := range lines {
			switch nm := other[h]; {
			case nm == 0:
				dis[i] = 0
			case nm >= limit:
				dis[i] = 2
			default:
				dis[i] = 1
			}
		}
		return dis
	}
	keep := func(lines []uint64, dis []byte) []uint64 {
		var out []uint64
		for i, h := range lines {
			if dis[i] == 1 || dis[i] == 2 && !cleanMmatch(dis, i, 0, len(lines)-1) {
				out = append(out, h)
			}
		}
		return out
	}
	return keep(la, classify(la, countB, len(fa))), keep(lb, classify(lb, countA, len(fb)))
}

// cleanMmatch is xdiff's xdl_clean_mmatch: whether the many-matches line
// i (dis[i] == 2) sits between runs, within simscanWindow lines of s..e,
// made mostly of lines without a match, and is then discarded.
func cleanMmatch(dis []byte, i, s, e int) bool {
	if i-s > simscanWindow {
		s = i - simscanWindow
	}
	if e-i > simscanWindow {
		e = i + simscanWindow
	}
	rdis0, rpdis0 := 0, 1
	for r := 1; i-r >= s; r++ {
		if dis[i-r] == 0 {
			rdis0++
		} else if dis[i-r] == 2 {
			rpdis0++
		} else {
			break
		}
	}
	if rdis0 == 0 {
		return false
	}
	rdis1, rpdis1 := 0, 1
	for r := 1; i+r <= e; r++ {
		if dis[i+r] == 0 {
			rdis1++
		} else if dis[i+r] == 2 {
			rpdis1++
		} else {
			break
		}
	}
	if rdis1 == 0 {
		return false
	}
	rdis1 += rdis0
	rpdis1 += rpdis0
	return rpdis1*kpdisRun < rpdis1+rdis1
}

// shortestEdit counts the lines of lb outside and of la outside a longest
// common subsequence (Myers' O(ND) edit distance); past maxEdit it
// counts everything as rewritten.
func shortestEdit(la, lb []uint64) (added, deleted int) {
	n, m := len(la), len(lb)
	if n == 0 || m == 0 {
		return m, n
	}
	max := n + m
	if max > maxEdit { // too costly: count everything as rewritten
		return m, n
	}
	v := make([]int, 2*max+2)
	for d := 0; d <= max; d++ {
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[max+k-1] < v[max+k+1]) {
				x = v[max+k+1]
			} else {
				x = v[max+k-1] + 1
			}
			y := x - k
			for x < n && y < m && la[x] == lb[y] {
				x++
				y++
			}
			v[max+k] = x
			if x >= n && y >= m {
				common := (n + m - d) / 2
				return m - common, n - common
			}
		}
	}
	return m, n
}

// hashLines hashes each line of b, newline included.
func hashLines(b []byte, seed maphash.Seed) []uint64 {
	var out []uint64
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		var line []byte
		if i < 0 {
			line, b = b, nil
		} else {
			line, b = b[:i+1], b[i+1:]
		}
		out = append(out, maphash.Bytes(seed, line))
	}
	return out
}
