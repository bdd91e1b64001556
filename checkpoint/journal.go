package checkpoint

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
	"syscall"
	"time"

	"github.com/wf-tool/wf/gitcp"
	"github.com/wf-tool/wf/mdstate"
)

// The intent journal makes a checkpoint all-or-nothing across a crash.
//
// A checkpoint writes, in this order (each write atomic on its own):
//
//  1. the intent record GitDir/wf/intent: id, mode, the ref that will move
//     and its current value, the time and pid;
//  2. (gitcp) index.lock is taken, the work tree scanned, secrets and
//     large files refused — nothing of wf's has been written yet;
//  3. the intent again, now with the old content of every file the
//     checkpoint will write and a hash of the new content, and the inode
//     of index.lock;
//  4. the checkpoint file, TODO.md, workflow-state.md;
//  5. (gitcp) objects, the new index into index.lock;
//  6. the intent again, with the new commit's hash;
//  7. (gitcp) the ref moves (compare-and-swap under <ref>.lock, reflog);
//  8. (gitcp) index.lock is renamed over the index;
//  9. the intent is removed.
//
// The next wf command that opens the workspace (Find, or a checkpoint
// itself) sees a leftover intent and, under the state lock:
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
// checkpoint's: index.lock by the inode journaled in step 3 (before step 3:
// empty and newer than the intent), <ref>.lock when empty or holding the
// journaled commit.
type intent struct {
	Version  int          `json:"version"`
	ID       string       `json:"id"`
	PID      int          `json:"pid"`
	Started  time.Time    `json:"started"`
	Mode     string       `json:"mode"`
	Ref      string       `json:"ref"`
	Old      string       `json:"old"`
	Commit   string       `json:"commit,omitempty"`
	IndexIno uint64       `json:"index_lock_inode,omitempty"`
	Files    []intentFile `json:"files,omitempty"`
}

type intentFile struct {
	Path    string `json:"path"` // absolute
	Existed bool   `json:"existed"`
	Old     []byte `json:"old,omitempty"`
	NewSum  string `json:"new_sha256"`
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func (w *Workspace) intentPath() string { return filepath.Join(w.Repo.WfDir(), "intent") }

func (w *Workspace) writeIntent(in *intent) error {
	data, err := json.Marshal(in)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(w.Repo.WfDir(), 0o755); err != nil {
		return err
	}
	return mdstate.WriteFileAtomic(w.intentPath(), data, nil)
}

func (w *Workspace) removeIntent() error {
	err := os.Remove(w.intentPath())
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

func readIntent(path string) (*intent, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	in := &intent{}
	if err := json.Unmarshal(data, in); err != nil {
		return nil, fmt.Errorf("%s: unreadable intent record: %w", path, err)
	}
	return in, nil
}

func inode(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Ino
	}
	return 0
}

// recoverOnOpen finishes or rolls back an interrupted checkpoint when the
// state lock is free (a held lock means a wf is at work; if it dies, the
// next command recovers). Notes say what was done.
func (w *Workspace) recoverOnOpen() {
	if w.Repo == nil {
		return
	}
	if _, err := os.Lstat(w.intentPath()); err != nil {
		return
	}
	lock, err := mdstate.AcquireLock(w.lockDir(), 0)
	if err != nil {
		return
	}
	defer lock.Release()
	notes, err := w.recoverLocked()
	w.Notes = append(w.Notes, notes...)
	if err != nil {
		w.Notes = append(w.Notes, "could not recover the interrupted checkpoint: "+err.Error())
	}
}

// refValue is the commit ref points to, zero when it does not exist.
func (w *Workspace) refValue(ref string) gitcp.Hash {
	h, err := w.Repo.ResolveRef(ref)
	if err != nil {
		return gitcp.Hash{}
	}
	return h
}

// recoverLocked handles a leftover intent; the caller holds the state lock.
func (w *Workspace) recoverLocked() ([]string, error) {
	in, err := readIntent(w.intentPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	cur := w.refValue(in.Ref)
	w.removeStaleLocks(in)
	var note string
	switch {
	case in.Commit != "" && cur.String() == in.Commit:
		if in.Mode == string(gitcp.ModeBranch) {
			head, err := w.Repo.Head()
			if err == nil && (head.Branch == in.Ref || in.Ref == "HEAD" && head.Detached) {
				if err := w.Repo.RepairIndex(); err != nil {
					return nil, fmt.Errorf("checkpoint %s was committed, but the index could not be rebuilt: %w", in.ID, err)
				}
			}
		}
		note = fmt.Sprintf("completed interrupted checkpoint %s (commit %s on %s)", in.ID, in.Commit[:12], in.Ref)
	case cur.String() == in.Old || cur.IsZero() && in.Old == "":
		note = fmt.Sprintf("rolled back interrupted checkpoint %s", in.ID) + w.restoreFiles(in)
	default:
		// The ref moved on since (someone committed after the crash).
		note = fmt.Sprintf("interrupted checkpoint %s: %s has moved since; state files left as they are", in.ID, in.Ref)
	}
	w.removeTemps(in)
	if err := w.removeIntent(); err != nil {
		return nil, err
	}
	return []string{note}, nil
}

// restoreFiles puts back the old content of files that hold exactly what
// the checkpoint wrote, and says what it did.
func (w *Workspace) restoreFiles(in *intent) string {
	var restored, removed, kept []string
	for i := len(in.Files) - 1; i >= 0; i-- {
		f := in.Files[i]
		cur, err := os.ReadFile(f.Path)
		name := w.relTop(f.Path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			kept = append(kept, name)
		case f.Existed && bytes.Equal(cur, f.Old):
		case sum(cur) != f.NewSum:
			kept = append(kept, name)
		case !f.Existed:
			if os.Remove(f.Path) == nil {
				syncDir(filepath.Dir(f.Path))
				removed = append(removed, name)
			}
		default:
			if mdstate.WriteFileAtomic(f.Path, f.Old, cur) == nil {
				restored = append(restored, name)
			} else {
				kept = append(kept, name)
			}
		}
	}
	var parts []string
	if len(restored) > 0 {
		parts = append(parts, "restored "+strings.Join(restored, ", "))
	}
	if len(removed) > 0 {
		parts = append(parts, "removed "+strings.Join(removed, ", "))
	}
	if len(kept) > 0 {
		parts = append(parts, "left "+strings.Join(kept, ", ")+" as edited since")
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, "; ")
}

// removeStaleLocks removes git lock files the crashed checkpoint left.
func (w *Workspace) removeStaleLocks(in *intent) {
	if in.Mode == string(gitcp.ModeBranch) {
		p := w.Repo.IndexLockPath()
		if fi, err := os.Lstat(p); err == nil {
			ours := false
			if in.IndexIno != 0 {
				ours = inode(fi) == in.IndexIno
			} else {
				ours = fi.Size() == 0 && !fi.ModTime().Before(in.Started.Add(-2*time.Second))
			}
			if ours {
				os.Remove(p)
			}
		}
	}
	if in.Commit != "" {
		p := w.Repo.RefLockPath(in.Ref)
		if data, err := os.ReadFile(p); err == nil {
			if s := strings.TrimSpace(string(data)); s == "" || s == in.Commit {
				os.Remove(p)
			}
		}
	}
}

// removeTemps removes temp files of interrupted atomic writes.
func (w *Workspace) removeTemps(in *intent) {
	pats := []string{filepath.Join(w.Repo.WfDir(), ".intent.wf-tmp-*")}
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

// relTop names a path relative to the git top level.
func (w *Workspace) relTop(p string) string {
	if r, err := filepath.Rel(w.top(), p); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return p
}
