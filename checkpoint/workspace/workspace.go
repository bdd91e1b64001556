// Package workspace finds a workflow and reads and changes its state
// files safely. It owns where a workflow lives (the state root, found by
// walking up from the working directory to the git top level, or --dir),
// the names of wf's files and folders, the worktree's runtime folder
// (GitDir/wf: lock, heartbeat, journal; never in the work tree), and the
// locked read-modify-write of workflow-state.md and TODO.md ([Workspace.Update]):
// a re-read under the lock, atomic writes that never overwrite a concurrent
// hand edit, and a redo on the new content when one lands.
//
// It must not know what the files mean beyond parsing them with mdstate:
// lifecycle rules, checkpoints, history and what resume says are the
// packages above it. It never prints, and it takes the working directory
// from its caller instead of asking the process.
package workspace

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wf-tool/wf/gitcp"
	"github.com/wf-tool/wf/mdstate"
)

// Names in the state root (DESIGN.md §3).
const (
	StateFile      = "workflow-state.md"
	TodoFile       = "TODO.md"
	CheckpointsDir = "checkpoints" // one file per checkpoint: <id>.md
	SpecsDir       = "specs"       // <name>.md and <name>.result.md
)

// SchemaVersion is the version of every --json document wf prints
// (docs/json.md). 2: one checkpoint reference shape (status's
// last_checkpoint is an object), refs are full names, status counts
// decisions in decisions_count and numbers its blockers, todo fail's
// blocker is an object.
const SchemaVersion = 2

// Timestamp is wf's one timestamp format for what it writes into the
// state files: local time with an explicit UTC offset, to the minute.
const Timestamp = "2006-01-02 15:04 -07:00"

// ConventionFiles returns the agent instruction files a resuming agent
// reads first, in the order wf lists them: the one list of them (a fresh
// copy; callers may change it).
func ConventionFiles() []string {
	return []string{"CLAUDE.md", "AGENTS.md", "GEMINI.md", ".cursorrules", "CONVENTIONS.md"}
}

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
	// WorkDir is the working directory of the command: messages name
	// paths relative to it.
	WorkDir string
	// Repo is the git repository, nil outside one.
	Repo *gitcp.Repo
	// LockWait bounds the wait for another wf to release the lock.
	LockWait time.Duration
	// Now is the clock; time.Now unless a test sets it.
	Now func() time.Time
	// Notes say what opening the workspace did (package journal completes
	// or rolls back a checkpoint that a crash interrupted). Commands print
	// them as "wf: note: …".
	Notes []string
}

// Options say where to look.
type Options struct {
	// Dir, when set, is the state root (from --dir or WF_DIR).
	Dir string
	// WorkDir is the working directory (required): the search starts
	// there, and messages name paths relative to it.
	WorkDir string
	// LockWait bounds the wait for the worktree lock and for git's lock
	// files; zero means 5 seconds.
	LockWait time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Resolve applies the defaults and finds the git repository, if any. It
// returns the folder the search starts from (--dir, or the working
// directory) and a Workspace without a Root. It fails when WorkDir is
// empty or the repository cannot be read.
func (o Options) Resolve() (start string, ws *Workspace, err error) {
	if o.WorkDir == "" {
		return "", nil, errors.New("internal error: workspace.Options.WorkDir is empty")
	}
	ws = &Workspace{WorkDir: o.WorkDir, LockWait: o.LockWait, Now: o.Now}
	if ws.LockWait == 0 {
		ws.LockWait = 5 * time.Second
	}
	if ws.Now == nil {
		ws.Now = time.Now
	}
	start = o.WorkDir
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
		repo.LockWait = ws.LockWait
		ws.Repo = repo
	case errors.Is(err, gitcp.ErrNotRepository):
	default:
		return "", nil, err
	}
	return start, ws, nil
}

// Find locates the workflow: the --dir folder, or the nearest folder from
// the working directory up to the git top level holding workflow-state.md.
// It returns a [*NoWorkflowError] when there is none. It changes nothing:
// completing a checkpoint that a crash interrupted is package journal's
// (checkpoint.Open does both).
func Find(o Options) (*Workspace, error) {
	start, ws, err := o.Resolve()
	if err != nil {
		return nil, err
	}
	if o.Dir != "" {
		if _, err := os.Lstat(filepath.Join(start, StateFile)); err != nil {
			return nil, &NoWorkflowError{From: start}
		}
		ws.Root = start
		return ws, ws.CheckLinks()
	}
	top := ""
	if ws.Repo != nil {
		top = ws.Repo.TopLevel
	}
	for d := start; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, StateFile)); err == nil {
			ws.Root = d
			return ws, ws.CheckLinks()
		}
		if d == top || filepath.Dir(d) == d || top == "" {
			break
		}
	}
	return nil, &NoWorkflowError{From: start, Top: top}
}

