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
	// TrailerHead is the commit HEAD was at when a ref-mode checkpoint
	// was made (ref mode only: its parent is the previous checkpoint on
	// the ref, not HEAD). A checkpoint whose head left HEAD's history (an
	// aborted rebase, a reset) is orphaned: see [LogEntry].Orphaned.
	TrailerHead = "Wf-Head"
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
	// Head is the Wf-Head trailer (ref mode): HEAD when it was made.
	Head string `json:"-"`
}

// Short is the abbreviated commit hash.
func (e LogEntry) Short() string { return Short(e.Commit) }

// Short abbreviates a commit hash to 7 digits, as git log --oneline does
// in a small repository.
func Short(h string) string { return h[:min(len(h), 7)] }

// Log lists the checkpoints of w's repository newest first: those in the
// history of HEAD and, when it exists, of the worktree's checkpoint ref
// (ref mode), but for orphaned ones ([Orphans]). limit 0 lists all. It
// fails with [ErrNoRepo] outside git.
func Log(w *workspace.Workspace, limit int) ([]LogEntry, error) {
	es, _, err := logAll(w, limit)
	return es, err
}

// Orphans lists the ref-mode checkpoints whose Wf-Head commit is no
// longer in HEAD's history (a rebase that was aborted, a reset), newest
// first: they are no checkpoint of this history, so resume does not take
// one as the latest, and their files are not committed (first-use/13).
func Orphans(w *workspace.Workspace) ([]LogEntry, error) {
	if w.Repo == nil || !hasCheckpointRef(w) {
		return nil, nil
	}
	_, orphans, err := logAll(w, orphanDepth)
	return orphans, err
}

// hasCheckpointRef reports whether the worktree's checkpoint ref exists.
// Only its checkpoints can be orphans: those of HEAD's history never are.
// Without it the orphan check reads nothing, and a branch-mode workflow
// (the default) pays no history walk for it.
func hasCheckpointRef(w *workspace.Workspace) bool {
	return !w.RefValue(w.Repo.CheckpointRef()).IsZero()
}

// Latest returns the newest checkpoint of this history ([Log] with limit
// 1; nil when there is none) and the orphans among the newest
// [orphanDepth] ([Orphans]), from one history walk: wf resume needs both.
// When that walk fails, the latest comes from [Log] with limit 1 and no
// orphans are returned. It fails with [ErrNoRepo] outside git, and with
// Log's errors.
func Latest(w *workspace.Workspace) (*LogEntry, []LogEntry, error) {
	if w.Repo == nil {
		return nil, nil, ErrNoRepo
	}
	depth := orphanDepth
	if !hasCheckpointRef(w) {
		depth = 1 // no orphans to look for
	}
	es, orphans, err := logAll(w, depth)
	if err != nil {
		// A commit that cannot be read among the newest orphanDepth
		// (a corrupt object, a shallow or partial clone) must not
		// cost resume the latest checkpoint, which Log reads from the
		// newest commits alone: the orphans are then not known.
		es, err = Log(w, 1)
		orphans = nil
	}
	if err != nil || len(es) == 0 {
		return nil, orphans, err
	}
	return &es[0], orphans, nil
}

// orphanDepth is how many of the newest checkpoints [Orphans] looks at:
// an aborted rebase orphans recent ones, and each distinct Wf-Head costs
// a history walk.
const orphanDepth = 20

// logAll lists up to limit (0: all) checkpoints of this history and the
// orphans met on the way, reading more entries while orphans fill the
// limit.
func logAll(w *workspace.Workspace, limit int) ([]LogEntry, []LogEntry, error) {
	head, err := w.Repo.Head()
	if err != nil {
		return nil, nil, err
	}
	inHistory := map[string]bool{}
	for n := limit; ; n *= 2 {
		es, err := logEntries(w, n)
		if err != nil {
			return nil, nil, err
		}
		out, orphans := splitOrphans(w, head, es, inHistory)
		if limit == 0 || len(out) >= limit || len(es) < n {
			if limit > 0 && len(out) > limit {
				out = out[:limit]
			}
			return out, orphans, nil
		}
	}
}

