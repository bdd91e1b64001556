// Package journal makes wf's multi-step writes all-or-nothing across a
// crash: an intent record in the worktree's runtime folder says what a
// write is about to do, and the next wf command completes or rolls back
// what a killed one left ([Recover]).
//
// It owns the record's format and the recovery decision. It removes only
// what the record proves wf made (its temp files, its own lock files) and
// puts back only content that still holds exactly what wf wrote; anything
// edited since is left alone and named. It does not decide what to write:
// package checkpoint journals its writes here.
package journal

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp"
	"github.com/wf-tool/wf/mdstate"
)

// Intent is the record of one checkpoint in progress.
//
// The intent journal makes a checkpoint all-or-nothing across a crash.
//
// A checkpoint writes, in this order (each write atomic on its own):
//
//  1. the intent record GitDir/wf/intent: id, mode, the ref that will move
//     and its current value, the time and pid;
//  2. (gitcp) index.lock is taken, the work tree scanned, secrets and
//     large files refused — nothing of wf's has been written yet; each
//     lock file (index.lock, HEAD.lock, <ref>.lock) is claimed in the
//     intent (its device and inode, [AddLock]) before it exists;
//  3. the intent again, now with the old content of every file the
//     checkpoint will write and a hash of the new content;
//  4. the checkpoint file, TODO.md, workflow-state.md;
//  5. (gitcp) objects, the new index into index.lock;
//  6. the intent again, with the new commit's hash;
//  7. (gitcp) the ref moves (compare-and-swap under <ref>.lock, reflog);
//  8. (gitcp) index.lock is renamed over the index;
//  9. the intent is removed.
//
// The next wf command that opens the workspace (checkpoint.Open, or a
// checkpoint itself) sees a leftover intent and, under the state lock:
//
//   - if the ref holds the journaled commit, the checkpoint happened: it
//     removes our stale index.lock and rebuilds the index from HEAD
//     (gitcp.Repo.RepairIndex), so git status is truthful ("completed");
//   - if the ref still holds its old value, it never happened: it removes
//     our stale lock files and temp files and puts back the old content of
//     every file that still holds exactly what the checkpoint wrote (a file
//     edited by hand since is left alone and named) ("rolled back").
//
// Lock files are only removed when they are provably the crashed
// checkpoint's: the file at the lock's path has the device and inode the
// intent claimed for it before it existed, and the process that wrote the
// intent (pid and start time) is gone. Any other lock file is another
// process's and stays.
type Intent struct {
	Version int       `json:"version"`
	ID      string    `json:"id"`
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	// PIDStart is the writer's start time (Linux: clock ticks since boot,
	// /proc/PID/stat field 22), telling it from a later process with the
	// same pid; 0 when unknown.
	PIDStart uint64 `json:"pid_start,omitempty"`
	Mode     string `json:"mode"`
	Ref      string `json:"ref"`
	Old      string `json:"old"`
	Commit   string `json:"commit,omitempty"`
	// Locks are the git lock files the write claimed, in order.
	Locks []gitcp.LockClaim `json:"locks,omitempty"`
	Files []File            `json:"files,omitempty"`
	// Request is what the caller asked the checkpoint to say, so that a
	// checkpoint a crash rolled back can be finished as it was meant.
	Request *Request `json:"request,omitempty"`
}

// Request is what a checkpoint was given: its title, summary, decisions,
// next actions and Markdown body (as package checkpoint encodes it).
type Request struct {
	Title     string          `json:"title,omitempty"`
	Summary   string          `json:"summary,omitempty"`
	Decisions []string        `json:"decisions,omitempty"`
	Next      []string        `json:"next,omitempty"`
	Body      json.RawMessage `json:"body,omitempty"`
	Mode      string          `json:"mode,omitempty"`
}

