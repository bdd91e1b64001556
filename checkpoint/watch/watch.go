// Package watch is `wf watch`: it watches a workflow's state files while
// an agent or a person edits them, lints every save, makes a checkpoint
// when a TODO item turns [ ] → [x], notices spec result files as they
// appear, and records heartbeats while it runs. It is a driver: events
// from the file system in, the same functions `wf checkpoint` and `wf
// lint` run (checkpoint.Checkpoint, lint.Lint on a workspace snapshot)
// down, and [Event]s out to a callback; cmd/wf prints them. (It cannot
// import cmd/wf/internal/verbs: Go's internal rule keeps that package to
// cmd/wf.)
//
// It follows fsnotify's advice (its README and cmd/fsnotify/dedup.go):
// it watches folders, not files, since editors save by rename, which
// drops a watch on the file; it treats every create, write, rename and
// remove as "may have changed", waits for a file to be quiet (the settle
// time) and then reads it again and compares a content hash, so its own
// writes, touches and saves of the same bytes cause nothing. When the
// kernel watcher cannot be created, is not wanted (poll) or its event
// queue overflows, it reads the files on a timer instead, and says so.
//
// It never holds the worktree's state lock while idle: only a checkpoint
// it makes takes it, through checkpoint.Checkpoint. A second watcher in the
// same worktree is refused by a lock of its own (see [BusyError]).
package watch

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/wf-tool/wf/checkpoint"
	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/lint"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// DefaultSettle is how long a file must be quiet after an event before it
// is read again: an editor's save is several events (rename, create,
// write, chmod) within a few milliseconds.
const DefaultSettle = 50 * time.Millisecond

// WakeFunc evaluates the waits of a workflow (the "## Waiting" section
// of workflow-state.md, with its file, until, command and signal
// conditions) on the snapshot sn at now. It returns the events to report
// (a wait resolved, a command wait run) and the next time it wants to be
// called although no file changed (zero for none). The watcher calls it
// after reading the state files at start, after each change to them and
// at the time it asked for; it is the hook for the wait semantics that
// package lifecycle owns.
type WakeFunc func(sn *workspace.Snapshot, now time.Time) (events []Event, next time.Time, err error)

// Options configure [Run]. A nil Debounce, AutoCheckpoint or Poll, or a
// zero PollInterval or Heartbeat, takes the watch setting of the
// workflow, or its default ([workspace.DefaultWatchSettings]).
type Options struct {
	// Workspace says where the workflow is, as for every command.
	Workspace workspace.Options
	// Note receives what opening the workflow did (an interrupted
	// checkpoint completed or rolled back); nil drops it.
	Note           func(msg string)
	Debounce       *time.Duration
	AutoCheckpoint *bool
	Poll           *bool
	PollInterval   time.Duration
	Heartbeat      time.Duration
	// Settle is how long a file must be quiet before it is read again;
	// zero is DefaultSettle.
	Settle time.Duration
	// Emit receives every event, from one goroutine, in order (required).
	Emit func(Event)
	// Wake evaluates the waits; nil evaluates none.
	Wake WakeFunc
}

// BusyError means another `wf watch` runs in the same worktree: it holds
// the watch lock, an flock(2) on Path that the kernel releases when its
// holder exits, however it exits.
type BusyError struct {
	Path string
	PID  int // the holder, as it wrote itself in the file; 0 if unknown
}

func (e *BusyError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("another wf watch is running in this worktree (pid %d holds %s)", e.PID, e.Path)
	}
	return fmt.Sprintf("another wf watch is running in this worktree (%s is held)", e.Path)
}

// Hint says what to do; never to remove the lock file, which is freed
// when its holder exits.
func (e *BusyError) Hint() string {
	if e.PID > 0 {
		return fmt.Sprintf("use the watcher that runs, or stop it (kill %d) and start again", e.PID)
	}
	return "use the watcher that runs, or stop it and start again"
}