// splitOrphans separates the orphaned ref-mode checkpoints of es.
func splitOrphans(w *workspace.Workspace, head gitcp.HeadInfo, es []LogEntry, inHistory map[string]bool) (out, orphans []LogEntry) {
	for _, e := range es {
		if e.OnHead || e.Head == "" || !gitcp.IsHash(e.Head) {
			out = append(out, e)
			continue
		}
		ok, seen := inHistory[e.Head]
		if !seen {
			var err error
			_, ok, err = w.Repo.RevCount(head.Hash, gitcp.NewHash(e.Head))
			if err != nil {
				ok = true // unknown: keep it, as before this check
			}
			inHistory[e.Head] = ok
		}
		if ok {
			out = append(out, e)
		} else {
			orphans = append(orphans, e)
		}
	}
	return out, orphans
}

// logEntries is [Log] without the orphan check.
func logEntries(w *workspace.Workspace, limit int) ([]LogEntry, error) {
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
	lists := make([][]LogEntry, len(refs))
	for i, ref := range refs {
		es, err := w.Repo.LogWith(ref, gitcp.LogOptions{Limit: limit, Within: Within(w)})
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
				Phase: e.Trailers[TrailerPhase], Status: e.Trailers[TrailerStatus], Branch: e.Trailers[TrailerBranch], OnHead: ref == "HEAD", Head: e.Trailers[TrailerHead]}
			if len(e.Parents) > 0 {
				le.Parent = e.Parents[0].String()
			}
			lists[i] = append(lists[i], le)
		}
	}
	out := mergeNewestFirst(lists, limit)
	return out, nil
}

// mergeNewestFirst merges lists of checkpoints, each newest first in its
// history's walk order (a commit before its parents), into one list of up
// to limit entries (0: all): it takes, each time, the list whose next
// entry is the newest ([newer]; the earlier list on a tie), as git log's
// walk of several refs takes the newest commit it has reached, though by
// the checkpoints' ids rather than commit dates. No entry comes before
// one that its own list puts first, so the first n entries depend only on
// the first n of each list: wf log, wf show latest and wf resume agree on
// the latest checkpoint whatever limit each reads with, even when a clock
// was set back or a rebase kept old author dates.
// It consumes lists: their elements are resliced as entries are taken.
func mergeNewestFirst(lists [][]LogEntry, limit int) []LogEntry {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	if limit > 0 {
		n = min(n, limit)
	}
	out := make([]LogEntry, 0, n)
	for len(out) < n {
		best := -1
		for i, l := range lists {
			if len(l) == 0 {
				continue
			}
			if best < 0 {
				best = i
				continue
			}
			if newer(&l[0], &lists[best][0]) {
				best = i
			}
		}
		out = append(out, lists[best][0])
		lists[best] = lists[best][1:]
	}
	return out
}

// newer reports whether checkpoint a was made after b. Ids say it when
// both are wf's: wf checkpoint makes each id sort after the newest
// checkpoint the worktree can see, on HEAD or the checkpoint ref, even
// when the clock was set back, so the ids' order is the order they were
// made in. Otherwise the later date, then the greater id.
func newer(a, b *LogEntry) bool {
	if ValidID(a.ID) && ValidID(b.ID) {
		return a.ID > b.ID
	}
	if c := a.Time.Compare(b.Time); c != 0 {
		return c > 0
	}
	return a.ID > b.ID
}

// Within is the path of w's workflow-state.md from the top of the work
// tree: every history walk of wf stops, along each line of history, at
// the first commit without it ([gitcp.LogOptions.Within]), since every
// checkpoint commits it. So wf log, show and status cost what the
// workflow's own history costs, not the project's.
func Within(w *workspace.Workspace) string {
	return w.RelTop(w.Path(workspace.StateFile))
}

// Find resolves a checkpoint reference ("latest", an id, a prefix or a
// unique piece of one) against history and, but for "latest", the
// checkpoints only the reflogs of HEAD and the checkpoint ref still hold
// (after a reset or a branch switch: wf resume names those too); an
// [*IDRefError] when it names none or several, wherever they are.
func Find(w *workspace.Workspace, ref string) (*LogEntry, error) {
	latest := strings.EqualFold(strings.TrimSpace(ref), "latest")
	limit := 0
	if latest {
		limit = 1 // the newest is all "latest" needs
	}
	es, err := Log(w, limit)
	if err != nil {
		return nil, err
	}
	if !latest {
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
