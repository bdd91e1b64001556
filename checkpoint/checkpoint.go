// Package checkpoint is the checkpoint verb: it writes a checkpoint file
// (DESIGN.md §3.3), records it in the state files and commits it all in
// one git commit through package gitcp ([Checkpoint]); it reads one back
// ([Show]) and continues from an older one on a new branch ([Recover]).
// It also creates a workflow ([Init]) and opens one, completing or rolling
// back a checkpoint that a crash interrupted ([Open]).
//
// Every multi-step write is journaled (package journal) before it
// happens. It talks to git only through gitcp and never prints: commands
// in cmd/wf do.
package checkpoint

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/wf-tool/wf/checkpoint/history"
	"github.com/wf-tool/wf/checkpoint/journal"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp"
	"github.com/wf-tool/wf/mdstate"
	"github.com/wf-tool/wf/mdstate/sections"
)

// TitleError means a checkpoint has no title.
type TitleError struct{}

func (*TitleError) Error() string { return "a checkpoint needs a title" }

// Hint says what the user can do.
func (*TitleError) Hint() string {
	return `wf checkpoint -m "API routes 60% complete"   (or a "# Title" line in the body on stdin)`
}

// RefusedError lists files the checkpoint refused to commit; nothing was
// written.
type RefusedError struct {
	*gitcp.RefusedFilesError
	// Args are the files as the command line names them (relative to the
	// working directory), in the order of Files.
	Args []string
}

func (e *RefusedError) Unwrap() error { return e.RefusedFilesError }

// Hint names the flags that allow the files.
func (e *RefusedError) Hint() string {
	var flags []string
	secret := false
	for i, f := range e.Files {
		arg := f.Path
		if i < len(e.Args) {
			arg = e.Args[i]
		}
		if f.Large {
			flags = append(flags, "--allow-large "+arg)
		} else {
			flags = append(flags, "--allow-secret "+arg)
			secret = true
		}
	}
	h := "add them to .gitignore, or if they belong in the commit: wf checkpoint … " + strings.Join(flags, " ")
	if secret {
		h += " (an accepted secret is remembered as \"allow-secret: PATH@BLOB\" under Settings in " + workspace.StateFile + " until the file changes)"
	}
	var changed []string
	for _, f := range e.Files {
		if !f.Accepted.IsZero() {
			changed = append(changed, "\""+SettingAllowSecret+": "+f.Path+"@"+f.Accepted.String()+"\"")
		}
	}
	if len(changed) > 0 {
		h += "; accepting again replaces the earlier acceptance " + strings.Join(changed, ", ")
	}
	return h
}

// SettingAllowSecret is the Settings key that remembers a file accepted
// although it looks like a secret: "- allow-secret: PATH@BLOB", PATH from
// the git top level and BLOB the git blob id of the accepted content.
const SettingAllowSecret = "allow-secret"

// acceptedSecrets reads the allow-secret settings; an entry whose value is
// not PATH@BLOB is ignored (wf lint shows settings as they are).
func acceptedSecrets(st *mdstate.State) map[string]gitcp.Hash {
	out := map[string]gitcp.Hash{}
	for _, s := range st.Settings {
		if !strings.EqualFold(s.Key, SettingAllowSecret) {
			continue
		}
		i := strings.LastIndexByte(s.Value, '@')
		if i <= 0 || !gitcp.IsHash(s.Value[i+1:]) {
			continue
		}
		out[s.Value[:i]] = gitcp.NewHash(s.Value[i+1:])
	}
	return out
}

// rememberSecrets records each file committed through --allow-secret as
// an allow-secret setting, replacing the entry for the same path.
func rememberSecrets(st *mdstate.State, allowed []gitcp.AllowedSecret) (*mdstate.State, error) {
	for _, a := range allowed {
		prefix := a.Path + "@"
		_, nst, err := st.PutSetting(SettingAllowSecret, func(v string) bool {
			return strings.HasPrefix(v, prefix) && gitcp.IsHash(v[len(prefix):])
		}, a.Path+"@"+a.Blob.String())
		if err != nil {
			return nil, err
		}
		st = nst
	}
	return st, nil
}

// UnsafeError is gitcp's refusal to commit on a branch mid-merge (or
// rebase, …), with its way forward as a hint.
type UnsafeError struct{ *gitcp.UnsafeStateError }

func (e *UnsafeError) Unwrap() error { return e.UnsafeStateError }

