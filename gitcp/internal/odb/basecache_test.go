package odb

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestDeltaChainsMatchGit makes a history of 120 versions of a file, packs it with deep delta chains (git repack -f --depth=250
// --window=250), and reads every object of it with one Reader, newest first and
// then oldest first (so chains are resolved through the delta-base cache
// in both directions, with hits at every depth), comparing type and
// content with git cat-file. A Reader with a tiny cache limit reads them
// all again the same.
func TestDeltaChainsMatchGit(t *testing.T) {
	dir := gittest.NewRepo(t)
	// Each version changes one more line: a version's best delta base is
	// the version before it, which makes long chains.
	lines := make([]string, 150)
	for i := range lines {
		lines[i] = fmt.Sprintf("- line %d of the timeline, as first written", i)
	}
	for i := range 120 {
		lines[(i*37)%len(lines)] = fmt.Sprintf("- line %d, changed in version %d", (i*37)%len(lines), i)
		gittest.Write(t, dir, "workflow-state.md", "# State\n\n## Timeline\n"+strings.Join(lines, "\n")+"\n")
		gittest.Git(t, dir, "add", "-A")
		gittest.Git(t, dir, "commit", "-q", "-m", fmt.Sprint("v", i))
	}
	gittest.Git(t, dir, "repack", "-q", "-a", "-d", "-f", "--depth=250", "--window=250")
	idxs, err := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
	if err != nil || len(idxs) != 1 {
		t.Fatalf("pack indexes %v (%v), want one", idxs, err)
	}
	chain := 0
	for _, line := range strings.Split(gittest.Git(t, dir, "verify-pack", "-v", idxs[0]), "\n") {
		if f := strings.Fields(line); len(f) == 7 && len(f[0]) == 40 {
			var n int
			fmt.Sscan(f[5], &n)
			chain = max(chain, n)
		}
	}
	t.Logf("longest delta chain: %d", chain)
	if chain < 10 {
		t.Fatalf("longest delta chain %d, want a deep one", chain)
	}
	ids := strings.Fields(gittest.Git(t, dir, "rev-list", "--objects", "--no-object-names", "--all"))
	want := map[string][]byte{}
	for _, id := range ids {
		out, err := exec.Command("git", "-C", dir, "cat-file", "-p", id).Output()
		if err != nil {
			t.Fatal(err)
		}
		typ := gittest.Git(t, dir, "cat-file", "-t", id)
		if typ == "tree" { // -p pretty-prints trees: compare the raw object
			out, _ = exec.Command("git", "-C", dir, "cat-file", "tree", id).Output()
		}
		want[id] = append([]byte(typ+"\x00"), out...)
	}
	db := Open(filepath.Join(dir, ".git", "objects"))
	defer db.Close()
	check := func(r *Reader, order []string) {
		t.Helper()
		for _, id := range order {
			var h [20]byte
			hex.Decode(h[:], []byte(id))
			typ, data, err := r.Read(h)
			if err != nil {
				t.Fatalf("Read(%s): %v", id, err)
			}
			if got := append([]byte(typ.String()+"\x00"), data...); !bytes.Equal(got, want[id]) {
				t.Fatalf("Read(%s) = %.80q, git cat-file: %.80q", id, got, want[id])
			}
		}
	}
	reversed := make([]string, len(ids))
	for i, id := range ids {
		reversed[len(ids)-1-i] = id
	}
	r := NewReader(db)
	check(r, ids)
	check(r, reversed)
	check(r, ids)
	if len(r.bases) == 0 {
		t.Fatal("no delta base was cached")
	}
	small := NewReader(db)
	small.baseLimit = 4096 // the cache is emptied again and again
	check(small, reversed)
	check(small, ids)
}

// TestBaseCacheEvictsLeastRecentlyUsed checks the cache's eviction order:
// a base used since it was kept outlives one kept after it but not used,
// as in git's delta base cache; a base larger than the limit is not kept;
// and the cache never holds more bytes than its limit.
func TestBaseCacheEvictsLeastRecentlyUsed(t *testing.T) {
	r := &Reader{baseLimit: 300}
	key := func(off int64) baseKey { return baseKey{off: off} }
	base := func(off int64) []byte { return bytes.Repeat([]byte{byte(off)}, 100) }
	get := func(off int64) bool {
		t.Helper()
		e, ok := r.bases[key(off)]
		if ok {
			if !bytes.Equal(e.data, base(off)) {
				t.Fatalf("base %d holds %q", off, e.data[:4])
			}
			r.touch(key(off), e)
		}
		return ok
	}
	for off := int64(1); off <= 3; off++ {
		r.keep(key(off), 3, base(off))
	}
	if !get(1) { // 1 is now the most recently used; 2 the least
		t.Fatal("base 1 was not kept")
	}
	r.keep(key(4), 3, base(4))
	if get(2) || !get(1) || !get(3) || !get(4) {
		t.Fatalf("after keeping a fourth base: %v, want 2 evicted and 1, 3, 4 kept", r.bases)
	}
	r.keep(key(5), 3, make([]byte, 301))
	if _, ok := r.bases[key(5)]; ok {
		t.Fatal("a base larger than the limit was kept")
	}
	// Many uses and keeps: the marks stay bounded and the size under the
	// limit, and every base read back holds its own bytes.
	for i := int64(0); i < 5000; i++ {
		off := 10 + i%7
		if !get(off) {
			r.keep(key(off), 3, base(off))
		}
		if r.baseBytes > 300 || len(r.order) > 2*len(r.bases)+65 {
			t.Fatalf("step %d: %d bytes, %d marks for %d bases", i, r.baseBytes, len(r.order), len(r.bases))
		}
	}
}
