// Package checkpoint holds wf's lifecycle rules over the state files: where
// a workflow lives, how its files are read and changed under the worktree
// lock, what `wf status` shows and what `wf lint` reports. Checkpoint files,
// the resume context and git commits (through package gitcp) build on it.
package checkpoint

import (
	"bytes"
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
	// Notes say what opening the workspace did: Find completes or rolls
	// back a checkpoint that a crash interrupted (see journal.go). Commands
	// print them as "wf: note: …".
	Notes []string
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
		ws.recoverOnOpen()
		return ws, nil
	}
	top := ""
	if ws.Repo != nil {
		top = ws.Repo.TopLevel
	}
	for d := start; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, StateFile)); err == nil {
			ws.Root = d
			ws.recoverOnOpen()
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
func (w *Workspace) Rel(name string) string { return relWD(w.Path(name)) }

// relWD is the path p relative to the working directory when that is
// shorter.
func relWD(p string) string {
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
	// edited holds what a Change parsed when it verified its edit (the
	// mdstate edit methods return it), so Update need not parse again.
	edited struct {
		state *mdstate.State
		todo  *mdstate.Todo
	}
}

// Edited records the parsed result of a change's edit of either file (nil
// for none), as returned by the mdstate edit methods. Update returns it
// instead of parsing the written bytes again; a Change that does not call
// it costs one parse more.
func (sn *Snapshot) Edited(state *mdstate.State, todo *mdstate.Todo) {
	if state != nil {
		sn.edited.state = state
	}
	if todo != nil {
		sn.edited.todo = todo
	}
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
	case errors.Is(err, fs.ErrNotExist) && !isLink(w.Path(TodoFile)):
		// Missing is an empty list; a link to nowhere is an error, since
		// wf todo add could not create the file at its name.
		sn.TodoMissing = true
		raw = nil
	case err != nil:
		return nil, err
	}
	sn.todoRaw = raw
	sn.Todo = mdstate.ParseTodo(w.Rel(TodoFile), raw)
	return sn, nil
}

// isLink reports whether path is a symbolic link (to anything, or nothing).
func isLink(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.Mode()&fs.ModeSymlink != 0
}

// Change is what one command does to the state files: given a fresh
// snapshot, it returns the new bytes of either file (nil for unchanged).
type Change func(sn *Snapshot) (state, todo []byte, err error)

// Update runs change under the worktree lock on a snapshot read under the
// lock, and writes what it returns atomically. When a file changes on disk
// between the read and the write (a hand edit in an editor, which takes no
// lock), the whole change is redone on the new content, up to three times,
// so the hand edit is kept. It returns the snapshot as written.
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
		return w.written(sn, state, todo), nil
	}
}

// written is the snapshot after a write of state and todo (nil for
// unchanged) over sn. It is built from the bytes written rather than read
// back, which would cost a parse of each file and could pick up a hand
// edit made since, so that callers would report on content they did not
// write.
func (w *Workspace) written(sn *Snapshot, state, todo []byte) *Snapshot {
	out := &Snapshot{State: sn.State, Todo: sn.Todo, TodoMissing: sn.TodoMissing,
		stateRaw: sn.stateRaw, todoRaw: sn.todoRaw}
	if todo != nil {
		out.todoRaw, out.TodoMissing = todo, false
		out.Todo = sn.edited.todo
		if out.Todo == nil || !bytes.Equal(out.Todo.Src.Data, todo) {
			out.Todo = mdstate.ParseTodo(w.Rel(TodoFile), todo)
		}
	}
	if state != nil {
		out.stateRaw = state
		out.State = sn.edited.state
		if out.State == nil || !bytes.Equal(out.State.Src.Data, state) {
			out.State = mdstate.ParseState(w.Rel(StateFile), state)
		}
	}
	return out
}

func (w *Workspace) write(sn *Snapshot, state, todo []byte) error {
	if todo != nil {
		if sn.TodoMissing {
			err := mdstate.CreateFileExclusive(w.Path(TodoFile), todo, 0o644)
			if errors.Is(err, fs.ErrExist) {
				err = mdstate.ErrChanged // created by hand since it was read: redo
			}
			if err != nil {
				return w.changed(TodoFile, err)
			}
		} else if err := mdstate.WriteFileAtomic(w.Path(TodoFile), todo, sn.todoRaw); err != nil {
			return w.changed(TodoFile, err)
		}
	}
	if state != nil {
		if err := mdstate.WriteFileAtomic(w.Path(StateFile), state, sn.stateRaw); err != nil {
			return w.changed(StateFile, err)
		}
	}
	return nil
}

// changed names the file in a bare [mdstate.ErrChanged] and says what to
// do, for when Update has run out of tries; errors.Is still sees it.
func (w *Workspace) changed(name string, err error) error {
	if !errors.Is(err, mdstate.ErrChanged) {
		return err
	}
	return &mdstate.FileError{Path: w.Rel(name),
		Msg: "kept changing on disk while wf was editing it (3 tries); wf did not overwrite it",
		Fix: "run the command again once the file is saved (an editor or a tool is rewriting it)",
		Err: err}
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