// Hint says how to finish or abort the operation, or to use ref mode.
func (e *UnsafeError) Hint() string { return e.UnsafeStateError.Hint }

// CheckpointOptions are what the caller says about a checkpoint.
type CheckpointOptions struct {
	Title     string   // required unless Body has a title
	Summary   string   // added to State Summary
	Decisions []string // Key Decisions; each is also appended to the decisions log
	Next      []string // Next Actions (replace the ones derived from TODO.md)
	Body      *Body    // Markdown body (stdin), nil when none
	// AllowSecret and AllowLarge are paths (relative to the working
	// directory, or absolute) the secret and size checks let through. A
	// file AllowSecret lets through is remembered in the Settings
	// (SettingAllowSecret) with its content's blob id, and later
	// checkpoints let it through until its content changes.
	AllowSecret, AllowLarge []string
	// Mode is "branch" or "ref"; empty: the workflow's "commit" setting,
	// else branch.
	Mode string
	// Session is the agent session making the checkpoint, written as a
	// Wf-Session trailer; "" for none.
	Session string
	// OnStep, when set, is called at each step of the write sequence
	// ("start", "intent", "staged", "wrote-checkpoint", "wrote-todo",
	// "wrote-state", "before-ref", "after-ref", "committed", "done"):
	// the crash tests kill the process there.
	OnStep func(step string)

	// leaveStateFiles is set for a ref-mode checkpoint while a git
	// operation is in progress: the tracked state files are left as they
	// are (repo-states/09: an edited workflow-state.md blocks git rebase
	// --continue, and staging it folds wf's change into the commit being
	// rebased); only the new checkpoint file is written.
	leaveStateFiles bool
	// NoVerify skips the pre-commit and commit-msg hooks, as git commit
	// --no-verify does. Hooks run in branch mode only.
	NoVerify bool
	// HookOutput receives what git hooks print; nil discards it.
	HookOutput io.Writer
	// Sign overrides commit.gpgSign (--gpg-sign[=KEY], --no-gpg-sign);
	// nil follows the config.
	Sign *gitcp.SignOptions
}

// FileView is one changed file with its line counts.
type FileView struct {
	Path    string `json:"path"`
	Kind    string `json:"kind"`
	Added   int    `json:"added"`
	Deleted int    `json:"deleted"`
	Binary  bool   `json:"binary,omitempty"`
}

// CheckpointResult is what `wf checkpoint` reports.
type CheckpointResult struct {
	Schema int `json:"schema"`
	// CheckpointRef names the checkpoint made: its Time is the commit's,
	// its Ref the ref that moved.
	history.CheckpointRef
	File      string     `json:"file"` // from the git top level
	Mode      string     `json:"mode"`
	Previous  string     `json:"previous,omitempty"`
	Files     []FileView `json:"files"`     // changed since the previous checkpoint
	Committed int        `json:"committed"` // paths in the commit
	Annotated []int      `json:"annotated"` // TODO items annotated with the id
	Warning   string     `json:"warning,omitempty"`
	Notes     []string   `json:"notes"` // what opening the workflow did (crash recovery); [] for nothing
}

// Checkpoint writes a checkpoint file in w's state root, records it in
// workflow-state.md and TODO.md and commits everything in one git commit
// (package journal documents the order of writes and crash recovery).
// It fails with [history.ErrNoRepo] outside git, a [*TitleError] without a
// title, a [*RefusedError] for files that look like secrets or are too
// large, and an [*UnsafeError] on a branch mid-merge (or rebase, …).
func Checkpoint(w *workspace.Workspace, o CheckpointOptions) (*CheckpointResult, error) {
	if w.Repo == nil {
		return nil, history.ErrNoRepo
	}
	release, notes, err := lockAndRecover(w)
	if err != nil {
		return nil, err
	}
	defer release()
	res, err := checkpointLocked(w, o)
	if res != nil {
		res.Notes = append(append([]string{}, notes...), res.Notes...)
	}
	return res, err
}

