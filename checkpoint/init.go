package checkpoint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wf-tool/wf/checkpoint/journal"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
	"github.com/wf-tool/wf/templates"
)

// InitOptions configure `wf init`.
type InitOptions struct {
	Name   string   // project name; default: the folder's name
	Phases []string // default: Planning, Implementing, Testing
}

// DefaultPhases returns the phases of a new workflow; a fresh copy.
func DefaultPhases() []string { return []string{"Planning", "Implementing", "Testing"} }

// ExistsError lists the state files init refused to overwrite.
type ExistsError struct{ Paths []string }

func (e *ExistsError) Error() string {
	return "refusing to overwrite existing " + strings.Join(e.Paths, ", ")
}
func (e *ExistsError) Hint() string {
	return "wf status   (the workflow already exists; remove the files first to start over)"
}

// Init creates workflow-state.md and TODO.md from the templates in the
// state root: --dir, else the git top level, else the working directory.
// It returns the opened workspace and the created files' paths relative
// to the working directory. It refuses with an [*ExistsError], changing
// nothing, when either file exists.
func Init(o workspace.Options, io InitOptions) (*workspace.Workspace, []string, error) {
	start, ws, err := o.Resolve()
	if err != nil {
		return nil, nil, err
	}
	ws.Root = start
	if o.Dir == "" && ws.Repo != nil {
		ws.Root = ws.Repo.TopLevel
	}
	if fi, err := os.Stat(ws.Root); err != nil || !fi.IsDir() {
		return nil, nil, fmt.Errorf("%s is not a folder", ws.Root)
	}
	if err := ws.CheckLinks(); err != nil {
		return nil, nil, err
	}
	phases := io.Phases
	if len(phases) == 0 {
		phases = DefaultPhases()
	}
	seen := map[string]bool{}
	for i, p := range phases {
		p = strings.Join(strings.Fields(p), " ")
		if p == "" || strings.ContainsAny(p, "|#") {
			return nil, nil, fmt.Errorf("phase name %q is empty or holds '|' or '#'", phases[i])
		}
		if seen[strings.ToLower(p)] {
			return nil, nil, fmt.Errorf("phase %q is named twice", p)
		}
		seen[strings.ToLower(p)] = true
		phases[i] = p
	}
	name := strings.Join(strings.Fields(io.Name), " ")
	if name == "" {
		name = filepath.Base(ws.Root)
	}
	d := templates.Data{Name: name, Phases: phases, FirstPhase: phases[0], Now: ws.Now().Format(workspace.Timestamp)}
	top := ws.Root
	if ws.Repo != nil {
		top = ws.Repo.TopLevel
	}
	files := map[string][]byte{}
	for _, n := range templates.Names {
		b, err := templates.Render(n, top, d)
		if err != nil {
			return nil, nil, err
		}
		files[n] = b
	}
	release, err := ws.Lock()
	if err != nil {
		return nil, nil, err
	}
	defer release()
	var exist []string
	for _, n := range templates.Names {
		if _, err := os.Lstat(ws.Path(n)); !errors.Is(err, fs.ErrNotExist) {
			exist = append(exist, ws.Rel(n))
		}
	}
	if len(exist) > 0 {
		return nil, nil, &ExistsError{Paths: exist}
	}
	var created []string
	for _, n := range templates.Names {
		if err := mdstate.CreateFileExclusive(ws.Path(n), files[n], 0o644); err != nil {
			for _, c := range created { // leave nothing half-made
				os.Remove(ws.Path(c))
			}
			return nil, nil, err
		}
		created = append(created, n)
	}
	rel := make([]string, len(created))
	for i, c := range created {
		rel[i] = ws.Rel(c)
	}
	return ws, rel, nil
}

// Open finds the workflow ([workspace.Find]) and completes or rolls back a
// checkpoint that a crash interrupted there; what that did is in the
// returned workspace's Notes. Every command that works on a workflow
// opens it so.
func Open(o workspace.Options) (*workspace.Workspace, error) {
	ws, err := workspace.Find(o)
	if err != nil {
		return nil, err
	}
	journal.RecoverOnOpen(ws)
	return ws, nil
}
