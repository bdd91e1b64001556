package gitcp

import (
	"fmt"
	"maps"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wf-tool/wf/gitcp/gittest"
	"github.com/wf-tool/wf/gitcp/internal/index"
)

// TestEntrySpansMatchPrefixSearch compares entrySpans with the span each
// folder's definition gives (the first and last entry whose name starts
// with the folder and "/"), on random sorted paths over an alphabet that
// sorts both sides of "/" ("-" and "." before it, "0" after), with
// repeated names as conflict stages have.
func TestEntrySpansMatchPrefixSearch(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	parts := []string{"a", "a-b", "a.b", "a0", "b"}
	for round := 0; round < 500; round++ {
		n := rng.Intn(30)
		names := make([]string, n)
		for i := range names {
			segs := make([]string, 1+rng.Intn(4))
			for k := range segs {
				segs[k] = parts[rng.Intn(len(parts))]
			}
			names[i] = strings.Join(segs, "/")
		}
		sort.Strings(names)
		es := make([]index.Entry, n)
		want := map[string]entrySpan{"": {0, n}}
		for i, name := range names {
			es[i].Name = name
			for d := dirOf(name); d != ""; d = dirOf(d) {
				sp, ok := want[d]
				if !ok {
					sp.lo = i
				}
				sp.hi = i + 1
				want[d] = sp
			}
		}
		for d, sp := range want {
			for i := sp.lo; i < sp.hi; i++ {
				if d != "" && !strings.HasPrefix(names[i], d+"/") {
					t.Fatalf("test bug: %q is not under %q", names[i], d)
				}
			}
		}
		got := entrySpans(es, map[string]entrySpan{"": {0, n}})
		if !maps.Equal(got, want) {
			t.Fatalf("paths %q:\n got %v\nwant %v", names, got, want)
		}
	}
}

// TestSearchFromMatchesSortSearch compares searchFrom with sort.Search on
// random sorted entry lists (with repeated names, as conflict stages
// have), for every start position that precedes the answer.
func TestSearchFromMatchesSortSearch(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for round := 0; round < 300; round++ {
		n := rng.Intn(40)
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("d/%c%c", 'a'+rng.Intn(6), 'a'+rng.Intn(6))
		}
		sort.Strings(names)
		es := make([]index.Entry, n)
		for i, nm := range names {
			es[i].Name = nm
		}
		for q := 0; q < 20; q++ {
			name := fmt.Sprintf("d/%c%c", 'a'+rng.Intn(7), 'a'+rng.Intn(7))
			lo := rng.Intn(n + 1)
			hi := lo + rng.Intn(n-lo+1)
			want := lo + sort.Search(hi-lo, func(k int) bool { return es[lo+k].Name >= name })
			for from := lo; from <= want; from++ {
				if got := searchFrom(es, from, hi, []byte(name)); got != want {
					t.Fatalf("%v [%d,%d) from %d, %q: %d, want %d", names, lo, hi, from, name, got, want)
				}
			}
		}
	}
}

// TestDirCacheRecordedInNameOrder checks that a checkpoint records
// listings in name order, also a cached listing an older wf recorded in
// getdents64's order, and that the walk gives the same result either way.
func TestDirCacheRecordedInNameOrder(t *testing.T) {
	if !dirCacheSupported {
		t.Skip("the folder cache is used on Linux only")
	}
	dir := gittest.NewRepo(t)
	for i := 0; i < pathOpenMin+2; i++ {
		gittest.Write(t, dir, fmt.Sprintf("many/f%02d.txt", i), "x\n")
	}
	gittest.Write(t, dir, "top.txt", "t\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "base")
	if err := os.MkdirAll(filepath.Join(dir, ".git", "wf"), 0o755); err != nil {
		t.Fatal(err)
	}
	time.Sleep(dirRacyMargin + 100*time.Millisecond)
	gittest.Write(t, dir, "top.txt", "t2\n")
	commit(t, dir, CommitOptions{})
	r := discover(t, dir)
	c := r.readDirCache()
	if c["many"] == nil {
		t.Fatal("many not recorded")
	}
	if !slices.IsSortedFunc(c["many"].ents, compareDirEntries) {
		t.Fatalf("recorded out of name order: %v", c["many"].ents)
	}
	slices.Reverse(c["many"].ents) // as an older wf may have left it
	if err := r.writeDirCache(c); err != nil {
		t.Fatal(err)
	}
	gittest.Write(t, dir, "many/f03.txt", "edited\n")
	stats, err := discover(t, dir).DiffStat(gitHead(t, dir), Hash{})
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 1 || stats[0].Path != "many/f03.txt" {
		t.Errorf("with a listing out of order: %+v", stats)
	}
	gittest.Write(t, dir, "top.txt", "t3\n")
	commit(t, dir, CommitOptions{})
	if c := discover(t, dir).readDirCache(); c["many"] == nil || !slices.IsSortedFunc(c["many"].ents, compareDirEntries) {
		t.Errorf("the listing out of order was recorded again as it was")
	}
}

func gitHead(t *testing.T, dir string) Hash {
	return NewHash(strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD")))
}
