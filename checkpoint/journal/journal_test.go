package journal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp/gittest"
)

// setup makes a repository with one commit and a workflow, and returns it
// opened with the commit's id.
func setup(t *testing.T) (*workspace.Workspace, string) {
	t.Helper()
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, workspace.StateFile, "# Workflow State: x\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "base")
	ws, err := workspace.Find(workspace.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return ws, gittest.Git(t, dir, "rev-parse", "HEAD")
}

func TestRecoverWithoutRecord(t *testing.T) {
	ws, _ := setup(t)
	out, err := Recover(ws)
	if err != nil || out.Kind != None || out.Note() != "" {
		t.Fatalf("Recover = %+v, %v; want None", out, err)
	}
}

// The ref still holds its old value: the checkpoint never happened. Files
// that hold exactly what it wrote are put back (or removed, if it created
// them); a file edited since is left alone and named.
func TestRecoverRollsBack(t *testing.T) {
	ws, head := setup(t)
	state := ws.Path(workspace.StateFile)
	cp := ws.Path("checkpoints/x.md")
	todo := ws.Path(workspace.TodoFile)
	old, _ := os.ReadFile(state)
	newState := []byte("# Workflow State: x\n**Last checkpoint**: x\n")
	gittest.Write(t, ws.Root, workspace.StateFile, string(newState))
	gittest.Write(t, ws.Root, "checkpoints/x.md", "# Checkpoint: x\n")
	gittest.Write(t, ws.Root, workspace.TodoFile, "- [ ] edited by hand since\n")
	in := &Intent{Version: 1, ID: "20261130-000000-abcd-x", Started: time.Now(), Mode: "branch", Ref: "refs/heads/main", Old: head,
		Files: []File{
			{Path: cp, NewSum: Sum([]byte("# Checkpoint: x\n"))},
			{Path: todo, Existed: true, Old: []byte("- [ ] a\n"), NewSum: Sum([]byte("- [x] a\n"))},
			{Path: state, Existed: true, Old: old, NewSum: Sum(newState)},
		}}
	if err := Write(ws, in); err != nil {
		t.Fatal(err)
	}
	out, err := Recover(ws)
	if err != nil || out.Kind != RolledBack {
		t.Fatalf("Recover = %+v, %v; want RolledBack", out, err)
	}
	if b, _ := os.ReadFile(state); string(b) != string(old) {
		t.Errorf("state file not restored: %q", b)
	}
	if _, err := os.Stat(cp); !os.IsNotExist(err) {
		t.Errorf("the checkpoint file it created is still there")
	}
	if b, _ := os.ReadFile(todo); string(b) != "- [ ] edited by hand since\n" {
		t.Errorf("a hand edit was overwritten: %q", b)
	}
	note := out.Note()
	for _, want := range []string{"rolled back interrupted checkpoint " + in.ID, "restored workflow-state.md", "removed checkpoints/x.md", "left TODO.md as edited since"} {
		if !strings.Contains(note, want) {
			t.Errorf("note %q lacks %q", note, want)
		}
	}
	if _, err := os.Stat(filepath.Join(ws.Repo.WfDir(), "intent")); !os.IsNotExist(err) {
		t.Errorf("the record was not removed")
	}
}

// The ref holds the journaled commit: the checkpoint happened.
func TestRecoverCompletes(t *testing.T) {
	ws, head := setup(t)
	in := &Intent{Version: 1, ID: "20261130-000000-abcd-x", Started: time.Now(), Mode: "ref", Ref: "refs/heads/main", Commit: head}
	if err := Write(ws, in); err != nil {
		t.Fatal(err)
	}
	out, err := Recover(ws)
	if err != nil || out.Kind != Completed || !strings.HasPrefix(out.Note(), "completed interrupted checkpoint "+in.ID) {
		t.Fatalf("Recover = %+v (%q), %v; want Completed", out, out.Note(), err)
	}
}

// The ref moved on since the crash: neither before nor after.
func TestRecoverRefMoved(t *testing.T) {
	ws, _ := setup(t)
	in := &Intent{Version: 1, ID: "20261130-000000-abcd-x", Started: time.Now(), Mode: "branch", Ref: "refs/heads/main",
		Old: strings.Repeat("1", 40), Commit: strings.Repeat("2", 40)}
	if err := Write(ws, in); err != nil {
		t.Fatal(err)
	}
	out, err := Recover(ws)
	if err != nil || out.Kind != Moved || !strings.Contains(out.Note(), "has moved since") {
		t.Fatalf("Recover = %+v, %v; want Moved", out, err)
	}
}

// RecoverOnOpen leaves the record alone while another wf holds the lock.
func TestRecoverOnOpenWaitsForTheLock(t *testing.T) {
	ws, head := setup(t)
	if err := Write(ws, &Intent{Version: 1, ID: "x", Mode: "ref", Ref: "refs/heads/main", Commit: head}); err != nil {
		t.Fatal(err)
	}
	release, err := ws.Lock()
	if err != nil {
		t.Fatal(err)
	}
	RecoverOnOpen(ws)
	release()
	if len(ws.Notes) != 0 {
		t.Fatalf("recovered under another wf's lock: %q", ws.Notes)
	}
	RecoverOnOpen(ws)
	if len(ws.Notes) != 1 || !strings.HasPrefix(ws.Notes[0], "completed interrupted checkpoint x") {
		t.Fatalf("notes %q", ws.Notes)
	}
}