// SettingError is a watch setting that cannot be read.
type SettingError struct {
	File string
	Line int
	Err  error
}

func (e *SettingError) Error() string {
	return fmt.Sprintf("%s:%d: watch setting: %v", e.File, e.Line, e.Err)
}

// Hint is the shape of a valid setting.
func (e *SettingError) Hint() string {
	return "write it as \"- watch: debounce=2s, auto-checkpoint=on\" (keys: debounce, auto-checkpoint, poll, poll-interval, heartbeat)"
}

// watchLockDir is the folder of the watch lock in the runtime folder; the
// lock file is its "lock", as for the state lock (mdstate.AcquireLock).
const watchLockDir = "watch"

// kind is what a watched path is to the watcher.
type kind int

const (
	kindNone kind = iota
	kindState
	kindTodo
	kindResult
	kindCheckpoint
)

// tick is an item seen turning [ ] → [x].
type tick struct {
	key  string // itemKey
	text string
}

type watcher struct {
	o   Options
	set workspace.WatchSettings
	ws  *workspace.Workspace
	// root, specs and checkpoints are the watched folders.
	root, specs, checkpoints string

	fsw *fsnotify.Watcher // nil while polling
	// hashes holds the content hash of each watched file as last
	// handled; a missing key is a file not seen.
	hashes map[string][32]byte
	// stamps is what polling last saw of each file: size and mtime.
	stamps map[string]stamp
	timers map[string]*time.Timer
	due    chan string
	quit   chan struct{}

	// head is HEAD (branch and commit) when the state files were last
	// read; "" outside git.
	head string
	// open says of each item (itemKeys) whether it was open when last
	// seen.
	open     map[string]bool
	lintErrs map[string][]string // file → its lint errors as last printed
	pending  []tick
	flush    *time.Timer
	poll     *time.Ticker
	wakeAt   *time.Timer
}

type stamp struct {
	size  int64
	mtime time.Time
}

// Run watches the workflow of o.Env until ctx is done, reporting through
// o.Emit; it returns nil then. It fails before watching when there is no
// workflow, when another watcher holds the worktree's watch lock
// ([*BusyError]) or when the watch setting cannot be read
// ([*SettingError]). Errors while watching (a checkpoint refused, a file
// that cannot be read) are reported as "error" events and it goes on.
func Run(ctx context.Context, o Options) error {
	if o.Emit == nil {
		return errors.New("internal error: watch.Options.Emit is nil")
	}
	if o.Settle <= 0 {
		o.Settle = DefaultSettle
	}
	ws, err := checkpoint.Open(o.Workspace)
	if err != nil {
		return err
	}
	for _, n := range ws.Notes {
		if o.Note != nil {
			o.Note(n)
		}
	}
	lock, err := mdstate.AcquireLock(filepath.Join(ws.RuntimeDir(), watchLockDir), 0)
	if err != nil {
		var busy *mdstate.LockBusyError
		if errors.As(err, &busy) {
			return &BusyError{Path: busy.Path, PID: busy.PID}
		}
		return err
	}
	defer lock.Release()

	sn, err := ws.Read()
	if err != nil {
		return err
	}
	set, err := settingsOf(sn)
	if err != nil {
		return err
	}
	if o.Debounce != nil {
		set.Debounce = *o.Debounce
	}
	if o.AutoCheckpoint != nil {
		set.AutoCheckpoint = *o.AutoCheckpoint
	}
	if o.Poll != nil {
		set.Poll = *o.Poll
	}
	if o.PollInterval > 0 {
		set.PollInterval = o.PollInterval
	}
	if o.Heartbeat > 0 {
		set.Heartbeat = o.Heartbeat
	}
	w := &watcher{
		o: o, set: set, ws: ws,
		root: ws.Root, specs: ws.Path(workspace.SpecsDir), checkpoints: ws.Path(workspace.CheckpointsDir),
		hashes: map[string][32]byte{}, stamps: map[string]stamp{}, timers: map[string]*time.Timer{},
		due: make(chan string, 64), quit: make(chan struct{}), lintErrs: map[string][]string{}, open: map[string]bool{},
	}
	defer w.stop()
	return w.loop(ctx, sn)
}