// File is one file a checkpoint writes: its old content, to put back on
// rollback, and a hash of the new, to tell it from a later hand edit.
type File struct {
	Path    string `json:"path"` // absolute
	Existed bool   `json:"existed"`
	Old     []byte `json:"old,omitempty"`
	NewSum  string `json:"new_sha256"`
}

// Self returns the pid and start time [Intent] records for this process.
func Self() (pid int, start uint64) {
	pid = os.Getpid()
	start, _ = processStart(pid)
	return pid, start
}

// AddLock records the claim c in in and writes in: gitcp's
// [gitcp.Repo].ClaimLock for a journaled write.
func AddLock(w *workspace.Workspace, in *Intent, c gitcp.LockClaim) error {
	in.Locks = append(in.Locks, c)
	return Write(w, in)
}

// Sum is the hex SHA-256 of b, as [File.NewSum] records it.
func Sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// path is where the record of w's worktree lives.
func path(w *workspace.Workspace) string { return filepath.Join(w.Repo.WfDir(), "intent") }

// Write records in atomically (write, fsync, rename), replacing the
// record of this worktree.
func Write(w *workspace.Workspace, in *Intent) error { return writeRecord(w, path(w), in) }

// Remove deletes the record: the write it described is complete. A
// missing record is not an error.
func Remove(w *workspace.Workspace) error { return removeRecord(w, path(w)) }

// writeRecord writes v as JSON to the runtime file p atomically (write,
// fsync, rename): the journal's records (intent, switch).
func writeRecord(w *workspace.Workspace, p string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(w.Repo.WfDir(), 0o755); err != nil {
		return err
	}
	return mdstate.WriteFileAtomic(p, data, nil)
}

