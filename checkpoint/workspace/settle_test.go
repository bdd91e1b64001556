package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// appendLine is a change that appends a line to workflow-state.md, as a
// command's edit does, built on the bytes it is given.
func appendLine(called *int) Change {
	return func(sn *Snapshot) ([]byte, []byte, error) {
		*called++
		return append(append([]byte{}, sn.StateBytes()...), "- decided\n"...), nil, nil
	}
}

// TestUpdateWaitsOutAnEmptyMoment: an editor saving workflow-state.md in
// place empties it and then writes it; an Update that reads the empty
// moment must wait for the content instead of building its edit on
// nothing (which replaced the whole file in the soak, docs/soak.md).
func TestUpdateWaitsOutAnEmptyMoment(t *testing.T) {
	dir := newWorkflow(t)
	ws, err := Find(Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, StateFile)
	saved := "# Workflow State: x\n**Status**: idle\n<!-- hand -->\n"
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		time.Sleep(20 * time.Millisecond)
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err == nil {
			f.WriteString(saved)
			f.Close()
		}
	}()
	called := 0
	if _, err := ws.Update(appendLine(&called)); err != nil {
		t.Fatal(err)
	}
	<-done
	got, _ := os.ReadFile(path)
	if string(got) != saved+"- decided\n" {
		t.Errorf("workflow-state.md after the update:\n%s\nwant the hand save and the edit", got)
	}
}

// TestUpdateRefusesAnEmptyStateFile: a workflow-state.md that stays
// empty is refused, unchanged, with the error that says why and how to
// restore it; the change is never run on it.
func TestUpdateRefusesAnEmptyStateFile(t *testing.T) {
	dir := newWorkflow(t)
	ws, err := Find(Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, StateFile)
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	called := 0
	_, err = ws.Update(appendLine(&called))
	var ee *EmptyStateError
	if !errors.As(err, &ee) || !strings.Contains(ee.Hint(), "git checkout -- ") {
		t.Fatalf("Update on an empty state file: %v, want an *EmptyStateError", err)
	}
	if called != 0 {
		t.Errorf("the change ran %d times on an empty state file", called)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != 0 {
		t.Errorf("the empty file was written: %v %v", fi, err)
	}
}
