// Package checkpoint holds wf's lifecycle rules over the state files: where
// a workflow lives, how its files are read and changed under the worktree
// lock, what `wf status` shows and what `wf lint` reports. Checkpoint files,
// the resume context and git commits (through package gitcp) build on it.
package checkpoint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/wf-tool/wf/gitcp"
	"github.com/wf-tool/wf/mdstate"
)

// File names in the state root.
const (
	StateFile = "workflow-state.md"
	TodoFile  = "TODO.md"
)

// ErrNoWorkflow means no workflow-state.md was found.
var ErrNoWorkflow = errors.New("no workflow-state.md found")

// NoWorkflowError says where wf looked.
type NoWorkflowError struct{ From, Top string }

func (e *NoWorkflowError) Error() string {
	if e.Top != "" {
		return fmt.Sprintf("no %s in %s or any folder above it up to the repository top %s", StateFile, e.From, e.Top)
	}
	return fmt.Sprintf("no %s in %s", StateFile, e.From)
}
func (e *NoWorkflowError) Unwrap() error { return ErrNoWorkflow }
func (e *NoWorkflowError) Hint() string {
	return "wf init   (or pass --dir / set WF_DIR to the folder that holds it)"
}

// Workspace is a workflow's state root and where its runtime data goes.
type Workspace struct {
	// Root is the folder holding workflow-state.md.
	Root string
	// Repo is the git repository, nil outside one.
	Repo *gitcp.Repo
	// LockWait bounds the wait for another wf to release the lock.
	LockWait time.Duration
	// Now is the clock; time.Now unless a test sets it.
	Now func() time.Time
}

// Options say where to look.
type Options struct {
	// Dir, when set, is the state root (from --dir or WF_DIR).
	Dir string
	// WorkDir is where the search starts; the process's working directory
	// when empty.
	WorkDir  string
	LockWait time.Duration
	Now      func() time.Time
}

// resolve applies the defaults and finds the git repository, if any.
func (o Options) resolve() (start string, ws *Workspace, err error) {
	ws = &Workspace{LockWait: o.LockWait, Now: o.Now}
	if ws.LockWait == 0 {
		ws.LockWait = 5 * time.Second
	}
	if ws.Now == nil {
		ws.Now = time.Now
	}
	start = o.WorkDir
	if start == "" {
		if start, err = os.Getwd(); err != nil {
			return "", nil, err
		}
	}
	if o.Dir != "" {
		d := o.Dir
		if !filepath.IsAbs(d) {
			d = filepath.Join(start, d)
		}
		start = filepath.Clean(d)
	}
	repo, err := gitcp.Discover(start)
	switch {
	case err == nil:
		ws.Repo = repo
	case errors.Is(err, gitcp.ErrNotRepository):
	default:
		return "", nil, err
	}
	return start, ws, nil
}

// Find locates the workflow: the --dir folder, or the nearest folder from
// the working directory up to the git top level holding workflow-state.md.
func Find(o Options) (*Workspace, error) {
	start, ws, err := o.resolve()
	if err != nil {
		return nil, err
	}
	if o.Dir != "" {
		if _, err := os.Lstat(filepath.Join(start, StateFile)); err != nil {
			return nil, &NoWorkflowError{From: start}
		}
		ws.Root = start
		return ws, nil
	}
	top := ""
	if ws.Repo != nil {
		top = ws.Repo.TopLevel
	}
	for d := start; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, StateFile)); err == nil {
			ws.Root = d
			return ws, nil
		}
		if d == top || filepath.Dir(d) == d || top == "" {
			break
		}
	}
	return nil, &NoWorkflowError{From: start, Top: top}
}

// Path returns the path of a file in the state root.
func (w *Workspace) Path(name string) string { return filepath.Join(w.Root, name) }

// Rel returns name relative to the working directory when that is
// shorter, for messages.
func (w *Workspace) Rel(name string) string {
	p := w.Path(name)
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, p); err == nil && len(r) < len(p) {
			return r
		}
	}
	return p
}

// top is the folder symlinks must stay inside.
func (w *Workspace) top() string {
	if w.Repo != nil {
		return w.Repo.TopLevel
	}
	return w.Root
}

