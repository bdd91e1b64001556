package mdstate

import (
	"os"
	"path/filepath"
	"testing"
)

// TestIsTempName pins the matcher to the names writeTemp really makes,
// so that renaming the temp files cannot leave the watcher matching the
// old names.
func TestIsTempName(t *testing.T) {
	dir := t.TempDir()
	for _, base := range []string{"TODO.md", "workflow-state.md", "x"} {
		name, err := writeTemp(dir, base, []byte("data"), 0o644)
		if err != nil {
			t.Fatal(err)
		}
		if !IsTempName(filepath.Base(name)) {
			t.Errorf("IsTempName(%q) = false for a temp file writeTemp made", filepath.Base(name))
		}
		os.Remove(name)
	}
	for _, name := range []string{"TODO.md", "workflow-state.md", ".TODO.md.swp", "wf-tmp-x", "notes.wf-tmp-1", ".hidden"} {
		if IsTempName(name) {
			t.Errorf("IsTempName(%q) = true, want false", name)
		}
	}
}