// removeRecord deletes the runtime file p and syncs its folder; a missing
// file is not an error.
func removeRecord(w *workspace.Workspace, p string) error {
	err := os.Remove(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil {
		syncDir(w.Repo.WfDir())
	}
	return err
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func readIntent(path string) (*Intent, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	in := &Intent{}
	if err := json.Unmarshal(data, in); err != nil {
		return nil, fmt.Errorf("%s: unreadable intent record: %w", path, err)
	}
	return in, nil
}

// Kind is what recovery found a leftover record to mean.
type Kind int

const (
	// None: there was no record; nothing was interrupted.
	None Kind = iota
	// Completed: the ref holds the journaled commit, so the checkpoint
	// happened; the index was rebuilt so git status is truthful.
	Completed
	// RolledBack: the ref still holds its old value, so the checkpoint
	// never happened; the files it wrote were put back.
	RolledBack
	// Moved: the ref moved on since the crash (someone committed); the
	// state files were left as they are.
	Moved
)

// Outcome is what [Recover] did with a leftover record.
type Outcome struct {
	Kind   Kind
	ID     string // the interrupted checkpoint's id
	Commit string // its commit (Completed)
	Ref    string // the ref it was to move
	// Restored, Removed and Kept name the files (from the top level) a
	// rollback put back, removed (created by the checkpoint) and left
	// alone because they were edited since.
	Restored, Removed, Kept []string
	// LiveLocks are lock files the record claimed whose writer still
	// runs: left alone.
	LiveLocks []string
	// Request is what the interrupted checkpoint was given (nil when its
	// record predates requests).
	Request *Request
}

// Note says in one line what recovery did, for "wf: note: …" and for
// wf resume; "" for [None].
func (o *Outcome) Note() string {
	switch o.Kind {
	case Completed:
		return fmt.Sprintf("completed interrupted checkpoint %s (commit %s on %s)", o.ID, o.Commit[:min(12, len(o.Commit))], o.Ref)
	case RolledBack:
		var parts []string
		if len(o.Restored) > 0 {
			parts = append(parts, "restored "+strings.Join(o.Restored, ", "))
		}
		if len(o.Removed) > 0 {
			parts = append(parts, "removed "+strings.Join(o.Removed, ", "))
		}
		if len(o.Kept) > 0 {
			parts = append(parts, "left "+strings.Join(o.Kept, ", ")+" as edited since")
		}
		note := "rolled back interrupted checkpoint " + o.ID
		if len(o.LiveLocks) > 0 {
			parts = append(parts, "left "+strings.Join(o.LiveLocks, ", ")+": the process that took it still runs")
		}
		if len(parts) > 0 {
			note += ": " + strings.Join(parts, "; ")
		}
		return note
	case Moved:
		return fmt.Sprintf("interrupted checkpoint %s: %s has moved since; state files left as they are", o.ID, o.Ref)
	}
	return ""
}

// RecoverOnOpen finishes or rolls back an interrupted checkpoint when the
// worktree lock is free (a held lock means a wf is at work; if it dies,
// the next command recovers), and appends what it did to w.Notes. It
// never fails: what it could not do becomes a note too.
func RecoverOnOpen(w *workspace.Workspace) {
	temps := leftTemps(w)
	if w.Repo == nil {
		if len(temps) == 0 {
			return
		}
		if release, ok := w.TryLock(); ok {
			removeLeftTemps(w, temps)
			release()
		}
		return
	}
	_, serr := os.Lstat(switchPath(w))
	if _, err := os.Lstat(path(w)); err != nil && serr != nil && len(temps) == 0 {
		return
	}
	release, ok := w.TryLock()
	if !ok {
		return
	}
	defer release()
	so, err := RecoverSwitch(w)
	if n := so.Note(); n != "" {
		w.Notes = append(w.Notes, n)
	}
	if err != nil {
		w.Notes = append(w.Notes, "could not recover the interrupted wf recover: "+err.Error())
	}
	out, err := Recover(w)
	if n := out.Note(); n != "" {
		w.Notes = append(w.Notes, n)
	}
	if kerr := KeepInterrupted(w, out, time.Now()); kerr != nil {
		w.Notes = append(w.Notes, "could not keep the record of the interrupted checkpoint: "+kerr.Error())
	}
	if err != nil {
		w.Notes = append(w.Notes, "could not recover the interrupted checkpoint: "+err.Error())
	}
	// Temp files of a killed wf that no record names (a killed wf todo,
	// decide or setup, or a kill before the first record was written).
	removeLeftTemps(w, leftTemps(w))
}

// tempPatterns are where wf's own temp files live, as globs: atomic
// writes (".NAME.wf-tmp-*", mdstate) beside the state files, the
// checkpoint and spec files, wf setup's files and in the runtime folder,
// and the private files of lock claims (".wf-lock-*", gitcp) in the
// worktree's git dir. But for wf setup's, every one is written under the
// worktree lock, so with the lock held any that exists is a killed wf's.
func tempPatterns(w *workspace.Workspace) []string {
	pats := []string{
		filepath.Join(w.Root, ".*.wf-tmp-*"),
		filepath.Join(w.Path(workspace.CheckpointsDir), ".*.wf-tmp-*"),
		filepath.Join(w.Path(workspace.SpecsDir), ".*.wf-tmp-*"),
		filepath.Join(w.RuntimeDir(), ".*.wf-tmp-*"),
	}
	// wf setup's files: AGENTS.md at the top level and the agents'
	// settings folders. wf setup takes no worktree lock; a sweep during
	// one makes its rename fail with an error, and a rerun works.
	for _, d := range []string{"", ".claude", ".codex", ".gemini"} {
		pats = append(pats, filepath.Join(w.Top(), d, ".*.wf-tmp-*"))
	}
	if w.Repo != nil {
		pats = append(pats, filepath.Join(w.Repo.GitDir, ".wf-lock-*"))
	}
	return pats
}

// leftTemps lists wf temp files that exist now (regular files only).
func leftTemps(w *workspace.Workspace) []string {
	var out []string
	for _, p := range tempPatterns(w) {
		ms, _ := filepath.Glob(p)
		for _, m := range ms {
			if fi, err := os.Lstat(m); err == nil && fi.Mode().IsRegular() {
				out = append(out, m)
			}
		}
	}
	return out
}

// removeLeftTemps removes temp files a killed wf left; the caller holds
// the worktree lock, so no live wf is writing them.
func removeLeftTemps(w *workspace.Workspace, temps []string) {
	for _, m := range temps {
		os.Remove(m)
	}
}

// SweepTemps removes the temp files a killed wf left (see
// [RecoverOnOpen]); the caller holds the worktree lock.
func SweepTemps(w *workspace.Workspace) { removeLeftTemps(w, leftTemps(w)) }

// Recover handles a leftover record of w's worktree; the caller holds the
// worktree lock. It returns what it did (Kind [None] when there was no
// record), and an error when the record is unreadable or the repair
// failed; the record is then kept for the next try.
func Recover(w *workspace.Workspace) (*Outcome, error) {
	in, err := readIntent(path(w))
	if errors.Is(err, fs.ErrNotExist) {
		return &Outcome{}, nil
	}
	if err != nil {
		return &Outcome{}, err
	}
	out := &Outcome{ID: in.ID, Ref: in.Ref, Commit: in.Commit, Request: in.Request}
	cur := w.RefValue(in.Ref)
	removeStaleLocks(in, out)
	// The repair takes index.lock itself: claim it in the record too, so
	// that a kill during the repair leaves a lock the next try can prove
	// wf's. The record's writer is now this process.
	defer claimInto(w, func(c gitcp.LockClaim) error {
		in.PID, in.PIDStart = Self()
		in.Locks = append(in.Locks, c)
		return Write(w, in)
	})()
	switch {
	case in.Commit != "" && cur.String() == in.Commit:
		if in.Mode == string(gitcp.ModeBranch) {
			head, err := w.Repo.Head()
			if err == nil && (head.Branch == in.Ref || in.Ref == "HEAD" && head.Detached) {
				if err := w.Repo.RepairIndex(); err != nil {
					return &Outcome{}, fmt.Errorf("checkpoint %s was committed, but the index could not be rebuilt: %w", in.ID, err)
				}
			}
		}
		out.Kind = Completed
	case cur.String() == in.Old || cur.IsZero() && in.Old == "":
		out.Kind = RolledBack
		restoreFiles(w, in, out)
	default:
		out.Kind = Moved
	}
	removeTemps(w, in)
	if err := Remove(w); err != nil {
		return &Outcome{}, err
	}
	return out, nil
}

// claimInto sets w.Repo.ClaimLock to claim and returns the function that
// puts back the one it replaced.
func claimInto(w *workspace.Workspace, claim func(gitcp.LockClaim) error) (restore func()) {
	prev := w.Repo.ClaimLock
	w.Repo.ClaimLock = claim
	return func() { w.Repo.ClaimLock = prev }
}

// restoreFiles puts back the old content of files that hold exactly what
// the checkpoint wrote, and records what it did in out.
func restoreFiles(w *workspace.Workspace, in *Intent, out *Outcome) {
	for i := len(in.Files) - 1; i >= 0; i-- {
		f := in.Files[i]
		cur, err := os.ReadFile(f.Path)
		name := w.RelTop(f.Path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			out.Kept = append(out.Kept, name)
		case f.Existed && bytes.Equal(cur, f.Old):
		case Sum(cur) != f.NewSum:
			out.Kept = append(out.Kept, name)
		case !f.Existed:
			if os.Remove(f.Path) == nil {
				syncDir(filepath.Dir(f.Path))
				out.Removed = append(out.Removed, name)
			}
		default:
			if mdstate.WriteFileAtomic(f.Path, f.Old, cur) == nil {
				out.Restored = append(out.Restored, name)
			} else {
				out.Kept = append(out.Kept, name)
			}
		}
	}
}

// removeStaleLocks removes the lock files the crashed write left: only
// those it claimed ([Intent].Locks) that still have the claimed device and
// inode, and only when the writer is gone. What it leaves (a live writer's
// locks) is named in out.Kept.
func removeStaleLocks(in *Intent, out *Outcome) {
	if len(in.Locks) == 0 {
		return
	}
	if processAlive(in.PID, in.PIDStart) {
		for _, c := range in.Locks {
			if gitcp.OwnsLock(c) {
				out.LiveLocks = append(out.LiveLocks, c.Path)
			}
		}
		return
	}
	for _, c := range in.Locks {
		gitcp.RemoveClaimedLock(c)
	}
}

// removeTemps removes temp files of interrupted atomic writes.
func removeTemps(w *workspace.Workspace, in *Intent) {
	pats := []string{filepath.Join(w.Repo.WfDir(), ".intent.wf-tmp-*")}
	if !processAlive(in.PID, in.PIDStart) {
		// Private files of lock claims a kill interrupted before they
		// were journaled: in the worktree's own git dir, and this
		// worktree's (by their tag) in the folder of the ref it moved.
		pats = append(pats, filepath.Join(w.Repo.GitDir, ".wf-lock-*"),
			filepath.Join(filepath.Dir(w.Repo.RefLockPath(in.Ref)), ".wf-lock-"+w.Repo.ClaimTag()+"*"))
	}
	for _, f := range in.Files {
		pats = append(pats, filepath.Join(filepath.Dir(f.Path), "."+filepath.Base(f.Path)+".wf-tmp-*"))
	}
	for _, p := range pats {
		ms, _ := filepath.Glob(p)
		for _, m := range ms {
			os.Remove(m)
		}
	}
}

// Interrupted is the record of a checkpoint a crash interrupted and
// recovery rolled back (or found overtaken): what it was given, and what
// recovery did. It stays in the runtime folder until a checkpoint
// succeeds, so that every later wf resume, whichever command did the
// rollback, says so and can finish it (wf checkpoint
// --resume-interrupted).
type Interrupted struct {
	ID   string    `json:"id"`
	Note string    `json:"note"`
	When time.Time `json:"when"`
	// Commit is the checkpoint's commit when the crash came after it was
	// written (the ref may or may not have moved to it), "" otherwise.
	Commit  string   `json:"commit,omitempty"`
	Request *Request `json:"request,omitempty"`
}

func interruptedPath(w *workspace.Workspace) string {
	return filepath.Join(w.Repo.WfDir(), "interrupted")
}

// KeepInterrupted records out when recovery rolled back a checkpoint (or
// found its ref moved on); other outcomes record nothing.
func KeepInterrupted(w *workspace.Workspace, out *Outcome, now time.Time) error {
	if out == nil || (out.Kind != RolledBack && out.Kind != Moved) {
		return nil
	}
	data, err := json.Marshal(&Interrupted{ID: out.ID, Note: out.Note(), When: now.UTC(), Commit: out.Commit, Request: out.Request})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(w.Repo.WfDir(), 0o755); err != nil {
		return err
	}
	return mdstate.WriteFileAtomic(interruptedPath(w), data, nil)
}

// ReadInterrupted returns the record of the interrupted checkpoint, nil
// when there is none.
func ReadInterrupted(w *workspace.Workspace) (*Interrupted, error) {
	if w.Repo == nil {
		return nil, nil
	}
	data, err := os.ReadFile(interruptedPath(w))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	in := &Interrupted{}
	if err := json.Unmarshal(data, in); err != nil {
		return nil, fmt.Errorf("%s: unreadable record: %w", interruptedPath(w), err)
	}
	return in, nil
}

// ClearInterrupted removes the record: a checkpoint succeeded.
func ClearInterrupted(w *workspace.Workspace) error {
	err := os.Remove(interruptedPath(w))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
