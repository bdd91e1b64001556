package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRenderDefault(t *testing.T) {
	d := Data{Name: "Search API", Phases: []string{"Planning", "Testing"}, FirstPhase: "Planning", Now: "2026-02-22 09:00 +00:00"}
	b, err := Render("workflow-state.md", "", d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# Workflow State: Search API\n", "| Planning | PENDING | -- | -- |\n| Testing | PENDING", "**Current phase**: Planning\n"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("missing %q in\n%s", want, b)
		}
	}
	b, err = Render("TODO.md", "", d)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), "# TODO\n\n## Planning\n\n## Testing\n"; got != want {
		t.Errorf("TODO.md = %q, want %q", got, want)
	}
}

func TestRenderOverride(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, OverrideDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "TODO.md"), []byte("# Tasks for {{.Name}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := Render("TODO.md", root, Data{Name: "x"})
	if err != nil || string(b) != "# Tasks for x\n" {
		t.Fatalf("override: %q, %v", b, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "TODO.md"), []byte("{{.Nope}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Render("TODO.md", root, Data{}); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "TODO.md")) {
		t.Fatalf("bad override should name the file, got %v", err)
	}
}
