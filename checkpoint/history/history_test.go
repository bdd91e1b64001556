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

// TestNewerByID: wf's ids give the order checkpoints were made in, even
// against their dates (a clock set back between two of them); dates only
// decide when an id is not wf's.
func TestNewerByID(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 11, 30, h, m, 0, 0, time.UTC) }
	z := LogEntry{CheckpointRef: CheckpointRef{ID: "20261130-130000-bbbb-z", Time: at(13, 0)}}
	b := LogEntry{CheckpointRef: CheckpointRef{ID: "20261130-130001-aaaa-b", Time: at(12, 30)}}
	if !newer(&b, &z) || newer(&z, &b) {
		t.Errorf("b (id one second after z, dated half an hour before) is not newer than z")
	}
	hand := LogEntry{CheckpointRef: CheckpointRef{ID: "by hand", Time: at(12, 45)}}
	if !newer(&z, &hand) || newer(&hand, &z) {
		t.Errorf("with an id that is not wf's, the later date is not the newer")
	}
}
