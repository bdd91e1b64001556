package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp/gittest"
	"github.com/wf-tool/wf/mdstate"
)

// wfCmd runs the wf binary that testscript.Main put on $PATH (the test
// binary under the name wf) in dir.
func wfCmd(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	bin, err := exec.LookPath("wf")
	if err != nil {
		t.Fatalf("wf is not on $PATH (TestMain sets it up): %v", err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "WF_DIR=", "WF_LOCK_WAIT=")
	return cmd
}

func initRepo(t *testing.T) string {
	t.Helper()
	dir := gittest.NewRepo(t)
	if out, err := wfCmd(t, dir, "init", "--phases", "Planning,Implementing").CombinedOutput(); err != nil {
		t.Fatalf("wf init: %v\n%s", err, out)
	}
	return dir
}

// noTempFiles fails if a temp file of an atomic write was left in dir.
func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.Contains(e.Name(), ".wf-tmp") {
			t.Errorf("temp file %s left behind", e.Name())
		}
	}
}

// TestConcurrentAdds starts 8 processes at once, each adding 25 items one
// wf process after another: the lock serialises them, so TODO.md ends
// with all 200 items exactly once, each process's in its own order, and
// lints clean.
func TestConcurrentAdds(t *testing.T) {
	const procs, each = 8, 25
	dir := initRepo(t)
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, procs)
	for p := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for j := range each {
				out, err := wfCmd(t, dir, "--lock-wait", "30s", "todo", "add", fmt.Sprintf("p%d item %d", p, j)).CombinedOutput()
				if err != nil {
					errs <- fmt.Errorf("p%d item %d: %v\n%s", p, j, err, out)
					return
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	data, err := os.ReadFile(filepath.Join(dir, "TODO.md"))
	if err != nil {
		t.Fatal(err)
	}
	todo := mdstate.ParseTodo("TODO.md", data)
	if len(todo.Items) != procs*each {
		t.Errorf("TODO.md has %d items, want %d", len(todo.Items), procs*each)
	}
	re := regexp.MustCompile(`^p(\d+) item (\d+)$`)
	next := make([]int, procs) // the item each process should show next
	seen := map[string]bool{}
	for _, it := range todo.Items {
		m := re.FindStringSubmatch(it.Text)
		if m == nil {
			t.Errorf("line %d: unexpected item %q", it.Line, it.Text)
			continue
		}
		if seen[it.Text] {
			t.Errorf("line %d: %q is there twice", it.Line, it.Text)
		}
		seen[it.Text] = true
		p, _ := strconv.Atoi(m[1])
		j, _ := strconv.Atoi(m[2])
		if j != next[p] {
			t.Errorf("line %d: %q follows p%d item %d: out of order", it.Line, it.Text, p, next[p]-1)
		}
		next[p] = j + 1
		if it.Phase != "Planning" || it.Depth != 0 || !it.IsOpen() {
			t.Errorf("line %d: %q: phase %q depth %d mark %q", it.Line, it.Text, it.Phase, it.Depth, it.Mark)
		}
	}
	if out, err := wfCmd(t, dir, "lint").CombinedOutput(); err != nil {
		t.Errorf("wf lint: %v\n%s", err, out)
	}
	noTempFiles(t, dir)
	if t.Failed() {
		t.Logf("TODO.md:\n%s", data)
	}
}

// editor stands for a person saving TODO.md in an editor while wf runs: it
// takes no lock and saves by writing a new file and renaming it over the
// old one, as editors do.
type editor struct {
	t     *testing.T
	path  string
	lines []string // the lines it added, in order
}

func (e *editor) save() {
	e.t.Helper()
	data, err := os.ReadFile(e.path)
	if err != nil {
		e.t.Fatal(err)
	}
	line := fmt.Sprintf("- [ ] edited by hand %d", len(e.lines))
	data = append(data, line+"\n"...)
	tmp := e.path + ".swp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		e.t.Fatal(err)
	}
	if err := os.Rename(tmp, e.path); err != nil {
		e.t.Fatal(err)
	}
	e.lines = append(e.lines, line[len("- [ ] "):])
}

// TestHandEditDuringUpdate saves TODO.md "by hand" in the window between
// wf's read and its write, in a loop of 60 adds: sometimes not at all,
// sometimes once or twice (wf notices and redoes its change on the new
// content), sometimes at every try (wf gives up with a clear error and
// writes nothing). Neither the hand-saved lines nor wf's are ever lost.
func TestHandEditDuringUpdate(t *testing.T) {
	dir := initRepo(t)
	ws, err := workspace.Find(workspace.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ed := &editor{t: t, path: filepath.Join(dir, "TODO.md")}
	var added []string
	for i := range 60 {
		saves := i % 4 // 0, 1 or 2 hand saves during this update, or (3) one at every try
		if saves == 3 {
			saves = 1 << 30
		}
		text := fmt.Sprintf("wf item %d", i)
		tries := 0
		_, err := ws.Update(func(sn *workspace.Snapshot) ([]byte, []byte, error) {
			tries++
			out, after, err := sn.Todo.Add(text, "Implementing", 0)
			sn.Edited(nil, after)
			if tries <= saves {
				ed.save() // after wf read the file, before it writes
			}
			return nil, out, err
		})
		switch {
		case saves < 3 && err != nil:
			t.Fatalf("add %d with %d hand saves: %v", i, saves, err)
		case saves < 3:
			if tries != saves+1 {
				t.Errorf("add %d: the change ran %d times, want %d", i, tries, saves+1)
			}
			added = append(added, text)
		case !errors.Is(err, mdstate.ErrChanged):
			t.Fatalf("add %d with a save at every try: err = %v, want ErrChanged", i, err)
		default:
			var fe *mdstate.FileError
			if !errors.As(err, &fe) || !strings.HasSuffix(fe.Path, "TODO.md") || fe.Hint() == "" {
				t.Errorf("add %d: error %q does not name TODO.md with a hint", i, err)
			}
		}
	}

	data, err := os.ReadFile(ed.path)
	if err != nil {
		t.Fatal(err)
	}
	todo := mdstate.ParseTodo("TODO.md", data)
	var got []string
	for _, it := range todo.Items {
		got = append(got, it.Text)
	}
	for _, want := range append(append([]string(nil), ed.lines...), added...) {
		n := 0
		for _, g := range got {
			if g == want {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%q is in TODO.md %d times, want once", want, n)
		}
	}
	if len(got) != len(ed.lines)+len(added) {
		t.Errorf("TODO.md has %d items, want %d hand-saved + %d added", len(got), len(ed.lines), len(added))
	}
	// wf's items keep their order among themselves.
	k := 0
	for _, g := range got {
		if k < len(added) && g == added[k] {
			k++
		}
	}
	if k != len(added) {
		t.Errorf("wf's items are out of order: %q", got)
	}
	if out, err := wfCmd(t, dir, "lint").CombinedOutput(); err != nil {
		t.Errorf("wf lint: %v\n%s", err, out)
	}
	noTempFiles(t, dir)
	if t.Failed() {
		t.Logf("TODO.md:\n%s", data)
	}
}