// lockAndRecover takes the worktree lock and completes or rolls back a
// checkpoint a crash interrupted; release frees the lock.
func lockAndRecover(w *workspace.Workspace) (release func(), notes []string, err error) {
	release, err = w.Lock()
	if err != nil {
		return nil, nil, err
	}
	so, err := journal.RecoverSwitch(w)
	if err != nil {
		release()
		return nil, nil, err
	}
	if n := so.Note(); n != "" {
		notes = append(notes, n)
	}
	out, err := journal.Recover(w)
	if err != nil {
		release()
		return nil, nil, err
	}
	if n := out.Note(); n != "" {
		notes = append(notes, n)
	}
	if err := journal.KeepInterrupted(w, out, w.Now()); err != nil {
		notes = append(notes, "could not keep the record of the interrupted checkpoint: "+err.Error())
	}
	journal.SweepTemps(w)
	return release, notes, nil
}

// newestID is the id of the newest checkpoint this worktree has: prev
// (the newest on the history the commit extends) or the newest on the
// other one (the checkpoint ref in branch mode, HEAD in ref mode).
func newestID(w *workspace.Workspace, mode gitcp.Mode, head gitcp.HeadInfo, prev *gitcp.LogEntry) string {
	id := ""
	if prev != nil {
		id = prev.Trailers[history.TrailerCheckpoint]
	}
	other := w.Repo.CheckpointRef()
	if mode == gitcp.ModeRef {
		other = "HEAD"
		if head.Unborn {
			return id
		}
	} else if w.RefValue(other).IsZero() {
		return id
	}
	if es, err := w.Repo.LogWith(other, gitcp.LogOptions{Limit: 1, Within: history.Within(w)}); err == nil && len(es) > 0 && es[0].Trailers[history.TrailerCheckpoint] > id {
		id = es[0].Trailers[history.TrailerCheckpoint]
	}
	return id
}

// commitTarget is the ref a commit in mode will move and its value.
func commitTarget(w *workspace.Workspace, mode gitcp.Mode, head gitcp.HeadInfo) (string, gitcp.Hash) {
	switch {
	case mode == gitcp.ModeRef:
		ref := w.Repo.CheckpointRef()
		return ref, w.RefValue(ref)
	case head.Detached:
		return "HEAD", head.Hash
	}
	return head.Branch, head.Hash
}

// previousCheckpoint is the newest checkpoint commit on the history the
// new commit extends, nil when there is none.
func previousCheckpoint(w *workspace.Workspace, mode gitcp.Mode, head gitcp.HeadInfo) (*gitcp.LogEntry, error) {
	ref := "HEAD"
	if mode == gitcp.ModeRef && !w.RefValue(w.Repo.CheckpointRef()).IsZero() {
		ref = w.Repo.CheckpointRef()
	} else if head.Unborn {
		return nil, nil
	}
	es, err := w.Repo.LogWith(ref, gitcp.LogOptions{Limit: 1, Within: history.Within(w)})
	if err != nil || len(es) == 0 {
		return nil, err
	}
	return &es[0], nil
}