// settingsOf reads the watch setting of sn's workflow-state.md.
func settingsOf(sn *workspace.Snapshot) (workspace.WatchSettings, error) {
	for _, s := range sn.State.Settings {
		if strings.EqualFold(s.Key, "watch") {
			set, err := workspace.ParseWatchSetting(s.Value)
			if err != nil {
				return set, &SettingError{File: sn.State.Src.Path, Line: s.Line, Err: err}
			}
			return set, nil
		}
	}
	return workspace.DefaultWatchSettings(), nil
}

func (w *watcher) emit(ev Event) {
	ev.Schema = workspace.SchemaVersion
	if ev.Time.IsZero() {
		ev.Time = w.ws.Now()
	}
	w.o.Emit(ev)
}

func (w *watcher) errorEvent(err error) {
	ev := Event{Event: EvError, Message: err.Error()}
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		ev.Hint = h.Hint()
	}
	w.emit(ev)
}

func (w *watcher) loop(ctx context.Context, sn *workspace.Snapshot) error {
	mode, reason := ModeEvents, ""
	if w.set.Poll {
		mode, reason = ModePoll, "asked for"
	} else if err := w.startEvents(); err != nil {
		mode, reason = ModePoll, "the file system watcher cannot be created: "+err.Error()
	}
	// The baseline: every watched file as it is now. Lint errors there
	// already are printed; ticks are counted from here.
	// The state files are read again now that the watches are in place,
	// and their hashes taken from the very bytes parsed, so that no save
	// falls between the baseline and the first event.
	if again, err := w.ws.Read(); err == nil {
		sn = again
	}
	w.ticks(sn)
	for _, p := range w.files() {
		switch w.kindOf(p) {
		case kindState:
			w.hashes[p] = sha256.Sum256(sn.StateBytes())
		case kindTodo:
			if !sn.TodoMissing {
				w.hashes[p] = sha256.Sum256(sn.TodoBytes())
			}
		default:
			if data, err := w.read(p); err == nil {
				w.hashes[p] = sha256.Sum256(data)
			}
		}
		w.stamps[p], _ = statStamp(p)
	}
	w.head = w.headNow()
	w.lint(sn)
	w.heartbeat()
	w.emit(Event{Event: EvStart, Mode: mode, Root: w.ws.Rel("."), Debounce: w.set.Debounce.String(), AutoCheckpoint: w.set.AutoCheckpoint})
	if mode == ModePoll {
		w.startPoll(reason)
	}
	w.wake(sn)
	beat := time.NewTicker(w.set.Heartbeat)
	defer beat.Stop()

	for {
		var events <-chan fsnotify.Event
		var errs <-chan error
		if w.fsw != nil {
			events, errs = w.fsw.Events, w.fsw.Errors
		}
		var pollC, flushC, wakeC <-chan time.Time
		if w.poll != nil {
			pollC = w.poll.C
		}
		if w.flush != nil {
			flushC = w.flush.C
		}
		if w.wakeAt != nil {
			wakeC = w.wakeAt.C
		}
		select {
		case <-ctx.Done():
			ev := Event{Event: EvStop, Reason: context.Cause(ctx).Error()}
			for _, t := range w.pending {
				ev.Items = append(ev.Items, t.text)
			}
			if len(ev.Items) > 0 {
				ev.Message = "ticked items not checkpointed: wf checkpoint -m \"...\" records them"
			}
			w.emit(ev)
			return nil
		case e, ok := <-events:
			if !ok {
				w.lost("the file system watcher stopped")
				continue
			}
			w.event(e)
		case err, ok := <-errs:
			if !ok {
				w.lost("the file system watcher stopped")
				continue
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.lost("the event queue overflowed")
				continue
			}
			w.errorEvent(fmt.Errorf("file system watcher: %w", err))
		case p := <-w.due:
			delete(w.timers, p)
			w.changed(p, false)
		case <-pollC:
			w.pollOnce()
		case <-flushC:
			w.flush = nil
			w.checkpoint()
		case <-wakeC:
			w.wakeAt = nil
			if sn, err := w.ws.Read(); err == nil {
				w.wake(sn)
			}
		case <-beat.C:
			w.heartbeat()
		}
	}
}

