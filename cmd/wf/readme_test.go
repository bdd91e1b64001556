package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wf-tool/wf/gitcp/gittest"
	"github.com/wf-tool/wf/internal/tour"
)

// readme is the README whose tour TestReadmeTour runs.
const readme = "../../README.md"

// TestReadmeTour runs every command of the README's tour (package tour)
// in a scratch repository, with this test binary as wf, and fails when a
// command exits otherwise than the README says or prints something else
// (ids, hashes and times aside), so that the README cannot rot. With
// -update it rewrites the tour's blocks from the run instead.
func TestReadmeTour(t *testing.T) {
	src, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := tour.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	checkTourCovers(t, doc.Steps)
	for _, prog := range []string{"bash", "git"} {
		if _, err := exec.LookPath(prog); err != nil {
			t.Fatalf("the tour runs its commands with bash in a git repository: %v", err)
		}
	}
	day := time.Now().UTC().Format(time.DateOnly)
	ran, failure := runTour(t, doc)
	if failure != "" && time.Now().UTC().Format(time.DateOnly) != day {
		// wf resume groups decisions by their UTC date: a run that
		// crossed midnight prints one group more than the README. Once
		// more, on one date.
		t.Logf("the run crossed midnight UTC and failed; running the tour again:\n%s", failure)
		ran, failure = runTour(t, doc)
	}
	if failure != "" {
		t.Fatal(failure)
	}
	if *update {
		if err := os.WriteFile(readme, doc.Render(ran), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// runTour runs the tour's steps in a new scratch repository and returns
// the steps as they ran (with -update) and the first failure, "" if none.
func runTour(t *testing.T, doc *tour.Doc) (ran []tour.Step, failure string) {
	t.Helper()
	root := t.TempDir()
	repo := filepath.Join(root, "search-api")
	if err := os.Mkdir(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(root, "home")
	if err := os.Mkdir(home, 0o755); err != nil {
		t.Fatal(err)
	}
	// git isolated from the user's configuration (gittest), wf from the
	// variables that would point it elsewhere or change its clock.
	env := append(os.Environ(), gittest.Environ(home)...)
	env = append(env, "TZ=UTC", "WF_LOCK_WAIT=5s")
	env = withoutEnv(env, append(gittest.Unset(), "WF_DIR", "WF_ACTOR", "WF_SESSION", "WF_TEST_NOW", "WF_TEST_CRASH_AT", "CLAUDE_PROJECT_DIR")...)
	git := exec.Command("git", "init", "-q", "-b", "main", ".")
	git.Dir, git.Env = repo, env
	if out, err := git.CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	r := &tour.Runner{Dir: repo, Env: env}
	for _, st := range doc.Steps {
		res, err := r.Run(st)
		if err != nil {
			return ran, fmt.Sprintf("README.md:%d: %v", st.Line, err)
		}
		// The scratch folder is shown as the README's reader would have it.
		out := strings.ReplaceAll(res.Out, root+string(filepath.Separator), "~/")
		if res.Exit != st.Exit {
			return ran, fmt.Sprintf("README.md:%d: %s\nexited with %d, the README says %d; it printed:\n%s", st.Line, res.Cmd, res.Exit, st.Exit, out)
		}
		if *update {
			r.Bind.Match(st.Want, out) // for the bindings only
			st.Cmd, st.Want = res.Cmd, out
			ran = append(ran, st)
			continue
		}
		if d := r.Bind.Match(st.Want, out); d != "" {
			return ran, fmt.Sprintf("README.md:%d: %s\nprints another output than the README's %s\n(if the change is right: go test ./cmd/wf -run TestReadmeTour -update, and review the diff)\nit printed:\n%s",
				st.Line, res.Cmd, d, out)
		}
	}
	return ran, ""
}

// checkTourCovers fails when the tour leaves out a stage the README
// promises: init, the checklist, a checkpoint, a crash and resume, a wait
// and its approval, a delegated spec, recover.
func checkTourCovers(t *testing.T, steps []tour.Step) {
	t.Helper()
	var all strings.Builder
	for _, st := range steps {
		all.WriteString("\n" + st.Cmd)
	}
	for _, want := range []string{"wf init", "wf todo add", "wf todo done", "wf checkpoint", "wf resume", "wf wait approval", "wf approve", "wf spec new", "wf spec delegate", "wf spec result", "wf spec integrate", "wf recover"} {
		if !strings.Contains(all.String(), "\n"+want) && !strings.Contains(all.String(), "&& "+want) && !strings.Contains(all.String(), "| "+want) {
			t.Errorf("the README's tour has no %s", want)
		}
	}
}

// withoutEnv drops the variables named from env.
func withoutEnv(env []string, names ...string) []string {
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		keep := true
		for _, n := range names {
			if k == n {
				keep = false
			}
		}
		if keep {
			out = append(out, kv)
		}
	}
	return out
}

// TestReadmeFileExamples checks the README's example state files (the
// blocks after "<!-- example: workflow-state.md -->" and
// "<!-- example: TODO.md -->"): wf lint reads them with no error or
// warning, and wf status sees what the README says they hold.
func TestReadmeFileExamples(t *testing.T) {
	src, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	paths := map[string]string{}
	for _, name := range []string{"workflow-state.md", "TODO.md"} {
		block, ok := exampleBlock(string(src), name)
		if !ok {
			t.Fatalf("README.md has no example of %s after <!-- example: %s -->", name, name)
		}
		paths[name] = filepath.Join(dir, name)
		if err := os.WriteFile(paths[name], []byte(block), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := runWF("lint", "--state", paths["workflow-state.md"], "--todo", paths["TODO.md"])
	if code != 0 || !strings.Contains(out, "\n0 errors, 0 warnings\n") {
		t.Errorf("wf lint of the README's example files: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runWF("--dir", dir, "status")
	for _, want := range []string{"Search API\n", "phase Implementing · status running · mode auto\n", "current: 2. API routes: feedback, suggestions\n", "decisions: 1\n"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("wf status of the README's example files: exit %d, no %q in\n%s%s", code, want, out, errOut)
		}
	}
}

// exampleBlock returns the fenced block that follows the marker
// "<!-- example: NAME -->" in a README.
func exampleBlock(src, name string) (string, bool) {
	_, rest, ok := strings.Cut(src, "<!-- example: "+name+" -->\n")
	if !ok {
		return "", false
	}
	if !strings.HasPrefix(rest, "```") {
		return "", false
	}
	_, rest, _ = strings.Cut(rest, "\n")
	block, _, ok := strings.Cut(rest, "\n```\n")
	return block + "\n", ok
}
