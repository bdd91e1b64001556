package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// corpusFiles lists the real-world state, TODO and hand-off files in
// ../shared/corpus (read-only test data).
func corpusFiles(t *testing.T) map[string][]string {
	t.Helper()
	root := gittest.Shared(t, "corpus")
	out := map[string][]string{}
	for _, kind := range []string{"state", "todo", "checkpoint"} {
		files, _ := filepath.Glob(filepath.Join(root, kind, "*.md"))
		out[kind] = files
	}
	if len(out["state"]) == 0 || len(out["todo"]) == 0 {
		t.Fatalf("the corpus %s has no state or no TODO files", root)
	}
	return out
}

func runWf(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	if dir != "" {
		args = append([]string{"wf", "--dir", dir}, args...)
	} else {
		args = append([]string{"wf"}, args...)
	}
	code = run(args, strings.NewReader(""), &o, &e)
	return o.String(), e.String(), code
}

// TestCorpusLintAndStatus runs wf lint and wf status on every corpus file:
// each must be read without error, say what it recognised, and stay
// byte-identical.
func TestCorpusLintAndStatus(t *testing.T) {
	for kind, files := range corpusFiles(t) {
		for _, f := range files {
			orig, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			flag := "--todo"
			if kind == "state" {
				flag = "--state"
			}
			out, errOut, code := runWf(t, "", "lint", flag, f)
			if code != exitOK && code != exitProblems || errOut != "" {
				t.Errorf("wf lint %s %s: exit %d, stderr %q", flag, f, code, errOut)
			}
			if !strings.Contains(out, " errors, ") {
				t.Errorf("wf lint %s: no summary line:\n%s", f, out)
			}
			// wf status on the file placed in a workflow.
			dir := t.TempDir()
			name := "TODO.md"
			if kind == "state" {
				name = "workflow-state.md"
			} else {
				os.WriteFile(filepath.Join(dir, "workflow-state.md"), []byte("# Workflow State: corpus\n"), 0o644)
			}
			if err := os.WriteFile(filepath.Join(dir, name), orig, 0o644); err != nil {
				t.Fatal(err)
			}
			out, errOut, code = runWf(t, dir, "status")
			if code != exitOK || errOut != "" || !strings.Contains(out, "progress ") {
				t.Errorf("wf status on %s: exit %d, stderr %q, stdout %q", f, code, errOut, out)
			}
			if now, _ := os.ReadFile(f); !bytes.Equal(now, orig) {
				t.Fatalf("%s changed", f)
			}
		}
	}
}

// TestCorpusTickThroughCLI ticks the first open item of every corpus TODO
// file with wf todo done, then unticks it: the first changes exactly one
// byte, the second restores the file byte for byte.
func TestCorpusTickThroughCLI(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	for _, f := range corpusFiles(t)["todo"] {
		orig, _ := os.ReadFile(f)
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "workflow-state.md"), []byte("# Workflow State: corpus\n"), 0o644)
		path := filepath.Join(dir, "TODO.md")
		os.WriteFile(path, orig, 0o644)
		out, _, code := runWf(t, dir, "todo", "list", "--open", "--json")
		if code != exitOK {
			t.Fatalf("%s: todo list: exit %d", f, code)
		}
		i := strings.Index(out, `"n": `)
		if i < 0 {
			continue // no open item
		}
		n := strings.TrimRight(strings.Fields(out[i+5:])[0], ",")
		if _, errOut, code := runWf(t, dir, "todo", "done", n); code != exitOK {
			t.Errorf("%s: todo done %s: exit %d: %s", f, n, code, errOut)
			continue
		}
		ticked, _ := os.ReadFile(path)
		if len(ticked) != len(orig) {
			t.Errorf("%s: tick changed the length: %d -> %d", f, len(orig), len(ticked))
			continue
		}
		diff := 0
		for k := range orig {
			if orig[k] != ticked[k] {
				diff++
				if orig[k] != ' ' || ticked[k] != 'x' {
					t.Errorf("%s: byte %d changed from %q to %q", f, k, orig[k], ticked[k])
				}
			}
		}
		if diff != 1 {
			t.Errorf("%s: %d bytes changed, want 1", f, diff)
		}
		if _, errOut, code := runWf(t, dir, "todo", "undo", n); code != exitOK {
			t.Errorf("%s: todo undo %s: exit %d: %s", f, n, code, errOut)
		}
		if back, _ := os.ReadFile(path); !bytes.Equal(back, orig) {
			t.Errorf("%s: done then undo did not restore the file", f)
		}
	}
}