func checkpointLocked(w *workspace.Workspace, o CheckpointOptions) (*CheckpointResult, error) {
	step := o.OnStep
	if step == nil {
		step = func(string) {}
	}
	repo := w.Repo
	title := workspace.OneLine(o.Title)
	if title == "" && o.Body != nil {
		title = workspace.OneLine(o.Body.Title)
	}
	if title == "" {
		return nil, &TitleError{}
	}
	sn, err := w.Read()
	if err != nil {
		return nil, err
	}
	if err := sn.Conflicts(); err != nil {
		return nil, err // in both modes: wf neither edits nor commits a conflicted state file
	}
	mode := gitcp.Mode(strings.ToLower(strings.TrimSpace(o.Mode)))
	if mode == "" {
		mode = gitcp.Mode(strings.ToLower(sn.State.Setting("commit")))
	}
	if mode == "" {
		mode = gitcp.ModeBranch
	}
	if mode != gitcp.ModeBranch && mode != gitcp.ModeRef {
		return nil, fmt.Errorf("commit mode %q is not branch or ref", mode)
	}
	head, err := repo.Head()
	if err != nil {
		return nil, err
	}
	var opNote string
	if mode == gitcp.ModeRef {
		op, err := repo.InProgress()
		if err != nil {
			return nil, err
		}
		if op != "" {
			o.leaveStateFiles = true
			opNote = fmt.Sprintf("a git %s is in progress: %s and %s were left as they are, so that git can go on; the checkpoint is only in %s", op,
				w.RelTop(w.Path(workspace.StateFile)), w.RelTop(w.Path(workspace.TodoFile)), repo.CheckpointRef())
		}
	}
	prev, err := previousCheckpoint(w, mode, head)
	if err != nil {
		return nil, err
	}
	idNow := w.Now()
	id := history.NewID(idNow, title)
	// Ids sort by time to the second; within one second the order of two
	// checkpoints (say one on the branch, one on the checkpoint ref) would
	// be left to the random part. A new id always sorts after the newest
	// one this worktree can see.
	if t, ok := history.TimeOf(newestID(w, mode, head, prev)); ok && !idNow.UTC().Truncate(time.Second).After(t) {
		idNow = t.Add(time.Second)
		id = history.NewID(idNow, title)
	}
	for i := 0; i < 5; i++ {
		if _, err := os.Lstat(w.Path(filepath.Join(workspace.CheckpointsDir, id+".md"))); errors.Is(err, fs.ErrNotExist) {
			break
		}
		id = history.NewID(idNow, title)
	}
	allowSecret, err := w.TopPaths(o.AllowSecret)
	if err != nil {
		return nil, err
	}
	allowLarge, err := w.TopPaths(o.AllowLarge)
	if err != nil {
		return nil, err
	}
	phase, status := sn.State.Get("phase"), sn.State.Get("status")
	res := &CheckpointResult{Schema: workspace.SchemaVersion, CheckpointRef: history.CheckpointRef{ID: id, Title: title}, Mode: string(mode),
		File: w.RelTop(w.Path(filepath.Join(workspace.CheckpointsDir, id+".md"))), Annotated: []int{}}
	if prev != nil {
		res.Previous = prev.Trailers[history.TrailerCheckpoint]
	}
	// The Wf-Phase and Wf-Status trailers must say what the committed
	// workflow-state.md says: stage reads the file again and, when a
	// hand save changed them since this read, sets tr to the new values
	// and redoes the commit with a message built from them.
	tr := &trailerValues{phase: phase, status: status, mode: mode}
	message := func() string {
		msg := history.CommitMessage(title, o.Summary, id, tr.phase, tr.status, head.ShortBranch())
		if mode == gitcp.ModeRef && !head.Unborn {
			// Its parent is the previous checkpoint on the ref: record what
			// HEAD was, so that one made on a commit that later leaves HEAD's
			// history is known as orphaned.
			msg += history.TrailerHead + ": " + head.Hash.String() + "\n"
		}
		if s := workspace.OneLine(o.Session); s != "" {
			msg += history.TrailerSession + ": " + s + "\n"
		}
		return msg
	}
	orphanNotes := removeOrphanFiles(w)
	ref, old := commitTarget(w, mode, head)
	in := &journal.Intent{Version: 1, ID: id, Started: time.Now(), Mode: string(mode), Ref: ref, Request: o.request()}
	in.PID, in.PIDStart = journal.Self()
	if !old.IsZero() {
		in.Old = old.String()
	}
	step("start")
	if err := journal.Write(w, in); err != nil {
		return nil, err
	}
	step("intent")
	// Every git lock file gitcp takes is claimed in the intent before it
	// exists, so recovery can tell it from another process's.
	repo.ClaimLock = func(c gitcp.LockClaim) error { return journal.AddLock(w, in, c) }
	defer func() { repo.ClaimLock = nil }()
	var cr *gitcp.CommitResult
	var commitTime time.Time // the time gitcp writes into the commit
	// A failed checkpoint (a refusing hook, say) leaves no empty
	// checkpoints folder that stage created.
	cpDir := w.Path(workspace.CheckpointsDir)
	_, statErr := os.Lstat(cpDir)
	dirWasMissing := errors.Is(statErr, fs.ErrNotExist)
	for attempt := 0; ; attempt++ {
		cr, err = repo.Commit(gitcp.CommitOptions{
			Mode: mode, Message: message(), AllowSecret: allowSecret, AllowLarge: allowLarge,
			AcceptedSecrets: acceptedSecrets(sn.State), AllowEmpty: true, Now: func() time.Time { commitTime = w.Now(); return commitTime },
			Stage: func(s *gitcp.Staged) ([]string, error) {
				return stage(w, s, in, res, prev, o, tr, step)
			},
			BeforeRefUpdate: func(h gitcp.Hash) error {
				in.Commit = h.String()
				if err := journal.Write(w, in); err != nil {
					return err
				}
				step("before-ref")
				return nil
			},
			AfterRefUpdate: func() { step("after-ref") },
			NoVerify:       o.NoVerify, HookOutput: o.HookOutput, Sign: o.Sign,
		})
		if err == nil {
			break
		}
		// Roll back what was written (or, if the ref did move, complete).
		out, rerr := journal.Recover(w)
		if rerr != nil {
			return nil, fmt.Errorf("%w; recovering from it failed too: %v", err, rerr)
		}
		if dirWasMissing && out.Kind != journal.Completed {
			os.Remove(cpDir) // only when empty
		}
		if errors.Is(err, mdstate.ErrChanged) && attempt < 3 && out.Kind != journal.Completed {
			// A hand edit landed meanwhile: redo on the new content.
			res.Annotated, res.Files = []int{}, nil
			in.Files, in.Commit, in.Locks = nil, "", nil
			if err := journal.Write(w, in); err != nil {
				return nil, err
			}
			continue
		}
		var refused *gitcp.RefusedFilesError
		if errors.As(err, &refused) {
			re := &RefusedError{RefusedFilesError: refused}
			for _, f := range refused.Files {
				re.Args = append(re.Args, w.RelWD(filepath.Join(w.Top(), filepath.FromSlash(f.Path))))
			}
			return nil, re
		}
		var unsafe *gitcp.UnsafeStateError
		if errors.As(err, &unsafe) {
			return nil, &UnsafeError{unsafe}
		}
		return nil, err
	}
	step("committed")
	if err := journal.Remove(w); err != nil {
		return nil, err
	}
	if err := journal.ClearInterrupted(w); err != nil {
		res.Notes = append(res.Notes, "could not remove the record of the interrupted checkpoint: "+err.Error())
	}
	step("done")
	if opNote != "" {
		res.Notes = append(res.Notes, opNote)
	}
	res.Notes = append(res.Notes, orphanNotes...)
	res.Commit, res.Ref, res.Warning, res.Committed = cr.Hash.String(), cr.Ref, cr.Warning, len(cr.Changes)
	res.Notes = append(res.Notes, cr.Notes...)
	if ew := gitcp.EmbeddedWarning(cr.Embedded); ew != "" {
		// git add -A's warning, word for word.
		res.Warning = strings.TrimPrefix(res.Warning+"\n"+ew, "\n")
	}
	res.Time = commitTime.Truncate(time.Second) // git keeps whole seconds
	return res, nil
}

