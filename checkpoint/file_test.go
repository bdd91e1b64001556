package checkpoint

import (
	"strings"
	"testing"
	"time"
)

func TestParseBody(t *testing.T) {
	b := ParseBody([]byte("# Checkpoint: Title here\r\n**Date**: x\r\n\r\nIntro.\r\n\r\n## Next Actions\r\n1. a\r\n2. b\r\n```\r\n## not a heading\r\n```\r\n## Key Decisions\r\n- d1\r\n  continued\r\n## Risks\r\n- r\r\n"))
	if b.Title != "Title here" || b.Preamble != "Intro." {
		t.Fatalf("title %q preamble %q", b.Title, b.Preamble)
	}
	if !strings.Contains(b.Sections[SecNext], "## not a heading") {
		t.Fatalf("fenced heading split the section: %q", b.Sections[SecNext])
	}
	if got := ListItems(b.Sections[SecDecisions]); len(got) != 1 || got[0] != "d1 continued" {
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
