package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// TestEditorRace: an "editor" saves TODO.md by write-and-rename (as vim
// does) every 2 ms, each save adding a line, while `wf todo add` runs in a
// loop (repo-states/23: 8 of 1,600 saves were lost when a save landed
// between wf's check and its rename). No save may be lost. wf's own adds
// are counted too: the editor's read-modify-write can overwrite one, a
// race of the editor's that wf cannot see. WF_EDITOR_SAVES sets the
// number of saves (the long mode: 2000).
func TestEditorRace(t *testing.T) {
	if testing.Short() {
		t.Skip("runs wf as a subprocess")
	}
	saves := 300
	if n, err := strconv.Atoi(os.Getenv("WF_EDITOR_SAVES")); err == nil && n > 0 {
		saves = n
	}
	c := newCrashEnv(t)
	dir := filepath.Join(t.TempDir(), "r")
	os.MkdirAll(dir, 0o755)
	c.run(dir, "git", "init", "-q", "-b", "main")
	c.run(dir, c.wf, "init", "--phases", "A")
	c.run(dir, c.wf, "todo", "add", "seed")
	todo := filepath.Join(dir, "TODO.md")
	var done atomic.Bool
	editorErr := make(chan error, 1)
	go func() {
		defer done.Store(true)
		for i := 0; i < saves; i++ {
			d, err := os.ReadFile(todo)
			if err != nil {
				editorErr <- err
				return
			}
			d = append(d, fmt.Sprintf("- [ ] HAND %d\n", i)...)
			tmp := todo + ".edtmp"
			if err := os.WriteFile(tmp, d, 0o644); err != nil {
				editorErr <- err
				return
			}
			if err := os.Rename(tmp, todo); err != nil {
				editorErr <- err
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
		editorErr <- nil
	}()
	adds, failed := 0, 0
	for !done.Load() {
		cmd := c.cmd(dir, c.wf, "todo", "add", fmt.Sprintf("WF %d", adds))
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Run(); err != nil {
			failed++
			t.Logf("wf todo add WF %d: %v: %s", adds, err, errb.String())
		}
		adds++
	}
	if err := <-editorErr; err != nil {
		t.Fatal(err)
	}
	final, _ := os.ReadFile(todo)
	lostSaves, lostAdds := 0, 0
	for i := 0; i < saves; i++ {
		if !bytes.Contains(final, []byte(fmt.Sprintf("- [ ] HAND %d\n", i))) {
			lostSaves++
		}
	}
	for i := 0; i < adds; i++ {
		if !bytes.Contains(final, []byte(fmt.Sprintf("- [ ] WF %d\n", i))) {
			lostAdds++
		}
	}
	t.Logf("editor race: %d saves, %d lost; %d wf todo add, %d failed, %d lost (overwritten by the editor's own read-modify-write)", saves, lostSaves, adds, failed, lostAdds-failed)
	if lostSaves > 0 {
		t.Fatalf("%d of %d hand saves lost", lostSaves, saves)
	}
}
