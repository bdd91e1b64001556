package lifecycle

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

const stateMD = `# Workflow State: p

**Current phase**: Build
**Status**: running

## Phase Status
| Phase | Status | Entered | Completed |
|---|---|---|---|
| Build | IN_PROGRESS | -- | -- |

## Blocking Issues
(none)

## Decisions Log
(none)
`

const todoMD = `# TODO

## Build
- [x] schema (20260222-1015-schema)
- [ ] routes
  - [ ] validate
- [ ] rate limits
`

// newWorkspace is a git repository holding the two state files.
func newWorkspace(t *testing.T) (*workspace.Workspace, string) {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("git", "init", "-q", dir)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	for name, data := range map[string]string{workspace.StateFile: stateMD, workspace.TodoFile: todoMD} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	now := func() time.Time { return time.Date(2026, 2, 22, 9, 15, 0, 0, time.UTC) }
	ws, err := workspace.Find(workspace.Options{WorkDir: dir, LockWait: time.Second, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return ws, dir
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMarkAllIsAllOrNothing(t *testing.T) {
	ws, dir := newWorkspace(t)
	var ref *ItemRefError
	if _, _, err := MarkAll(ws, []string{"2", "99"}, MarkOptions{Mark: mdstate.Done}); !errors.As(err, &ref) {
		t.Fatalf("MarkAll(2, 99) = %v, want an ItemRefError", err)
	}
	if got := read(t, dir, workspace.TodoFile); got != todoMD {
		t.Fatalf("a failed MarkAll changed TODO.md:\n%s", got)
	}
	items, _, err := MarkAll(ws, []string{"4", "2", "#4"}, MarkOptions{Mark: mdstate.Done})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || items[0].N != 4 || items[1].N != 2 || !items[0].Checked() || !items[1].Checked() {
		t.Fatalf("MarkAll returned %+v", items)
	}
	want := strings.Replace(strings.Replace(todoMD, "- [ ] routes", "- [x] routes", 1), "- [ ] rate", "- [x] rate", 1)
	if got := read(t, dir, workspace.TodoFile); got != want {
		t.Fatalf("TODO.md:\n%s\nwant:\n%s", got, want)
	}
}

func TestSkipDoneNeedsForceAndKeepsCheckpoint(t *testing.T) {
	ws, dir := newWorkspace(t)
	var done *DoneSkipError
	if _, _, err := MarkAll(ws, []string{"1"}, MarkOptions{Mark: mdstate.Skipped, Reason: "moved"}); !errors.As(err, &done) {
		t.Fatalf("skip of a done item = %v, want a DoneSkipError", err)
	}
	if got := read(t, dir, workspace.TodoFile); got != todoMD {
		t.Fatalf("a refused skip changed TODO.md:\n%s", got)
	}
	items, _, err := MarkAll(ws, []string{"1"}, MarkOptions{Mark: mdstate.Skipped, Reason: "moved", Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if r := items[0].Reason; r != "moved; was done in 20260222-1015-schema" {
		t.Fatalf("reason %q", r)
	}
}

func TestRemoveRefusesSubItems(t *testing.T) {
	ws, dir := newWorkspace(t)
	var sub *SubItemsError
	if _, err := Remove(ws, "routes", false); !errors.As(err, &sub) || sub.Sub != 1 {
		t.Fatalf("Remove(routes) = %v, want a SubItemsError with 1 sub-item", err)
	}
	gone, err := Remove(ws, "routes", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(gone) != 2 || gone[0].Text != "routes" || gone[1].Text != "validate" {
		t.Fatalf("removed %+v", gone)
	}
	want := strings.Replace(todoMD, "- [ ] routes\n  - [ ] validate\n", "", 1)
	if got := read(t, dir, workspace.TodoFile); got != want {
		t.Fatalf("TODO.md:\n%s", got)
	}
}

func TestBlockUnblockRoundTrip(t *testing.T) {
	ws, dir := newWorkspace(t)
	res, err := Block(ws, "CI is red")
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "blocked" || res.PreviousStatus != "running" || res.Blocker.N != 1 || res.Blocker.Text != "2026-02-22 09:15 +00:00: CI is red" {
		t.Fatalf("Block = %+v", res)
	}
	st := read(t, dir, workspace.StateFile)
	if !strings.Contains(st, "## Blocking Issues\n- 2026-02-22 09:15 +00:00: CI is red\n") || !strings.Contains(st, "**Status**: blocked\n") {
		t.Fatalf("workflow-state.md:\n%s", st)
	}
	var bad *BlockerRefError
	if _, err := Unblock(ws, "2"); !errors.As(err, &bad) {
		t.Fatalf("Unblock(2) = %v, want a BlockerRefError", err)
	}
	res, err = Unblock(ws, "1")
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "running" || len(res.Blockers) != 0 {
		t.Fatalf("Unblock = %+v", res)
	}
	// The file is back as it was, but for the timeline, which keeps both
	// changes (append-only).
	timeline := "\n## Timeline\n" +
		"- 2026-02-22 09:15 +00:00: status running -> blocked by agent: blocker: CI is red\n" +
		"- 2026-02-22 09:15 +00:00: status blocked -> running by agent: blocker cleared: 2026-02-22 09:15 +00:00: CI is red\n"
	if got := read(t, dir, workspace.StateFile); got != stateMD+timeline {
		t.Fatalf("block then unblock did not give the file back:\n%s", got)
	}
	if _, err := Block(ws, "  "); !errors.Is(err, ErrEmptyText) {
		t.Fatalf("Block(blank) = %v", err)
	}
}

func TestAddItemAddsPhaseRow(t *testing.T) {
	ws, dir := newWorkspace(t)
	res, err := AddItem(ws, "tidy", AddOptions{Phase: "Cleanup"})
	if err != nil {
		t.Fatal(err)
	}
	if res.PhaseAdded != "Cleanup" || res.Item.Phase != "Cleanup" {
		t.Fatalf("AddItem = %+v, item %+v", res, res.Item)
	}
	if st := read(t, dir, workspace.StateFile); !strings.Contains(st, "| Build | IN_PROGRESS | -- | -- |\n| Cleanup | PENDING | -- | -- |\n") {
		t.Fatalf("workflow-state.md:\n%s", st)
	}
	// A phase the table has, in another case: no row, the table's spelling.
	res, err = AddItem(ws, "more", AddOptions{Phase: "build"})
	if err != nil {
		t.Fatal(err)
	}
	if res.PhaseAdded != "" || res.Item.Phase != "Build" {
		t.Fatalf("AddItem(build) = %+v, item %+v", res, res.Item)
	}
}

func TestPhasesAndPlural(t *testing.T) {
	ws, _ := newWorkspace(t)
	sn, err := ws.Read()
	if err != nil {
		t.Fatal(err)
	}
	var pe *PhaseError
	if err := CheckPhase(sn, "NoSuch"); !errors.As(err, &pe) || strings.Join(pe.Known, ",") != "Build" {
		t.Fatalf("CheckPhase = %v", err)
	}
	if err := CheckPhase(sn, "build"); err != nil {
		t.Fatal(err)
	}
	for n, want := range map[int]string{0: "0 files", 1: "1 file", 2: "2 files"} {
		if got := Plural(n, "file", "files"); got != want {
			t.Errorf("Plural(%d) = %q", n, got)
		}
	}
}
