package history

import (
	"strings"
	"testing"
	"time"
)

func TestNewIDSortsAndSlugs(t *testing.T) {
	t1 := time.Date(2026, 2, 22, 11, 30, 5, 0, time.FixedZone("x", 5*3600))
	id := NewID(t1, "API routes: 60% complete!")
	if !strings.HasPrefix(id, "20260222-063005-") || !strings.HasSuffix(id, "-api-routes-60-complete") || !ValidID(id) {
		t.Fatalf("id %q", id)
	}
	later := NewID(t1.Add(time.Second), "a")
	if !(id < later) {
		t.Fatalf("%q does not sort before %q", id, later)
	}
	if ShortID(id) != id[:20] {
		t.Fatalf("short %q", ShortID(id))
	}
	if s := Slug(strings.Repeat("word ", 20)); len(s) > 40 || strings.HasSuffix(s, "-") {
		t.Fatalf("slug %q", s)
	}
	if s := Slug("Ünïcode — only"); s != "n-code-only" {
		t.Fatalf("slug %q", s)
	}
}

func TestMatchID(t *testing.T) {
	ids := []string{"20260222-113005-a3f9-routes", "20260222-101500-0b1c-schema", "20260221-090000-77aa-plan"}
	for ref, want := range map[string]int{"latest": 0, "20260222-1015": 1, "plan": 2, "a3f9": 0, "checkpoints/20260221-090000-77aa-plan.md": 2} {
		if got, err := MatchID(ids, ref); err != nil || got != want {
			t.Errorf("MatchID(%q) = %d, %v; want %d", ref, got, err, want)
		}
	}
	_, err := MatchID(ids, "20260222")
	if e, ok := err.(*IDRefError); !ok || len(e.Candidates) != 2 {
		t.Fatalf("ambiguous: %v", err)
	}
	if _, err := MatchID(ids, "nope"); err == nil {
		t.Fatal("no match accepted")
	}
}