// startEvents creates the kernel watcher and watches the state root and
// the checkpoints and specs folders that exist.
func (w *watcher) startEvents() error {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	if err := fsw.Add(w.root); err != nil {
		fsw.Close()
		return err
	}
	w.fsw = fsw
	for _, d := range []string{w.specs, w.checkpoints} {
		w.addDir(d)
	}
	return nil
}

// addDir watches the folder d if it exists; a folder that cannot be
// watched is an error event, and polling takes over.
func (w *watcher) addDir(d string) {
	if w.fsw == nil {
		return
	}
	fi, err := os.Lstat(d)
	if err != nil || !fi.IsDir() {
		return
	}
	if err := w.fsw.Add(d); err != nil {
		w.stopEvents()
		w.startPoll("cannot watch " + w.ws.Rel(filepath.Base(d)) + ": " + err.Error())
	}
}

// lost switches to polling when kernel events can no longer be trusted
// (the queue overflowed: events were dropped) or come no more, and reads
// every file again for what was missed.
func (w *watcher) lost(reason string) {
	w.stopEvents()
	w.startPoll(reason)
	w.rescan(false)
}

func (w *watcher) stopEvents() {
	if w.fsw != nil {
		w.fsw.Close()
		w.fsw = nil
	}
}

// startPoll switches to reading the files every PollInterval.
func (w *watcher) startPoll(reason string) {
	if w.poll != nil {
		return
	}
	w.poll = time.NewTicker(w.set.PollInterval)
	w.emit(Event{Event: EvPoll, Mode: ModePoll, Reason: reason, Message: "polling every " + w.set.PollInterval.String()})
}

func (w *watcher) stop() {
	close(w.quit)
	for _, t := range w.timers {
		t.Stop()
	}
	if w.flush != nil {
		w.flush.Stop()
	}
	if w.poll != nil {
		w.poll.Stop()
	}
	if w.wakeAt != nil {
		w.wakeAt.Stop()
	}
	w.stopEvents()
}

// kindOf says what path p is to the watcher.
func (w *watcher) kindOf(p string) kind {
	dir, base := filepath.Dir(p), filepath.Base(p)
	if IgnoredName(base) {
		return kindNone
	}
	switch dir {
	case w.root:
		switch base {
		case workspace.StateFile:
			return kindState
		case workspace.TodoFile:
			return kindTodo
		}
	case w.specs:
		if strings.HasSuffix(base, ".result.md") {
			return kindResult
		}
	case w.checkpoints:
		if strings.HasSuffix(base, ".md") {
			return kindCheckpoint
		}
	}
	return kindNone
}

// IgnoredName reports whether a file's base name is an editor's or wf's
// temp or backup file, whose events the watcher drops: "*~" (backups),
// ".*.swp"/".*.swx"/".*.swo" (vim swap files), "4913" (vim's probe of
// whether it may create files), "#*#" (emacs auto-saves) and wf's own temp
// files ([mdstate.IsTempName]).
func IgnoredName(base string) bool {
	switch {
	case base == "4913", strings.HasSuffix(base, "~"), mdstate.IsTempName(base):
		return true
	case strings.HasPrefix(base, ".") && (strings.HasSuffix(base, ".swp") || strings.HasSuffix(base, ".swx") || strings.HasSuffix(base, ".swo")):
		return true
	case len(base) > 1 && strings.HasPrefix(base, "#") && strings.HasSuffix(base, "#"):
		return true
	}
	return false
}

