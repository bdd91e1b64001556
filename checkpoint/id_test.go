package checkpoint

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
		if got, err := matchID(ids, ref); err != nil || got != want {
			t.Errorf("matchID(%q) = %d, %v; want %d", ref, got, err, want)
		}
	}
	_, err := matchID(ids, "20260222")
	if e, ok := err.(*IDRefError); !ok || len(e.Candidates) != 2 {
		t.Fatalf("ambiguous: %v", err)
	}
	if _, err := matchID(ids, "nope"); err == nil {
		t.Fatal("no match accepted")
	}
}

func TestParseBody(t *testing.T) {
	b := ParseBody([]byte("# Checkpoint: Title here\r\n**Date**: x\r\n\r\nIntro.\r\n\r\n## Next Actions\r\n1. a\r\n2. b\r\n```\r\n## not a heading\r\n```\r\n## Key Decisions\r\n- d1\r\n  continued\r\n## Risks\r\n- r\r\n"))
	if b.Title != "Title here" || b.Preamble != "Intro." {
		t.Fatalf("title %q preamble %q", b.Title, b.Preamble)
	}
	if !strings.Contains(b.Sections[SecNext], "## not a heading") {
		t.Fatalf("fenced heading split the section: %q", b.Sections[SecNext])
	}
	if got := listItems(b.Sections[SecDecisions]); len(got) != 1 || got[0] != "d1 continued" {
		t.Fatalf("decisions %q", got)
	}
	if len(b.Extra) != 1 || b.Extra[0].Title != "Risks" {
		t.Fatalf("extra %+v", b.Extra)
	}
}

func TestRenderHasEverySection(t *testing.T) {
	d := &Doc{ID: "20260222-113005-a3f9-x", Title: "X", Date: time.Unix(0, 0).UTC(), Sections: map[string]string{SecNext: "1. go\n"}}
	out := string(d.Render())
	for _, s := range sectionTitles {
		if !strings.Contains(out, "\n## "+s.title+"\n") {
			t.Errorf("no section %q in\n%s", s.title, out)
		}
	}
	if !strings.HasPrefix(out, "# Checkpoint: X\n**Date**: 1970-01-01 00:00 +00:00\n") {
		t.Fatalf("head:\n%s", out)
	}
}
