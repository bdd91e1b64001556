package checkpoint

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/wf-tool/wf/gitcp"
)

// LogEntry is one checkpoint found in git history.
type LogEntry struct {
	ID     string    `json:"id"`
	Time   time.Time `json:"time"`
	Phase  string    `json:"phase,omitempty"`
	Status string    `json:"status,omitempty"`
	Branch string    `json:"branch,omitempty"` // the Wf-Branch trailer
	Title  string    `json:"title"`
	Commit string    `json:"commit"`
	Parent string    `json:"parent,omitempty"`
	// Ref is where the commit was found: "HEAD" (the branch history) or
	// the worktree's checkpoint ref (ref mode).
	Ref string `json:"ref"`
}

// Short is the abbreviated commit hash.
func (e LogEntry) Short() string { return short(e.Commit) }

// Log lists checkpoints newest first: those in the history of HEAD and,
// when it exists, of the worktree's checkpoint ref (ref mode). limit 0
// lists all.
func (w *Workspace) Log(limit int) ([]LogEntry, error) {
	if w.Repo == nil {
		return nil, ErrNoRepo
	}
	var refs []string
	if head, err := w.Repo.Head(); err != nil {
		return nil, err
	} else if !head.Unborn {
		refs = append(refs, "HEAD")
	}
	if !w.refValue(w.Repo.CheckpointRef()).IsZero() {
		refs = append(refs, w.Repo.CheckpointRef())
	}
	seen := map[gitcp.Hash]bool{}
	out := []LogEntry{}
	for _, ref := range refs {
		es, err := w.Repo.Log(ref, "", limit)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			if seen[e.Hash] {
				continue
			}
			seen[e.Hash] = true
			le := LogEntry{ID: e.Trailers[gitcp.CheckpointTrailer], Time: e.Time, Phase: e.Trailers["Wf-Phase"],
				Status: e.Trailers["Wf-Status"], Branch: e.Trailers[BranchTrailer], Commit: e.Hash.String(), Ref: ref}
			le.Title = strings.TrimSpace(strings.TrimPrefix(e.Subject, "checkpoint:"))
			if len(e.Parents) > 0 {
				le.Parent = e.Parents[0].String()
			}
			out = append(out, le)
		}
	}
	if len(refs) > 1 {
		slices.SortStableFunc(out, func(a, b LogEntry) int {
			if c := b.Time.Compare(a.Time); c != 0 {
				return c
			}
			return strings.Compare(b.ID, a.ID)
		})
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Find resolves a checkpoint reference ("latest", an id, a prefix or a
// unique piece of one) against history.
func (w *Workspace) FindCheckpoint(ref string) (*LogEntry, error) {
	es, err := w.Log(0)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	i, err := matchID(ids, ref)
	if err != nil {
		return nil, err
	}
	return &es[i], nil
}

// ShowView is `wf show`: the checkpoint file as committed and what the
// commit changed.
type ShowView struct {
	Schema   int        `json:"schema"`
	LogEntry            // the commit
	File     string     `json:"file"`
	Content  string     `json:"content"`
	Stat     []FileView `json:"stat"`
}

// Show reads a checkpoint as it was at its commit.
func (w *Workspace) Show(ref string) (*ShowView, error) {
	e, err := w.FindCheckpoint(ref)
	if err != nil {
		return nil, err
	}
	h := gitcp.NewHash(e.Commit)
	var parent gitcp.Hash
	if e.Parent != "" {
		parent = gitcp.NewHash(e.Parent)
	}
	stats, err := w.Repo.DiffStat(parent, h)
	if err != nil {
		return nil, err
	}
	v := &ShowView{Schema: SchemaVersion, LogEntry: *e, Stat: []FileView{}}
	for _, f := range stats {
		v.Stat = append(v.Stat, FileView{Path: f.Path, Kind: f.Kind.String(), Added: f.Added, Deleted: f.Deleted, Binary: f.Binary})
	}
	// The file is where the state root is now, or wherever the commit
	// added a checkpoints/<id>.md.
	cands := []string{w.relTop(w.Path(filepath.Join(CheckpointsDir, e.ID+".md")))}
	for _, f := range stats {
		if strings.HasSuffix(f.Path, "/"+e.ID+".md") || f.Path == e.ID+".md" {
			cands = append(cands, f.Path)
		}
	}
	for _, c := range cands {
		if b, err := w.Repo.ReadBlobAt(h, c); err == nil {
			v.File, v.Content = c, string(b)
			return v, nil
		}
	}
	return nil, fmt.Errorf("commit %s has no checkpoint file for %s", e.Short(), e.ID)
}

// RecoverOptions configure `wf recover`.
type RecoverOptions struct {
	Why    string // required: recorded in the decisions log
	Branch string // default wf/recover-<short id>
	OnStep func(string)
}

// RecoverResult is what `wf recover` reports.
type RecoverResult struct {
	Schema     int               `json:"schema"`
	From       LogEntry          `json:"from"`
	Branch     string            `json:"branch"`
	Previous   string            `json:"previous_branch,omitempty"`
	Checkpoint *CheckpointResult `json:"checkpoint"`
}

// Recover continues from an older checkpoint on a new branch: the branch
// is created at the checkpoint's commit and checked out (only from a clean
// work tree), the reason goes into the decisions log, and a checkpoint
// records the move. Nothing is reset or force-moved; the old branch keeps
// its commits.
func (w *Workspace) Recover(ref string, o RecoverOptions) (*RecoverResult, error) {
	if w.Repo == nil {
		return nil, ErrNoRepo
	}
	why := oneLineText(o.Why)
	if why == "" {
		return nil, fmt.Errorf("wf recover needs a reason (--why)")
	}
	release, notes, err := w.lockAndRecover()
	if err != nil {
		return nil, err
	}
	defer release()
	e, err := w.FindCheckpoint(ref)
	if err != nil {
		return nil, err
	}
	branch := o.Branch
	if branch == "" {
		branch = "wf/recover-" + ShortID(e.ID)
	}
	head, err := w.Repo.Head()
	if err != nil {
		return nil, err
	}
	res := &RecoverResult{Schema: SchemaVersion, From: *e, Branch: branch, Previous: head.ShortBranch()}
	from := head.ShortBranch()
	if head.Detached {
		from = "detached HEAD " + head.Hash.String()[:12]
		res.Previous = ""
	} else if !head.Unborn {
		from += " at " + head.Hash.String()[:12]
	}
	if err := w.Repo.CreateBranch(branch, gitcp.NewHash(e.Commit), true, w.Now()); err != nil {
		var unsafe *gitcp.UnsafeStateError
		if errors.As(err, &unsafe) {
			return nil, &UnsafeError{unsafe}
		}
		return nil, err
	}
	cp, err := w.checkpointLocked(CheckpointOptions{
		Title:     "recovered from " + ShortID(e.ID),
		Summary:   fmt.Sprintf("Continuing from checkpoint %s on branch %s (was on %s): %s", e.ID, branch, from, why),
		Decisions: []string{fmt.Sprintf("Recovered from checkpoint %s: %s", e.ID, why)},
		OnStep:    o.OnStep,
	})
	if err != nil {
		return nil, fmt.Errorf("switched to branch %s at checkpoint %s, but the recovery checkpoint failed: %w", branch, e.ID, err)
	}
	cp.Notes = append(notes, cp.Notes...)
	res.Checkpoint = cp
	return res, nil
}