// files lists the watched files that exist now.
func (w *watcher) files() []string {
	out := []string{w.ws.Path(workspace.StateFile), w.ws.Path(workspace.TodoFile)}
	for _, d := range []string{w.specs, w.checkpoints} {
		es, err := os.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range es {
			if p := filepath.Join(d, e.Name()); w.kindOf(p) != kindNone {
				out = append(out, p)
			}
		}
	}
	return out
}

// event handles one kernel event: a new folder is watched, a watched
// file is read again once it has been quiet for the settle time.
func (w *watcher) event(e fsnotify.Event) {
	if e.Op == fsnotify.Chmod {
		return // not a change of content
	}
	if (e.Name == w.specs || e.Name == w.checkpoints) && e.Has(fsnotify.Create) {
		w.addDir(e.Name)
		// Files made before the watch was in place have no event.
		for _, p := range w.files() {
			if filepath.Dir(p) == e.Name {
				w.schedule(p)
			}
		}
		return
	}
	if w.kindOf(e.Name) != kindNone {
		w.schedule(e.Name)
	}
}

// schedule reads p again once no event on it came for the settle time.
func (w *watcher) schedule(p string) {
	if t, ok := w.timers[p]; ok {
		t.Reset(w.o.Settle)
		return
	}
	w.timers[p] = time.AfterFunc(w.o.Settle, func() {
		select {
		case w.due <- p:
		case <-w.quit:
		}
	})
}

// pollOnce compares the size and mtime of every watched file with what
// the last poll saw, and reads again the ones that differ.
func (w *watcher) pollOnce() {
	seen := map[string]bool{}
	for _, p := range w.files() {
		seen[p] = true
		st, err := statStamp(p)
		if err != nil {
			continue
		}
		if old, ok := w.stamps[p]; !ok || old != st {
			w.stamps[p] = st
			w.changed(p, false)
		}
	}
	for p := range w.stamps {
		if !seen[p] {
			delete(w.stamps, p)
			w.changed(p, false)
		}
	}
}

func statStamp(p string) (stamp, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return stamp{}, err
	}
	return stamp{size: fi.Size(), mtime: fi.ModTime()}, nil
}

// rescan reads every watched file again; own is set after the watcher's
// own checkpoint, whose files it does not report.
func (w *watcher) rescan(own bool) {
	for _, p := range w.files() {
		w.changed(p, own)
	}
}

// read reads a watched file, refusing links out of the tree as every wf
// read does.
func (w *watcher) read(p string) ([]byte, error) {
	data, _, err := mdstate.ReadFile(w.ws.Top(), p)
	return data, err
}

// changed handles a watched file that may have changed: it is read, and
// only a content hash that differs from the last one counts.
func (w *watcher) changed(p string, own bool) {
	k := w.kindOf(p)
	data, err := w.read(p)
	if errors.Is(err, fs.ErrNotExist) {
		// An editor's save by rename leaves the file missing for a moment;
		// the create that follows brings it back. A state file that stays
		// missing is not read as empty (which would make every item new).
		if k == kindResult || k == kindCheckpoint {
			delete(w.hashes, p)
		}
		return
	}
	if err != nil {
		if k == kindState || k == kindTodo {
			w.errorEvent(err)
		}
		return
	}
	h := sha256.Sum256(data)
	if old, ok := w.hashes[p]; ok && old == h {
		return // wf's own write, a touch, a save of the same bytes
	}
	_, existed := w.hashes[p]
	w.hashes[p] = h
	switch k {
	case kindState, kindTodo:
		sn, err := w.ws.Read()
		if err != nil {
			w.errorEvent(err)
			return
		}
		w.lint(sn)
		if h := w.headNow(); h != w.head && !own {
			// A checkout, merge or pull brought these files: items done
			// on another branch were not ticked here.
			w.head = h
			w.forget(sn)
		} else {
			w.head = h
			w.ticks(sn)
		}
		w.wake(sn)
	case kindResult:
		if !existed {
			w.emit(Event{Event: EvResult, File: w.ws.RelWD(p)})
		}
	case kindCheckpoint:
		if !own && !existed {
			w.emit(Event{Event: EvCheckpointFile, File: w.ws.RelWD(p)})
		}
	}
}