// stage runs inside gitcp.Commit once the work tree is scanned: it derives
// the checkpoint from the changes, journals the old file contents, writes
// the checkpoint file and the state files, and returns their paths for the
// commit.
func stage(w *workspace.Workspace, s *gitcp.Staged, in *journal.Intent, res *CheckpointResult, prev *gitcp.LogEntry, o CheckpointOptions, tr *trailerValues, step func(string)) ([]string, error) {
	since := s.Parent
	if prev != nil {
		since = prev.Hash
	}
	stats, err := s.DiffStat(since)
	if err != nil {
		return nil, err
	}
	res.Files = []FileView{}
	for _, f := range stats {
		if !w.OwnFile(f.Path) {
			res.Files = append(res.Files, FileView{Path: f.Path, Kind: f.Kind.String(), Added: f.Added, Deleted: f.Deleted, Binary: f.Binary})
		}
	}
	// A fresh read under the lock: a hand edit made since is kept, and
	// WriteFileAtomic below refuses to overwrite one made after this; an
	// empty moment of an in-place save is waited out.
	sn, err := w.ReadSettled()
	if err != nil {
		return nil, err
	}
	if err := sn.Conflicts(); err != nil {
		return nil, err
	}
	if m := gitcp.Mode(strings.ToLower(sn.State.Setting("commit"))); o.Mode == "" && m != tr.mode && (m != "" || tr.mode != gitcp.ModeBranch) {
		// The commit mode was chosen from the first read; the ref to move
		// cannot change halfway.
		return nil, fmt.Errorf("workflow-state.md's Settings: commit changed to %q while a %s-mode checkpoint was being made (a hand save?); nothing was committed: run wf checkpoint again", m, tr.mode)
	}
	if p, st := sn.State.Get("phase"), sn.State.Get("status"); p != tr.phase || st != tr.status {
		// A hand save changed them since the message was built (or the
		// first read caught an in-place save half done): the commit
		// message would contradict the file it commits.
		tr.phase, tr.status = p, st
		return nil, fmt.Errorf("workflow-state.md changed while the checkpoint was being made: %w", mdstate.ErrChanged)
	}
	now := w.Now()
	ts := now.Format(workspace.Timestamp)
	// Decisions: the caller's, then the body's that the log lacks.
	decisions := cleanList(o.Decisions)
	if o.Body != nil {
		for _, d := range ListItems(o.Body.Sections[SecDecisions]) {
			if !slices.Contains(decisions, d) {
				decisions = append(decisions, d)
			}
		}
	}
	st, err := rememberSecrets(sn.State, s.AllowedSecrets)
	if err != nil {
		return nil, err
	}
	for _, d := range decisions {
		if hasDecision(st, d) {
			continue
		}
		_, nst, err := st.AppendEntry("decisions", ts+": "+d)
		if err != nil {
			return nil, err
		}
		st = nst
	}
	stateOut, _, err := st.SetField("last checkpoint", ts+" ("+in.ID+")")
	if err != nil {
		return nil, err
	}
	// TODO items ticked since the previous checkpoint get its id.
	var todoOut []byte
	td := sn.Todo
	if !sn.TodoMissing && !o.leaveStateFiles {
		doneBefore := map[string]bool{}
		if prev != nil {
			if b, err := w.Repo.ReadBlobAt(prev.Hash, w.RelTop(w.Path(workspace.TodoFile))); err == nil {
				for _, it := range mdstate.ParseTodo(workspace.TodoFile, b).Items {
					if it.Mark == mdstate.Done {
						doneBefore[it.Text] = true
					}
				}
			}
		}
		for _, it := range sn.Todo.Items {
			if it.Mark == mdstate.Done && it.Checkpoint == "" && !doneBefore[it.Text] {
				out, ntd, err := td.SetMark(it.N, mdstate.Done, in.ID, "")
				if err != nil {
					return nil, err
				}
				td, todoOut = ntd, out
				res.Annotated = append(res.Annotated, it.N)
			}
		}
	}
	doc := buildDoc(w, in.ID, res.Title, now, res.Previous, sn, td, res.Files, decisions, o)
	cpPath := w.Path(filepath.Join(workspace.CheckpointsDir, in.ID+".md"))
	cpData := doc.Render()
	// Journal what is about to change, then change it.
	in.Files = []journal.File{{Path: cpPath, NewSum: journal.Sum(cpData)}}
	if todoOut != nil {
		in.Files = append(in.Files, journal.File{Path: w.Path(workspace.TodoFile), Existed: true, Old: sn.TodoBytes(), NewSum: journal.Sum(todoOut)})
	}
	if !o.leaveStateFiles {
		in.Files = append(in.Files, journal.File{Path: w.Path(workspace.StateFile), Existed: true, Old: sn.StateBytes(), NewSum: journal.Sum(stateOut)})
	}
	if err := journal.Write(w, in); err != nil {
		return nil, err
	}
	step("staged")
	if err := os.MkdirAll(filepath.Dir(cpPath), 0o755); err != nil {
		return nil, err
	}
	if err := mdstate.CreateFileExclusive(cpPath, cpData, 0o644); err != nil {
		return nil, err
	}
	step("wrote-checkpoint")
	paths := []string{w.RelTop(cpPath)}
	if todoOut != nil {
		if err := mdstate.WriteFileAtomic(w.Path(workspace.TodoFile), todoOut, sn.TodoBytes()); err != nil {
			return nil, err
		}
		paths = append(paths, w.RelTop(w.Path(workspace.TodoFile)))
		step("wrote-todo")
	}
	if o.leaveStateFiles {
		return paths, nil
	}
	if err := mdstate.WriteFileAtomic(w.Path(workspace.StateFile), stateOut, sn.StateBytes()); err != nil {
		return nil, err
	}
	paths = append(paths, w.RelTop(w.Path(workspace.StateFile)))
	step("wrote-state")
	return paths, nil
}