// Path returns the path of a file in the state root.
func (w *Workspace) Path(name string) string { return filepath.Join(w.Root, name) }

// Rel returns the path of a file in the state root relative to the
// working directory when that is shorter, for messages.
func (w *Workspace) Rel(name string) string { return w.RelWD(w.Path(name)) }

// RelWD returns the path p relative to the working directory when that is
// shorter, for messages.
func (w *Workspace) RelWD(p string) string {
	if w.WorkDir != "" {
		if r, err := filepath.Rel(w.WorkDir, p); err == nil && len(r) < len(p) {
			return r
		}
	}
	return p
}

// RelTop returns the path p relative to the git top level (or the state
// root outside git), slash-separated as git names paths; p itself when it
// is outside.
func (w *Workspace) RelTop(p string) string {
	if r, err := filepath.Rel(w.Top(), p); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return p
}

// TopPaths turns paths given on the command line (relative to the working
// directory, or absolute) into slash-separated paths from the git top
// level. A path outside the repository is an error.
func (w *Workspace) TopPaths(ps []string) ([]string, error) {
	var out []string
	for _, p := range ps {
		if !filepath.IsAbs(p) {
			p = filepath.Join(w.WorkDir, p)
		}
		r, err := filepath.Rel(w.Top(), filepath.Clean(p))
		if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("%s is outside the repository", p)
		}
		out = append(out, filepath.ToSlash(r))
	}
	return out, nil
}

// OwnFile reports whether p (slash-separated, from the top level) is one
// of wf's state files or checkpoint files.
func (w *Workspace) OwnFile(p string) bool {
	return p == w.RelTop(w.Path(StateFile)) || p == w.RelTop(w.Path(TodoFile)) ||
		strings.HasPrefix(p, w.RelTop(w.Path(CheckpointsDir))+"/")
}

// Top is the folder that reads and writes must stay inside (symlinks out
// of it are refused): the git top level, or the state root outside git.
func (w *Workspace) Top() string {
	if w.Repo != nil {
		return w.Repo.TopLevel
	}
	return w.Root
}

// RuntimeDir is the worktree's runtime folder: GitDir/wf, or outside git a
// folder under the temp dir keyed by the state root. It holds the lock,
// the heartbeat and the journal, and is never committed.
func (w *Workspace) RuntimeDir() string {
	if w.Repo != nil {
		return w.Repo.WfDir()
	}
	h := sha256.Sum256([]byte(w.Root))
	return filepath.Join(os.TempDir(), "wf-"+hex.EncodeToString(h[:6]))
}

// Lock takes the worktree lock, waiting up to LockWait for another wf to
// release it ([*mdstate.LockBusyError] after that). The caller must call
// the returned release.
func (w *Workspace) Lock() (release func(), err error) {
	lock, err := mdstate.AcquireLock(w.RuntimeDir(), w.LockWait)
	if err != nil {
		return nil, err
	}
	return func() { lock.Release() }, nil
}

// TryLock takes the worktree lock only if it is free at once; ok is false
// when another wf holds it.
func (w *Workspace) TryLock() (release func(), ok bool) {
	lock, err := mdstate.AcquireLock(w.RuntimeDir(), 0)
	if err != nil {
		return nil, false
	}
	return func() { lock.Release() }, true
}

// RefValue is the commit a ref points to; the zero Hash when it does not
// exist or cannot be read.
func (w *Workspace) RefValue(ref string) gitcp.Hash {
	h, err := w.Repo.ResolveRef(ref)
	if err != nil {
		return gitcp.Hash{}
	}
	return h
}

// IsNone reports whether an entry's text is a placeholder for "nothing":
// "(none)", "none", "n/a", "-" or empty, as the templates and people write
// it under Blocking Issues, Waiting and the like.
func IsNone(s string) bool {
	t := strings.ToLower(strings.Trim(strings.TrimSpace(s), "()_*-. "))
	return t == "" || t == "none" || t == "n/a"
}

