package lifecycle

import (
	"slices"
	"testing"
	"time"

	"github.com/wf-tool/wf/mdstate"
)

// TestTransitionsCoverDesign: every transition DESIGN.md §6 lists is
// allowed, stopped is final, and every status has a row.
func TestTransitionsCoverDesign(t *testing.T) {
	design := [][2]string{
		{"idle", "running"},
		{"running", "awaiting"}, {"awaiting", "running"},
		{"running", "delegated"}, {"delegated", "running"},
		{"running", "paused"}, {"paused", "running"},
		{"running", "blocked"}, {"blocked", "running"},
		{"running", "completed"}, {"running", "stopped"}, {"running", "error"},
	}
	for _, d := range design {
		if !CanTransition(d[0], d[1]) {
			t.Errorf("%s -> %s is refused", d[0], d[1])
		}
	}
	tr := Transitions()
	for _, s := range Statuses() {
		next, ok := tr[s]
		if !ok {
			t.Errorf("status %s has no row", s)
		}
		for _, n := range next {
			if !slices.Contains(Statuses(), n) || n == s {
				t.Errorf("%s -> %s: not a move to another status", s, n)
			}
		}
	}
	if len(tr["stopped"]) != 0 {
		t.Errorf("stopped is not final: %v", tr["stopped"])
	}
	for _, bad := range [][2]string{{"idle", "completed"}, {"paused", "completed"}, {"awaiting", "completed"}, {"stopped", "running"}} {
		if CanTransition(bad[0], bad[1]) {
			t.Errorf("%s -> %s is allowed", bad[0], bad[1])
		}
	}
}

// TestCellTimeKeepsTheTableShape: new Entered/Completed cells follow the
// times the table already holds.
func TestCellTimeKeepsTheTableShape(t *testing.T) {
	now := mustTime(t, "2026-02-22T09:45:00Z")
	for _, c := range []struct{ table, want string }{
		{"| Planning | COMPLETE | 09:00 | 09:45 |\n", "09:45"},
		{"| Planning | COMPLETE | 2026-02-22 09:00 | -- |\n", "2026-02-22 09:45"},
		{"| Planning | PENDING | -- | -- |\n", "2026-02-22 09:45 +00:00"},
		{"| Planning | COMPLETE | 2026-02-22 09:00 +01:00 | -- |\n", "2026-02-22 09:45 +00:00"},
	} {
		st := parseState("## Phase Status\n| Phase | Status | Entered | Completed |\n|---|---|---|---|\n" + c.table)
		if got := cellTime(st, now); got != c.want {
			t.Errorf("%q: %q, want %q", c.table, got, c.want)
		}
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func parseState(s string) *mdstate.State { return mdstate.ParseState("workflow-state.md", []byte(s)) }
