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
	la, lb := hashLines(a, seed), hashLines(b, seed)
	for len(la) > 0 && len(lb) > 0 && la[0] == lb[0] {
		la, lb = la[1:], lb[1:]
	}
	for len(la) > 0 && len(lb) > 0 && la[len(la)-1] == lb[len(lb)-1] {
		la, lb = la[:len(la)-1], lb[:len(lb)-1]
	}
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
