package history

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestMergeNewestFirstPrefix checks the property wf log, wf show latest
// and wf resume rely on: merging the first n entries of each list gives
// the first n entries of merging them whole, and no entry comes before
// one its own list puts first, whatever the dates (skewed clocks,
// rebases that keep author dates).
func TestMergeNewestFirstPrefix(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for round := range 500 {
		lists := make([][]LogEntry, 1+rng.IntN(3))
		for i := range lists {
			for k := range rng.IntN(8) {
				lists[i] = append(lists[i], LogEntry{CheckpointRef: CheckpointRef{
					ID:   fmt.Sprintf("%d-%d", i, k),
					Time: base.Add(time.Duration(rng.IntN(5)) * time.Hour)}})
			}
		}
		whole := mergeNewestFirst(slices.Clone(lists), 0)
		total := 0
		for _, l := range lists {
			total += len(l)
		}
		if len(whole) != total {
			t.Fatalf("round %d: merged %d entries of %d", round, len(whole), total)
		}
		pos := map[string]int{}
		for k, e := range whole {
			pos[e.ID] = k
		}
		for _, l := range lists {
			for k := 1; k < len(l); k++ {
				if pos[l[k-1].ID] > pos[l[k].ID] {
					t.Fatalf("round %d: %s merged after %s, which its list puts after it", round, l[k-1].ID, l[k].ID)
				}
			}
		}
		for n := 1; n <= total; n++ {
			cut := make([][]LogEntry, len(lists))
			for i, l := range lists {
				cut[i] = l[:min(n, len(l))]
			}
			got := mergeNewestFirst(cut, n)
			if !slices.EqualFunc(got, whole[:n], func(a, b LogEntry) bool { return a.ID == b.ID }) {
				t.Fatalf("round %d, n %d: merging the first %d of each gives %v, the whole merge begins %v", round, n, n, ids(got), ids(whole[:n]))
			}
		}
	}
}

func ids(es []LogEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}