// lockDir is the worktree's runtime folder: GitDir/wf, or a folder under
// the temp dir keyed by the state root outside git.
func (w *Workspace) lockDir() string {
	if w.Repo != nil {
		return w.Repo.WfDir()
	}
	return filepath.Join(os.TempDir(), "wf-"+shortHash(w.Root))
}

// Snapshot is the state files as read at one moment.
type Snapshot struct {
	State *mdstate.State
	Todo  *mdstate.Todo
	// TodoMissing is set when there is no TODO.md (a valid, empty list).
	TodoMissing bool
	// lintState and lintTodo say which files `wf lint` checks on their
	// own; ReadPaths reads only the files it was given.
	skipState, skipTodo bool
	stateRaw            []byte
	todoRaw             []byte
}

// Read reads and parses both state files, without the lock.
func (w *Workspace) Read() (*Snapshot, error) {
	sn := &Snapshot{}
	raw, _, err := mdstate.ReadFile(w.top(), w.Path(StateFile))
	if err != nil {
		return nil, err
	}
	sn.stateRaw = raw
	sn.State = mdstate.ParseState(w.Rel(StateFile), raw)
	raw, _, err = mdstate.ReadFile(w.top(), w.Path(TodoFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		sn.TodoMissing = true
		raw = nil
	case err != nil:
		return nil, err
	}
	sn.todoRaw = raw
	sn.Todo = mdstate.ParseTodo(w.Rel(TodoFile), raw)
	return sn, nil
}

// Change is what one command does to the state files: given a fresh
// snapshot, it returns the new bytes of either file (nil for unchanged).
type Change func(sn *Snapshot) (state, todo []byte, err error)

// Update runs change under the worktree lock on a snapshot read under the
// lock, and writes what it returns atomically. When a file changes on disk
// between the read and the write (a hand edit in an editor, which takes no
// lock), the whole change is redone on the new content, up to three times,
// so the hand edit is kept.
func (w *Workspace) Update(change Change) (*Snapshot, error) {
	lock, err := mdstate.AcquireLock(w.lockDir(), w.LockWait)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	for attempt := 0; ; attempt++ {
		sn, err := w.Read()
		if err != nil {
			return nil, err
		}
		state, todo, err := change(sn)
		if err != nil {
			return nil, err
		}
		err = w.write(sn, state, todo)
		if errors.Is(err, mdstate.ErrChanged) && attempt < 2 {
			continue
		}
		if err != nil {
			return nil, err
		}
		return w.Read()
	}
}

func (w *Workspace) write(sn *Snapshot, state, todo []byte) error {
	if todo != nil {
		if sn.TodoMissing {
			if err := mdstate.CreateFileExclusive(w.Path(TodoFile), todo, 0o644); err != nil {
				return err
			}
		} else if err := mdstate.WriteFileAtomic(w.Path(TodoFile), todo, sn.todoRaw); err != nil {
			return err
		}
	}
	if state != nil {
		if err := mdstate.WriteFileAtomic(w.Path(StateFile), state, sn.stateRaw); err != nil {
			return err
		}
	}
	return nil
}

// Timestamp is wf's one timestamp format: local time with an explicit UTC
// offset, to the minute.
const Timestamp = "2006-01-02 15:04 -07:00"

// ReadPaths reads and parses state files named directly (for `wf lint
// --state F --todo F` on files that are not in a workflow); an empty path
// reads as an empty file.
func ReadPaths(root, statePath, todoPath string) (*Snapshot, error) {
	sn := &Snapshot{skipState: statePath == "", skipTodo: todoPath == ""}
	if statePath != "" {
		raw, _, err := mdstate.ReadFile(root, statePath)
		if err != nil {
			return nil, err
		}
		sn.stateRaw = raw
	}
	if todoPath != "" {
		raw, _, err := mdstate.ReadFile(root, todoPath)
		if err != nil {
			return nil, err
		}
		sn.todoRaw = raw
	}
	sn.State = mdstate.ParseState(statePath, sn.stateRaw)
	sn.Todo = mdstate.ParseTodo(todoPath, sn.todoRaw)
	return sn, nil
}