// trailerValues are the Current phase and Status a checkpoint's commit
// message names (Wf-Phase, Wf-Status): those of the workflow-state.md it
// commits.
// mode is the commit mode the first read chose.
type trailerValues struct {
	phase, status string
	mode          gitcp.Mode
}

// removeOrphanFiles removes from the work tree the files of orphaned
// ref-mode checkpoints ([history.Orphans]) that hold exactly what their
// commit holds, so that no checkpoint commits them by accident; the
// commit keeps them. It returns a note for each one removed.
func removeOrphanFiles(w *workspace.Workspace) []string {
	orphans, err := history.Orphans(w)
	if err != nil {
		return nil
	}
	var notes []string
	for _, e := range orphans {
		p := w.Path(filepath.Join(workspace.CheckpointsDir, e.ID+".md"))
		cur, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		blob, err := w.Repo.ReadBlobAt(gitcp.NewHash(e.Commit), w.RelTop(p))
		if err != nil || !bytes.Equal(blob, cur) {
			continue // edited since, or not the commit's: left alone
		}
		if os.Remove(p) == nil {
			notes = append(notes, fmt.Sprintf("removed %s: checkpoint %s was made on a commit no longer in HEAD's history (git show %s keeps it)", w.RelTop(p), history.ShortID(e.ID), e.Short()))
		}
	}
	return notes
}