// lint prints the lint errors of sn that were not printed before, and a
// "fixed" line for a file whose errors are all gone.
func (w *watcher) lint(sn *workspace.Snapshot) {
	now := map[string][]lint.Diagnostic{}
	for _, d := range lint.Lint(sn) {
		if d.Severity == lint.SevError {
			now[d.File] = append(now[d.File], d)
		}
	}
	for _, f := range []string{sn.State.Src.Path, sn.Todo.Src.Path} {
		before := map[string]bool{}
		for _, s := range w.lintErrs[f] {
			before[s] = true
		}
		var keep []string
		for _, d := range now[f] {
			s := d.String()
			keep = append(keep, s)
			if !before[s] {
				w.emit(Event{Event: EvLint, File: d.File, Line: d.Line, Severity: d.Severity, Message: d.Msg, Hint: d.Hint})
			}
		}
		if len(w.lintErrs[f]) > 0 && len(keep) == 0 {
			w.emit(Event{Event: EvFixed, File: f, Message: "no lint errors"})
		}
		w.lintErrs[f] = keep
	}
}

// itemKey identifies an item across saves: its text on one line and how
// many items before it have the same text. An item whose text changes in
// the same save as its box is not seen as ticked.
func itemKeys(td *mdstate.Todo) []string {
	n := map[string]int{}
	out := make([]string, len(td.Items))
	for i, it := range td.Items {
		t := workspace.OneLine(it.Text)
		out[i] = fmt.Sprintf("%s\x00%d", t, n[t])
		n[t]++
	}
	return out
}

// ticks finds the items that turned [ ] → [x] since they were last seen
// open and, with auto-checkpoint on, (re)starts the debounce. What is
// known of an item is kept while a read lacks it: a read that catches an
// in-place save half written (the file truncated, the new bytes not yet
// there) must not make the items ticked by the rest of that save look
// new.
func (w *watcher) ticks(sn *workspace.Snapshot) {
	var ev Event
	for i, k := range itemKeys(sn.Todo) {
		it := sn.Todo.Items[i]
		wasOpen, known := w.open[k]
		w.open[k] = it.Mark == mdstate.Open
		if !known || !wasOpen || it.Mark != mdstate.Done {
			continue
		}
		text := workspace.OneLine(it.Text)
		ev.Items = append(ev.Items, text)
		if w.set.AutoCheckpoint && it.Checkpoint == "" {
			w.pending = append(w.pending, tick{key: k, text: text})
		}
	}
	if len(ev.Items) == 0 {
		return
	}
	ev.Event, ev.File = EvTick, sn.Todo.Src.Path
	w.emit(ev)
	if len(w.pending) == 0 {
		return
	}
	if w.flush != nil {
		w.flush.Stop()
	}
	w.flush = time.NewTimer(w.set.Debounce)
}

// forget takes in the items of sn as they are, seeing no tick.
func (w *watcher) forget(sn *workspace.Snapshot) {
	for i, k := range itemKeys(sn.Todo) {
		w.open[k] = sn.Todo.Items[i].Mark == mdstate.Open
	}
}

// headNow is HEAD's branch and commit, "" outside git or when it cannot
// be read.
func (w *watcher) headNow() string {
	if w.ws.Repo == nil {
		return ""
	}
	h, err := w.ws.Repo.Head()
	if err != nil {
		return ""
	}
	return h.Branch + "@" + h.Hash.String()
}

