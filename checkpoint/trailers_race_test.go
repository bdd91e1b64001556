package checkpoint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp/gittest"
)

const trailerState = `# Workflow State: race

**Current phase**: Planning
**Status**: running
**Last checkpoint**: (none)

## Settings
- commit: branch
`

// TestCheckpointTrailersFollowAHandSave: a hand save of workflow-state.md
// that lands after the checkpoint first read it, and before it commits,
// must not leave the commit's Wf-Phase and Wf-Status trailers naming what
// the committed file no longer says. The soak found it (seed 1, step 346
// of the first long run): an in-place save caught half done (the file
// truncated, not yet written) at the first read gave a commit with no
// Wf-Phase and Wf-Status trailers at all, for a file that has both.
func TestCheckpointTrailersFollowAHandSave(t *testing.T) {
	for _, c := range []struct {
		name, first, saved, phase, status string
	}{
		{"status and phase changed by hand", trailerState,
			strings.NewReplacer("Planning", "Building", "running", "paused").Replace(trailerState), "Building", "paused"},
		{"first read caught an in-place save half done", "",
			trailerState, "Planning", "running"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := gittest.NewRepo(t)
			gittest.Write(t, dir, "workflow-state.md", trailerState)
			gittest.Write(t, dir, "TODO.md", "# TODO\n\n## Planning\n- [ ] one\n")
			ws, err := Open(workspace.Options{WorkDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			state := filepath.Join(dir, "workflow-state.md")
			if err := os.WriteFile(state, []byte(c.first), 0o644); err != nil {
				t.Fatal(err)
			}
			saved := false
			res, err := Checkpoint(ws, CheckpointOptions{Title: "race", OnStep: func(step string) {
				if step == "intent" && !saved {
					saved = true
					if err := os.WriteFile(state, []byte(c.saved), 0o644); err != nil {
						t.Error(err)
					}
				}
			}})
			if err != nil {
				t.Fatal(err)
			}
			msg := gittest.Git(t, dir, "show", "-s", "--format=%B", res.Commit)
			for _, want := range []string{"Wf-Phase: " + c.phase, "Wf-Status: " + c.status} {
				if !strings.Contains(msg, "\n"+want+"\n") {
					t.Errorf("commit message lacks %q:\n%s", want, msg)
				}
			}
			committed := gittest.Git(t, dir, "show", res.Commit+":workflow-state.md")
			for _, want := range []string{"**Current phase**: " + c.phase, "**Status**: " + c.status} {
				if !strings.Contains(committed, want) {
					t.Errorf("committed workflow-state.md lacks %q:\n%s", want, committed)
				}
			}
			if git := gittest.Git(t, dir, "log", "-1", "--format=%(trailers:key=Wf-Status,valueonly)", res.Commit); git != c.status {
				t.Errorf("git interprets the Wf-Status trailer as %q, want %q", git, c.status)
			}
		})
	}
}

// TestCheckpointRefusesAModeChangedHalfway: the commit mode comes from the
// first read of Settings; when a hand save changes "- commit:" before the
// checkpoint commits (or the first read caught an in-place save half
// done, with no Settings at all), the checkpoint fails with nothing
// committed rather than commit to the ref the file no longer names.
func TestCheckpointRefusesAModeChangedHalfway(t *testing.T) {
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, "workflow-state.md", strings.Replace(trailerState, "commit: branch", "commit: ref", 1))
	gittest.Write(t, dir, "TODO.md", "# TODO\n\n## Planning\n- [ ] one\n")
	ws, err := Open(workspace.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "workflow-state.md")
	full, _ := os.ReadFile(state)
	if err := os.WriteFile(state, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Checkpoint(ws, CheckpointOptions{Title: "race", OnStep: func(step string) {
		if step == "intent" {
			if err := os.WriteFile(state, full, 0o644); err != nil {
				t.Error(err)
			}
		}
	}})
	if err == nil || !strings.Contains(err.Error(), "Settings: commit changed") {
		t.Fatalf("err = %v, want the mode change refused", err)
	}
	if out, err := gittest.TryGit(dir, "rev-parse", "-q", "--verify", "HEAD"); err == nil {
		t.Errorf("a commit was made on the branch: %s", out)
	}
	if got, _ := os.ReadFile(state); string(got) != string(full) {
		t.Errorf("workflow-state.md changed:\n%s", got)
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, "checkpoints")); len(ents) != 0 {
		t.Errorf("checkpoint files left: %v", ents)
	}
}