// hasDecision reports whether the decisions log already holds d (after its
// timestamp).
func hasDecision(st *mdstate.State, d string) bool {
	for _, e := range st.Decisions {
		if e.Text == d || strings.HasSuffix(e.Text, ": "+d) {
			return true
		}
	}
	return false
}

// buildDoc derives the checkpoint's sections.
func buildDoc(w *workspace.Workspace, id, title string, now time.Time, prevID string, sn *workspace.Snapshot, td *mdstate.Todo, files []FileView, decisions []string, o CheckpointOptions) *Doc {
	st := sn.State
	body := o.Body
	if body == nil {
		body = &Body{Sections: map[string]string{}}
	}
	d := &Doc{ID: id, Title: title, Date: now, Phase: st.Get("phase"), Status: st.Get("status"), Previous: prevID, Sections: map[string]string{}, Extra: body.Extra}
	// Context Required to Resume.
	if c := body.Sections[SecContext]; c != "" {
		d.Sections[SecContext] = c
	} else {
		var ctx []string
		seen := map[string]bool{}
		for _, dir := range []string{w.Top(), w.Root} {
			for _, n := range workspace.ConventionFiles() {
				p := filepath.Join(dir, n)
				if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && !seen[w.RelTop(p)] {
					seen[w.RelTop(p)] = true
					ctx = append(ctx, fmt.Sprintf("Read `%s` for project conventions", w.RelTop(p)))
				}
			}
		}
		ctx = append(ctx, fmt.Sprintf("Read `%s` for the phase, status and decisions log", w.RelTop(w.Path(workspace.StateFile))))
		ctx = append(ctx, fmt.Sprintf("Read `%s` for the remaining work (`<-- CURRENT` marks the item in progress)", w.RelTop(w.Path(workspace.TodoFile))))
		if prevID != "" {
			ctx = append(ctx, fmt.Sprintf("Read `%s` (the previous checkpoint) if more history is needed", w.RelTop(w.Path(filepath.Join(workspace.CheckpointsDir, prevID+".md")))))
		}
		ranked := slices.Clone(files)
		slices.SortStableFunc(ranked, func(a, b FileView) int { return (b.Added + b.Deleted) - (a.Added + a.Deleted) })
		n := 0
		for _, f := range ranked {
			if f.Kind == gitcp.Deleted.String() || f.Binary || n == 5 || seen[f.Path] {
				continue
			}
			n++
			ctx = append(ctx, fmt.Sprintf("Read `%s` (changed since the previous checkpoint)", f.Path))
		}
		d.Sections[SecContext] = Numbered(ctx) + "\nPaths are relative to the repository's top level."
	}
	// State Summary.
	var sum []string
	if p := st.Get("phase"); p != "" {
		sum = append(sum, fmt.Sprintf("Phase: %s (status: %s)", p, orText(st.Get("status"), "unknown")))
	}
	if dn, sk, tot := td.Counts("*"); tot > 0 {
		s := fmt.Sprintf("Progress: %d of %d items done", dn, tot)
		if sk > 0 {
			s += fmt.Sprintf(", %d skipped", sk)
		}
		sum = append(sum, s)
	} else {
		sum = append(sum, "Progress: no TODO items")
	}
	if cur := td.Current(); len(cur) > 0 {
		sum = append(sum, fmt.Sprintf("Current item: %d. %s", cur[0].N, cur[0].Text))
	}
	for _, b := range st.Blockers {
		if !workspace.IsNone(b.Text) {
			sum = append(sum, "Blocked: "+b.Text)
		}
	}
	for _, l := range strings.Split(strings.TrimSpace(o.Summary), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if s, ok := sections.CutItem(l); ok {
				l = s
			}
			sum = append(sum, l)
		}
	}
	text := Bullets(sum)
	for _, extra := range []string{body.Preamble, body.Sections[SecSummary]} {
		if strings.TrimSpace(extra) != "" {
			text += "\n" + strings.Trim(extra, "\n") + "\n"
		}
	}
	d.Sections[SecSummary] = text
	// Key Decisions: this checkpoint's, then the latest from the log.
	keys := slices.Clone(decisions)
	var recent []string
	for i := len(st.Decisions) - 1; i >= 0 && len(recent) < 8; i-- {
		e := st.Decisions[i].Text
		if workspace.IsNone(e) || slices.ContainsFunc(decisions, func(d string) bool { return e == d || strings.HasSuffix(e, ": "+d) }) {
			continue
		}
		recent = append(recent, e)
	}
	slices.Reverse(recent)
	text = Bullets(keys)
	if len(recent) > 0 {
		if text != "" {
			text += "\nFrom the decisions log:\n"
		}
		text += Bullets(recent)
	}
	d.Sections[SecDecisions] = text
	// Current File State.
	var fl []string
	const maxFiles = 40
	for i, f := range files {
		if i == maxFiles {
			fl = append(fl, moreFiles(len(files)-maxFiles))
			break
		}
		if f.Binary {
			fl = append(fl, fmt.Sprintf("`%s`: binary (%s)", f.Path, f.Kind))
		} else {
			fl = append(fl, fmt.Sprintf("`%s`: +%d -%d (%s)", f.Path, f.Added, f.Deleted, f.Kind))
		}
	}
	if len(fl) == 0 {
		fl = append(fl, "no files changed since the previous checkpoint")
	}
	text = Bullets(fl)
	if b := body.Sections[SecFiles]; strings.TrimSpace(b) != "" {
		text += "\n" + strings.Trim(b, "\n") + "\n"
	}
	d.Sections[SecFiles] = text
	// Next Actions.
	next := cleanList(o.Next)
	switch b := body.Sections[SecNext]; {
	case strings.TrimSpace(b) != "":
		d.Sections[SecNext] = strings.Trim(b, "\n") + "\n"
		if len(next) > 0 {
			d.Sections[SecNext] += "\n" + Numbered(next)
		}
	case len(next) > 0:
		d.Sections[SecNext] = Numbered(next)
	default:
		var items []string
		if cur := td.Current(); len(cur) > 0 && cur[0].IsOpen() {
			items = append(items, fmt.Sprintf("%s (TODO item %d, in progress)", cur[0].Text, cur[0].N))
		}
		for _, it := range td.Items {
			if len(items) >= 5 {
				break
			}
			if it.IsOpen() && !it.Current {
				items = append(items, fmt.Sprintf("%s (TODO item %d)", it.Text, it.N))
			}
		}
		if len(items) == 0 {
			d.Sections[SecNext] = "(none: every TODO item is done or skipped)"
		} else {
			d.Sections[SecNext] = Numbered(items)
		}
	}
	return d
}