// checkpoint makes one checkpoint for the ticks of the debounce window.
// A tick that is no longer done, or that a checkpoint already annotated
// with its id (wf checkpoint run by the agent, or `wf todo done
// --checkpoint ID`), is left out: it needs no second checkpoint.
func (w *watcher) checkpoint() {
	ticks := w.pending
	w.pending = nil
	sn, err := w.ws.Read()
	if err != nil {
		w.errorEvent(err)
		return
	}
	todo := map[string]*mdstate.Item{}
	for i, k := range itemKeys(sn.Todo) {
		todo[k] = sn.Todo.Items[i]
	}
	var items, covered []string
	for _, t := range ticks {
		it := todo[t.key]
		switch {
		case it == nil || it.Mark != mdstate.Done:
			// Unticked (or edited) again within the window.
		case it.Checkpoint != "":
			covered = append(covered, t.text)
		default:
			items = append(items, t.text)
		}
	}
	if len(covered) > 0 {
		w.emit(Event{Event: EvCovered, Items: covered, Message: "already recorded by a checkpoint"})
	}
	if len(items) == 0 {
		return
	}
	res, err := w.commit(items)
	if err != nil {
		w.errorEvent(fmt.Errorf("auto-checkpoint of %s: %w", plural(len(items)), err))
		w.rescan(true)
		return
	}
	w.emit(Event{Event: EvCheckpoint, Items: items, Checkpoint: res.ID, Commit: res.Commit, Title: res.Title, File: res.File})
	// The checkpoint wrote the state files and its own file: take them in
	// now, so that their events are seen as wf's own writes.
	w.rescan(true)
}

// commit makes the checkpoint as `wf checkpoint -m TITLE --summary
// SUMMARY` does: the workflow opened again (completing or rolling back an
// interrupted checkpoint), then checkpoint.Checkpoint, which takes the
// state lock for its writes only.
func (w *watcher) commit(items []string) (*checkpoint.CheckpointResult, error) {
	ws, err := checkpoint.Open(w.o.Workspace)
	if err != nil {
		return nil, err
	}
	for _, n := range ws.Notes {
		if w.o.Note != nil {
			w.o.Note(n)
		}
	}
	res, err := checkpoint.Checkpoint(ws, checkpoint.CheckpointOptions{Title: Title(items), Summary: Summary(items)})
	if err != nil {
		return nil, err
	}
	for _, n := range res.Notes {
		if w.o.Note != nil {
			w.o.Note(n)
		}
	}
	return res, nil
}

func plural(n int) string {
	if n == 1 {
		return "1 item"
	}
	return fmt.Sprintf("%d items", n)
}

// maxTitleItems is how many item texts a checkpoint title names; the
// summary names them all.
const maxTitleItems = 3

// Title is the title of the auto-checkpoint for the items ticked
// ("Done: write the parser", "Done: a; b; c and 17 more").
func Title(items []string) string {
	n := min(len(items), maxTitleItems)
	t := "Done: " + strings.Join(items[:n], "; ")
	if len(items) > n {
		t += fmt.Sprintf(" and %d more", len(items)-n)
	}
	return t
}

// Summary names every item ticked, for the checkpoint's summary.
func Summary(items []string) string {
	return "Ticked in " + workspace.TodoFile + " (wf watch): " + strings.Join(items, "; ")
}

// heartbeat records that the watcher is alive (lifecycle.Heartbeat): a
// watcher that dies stops beating, and wf resume reports it stale.
func (w *watcher) heartbeat() {
	if _, err := lifecycle.Heartbeat(w.ws, "wf watch"); err != nil {
		w.errorEvent(fmt.Errorf("heartbeat: %w", err))
	}
}

// wake calls the wait hook on sn and arms its next call.
func (w *watcher) wake(sn *workspace.Snapshot) {
	if w.o.Wake == nil {
		return
	}
	evs, next, err := w.o.Wake(sn, w.ws.Now())
	for _, ev := range evs {
		w.emit(ev)
	}
	if err != nil {
		w.errorEvent(err)
	}
	if w.wakeAt != nil {
		w.wakeAt.Stop()
		w.wakeAt = nil
	}
	if !next.IsZero() {
		w.wakeAt = time.NewTimer(max(next.Sub(w.ws.Now()), 0))
	}
}