// OneLine folds s onto one line: runs of white space, line breaks
// included, become one blank, with none at either end.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Snapshot is the state files as read at one moment.
type Snapshot struct {
	State *mdstate.State
	Todo  *mdstate.Todo
	// TodoMissing is set when there is no TODO.md (a valid, empty list).
	TodoMissing bool
	// skipState and skipTodo say which files `wf lint` does not check:
	// ReadPaths reads only the files it was given.
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

// StateBytes is workflow-state.md as read.
func (sn *Snapshot) StateBytes() []byte { return sn.stateRaw }

// TodoBytes is TODO.md as read (nil when it is missing).
func (sn *Snapshot) TodoBytes() []byte { return sn.todoRaw }

// Checks reports whether `wf lint` checks the file named path: both files
// of a workflow, or only those given to [ReadPaths].
func (sn *Snapshot) Checks(path string) bool {
	switch path {
	case sn.State.Src.Path:
		return !sn.skipState
	case sn.Todo.Src.Path:
		return !sn.skipTodo
	}
	return true
}

// Read reads and parses both state files, without the lock.
func (w *Workspace) Read() (*Snapshot, error) {
	sn := &Snapshot{}
	raw, _, err := mdstate.ReadFile(w.Top(), w.Path(StateFile))
	if err != nil {
		return nil, err
	}
	sn.stateRaw = raw
	sn.State = mdstate.ParseState(w.Rel(StateFile), raw)
	raw, _, err = mdstate.ReadFile(w.Top(), w.Path(TodoFile))
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

// EmptyStateError is the error of [Workspace.ReadSettled] when
// workflow-state.md stays empty: wf does not build an edit on it.
type EmptyStateError struct{ Path string }

func (e *EmptyStateError) Error() string {
	return fmt.Sprintf("%s is empty (0 bytes): wf does not edit or commit an empty state file", e.Path)
}

// Hint says what to do.
func (e *EmptyStateError) Hint() string {
	return "if an editor is saving it, run the command again; if it was emptied by mistake: git checkout -- " + e.Path
}

// settleWait and settleTries bound how long [Workspace.ReadSettled] waits
// for an empty state file to be written: an editor that saves in place
// truncates the file and then writes it, and wf must not read the moment
// between (about 25 ms is far more than that moment, which is one write).
const (
	settleWait  = 5 * time.Millisecond
	settleTries = 5
)

// ReadSettled is [Workspace.Read] for a command that will edit or commit
// the files it reads (under the lock): a state file that exists but is
// empty is read again after a short wait, because an editor saving it in
// place empties it for a moment; an edit built on that moment would
// replace the whole file, and the byte check before the rename cannot
// tell one empty moment from the next save's (the soak, docs/soak.md,
// lost a workflow-state.md that way). A workflow-state.md still empty
// after the waits is refused with an [*EmptyStateError]; a TODO.md still
// empty is taken as empty.
func (w *Workspace) ReadSettled() (*Snapshot, error) {
	for try := 0; ; try++ {
		sn, err := w.Read()
		if err != nil {
			return nil, err
		}
		stateEmpty := len(sn.stateRaw) == 0
		todoEmpty := len(sn.todoRaw) == 0 && !sn.TodoMissing
		if !stateEmpty && !todoEmpty {
			return sn, nil
		}
		if try == settleTries {
			if stateEmpty {
				return nil, &EmptyStateError{Path: w.Rel(StateFile)}
			}
			return sn, nil
		}
		time.Sleep(settleWait << try)
	}
}

// Conflicts returns a [*mdstate.ConflictError] for the first state file
// that holds unresolved git conflict markers (workflow-state.md, then
// TODO.md), nil when neither does. Every edit and every checkpoint
// refuses such a file: its parse mixes both sides of the conflict.
func (sn *Snapshot) Conflicts() error {
	if err := mdstate.CheckConflicts(sn.State.Src.Path, sn.stateRaw); err != nil {
		return err
	}
	return mdstate.CheckConflicts(sn.Todo.Src.Path, sn.todoRaw)
}

// isLink reports whether path is a symbolic link (to anything, or nothing).
func isLink(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.Mode()&fs.ModeSymlink != 0
}

// Change is what one command does to the state files: given a fresh
// snapshot, it returns the new bytes of either file (nil for unchanged).
type Change func(sn *Snapshot) (state, todo []byte, err error)

// updateTries is how often [Workspace.Update] redoes a change on a file
// saved meanwhile before it gives up: enough for an editor that autosaves
// every few milliseconds, as a redo costs one read, parse and write.
const updateTries = 10

// Update runs change under the worktree lock on a snapshot read under the
// lock, and writes what it returns atomically. When a file changes on disk
// between the read and the write (a hand edit in an editor, which takes no
// lock), the whole change is redone on the new content, up to updateTries times,
// so the hand edit is kept. It returns the snapshot as written.
func (w *Workspace) Update(change Change) (*Snapshot, error) {
	release, err := w.Lock()
	if err != nil {
		return nil, err
	}
	defer release()
	for attempt := 0; ; attempt++ {
		sn, err := w.ReadSettled()
		if err != nil {
			return nil, err
		}
		if err := sn.Conflicts(); err != nil {
			return nil, err
		}
		state, todo, err := change(sn)
		if err != nil {
			return nil, err
		}
		err = w.write(sn, state, todo)
		if errors.Is(err, mdstate.ErrChanged) && attempt < updateTries-1 {
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
		w.recordTodoWrite(todo)
	}
	if state != nil {
		if err := mdstate.WriteFileAtomic(w.Path(StateFile), state, sn.stateRaw); err != nil {
			return w.changed(StateFile, err)
		}
	}
	return nil
}

// todoWrittenFile, in the runtime folder, holds TODO.md as the last wf
// command wrote it, so that wf resume can tell a wf edit from a hand edit.
const todoWrittenFile = "todo-written"

// recordTodoWrite keeps a copy of what wf wrote to TODO.md. It is a
// cache: a failure loses only the distinction between wf's edits and hand
// edits, so it is not reported.
func (w *Workspace) recordTodoWrite(todo []byte) {
	dir := w.RuntimeDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	p := filepath.Join(dir, todoWrittenFile)
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, todo, 0o644); err != nil {
		os.Remove(tmp)
		return
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
	}
}

// LastTodoWrite returns TODO.md as the last wf command in this worktree
// wrote it, nil when none is recorded.
func (w *Workspace) LastTodoWrite() []byte {
	data, err := os.ReadFile(filepath.Join(w.RuntimeDir(), todoWrittenFile))
	if err != nil {
		return nil
	}
	return data
}

// todoAddedFile, in the runtime folder, lists the texts of the items wf
// todo add added, one a line, newest last (at most maxTodoAdded).
const (
	todoAddedFile = "todo-added"
	maxTodoAdded  = 500
)

// RecordTodoAdded notes that a wf command added an item with text, so
// that wf resume can tell it from an item added by hand. Like
// recordTodoWrite, a cache: failures are not reported.
func (w *Workspace) RecordTodoAdded(text string) {
	dir := w.RuntimeDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	p := filepath.Join(dir, todoAddedFile)
	old, _ := os.ReadFile(p)
	lines := strings.Split(strings.TrimRight(string(old), "\n"), "\n")
	if len(old) == 0 {
		lines = nil
	}
	lines = append(lines, OneLine(text))
	if len(lines) > maxTodoAdded {
		lines = lines[len(lines)-maxTodoAdded:]
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		os.Remove(tmp)
		return
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
	}
}

// TodoAddedByWf returns the texts of the items wf commands added here.
func (w *Workspace) TodoAddedByWf() map[string]bool {
	data, err := os.ReadFile(filepath.Join(w.RuntimeDir(), todoAddedFile))
	out := map[string]bool{}
	if err != nil {
		return out
	}
	for _, l := range strings.Split(string(data), "\n") {
		if l != "" {
			out[l] = true
		}
	}
	return out
}

// changed names the file in a bare [mdstate.ErrChanged] and says what to
// do, for when Update has run out of tries; errors.Is still sees it.
func (w *Workspace) changed(name string, err error) error {
	if !errors.Is(err, mdstate.ErrChanged) {
		return err
	}
	return &mdstate.FileError{Path: w.Rel(name),
		Msg: fmt.Sprintf("kept changing on disk while wf was editing it (%d tries); wf did not overwrite it", updateTries),
		Fix: "run the command again once the file is saved (an editor or a tool is rewriting it)",
		Err: err}
}

// ReadPaths reads and parses state files named directly (for `wf lint
// --state F --todo F` on files that are not in a workflow): paths relative
// to workDir, or absolute; messages name them as given. An empty path
// reads as an empty file, which lint then does not check.
func ReadPaths(workDir, statePath, todoPath string) (*Snapshot, error) {
	sn := &Snapshot{skipState: statePath == "", skipTodo: todoPath == ""}
	read := func(given string) ([]byte, error) {
		p := given
		if !filepath.IsAbs(p) {
			p = filepath.Join(workDir, p)
		}
		raw, _, err := mdstate.ReadFile("", p)
		var fe *mdstate.FileError
		if errors.As(err, &fe) && fe.Path == p {
			fe.Path = given
		}
		return raw, err
	}
	var err error
	if statePath != "" {
		if sn.stateRaw, err = read(statePath); err != nil {
			return nil, err
		}
	}
	if todoPath != "" {
		if sn.todoRaw, err = read(todoPath); err != nil {
			return nil, err
		}
	}
	sn.State = mdstate.ParseState(statePath, sn.stateRaw)
	sn.Todo = mdstate.ParseTodo(todoPath, sn.todoRaw)
	return sn, nil
}
