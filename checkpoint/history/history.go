// Package history reads wf's checkpoints from git history: checkpoint
// ids (their shape, how they sort, how a prefix names one), the commit
// trailers that mark a checkpoint commit, and the log of checkpoints in
// the history of HEAD and of the worktree's checkpoint ref.
//
// It owns the trailer names (one const block) and the id format. It reads
// git only through package gitcp and never writes: committing is package
// checkpoint's.
package history

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp"
)

// ErrNoRepo means checkpoint history was asked for outside a git
// repository.
var ErrNoRepo = errors.New("the workflow is not in a git repository: checkpoints are git commits")

// Trailers of a checkpoint commit (git-interpret-trailers(1) syntax,
// "Key: value" lines at the end of the message). Checkpoint marks the
// commit; the others record where the workflow stood.
const (
	TrailerCheckpoint = gitcp.CheckpointTrailer // "Wf-Checkpoint: <id>"
	TrailerPhase      = "Wf-Phase"
	TrailerStatus     = "Wf-Status"
	// TrailerBranch names the branch HEAD was on (absent when detached),
	// so that wf resume can tell when work moved to another branch.
	TrailerBranch = "Wf-Branch"
	// TrailerSession is the agent session that made the checkpoint
	// (WF_SESSION or a Claude Code hook's session_id; issue 13).
	TrailerSession = "Wf-Session"
)

// CommitMessage is a checkpoint commit's message: "checkpoint: <title>",
// the summary as its body, then the trailers. Empty phase, status and
// branch are left out.
func CommitMessage(title, summary, id, phase, status, branch string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "checkpoint: %s\n\n", title)
	if s := strings.TrimSpace(summary); s != "" {
		b.WriteString(s + "\n\n")
	}
	fmt.Fprintf(&b, "%s: %s\n", TrailerCheckpoint, id)
	for _, t := range []struct{ key, val string }{{TrailerPhase, phase}, {TrailerStatus, status}, {TrailerBranch, branch}} {
		if v := workspace.OneLine(t.val); v != "" {
			fmt.Fprintf(&b, "%s: %s\n", t.key, v)
		}
	}
	return b.String()
}

// CheckpointRef names a checkpoint: the one shape every --json document
// gives a checkpoint reference (wf log, show, checkpoint, recover, status;
// resume's checkpoint has the same fields and a few more).
type CheckpointRef struct {
	ID     string    `json:"id"`
	Title  string    `json:"title"`
	Time   time.Time `json:"time"`
	Commit string    `json:"commit"`
	// Ref is the full name of the ref whose history holds the commit:
	// the branch ("refs/heads/main"), the worktree's checkpoint ref (ref
	// mode), or "HEAD" when HEAD is detached.
	Ref string `json:"ref"`
}

// LogEntry is one checkpoint found in git history.
type LogEntry struct {
	CheckpointRef
	Phase  string `json:"phase,omitempty"`
	Status string `json:"status,omitempty"`
	Branch string `json:"branch,omitempty"` // the Wf-Branch trailer
	Parent string `json:"parent,omitempty"`
	// OnHead says the commit was found in the history of HEAD (not only
	// in the checkpoint ref's).
	OnHead bool `json:"-"`
}

// Short is the abbreviated commit hash.
func (e LogEntry) Short() string { return Short(e.Commit) }

// Short abbreviates a commit hash to 7 digits, as git log --oneline does
// in a small repository.
func Short(h string) string { return h[:min(len(h), 7)] }

// Log lists the checkpoints of w's repository newest first: those in the
// history of HEAD and, when it exists, of the worktree's checkpoint ref
// (ref mode). limit 0 lists all. It fails with [ErrNoRepo] outside git.
func Log(w *workspace.Workspace, limit int) ([]LogEntry, error) {
	if w.Repo == nil {
		return nil, ErrNoRepo
	}
	var refs, names []string
	if head, err := w.Repo.Head(); err != nil {
		return nil, err
	} else if !head.Unborn {
		name := head.Branch
		if head.Detached || name == "" {
			name = "HEAD"
		}
		refs, names = append(refs, "HEAD"), append(names, name)
	}
	if !w.RefValue(w.Repo.CheckpointRef()).IsZero() {
		refs, names = append(refs, w.Repo.CheckpointRef()), append(names, w.Repo.CheckpointRef())
	}
	seen := map[gitcp.Hash]bool{}
	out := []LogEntry{}
	for i, ref := range refs {
		es, err := w.Repo.Log(ref, "", limit)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			if seen[e.Hash] {
				continue
			}
			seen[e.Hash] = true
			le := LogEntry{CheckpointRef: CheckpointRef{ID: e.Trailers[TrailerCheckpoint], Time: e.Time, Commit: e.Hash.String(), Ref: names[i],
				Title: strings.TrimSpace(strings.TrimPrefix(e.Subject, "checkpoint:"))},
				Phase: e.Trailers[TrailerPhase], Status: e.Trailers[TrailerStatus], Branch: e.Trailers[TrailerBranch], OnHead: ref == "HEAD"}
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
// unique piece of one) against history and, but for "latest", the
// checkpoints only the reflogs of HEAD and the checkpoint ref still hold
// (after a reset or a branch switch: wf resume names those too); an
// [*IDRefError] when it names none or several, wherever they are.
func Find(w *workspace.Workspace, ref string) (*LogEntry, error) {
	es, err := Log(w, 0)
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(strings.TrimSpace(ref), "latest") {
		es = append(es, ReflogOnly(w, es)...)
	}
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	i, err := MatchID(ids, ref)
	if err != nil {
		return nil, err
	}
	return &es[i], nil
}

// reflogDepth is how many entries of each reflog ReflogOnly reads.
const reflogDepth = 500

// ReflogOnly lists the checkpoint commits that the reflogs of HEAD and of
// the worktree's checkpoint ref name and known does not hold, newest
// first, with Ref "reflog". A commit git has pruned is skipped.
func ReflogOnly(w *workspace.Workspace, known []LogEntry) []LogEntry {
	seen := map[string]bool{}
	for _, e := range known {
		seen[e.Commit] = true
	}
	var out []LogEntry
	for _, ref := range []string{"HEAD", w.Repo.CheckpointRef()} {
		entries, err := w.Repo.Reflog(ref, reflogDepth)
		if err != nil {
			continue
		}
		for _, re := range entries {
			c := re.New.String()
			if re.New.IsZero() || seen[c] {
				continue
			}
			seen[c] = true
			if tr, err := w.Repo.CommitTrailers(re.New); err != nil || tr[TrailerCheckpoint] == "" {
				continue // not wf's, or pruned
			}
			es, err := w.Repo.Log(c, "", 1)
			if err != nil || len(es) == 0 || es[0].Hash != re.New {
				continue // not a checkpoint commit, or pruned
			}
			e := es[0]
			le := LogEntry{CheckpointRef: CheckpointRef{ID: e.Trailers[TrailerCheckpoint], Time: e.Time, Commit: c, Ref: "reflog",
				Title: strings.TrimSpace(strings.TrimPrefix(e.Subject, "checkpoint:"))},
				Phase: e.Trailers[TrailerPhase], Status: e.Trailers[TrailerStatus], Branch: e.Trailers[TrailerBranch]}
			if len(e.Parents) > 0 {
				le.Parent = e.Parents[0].String()
			}
			out = append(out, le)
		}
	}
	slices.SortStableFunc(out, func(a, b LogEntry) int { return strings.Compare(b.ID, a.ID) })
	return out
}