func cleanList(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = workspace.OneLine(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// moreFiles is "… and 1 more file", "… and 2 more files".
func moreFiles(n int) string {
	if n == 1 {
		return "… and 1 more file"
	}
	return fmt.Sprintf("… and %d more files", n)
}

// request is what the intent record keeps of o, to finish the checkpoint
// if a crash rolls it back.
func (o CheckpointOptions) request() *journal.Request {
	rq := &journal.Request{Title: o.Title, Summary: o.Summary, Decisions: o.Decisions, Next: o.Next, Mode: o.Mode}
	if o.Body != nil {
		rq.Body, _ = json.Marshal(o.Body)
	}
	return rq
}

// OptionsFrom returns the options an interrupted checkpoint was given,
// for `wf checkpoint --resume-interrupted`.
func OptionsFrom(rq *journal.Request) (CheckpointOptions, error) {
	o := CheckpointOptions{Title: rq.Title, Summary: rq.Summary, Decisions: rq.Decisions, Next: rq.Next, Mode: rq.Mode}
	if len(rq.Body) > 0 {
		o.Body = &Body{}
		if err := json.Unmarshal(rq.Body, o.Body); err != nil {
			return o, fmt.Errorf("the interrupted checkpoint's body: %w", err)
		}
	}
	return o, nil
}
