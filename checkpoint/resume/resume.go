// Package resume computes what `wf resume` and `wf status` say: the
// re-entry context a fresh session continues from, within a token budget
// ([Build]), and the one-screen status view ([Status]). It reads the state
// files, the latest checkpoint and the repository (through gitcp) and
// never writes: recovering an interrupted checkpoint happened when the
// workspace was opened (checkpoint.Open), and its notes become warnings.
package resume

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wf-tool/wf/checkpoint"
	"github.com/wf-tool/wf/checkpoint/history"
	"github.com/wf-tool/wf/checkpoint/journal"
	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/lint"
	"github.com/wf-tool/wf/checkpoint/tokens"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp"
	"github.com/wf-tool/wf/mdstate"
	"github.com/wf-tool/wf/mdstate/sections"
)

// Options configure `wf resume`.
type Options struct {
	// Budget is the ceiling in estimated tokens; 0 takes the
	// resume-budget setting, else workspace.DefaultResumeBudget.
	Budget int
	// Full lifts the budget.
	Full bool
}

// Resume is the re-entry context: what `wf resume` prints, and its --json
// form. Every list holds only what fitted the budget; Omitted says what was
// left out and where to read it.
type Resume struct {
	Schema   int      `json:"schema"`
	Root     string   `json:"root"`
	Project  string   `json:"project,omitempty"`
	Phase    string   `json:"phase,omitempty"`
	Status   string   `json:"status,omitempty"`
	Mode     string   `json:"mode,omitempty"`
	Progress Progress `json:"progress"`
	// Git is nil outside a git repository.
	Git        *ResumeGit          `json:"git"`
	Checkpoint *ResumeCheckpoint   `json:"checkpoint"` // nil: none yet
	Warnings   []Warning           `json:"warnings"`
	Read       []ReadStep          `json:"read"`
	Current    *lifecycle.ItemView `json:"current"`
	// Attempts are the current item's failed attempts with their
	// reasons (workflow-state.md's Failed Attempts), newest first.
	Attempts []lifecycle.Attempt `json:"attempts"`
	// NextActions are the latest checkpoint's own next actions (source
	// "checkpoint"), then up to five open TODO items after the current
	// one (source "todo"); item numbers are TODO.md's of now.
	NextActions []NextAction `json:"next_actions"`
	// Decisions are the newest entries of the decisions log, oldest first.
	Decisions []string `json:"decisions"`
	// Summary is the latest checkpoint's State Summary, without the lines
	// wf derived (phase, progress, current item: shown above, fresher).
	Summary []string `json:"summary"`
	// Specs are delegated specs without a result file.
	Specs []string `json:"open_specs"`
	// Retries are the open items whose retry budget is spent in some
	// bucket.
	Retries []RetrySpent `json:"retries_spent"`
	// Command is the next command when the right move is not to continue
	// with the current item.
	Command *NextCommand `json:"command,omitempty"`
	// Sections are the latest checkpoint's sections that the parts above
	// do not already give: all of them with --full, else the ones wf does
	// not write itself (a "Gotchas" the agent added); SectionsLeft names
	// the ones left out, to read in the checkpoint file.
	Sections     []Section  `json:"checkpoint_sections"`
	SectionsLeft []string   `json:"checkpoint_sections_left"`
	Omitted      []Omission `json:"omitted"`
	// Session is the last agent session seen in this worktree (WF_SESSION
	// or a Claude Code hook's session_id); nil when none is known.
	Session *lifecycle.Session `json:"session,omitempty"`
	Budget  int                `json:"budget"` // 0 with --full
	Tokens  int                `json:"tokens"` // estimate of the text form
	text    string
}

// ResumeGit is where the repository stands.
type ResumeGit struct {
	Branch    string `json:"branch,omitempty"` // "" when detached
	Head      string `json:"head,omitempty"`   // "" when unborn
	Mode      string `json:"mode"`             // commit mode: branch or ref
	Operation string `json:"operation,omitempty"`
}

// ResumeCheckpoint is the latest checkpoint.
type ResumeCheckpoint struct {
	ID     string    `json:"id"`
	Title  string    `json:"title"`
	Time   time.Time `json:"time"`
	Age    string    `json:"age"`
	Commit string    `json:"commit,omitempty"` // "" outside git
	Ref    string    `json:"ref,omitempty"`
	Branch string    `json:"branch,omitempty"`
	File   string    `json:"file"`
}

// Warning is something the resuming agent must know before it continues.
type Warning struct {
	// Kind is one of: uncommitted, head-moved, branch-changed, detached,
	// checkpoint-mismatch, checkpoint-file, checkpoint-interrupted,
	// checkpoint-lost, todo-changed, stale-heartbeat, live-session,
	// phase-mismatch, waiting, blocked, paused, loop-limit, side-effects,
	// git-operation, git-error, lint, no-git, no-todo, unread-items,
	// embedded-repository.
	Kind    string   `json:"kind"`
	Message string   `json:"message"`
	Details []string `json:"details,omitempty"`
}

// RetrySpent is an open item that used up a retry budget.
type RetrySpent struct {
	N       int      `json:"n"`
	Line    int      `json:"line"`
	Text    string   `json:"text"`
	Buckets []string `json:"buckets"` // "test-fail 3/3"
}

// ReadStep is a file to read, in order: always a regular file (never a
// folder or a symlink), with its size.
type ReadStep struct {
	Path   string `json:"path"`
	Why    string `json:"why"`
	Lines  int    `json:"lines"`
	Tokens int    `json:"tokens"` // estimated
	// Large is set above the read-large setting (default 2,000 tokens):
	// read the parts you need.
	Large bool `json:"large,omitempty"`
}

// Section is a section of the checkpoint body.
type Section struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

// NextCommand is what to do instead of continuing with the current item:
// a command to run, or (Command empty) what to wait for or ask.
type NextCommand struct {
	Command string `json:"command,omitempty"`
	Why     string `json:"why"`
}

// Omission is a part left out to stay within the budget.
type Omission struct {
	What  string `json:"what"`
	Count int    `json:"count"`
	Where string `json:"where"`
}

// Text is the context as printed.
func (r *Resume) Text() string { return r.text }

// resumeData is what Resume gathers before it fits the budget.
type resumeData struct {
	r         *Resume
	w         *workspace.Workspace
	sn        *workspace.Snapshot
	cpContent []byte           // the latest checkpoint file
	cpDoc     *checkpoint.Body // parsed
	decisions []*mdstate.Entry
	extraRead []string // paths the checkpoint's context names
	waits     []*mdstate.Entry
	blockers  []*mdstate.Entry
	cpMissing bool // the checkpoint file was read from its commit
	cpCommit  string
	// rolledBack is the record of the checkpoint a crash interrupted and
	// recovery rolled back or found moved on, nil for none.
	rolledBack *journal.Interrupted
	limits     map[string]int // retry budgets
	oldTodo    *mdstate.Todo  // TODO.md as the latest checkpoint committed it
	full       bool           // --full: every section of the checkpoint
	// scan compares the work tree with the index in the background from
	// the start of Build (nil without a repository): the walk is most of
	// resume's time on a large tree, and needs nothing Build reads first.
	scan *gitcp.WorktreeScan
}

// Build assembles the re-entry context of w's workflow within the budget
// o gives. It reads the state files and the repository and writes nothing
// (checkpoint.Open has already completed or rolled back a checkpoint a
// crash interrupted; w.Notes become warnings). A repository it cannot read
// is a warning, not an error, so that a session can still start; it fails
// only when the state files cannot be read or the budget is below
// [workspace.MinResumeBudget].
func Build(w *workspace.Workspace, o Options) (*Resume, error) {
	var scan *gitcp.WorktreeScan
	if w.Repo != nil {
		scan = w.Repo.StartWorktreeScan()
		defer scan.Stop() // when Build returns before it needs the scan
	}
	sn, err := w.Read()
	if err != nil {
		return nil, err
	}
	st, td := sn.State, sn.Todo
	now := w.Now()
	r := &Resume{Schema: workspace.SchemaVersion, Root: w.Root, Warnings: []Warning{}, Read: []ReadStep{},
		Attempts: []lifecycle.Attempt{}, NextActions: []NextAction{}, Decisions: []string{}, Summary: []string{}, Specs: []string{}, Retries: []RetrySpent{},
		Sections: []Section{}, SectionsLeft: []string{}, Omitted: []Omission{}}
	r.Project = projectName(st.Title)
	r.Phase, r.Status, r.Mode = st.Get("phase"), st.Get("status"), st.Get("mode")
	r.Progress.Done, r.Progress.Skipped, r.Progress.Total = td.Counts("*")
	d := &resumeData{r: r, w: w, sn: sn, scan: scan}
	limits, err := lifecycle.RetryLimits(st)
	if err != nil {
		limits = lifecycle.DefaultRetryLimits() // the lint warning says what is wrong
	}
	d.limits = limits
	for _, e := range st.Decisions {
		if !workspace.IsNone(e.Text) {
			d.decisions = append(d.decisions, e)
		}
	}
	for _, e := range st.Waits {
		if !workspace.IsNone(e.Text) {
			d.waits = append(d.waits, e)
		}
	}
	for _, e := range st.Blockers {
		if !workspace.IsNone(e.Text) {
			d.blockers = append(d.blockers, e)
		}
	}
	if cur := td.Current(); len(cur) > 0 {
		iv := lifecycle.ViewItem(cur[0])
		r.Current = &iv
		r.Attempts = append(r.Attempts, lifecycle.AttemptsOn(st, cur[0])...)
	}
	rec, rerr := journal.ReadInterrupted(w)
	for _, n := range w.Notes {
		// Opening the workspace completed or rolled back a checkpoint
		// that a crash interrupted: the agent must know.
		if rec != nil && n == rec.Note {
			continue // said below, with what it was given
		}
		r.Warnings = append(r.Warnings, Warning{Kind: "checkpoint-interrupted", Message: n})
	}
	if rerr != nil {
		r.Warnings = append(r.Warnings, Warning{Kind: "checkpoint-interrupted", Message: rerr.Error()})
	}
	d.rolledBack = rec
	if w.Repo != nil {
		if err := d.git(now); err != nil {
			// A session must still start: say what could not be checked.
			r.Warnings = append(r.Warnings, Warning{Kind: "git-error",
				Message: "could not read the repository, so the checkpoint, HEAD and the work tree were not checked: " + err.Error()})
		}
	} else {
		r.Warnings = append(r.Warnings, Warning{Kind: "no-git",
			Message: "not in a git repository: checkpoint history, HEAD and uncommitted work cannot be checked, and wf checkpoint will not work until this folder is in one (git init)"})
		d.noGit(now)
	}
	if rec != nil {
		d.interrupted(rec)
	}
	d.full = o.Full
	d.state(now)
	if s, ok := lifecycle.LastSession(w); ok {
		d.r.Session = &s
	}
	d.sections()
	budget := 0
	if !o.Full {
		budget = o.Budget
		if budget == 0 {
			// An unusable setting is a lint error, reported with the
			// others; the default applies.
			if n, err := strconv.Atoi(strings.TrimSpace(st.Setting("resume-budget"))); err == nil && n >= workspace.MinResumeBudget {
				budget = n
			}
		}
		if budget == 0 {
			budget = workspace.DefaultResumeBudget
		}
		if budget < workspace.MinResumeBudget {
			return nil, fmt.Errorf("budget %d is below the minimum of %d tokens", budget, workspace.MinResumeBudget)
		}
	}
	orderWarnings(r.Warnings)
	d.fit(budget)
	return r, nil
}

// orderWarnings moves the warnings that say work may be lost or
// clobbered (a checkpoint a crash interrupted, work not checkpointed,
// another session still working here) in front of the others, keeping
// the order within each group. A small budget keeps only the first
// warnings, so these are the last to go (the soak, docs/soak.md, saw a
// budget that kept branch-changed and dropped uncommitted).
func orderWarnings(ws []Warning) {
	first := func(kind string) bool {
		switch kind {
		case "checkpoint-interrupted", "uncommitted", "live-session":
			return true
		}
		return false
	}
	sort.SliceStable(ws, func(i, j int) bool { return first(ws[i].Kind) && !first(ws[j].Kind) })
}

// idInText finds a checkpoint id in a field; compiled on first use, not
// at start-up (issue 12), like every regexp of this package.
var idInText = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\d{8}-\d{4,6}(?:-[0-9a-f]{4})?(?:-[a-z0-9-]+)?`) })

// lastCheckpointField returns the id in workflow-state.md's Last
// checkpoint field ("2026-02-22 11:30 (20260222-113005-a3f9-api)").
func lastCheckpointField(st *mdstate.State) string {
	v := st.Get("last checkpoint")
	if i := strings.LastIndexByte(v, '('); i >= 0 {
		if m := idInText().FindString(v[i:]); m != "" {
			return m
		}
	}
	return idInText().FindString(v)
}

// resumeGit checks the repository: the latest checkpoint against history,
// HEAD and the branch, the work tree against the checkpoint's commit, and
// TODO.md against the checkpoint's.
func (d *resumeData) git(now time.Time) error {
	w := d.w
	r, repo, st := d.r, w.Repo, d.sn.State
	head, err := repo.Head()
	if err != nil {
		return err
	}
	mode := strings.ToLower(strings.TrimSpace(st.Setting("commit")))
	if mode != string(gitcp.ModeRef) {
		mode = string(gitcp.ModeBranch)
	}
	g := &ResumeGit{Branch: head.ShortBranch(), Mode: mode}
	if !head.Unborn {
		g.Head = head.Hash.String()
	}
	r.Git = g
	if op, err := repo.InProgress(); err != nil {
		return err
	} else if op != "" {
		g.Operation = op
		r.Warnings = append(r.Warnings, Warning{Kind: "git-operation",
			Message: fmt.Sprintf("a git %s is in progress: finish or abort it before anything else (git status shows where it stands)", op)})
		r.Command = &NextCommand{Command: operationCommand(op), Why: fmt.Sprintf("a %s is in progress; wf checkpoint refuses to commit on the branch until it is finished", op)}
	}

	// Embedded repositories committed as gitlinks (git add -A adds them,
	// and so does a checkpoint, with git's warning): clones lack them.
	if emb, err := d.scan.EmbeddedGitlinks(); err == nil && len(emb) > 0 {
		what := "an embedded git repository committed as a gitlink, not a submodule: clones of this repository will not contain its files"
		if len(emb) > 1 {
			what = "embedded git repositories committed as gitlinks, not submodules: clones of this repository will not contain their files"
		}
		wn := Warning{Kind: "embedded-repository",
			Message: fmt.Sprintf("%s: %s (git submodule add <url> %s registers it; git rm --cached %s takes it out)", strings.Join(emb, ", "), what, emb[0], emb[0])}
		if len(emb) > 1 {
			wn.Details = emb
		}
		r.Warnings = append(r.Warnings, wn)
	}

	// The latest checkpoint: the newest in HEAD's history and the
	// checkpoint ref's.
	cp, orphans, err := history.Latest(w)
	if err != nil {
		return err
	}
	named := lastCheckpointField(st)
	if named != "" && (cp == nil || !history.IDMatches(cp.ID, named)) {
		all, err := history.Log(w, 0)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(all, func(e history.LogEntry) bool { return history.IDMatches(e.ID, named) })
		switch {
		case i < 0:
			r.Warnings = append(r.Warnings, Warning{Kind: "checkpoint-mismatch",
				Message: fmt.Sprintf("%s names checkpoint %s as the last, but no commit in the history of HEAD or %s records it (another branch, or history was reset)", w.Rel(workspace.StateFile), named, repo.CheckpointRef()),
				Details: []string{"wf log lists the checkpoints this history has; git log --all --grep='Wf-Checkpoint: " + history.ShortID(named) + "' finds the commit if it still exists"}})
		case cp != nil:
			r.Warnings = append(r.Warnings, Warning{Kind: "checkpoint-mismatch",
				Message: fmt.Sprintf("%s names checkpoint %s as the last, but history has a newer one, %s (%s): the state file was edited or restored since", w.Rel(workspace.StateFile), named, history.ShortID(cp.ID), cp.Short())})
		}
	}
	d.lost(head, cp)
	d.orphans(orphans)
	if cp == nil {
		d.detached(head, nil)
		d.workSince(head, nil)
		return nil
	}
	rc := &ResumeCheckpoint{ID: cp.ID, Title: cp.Title, Time: cp.Time, Age: age(now, cp.Time), Commit: cp.Commit, Ref: cp.Ref, Branch: cp.Branch,
		File: w.Rel(filepath.Join(workspace.CheckpointsDir, cp.ID+".md"))}
	r.Checkpoint = rc
	commit := gitcp.NewHash(cp.Commit)
	d.cpCommit = cp.Commit
	// The checkpoint file: the work tree's copy, checked against the
	// commit's.
	fileTop := w.RelTop(w.Path(filepath.Join(workspace.CheckpointsDir, cp.ID+".md")))
	committedHash, cerr := repo.BlobHashAt(commit, fileTop)
	wt, _, werr := mdstate.ReadFile(w.Top(), w.Path(filepath.Join(workspace.CheckpointsDir, cp.ID+".md")))
	var committed []byte
	if cerr == nil && werr != nil {
		committed, cerr = repo.ReadBlob(committedHash)
	}
	switch {
	case werr == nil:
		d.cpContent = wt
		if cerr == nil && gitcp.BlobHash(wt) != committedHash {
			r.Warnings = append(r.Warnings, Warning{Kind: "checkpoint-file",
				Message: fmt.Sprintf("%s was edited since its commit %s; what follows is from the edited file", rc.File, cp.Short())})
		}
	case cerr == nil:
		d.cpContent, d.cpMissing = committed, true
		r.Warnings = append(r.Warnings, Warning{Kind: "checkpoint-file",
			Message: fmt.Sprintf("%s is missing from the work tree; read it with: git show %s:%s", rc.File, cp.Short(), fileTop)})
		rc.File = cp.Short() + ":" + fileTop
	default:
		r.Warnings = append(r.Warnings, Warning{Kind: "checkpoint-file",
			Message: fmt.Sprintf("the file of checkpoint %s is neither in the work tree nor in its commit %s; only the commit message is known", cp.ID, cp.Short())})
		rc.File = ""
	}
	// HEAD and the branch against the checkpoint.
	d.detached(head, cp)
	if cp.Branch != "" && g.Branch != "" && cp.Branch != g.Branch {
		r.Warnings = append(r.Warnings, Warning{Kind: "branch-changed",
			Message: fmt.Sprintf("checkpoint %s was made on branch %s; HEAD is now on %s", history.ShortID(cp.ID), cp.Branch, g.Branch)})
		if r.Command == nil {
			r.Command = &NextCommand{Command: "git switch " + cp.Branch, Why: "go back to the branch the work was checkpointed on (or stay, if the switch was deliberate)"}
		}
	}
	if cp.OnHead && !head.Unborn && head.Hash != commit {
		n, reached, err := repo.RevCount(head.Hash, commit)
		if err != nil {
			return err
		}
		if reached {
			var details []string
			if stats, err := repo.DiffStat(commit, head.Hash); err == nil {
				details = fileDetails(stats, cp.Short()+"..HEAD")
			}
			r.Warnings = append(r.Warnings, Warning{Kind: "head-moved",
				Message: fmt.Sprintf("HEAD moved %d %s past checkpoint %s without a checkpoint: see git log %s..HEAD", n, plural(n, "commit", "commits"), history.ShortID(cp.ID), cp.Short()),
				Details: details})
		} else {
			r.Warnings = append(r.Warnings, Warning{Kind: "head-moved",
				Message: fmt.Sprintf("HEAD (%s) does not descend from checkpoint %s's commit %s: %d %s on HEAD are not in it (git log %s..HEAD)", history.Short(g.Head), history.ShortID(cp.ID), cp.Short(), n, plural(n, "commit", "commits"), cp.Short())})
		}
	}
	d.workSince(head, cp)
	return d.todoSince(cp, commit)
}

// interrupted reports the checkpoint a crash interrupted and recovery
// rolled back (whichever wf command did it): what it was given, and the
// one command that finishes it.
func (d *resumeData) interrupted(rec *journal.Interrupted) {
	r := d.r
	wn := Warning{Kind: "checkpoint-interrupted",
		Message: fmt.Sprintf("a checkpoint was interrupted (%s, %s): nothing of it was committed", rec.Note, age(d.w.Now(), rec.When))}
	rq := rec.Request
	if rq == nil {
		r.Warnings = append(r.Warnings, wn)
		return
	}
	if rq.Title != "" {
		wn.Details = append(wn.Details, "title: "+rq.Title)
	}
	if rq.Summary != "" {
		wn.Details = append(wn.Details, "summary: "+workspace.OneLine(rq.Summary))
	}
	for _, x := range rq.Decisions {
		wn.Details = append(wn.Details, "decision (not in the log yet): "+x)
	}
	for _, x := range rq.Next {
		wn.Details = append(wn.Details, "next: "+x)
	}
	r.Warnings = append(r.Warnings, wn)
	if r.Command == nil {
		r.Command = &NextCommand{Command: "wf checkpoint --resume-interrupted",
			Why: "finish the interrupted checkpoint with what it was given (its work and ticked items are in the work tree)"}
	}
}

// orphans warns of ref-mode checkpoints made on a commit that left HEAD's
// history (a rebase that was aborted, a reset), given newest first by
// [history.Latest]: they are not taken as the latest, and wf checkpoint
// keeps their files out of commits.
func (d *resumeData) orphans(os []history.LogEntry) {
	if len(os) == 0 {
		return
	}
	e := os[0]
	msg := fmt.Sprintf("checkpoint %s (ref mode, commit %s) was made on commit %s, which is no longer in HEAD's history (an aborted rebase or a reset?): it is not the latest checkpoint here",
		history.ShortID(e.ID), e.Short(), history.Short(e.Head))
	if len(os) > 1 {
		msg += fmt.Sprintf(" (and %d more like it)", len(os)-1)
	}
	d.r.Warnings = append(d.r.Warnings, Warning{Kind: "checkpoint-orphaned", Message: msg,
		Details: []string{"git show " + e.Short() + " shows it; wf checkpoint removes its file from the work tree (the commit keeps it) so that it is never committed by accident"}})
}

// lost looks in HEAD's reflog for a checkpoint commit newer than
// the latest one in HEAD's history: after a reset, a rebase or a switch to
// another branch, the newest checkpoint is no longer where resume looks,
// and an agent would redo work that was done.
func (d *resumeData) lost(head gitcp.HeadInfo, cp *history.LogEntry) {
	w := d.w
	repo := w.Repo
	entries, err := repo.Reflog("HEAD", 200)
	if err != nil {
		return
	}
	// The reflog orders checkpoints of one second only when it holds the
	// latest one's own commit entry: one made in another worktree and
	// reached by a reset or merge has none here.
	cpInReflog := false
	for _, e := range entries {
		if cp != nil && e.New.String() == cp.Commit && strings.Contains(e.Message, "checkpoint: ") {
			cpInReflog = true
			break
		}
	}
	for i, e := range entries {
		if !strings.Contains(e.Message, "checkpoint: ") {
			continue // resets, checkouts, other commits
		}
		if cp != nil && e.New.String() == cp.Commit {
			return // back at the latest checkpoint in history
		}
		tr, err := repo.CommitTrailers(e.New)
		if err != nil || tr[history.TrailerCheckpoint] == "" {
			continue // pruned, or not wf's
		}
		if neverMoved(d.rolledBack, tr[history.TrailerCheckpoint], entries[:i], e) {
			// Killed between its reflog entry and the ref's move, then
			// rolled back: it never was in history, and the
			// checkpoint-interrupted warning says how to finish it.
			continue
		}
		if cp != nil {
			// Ids start with their UTC second: one made in an earlier
			// second is older. Within one second the reflog's order,
			// newest first, says it is newer, if the reflog holds the
			// latest's entry; the random part of two ids says nothing.
			switch sec, cpSec := idSecond(tr[history.TrailerCheckpoint]), idSecond(cp.ID); {
			case sec < cpSec:
				return
			case sec == cpSec && !cpInReflog:
				continue
			}
		}
		if e.New == head.Hash {
			continue
		}
		if _, reached, err := repo.RevCount(head.Hash, e.New); err != nil || reached {
			continue // still in HEAD's history
		}
		id := tr[history.TrailerCheckpoint]
		msg := fmt.Sprintf("checkpoint %s (commit %s, %s) is newer than the latest in HEAD's history but no longer in it: a reset, rebase or branch switch since?", history.ShortID(id), history.Short(e.New.String()), age(w.Now(), e.Time))
		detail := "git show " + history.Short(e.New.String()) + " shows it; wf recover " + history.ShortID(id) + " --why \"...\" continues from it on a new branch"
		if b := tr[history.TrailerBranch]; b != "" {
			msg += " It was made on branch " + b + "."
			if onBranch(repo, b, e.New) {
				// Nothing is lost: the branch still has it.
				msg += " That branch still has it."
				detail = "git switch " + gitcp.ShellArg(b) + " goes back to it; git show " + history.Short(e.New.String()) + " shows it"
			}
		}
		d.r.Warnings = append(d.r.Warnings, Warning{Kind: "checkpoint-lost", Message: msg, Details: []string{detail}})
		return
	}
}

// onBranch reports whether the local branch named by a checkpoint's
// Wf-Branch trailer exists and has commit c in its history. A name that
// is not a plain branch name (the trailer is text anyone can write) is
// not looked up.
func onBranch(repo *gitcp.Repo, branch string, c gitcp.Hash) bool {
	if !plainBranchName(branch) {
		return false
	}
	tip, err := repo.ResolveRef("refs/heads/" + branch)
	if err != nil || tip.IsZero() {
		return false
	}
	_, reached, err := repo.RevCount(tip, c)
	return err == nil && reached
}

// plainBranchName accepts names made of letters, digits and "._/-" that
// git check-ref-format would accept as a branch: no "..", no "//", no
// leading "-", "." or "/", no trailing "/" or "." and no ".lock" ending,
// no component that starts with ".", and not "HEAD".
func plainBranchName(b string) bool {
	if b == "" || b == "HEAD" || len(b) > 255 || strings.Contains(b, "..") || strings.Contains(b, "//") || strings.Contains(b, "/.") ||
		strings.HasPrefix(b, "-") || strings.HasPrefix(b, ".") || strings.HasPrefix(b, "/") ||
		strings.HasSuffix(b, "/") || strings.HasSuffix(b, ".") || strings.HasSuffix(b, ".lock") {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '/' || c == '-') {
			return false
		}
	}
	return true
}

// neverMoved reports whether the reflog entry e (of checkpoint id, with
// newer the entries after it, newest first) is the line that the
// interrupted checkpoint rec wrote before a crash stopped it from moving
// the ref: git, and wf, write a ref's reflog line under its lock before
// renaming the lock into place. It is when e names rec's own commit and
// id, and no later entry moved HEAD away from that commit (a reset after
// the ref did move makes one, and then the checkpoint is lost, not
// rolled back).
func neverMoved(rec *journal.Interrupted, id string, newer []gitcp.ReflogEntry, e gitcp.ReflogEntry) bool {
	if rec == nil || rec.Commit == "" || id != rec.ID || e.New.String() != rec.Commit {
		return false
	}
	for _, n := range newer {
		if n.Old == e.New {
			return false
		}
	}
	return true
}

// idSecond is the UTC second a checkpoint id starts with
// ("YYYYMMDD-HHMMSS"), or the whole id when it is shorter.
func idSecond(id string) string {
	if len(id) < 15 {
		return id
	}
	return id[:15]
}

// resumeDetached warns about a detached HEAD, except during a git
// operation (a rebase detaches HEAD; the operation's warning says what to
// do), and names the branch the checkpoint was made on.
func (d *resumeData) detached(head gitcp.HeadInfo, cp *history.LogEntry) {
	r := d.r
	if !head.Detached || r.Git.Operation != "" {
		return
	}
	msg := fmt.Sprintf("HEAD is detached at %s: checkpoints made here belong to no branch", history.Short(r.Git.Head))
	if cp != nil && cp.Branch != "" {
		msg += fmt.Sprintf("; checkpoint %s was made on branch %s", history.ShortID(cp.ID), cp.Branch)
		r.Command = &NextCommand{Command: "git switch " + cp.Branch, Why: "go back to the branch the work was checkpointed on (or git switch -c NAME to keep working here on a new branch)"}
	} else {
		msg += " (git switch -c NAME starts a branch here)"
	}
	r.Warnings = append(r.Warnings, Warning{Kind: "detached", Message: msg})
}

// resumeWorkSince reports what the work tree changed since the checkpoint's
// commit (or since HEAD when there is no checkpoint).
func (d *resumeData) workSince(head gitcp.HeadInfo, cp *history.LogEntry) {
	w, r := d.w, d.r
	from, since := head.Hash, "the last commit"
	if cp != nil && (!cp.OnHead || head.Hash.String() == cp.Commit) {
		// In ref mode the checkpoint holds the work tree; in branch mode
		// it is HEAD unless commits came since, which head-moved reports,
		// and then the work tree is compared with HEAD.
		from, since = gitcp.NewHash(cp.Commit), "checkpoint "+history.ShortID(cp.ID)
	}
	if from.IsZero() {
		return // unborn, no checkpoint: everything is new, nothing to compare
	}
	stats, err := d.scan.DiffStat(from)
	if err != nil {
		r.Warnings = append(r.Warnings, Warning{Kind: "uncommitted", Message: "could not compare the work tree with " + since + ": " + err.Error()})
		return
	}
	if len(stats) == 0 {
		return
	}
	add, del, work := 0, 0, false
	for _, f := range stats {
		add += f.Added
		del += f.Deleted
		if !w.OwnFile(f.Path) {
			work = true
		}
	}
	msg := fmt.Sprintf("work not checkpointed since %s: %d %s changed (+%d -%d)", since, len(stats), plural(len(stats), "file", "files"), add, del)
	if work && cp != nil {
		msg += "; the last session was probably interrupted: look at all of it before going on (" + d.diffHint(from, cp) + ")"
	}
	r.Warnings = append(r.Warnings, Warning{Kind: "uncommitted", Message: msg, Details: fileDetails(stats, history.Short(from.String()))})
}

// diffHint is a command that shows all the work since from: git status
// --short lists new files, which git diff never shows. In ref mode the
// checkpoint's tree is not the branch's, so git diff against it would
// show files untracked on the branch as deleted: a throwaway index
// (in the git folder) holding the whole work tree (git add -A into it touches neither the
// real index nor the branch) compares the work tree with the checkpoint.
func (d *resumeData) diffHint(from gitcp.Hash, cp *history.LogEntry) string {
	c := history.Short(from.String())
	if cp.OnHead {
		return "git status --short; git diff " + c
	}
	return fmt.Sprintf("i=$(git rev-parse --git-path wf/diff-index) && GIT_INDEX_FILE=$i git add -A && GIT_INDEX_FILE=$i git diff --cached %s; rm -f $i", c)
}

// fileDetails lists changed files with their line counts, at most 12.
func fileDetails(stats []gitcp.FileStat, diffArg string) []string {
	var details []string
	for _, f := range stats {
		if len(details) == 12 {
			details = append(details, fmt.Sprintf("… %d more (git diff --stat %s)", len(stats)-12, diffArg))
			break
		}
		if f.Binary {
			details = append(details, fmt.Sprintf("%s %s (binary)", kindLetter(f.Kind), f.Path))
		} else {
			details = append(details, fmt.Sprintf("%s %s +%d -%d", kindLetter(f.Kind), f.Path, f.Added, f.Deleted))
		}
	}
	return details
}

// resumeTodoSince compares TODO.md with the checkpoint's.
func (d *resumeData) todoSince(cp *history.LogEntry, commit gitcp.Hash) error {
	w := d.w
	td := d.sn.Todo
	path := w.RelTop(w.Path(workspace.TodoFile))
	var old []byte
	if h, err := w.Repo.BlobHashAt(commit, path); err == nil {
		if h == gitcp.BlobHash(d.sn.TodoBytes()) {
			d.oldTodo = td
			return nil // the usual case: unchanged, nothing to parse
		}
		if old, err = w.Repo.ReadBlob(h); err != nil {
			return err
		}
	} else if d.sn.TodoMissing {
		return nil // in neither
	}
	otd := mdstate.ParseTodo(workspace.TodoFile, old)
	d.oldTodo = otd
	oldMark := make(map[string][]mdstate.Mark, len(otd.Items))
	for _, it := range otd.Items {
		oldMark[it.Text] = append(oldMark[it.Text], it.Mark)
	}
	// Who changed it: the copy of what the last wf command wrote tells a
	// wf edit from a hand edit.
	last := w.LastTodoWrite()
	byWf := last != nil && bytes.Equal(last, d.sn.TodoBytes())
	wfText := w.TodoAddedByWf()
	var ticked, reopened, added []string
	for _, it := range td.Items {
		ms := oldMark[it.Text]
		if len(ms) == 0 {
			who := "by hand"
			if wfText[it.Text] {
				who = "by a wf command"
			}
			added = append(added, fmt.Sprintf("#%d %s (%s)", it.N, it.Text, who))
			continue
		}
		m := ms[0]
		oldMark[it.Text] = ms[1:]
		switch {
		case !it.IsOpen() && m == mdstate.Open:
			ticked = append(ticked, fmt.Sprintf("#%d %s", it.N, it.Text))
		case it.IsOpen() && m != mdstate.Open:
			reopened = append(reopened, fmt.Sprintf("#%d %s", it.N, it.Text))
		}
	}
	removed := 0
	for _, ms := range oldMark {
		removed += len(ms)
	}
	if len(ticked)+len(reopened)+len(added)+removed == 0 {
		return nil // only formatting or the CURRENT marker changed
	}
	var parts, details []string
	list := func(what string, xs []string) {
		if len(xs) == 0 {
			return
		}
		parts = append(parts, fmt.Sprintf("%d %s", len(xs), what))
		for _, x := range xs {
			if len(details) == 8 {
				break
			}
			details = append(details, what+": "+x)
		}
	}
	list("done or skipped", ticked)
	list("reopened", reopened)
	list("added", added)
	if removed > 0 {
		parts = append(parts, fmt.Sprintf("%d removed", removed))
	}
	who := "edited by hand since the last wf command"
	switch {
	case byWf:
		who = "by wf commands"
	case last == nil:
		who = "by hand (no wf command wrote it here since)"
	}
	msg := fmt.Sprintf("%s changed since checkpoint %s, %s: %s (not in any checkpoint yet)", w.Rel(workspace.TodoFile), history.ShortID(cp.ID), who, strings.Join(parts, ", "))
	if len(ticked) > 0 {
		msg += "; items ticked since may hold work that was never checkpointed"
	}
	d.r.Warnings = append(d.r.Warnings, Warning{Kind: "todo-changed", Message: msg, Details: details})
	return nil
}

// resumeNoGit finds the latest checkpoint file by name (ids sort by time).
func (d *resumeData) noGit(now time.Time) {
	w := d.w
	ents, err := os.ReadDir(w.Path(workspace.CheckpointsDir))
	if err != nil {
		return
	}
	var best string
	for _, e := range ents {
		id, ok := strings.CutSuffix(e.Name(), ".md")
		if ok && history.ValidID(id) && id > best {
			best = id
		}
	}
	if best == "" {
		return
	}
	data, _, err := mdstate.ReadFile(w.Top(), w.Path(filepath.Join(workspace.CheckpointsDir, best+".md")))
	if err != nil {
		return
	}
	d.cpContent = data
	rc := &ResumeCheckpoint{ID: best, File: w.Rel(filepath.Join(workspace.CheckpointsDir, best+".md"))}
	if b := checkpoint.ParseBody(data); b.Title != "" {
		rc.Title = b.Title
	}
	if t, ok := history.TimeOf(best); ok {
		rc.Time, rc.Age = t, age(now, t)
	}
	d.r.Checkpoint = rc
}

// resumeState derives what the state files say: waits, blockers, paused,
// a stale heartbeat, lint errors, the files to read, next actions,
// decisions, the checkpoint's summary and open specs.
func (d *resumeData) state(now time.Time) {
	w := d.w
	r, st, td := d.r, d.sn.State, d.sn.Todo
	status := strings.ToLower(strings.TrimSpace(r.Status))
	if status == "paused" {
		// Pausing gives control to the person, whatever else is true.
		msg := "an operator paused this workflow (Status: paused): do not continue until a person sets it back to running"
		if p := lifecycle.PausedBy(st); p.Who != "" {
			// The timeline says who paused it, when and why.
			msg = fmt.Sprintf("%s paused this workflow at %s (Status: paused", p.Who, p.Since)
			if p.Why != "" {
				msg += "; " + p.Why
			}
			msg += "): do not continue until a person runs wf continue"
		}
		r.Warnings = append(r.Warnings, Warning{Kind: "paused", Message: msg})
		r.Command = &NextCommand{Why: "wait for a person: the workflow is paused"}
	}
	for _, e := range d.blockers {
		r.Warnings = append(r.Warnings, Warning{Kind: "blocked",
			Message: fmt.Sprintf("blocker (%s:%d): %s", st.Src.Path, e.Line, d.renumber(e.Text))})
	}
	waits := map[int]lifecycle.Wait{}
	for _, wt := range lifecycle.Waits(st) {
		waits[wt.Line] = wt
	}
	for _, e := range d.waits {
		msg := fmt.Sprintf("waiting (%s:%d): %s", st.Src.Path, e.Line, d.renumber(e.Text))
		if wt, ok := waits[e.Line]; ok && wt.Parsed {
			// A declared wait: its age, and the command that resolves it.
			msg = fmt.Sprintf("waiting (%s:%d) %s for %s: %s", st.Src.Path, e.Line, wt.ID, wt.Kind, wt.Cond)
			if t, err := time.Parse(workspace.Timestamp, wt.Since); err == nil {
				msg += " (since " + age(now, t) + ")"
			}
			msg += "; resolved by " + strings.SplitN(wt.Resolve, "   ", 2)[0]
		}
		r.Warnings = append(r.Warnings, Warning{Kind: "waiting", Message: msg})
	}
	for _, l := range Lifecycle(st, now).Loops {
		r.Warnings = append(r.Warnings, Warning{Kind: "loop-limit",
			Message: fmt.Sprintf("phase %s was reopened %d of at most %d times (max-loops): one more reopening escalates to blocked", l.Phase, l.Loops, l.MaxLoops)})
	}
	if fx := d.effectsSince(); len(fx) > 0 {
		r.Warnings = append(r.Warnings, Warning{Kind: "side-effects",
			Message: "side effects fired since the last checkpoint: do not repeat them (wf effect check KEY)", Details: fx})
	}
	if r.Command == nil {
		switch {
		case len(d.blockers) > 0:
			e := d.blockers[0]
			r.Command = &NextCommand{Why: fmt.Sprintf("work is blocked (%s:%d): resolve the blocker or ask a person to, then remove it from the file", st.Src.Path, e.Line)}
		case len(d.waits) > 0 && (status == "awaiting" || status == "delegated"):
			e := d.waits[0]
			why := fmt.Sprintf("the workflow is %s (%s:%d): when the wait is over, remove it from the file and set Status: running", status, st.Src.Path, e.Line)
			if wt, ok := waits[e.Line]; ok && wt.Parsed {
				why = fmt.Sprintf("the workflow is %s (%s:%d): do not go on; %s resolves the wait", status, st.Src.Path, e.Line, strings.SplitN(wt.Resolve, "   ", 2)[0])
			}
			r.Command = &NextCommand{Why: why}
		case status == "completed" || status == "stopped":
			r.Command = &NextCommand{Why: "nothing: Status says the workflow is " + status}
		}
	}
	// Heartbeat: the last sign of life while running.
	if status == "running" {
		last, src, note := time.Time{}, "", ""
		if hb, n, ok := lifecycle.LastHeartbeat(w); ok {
			last, src, note = hb, "heartbeat", n
		}
		if r.Checkpoint != nil && r.Checkpoint.Time.After(last) {
			last, src = r.Checkpoint.Time, "checkpoint"
		}
		limit := lifecycle.DefaultHeartbeatStale
		if s := st.Setting("heartbeat-stale"); s != "" {
			if v, err := time.ParseDuration(strings.TrimSpace(s)); err == nil && v > 0 {
				limit = v
			}
		}
		if hb, note, ok := lifecycle.LastHeartbeat(w); ok && now.Sub(hb) <= limit {
			// A sign of life younger than stale-after: a session may still
			// be at work here.
			msg := fmt.Sprintf("another session may still be working here (heartbeat %s", age(now, hb))
			if note != "" {
				msg += ": " + capText(workspace.OneLine(note), capShort)
			}
			msg += fmt.Sprintf("): if it is, leave this workflow to it; if it died, a person says so, or wait until the heartbeat is %s old (heartbeat-stale) and take over with wf heartbeat", fmtDuration(limit))
			r.Warnings = append(r.Warnings, Warning{Kind: "live-session", Message: msg})
			if r.Command == nil {
				r.Command = &NextCommand{Why: "make sure no other session is working here (see the warning) before you change anything"}
			}
		}
		if !last.IsZero() && now.Sub(last) > limit {
			r.Warnings = append(r.Warnings, Warning{Kind: "stale-heartbeat",
				Message: fmt.Sprintf("status is running but the last %s was %s (stale after %s): the session that was running probably died; you are taking over (wf heartbeat while you work)", src, age(now, last), fmtDuration(limit))})
			if note != "" && src == "heartbeat" {
				r.Warnings[len(r.Warnings)-1].Details = []string{"its last heartbeat said: " + note}
			}
		}
	}
	// One phase: the header's is workflow-state.md's; a current item under
	// another phase's heading is a contradiction the agent must resolve.
	if c := r.Current; c != nil && c.Phase != "" && r.Phase != "" && !strings.EqualFold(c.Phase, strings.TrimSpace(r.Phase)) {
		r.Warnings = append(r.Warnings, Warning{Kind: "phase-mismatch",
			Message: fmt.Sprintf("%s says the phase is %s, but the current item #%d is under \"## %s\" in %s: set **Current phase** to %s if that phase has begun, or mark an item of %s current", st.Src.Path, r.Phase, c.N, c.Phase, td.Src.Path, c.Phase, r.Phase)})
	}
	for _, dg := range lint.Lint(d.sn) {
		if dg.Severity == lint.SevError {
			wn := Warning{Kind: "lint", Message: "lint: " + dg.String()}
			if dg.Hint != "" {
				wn.Details = []string{"fix: " + dg.Hint}
			}
			r.Warnings = append(r.Warnings, wn)
		}
	}
	// What to read first.
	large := workspace.DefaultReadLarge
	if n, err := strconv.Atoi(strings.TrimSpace(st.Setting("read-large"))); err == nil && n > 0 {
		large = n
	}
	read := func(p, why string) {
		if s, ok := readStep(p, why, large); ok {
			s.Path = w.RelWD(p)
			r.Read = append(r.Read, s)
		}
	}
	conv := st.Setting("conventions")
	if conv != "" {
		p := filepath.FromSlash(conv)
		if !filepath.IsAbs(p) {
			p = filepath.Join(w.Top(), p) // a path from the repository top
		}
		read(p, "project conventions (Settings: conventions)")
	} else {
		for _, name := range workspace.ConventionFiles()[:2] { // CLAUDE.md, AGENTS.md
			for _, dir := range uniq(w.Top(), w.Root) {
				read(filepath.Join(dir, name), "project conventions")
			}
		}
	}
	read(w.Path(workspace.StateFile), "phase, status, waits, the decisions log")
	if c := r.Checkpoint; c != nil && c.File != "" {
		if d.cpMissing {
			r.Read = append(r.Read, ReadStep{Path: c.File, Why: "the latest checkpoint (not in the work tree: git show " + c.File + ")", Lines: strings.Count(string(d.cpContent), "\n"), Tokens: tokens.EstimateTokens(string(d.cpContent))})
		} else {
			read(w.Path(filepath.Join(workspace.CheckpointsDir, c.ID+".md")), "the latest checkpoint")
		}
	}
	todoWhy := "the remaining work"
	if r.Current != nil {
		todoWhy = fmt.Sprintf("the remaining work (current item: line %d)", r.Current.Line)
	}
	if d.sn.TodoMissing {
		d.noTodo()
	} else {
		read(w.Path(workspace.TodoFile), todoWhy)
	}
	// The checkpoint's own sections.
	var cpNext []string
	if d.cpContent != nil {
		b := checkpoint.ParseBody(d.cpContent)
		d.cpDoc = b
		cpNext = checkpoint.ListItems(b.Sections[checkpoint.SecNext])
		for _, line := range strings.Split(strings.Trim(b.Sections[checkpoint.SecSummary], "\n"), "\n") {
			t := strings.TrimSpace(line)
			s, _ := sections.CutItem(t)
			if t == "" || s == "(none)" || derivedSummary(s) {
				continue
			}
			r.Summary = append(r.Summary, line)
		}
		for _, it := range checkpoint.ListItems(b.Sections[checkpoint.SecContext]) {
			for _, m := range backticked().FindAllStringSubmatch(it, -1) {
				p := m[1]
				if p == workspace.StateFile || p == workspace.TodoFile || strings.HasSuffix(p, "/"+workspace.StateFile) || strings.HasSuffix(p, "/"+workspace.TodoFile) ||
					strings.Contains(p, workspace.CheckpointsDir+"/") || p == "CLAUDE.md" || p == "AGENTS.md" || slices.Contains(d.extraRead, p) || len(d.extraRead) == 5 {
					continue
				}
				d.extraRead = append(d.extraRead, p)
				read(filepath.Join(w.Top(), filepath.FromSlash(p)), "named in the checkpoint's context")
			}
		}
	}
	d.nextActions(cpNext)
	resumeSuspects(r, td)
	if r.Command == nil {
		open := td.NextOpen()
		switch {
		case r.Current == nil && open != nil:
			r.Command = &NextCommand{Command: "wf todo next", Why: "no item is marked <-- CURRENT; this marks the first open one and prints it"}
		case r.Current != nil && r.Current.State != "open" && open != nil:
			r.Command = &NextCommand{Command: "wf todo next", Why: "the item marked CURRENT is already done; this moves the marker to the first open one"}
		case open == nil && r.Progress.Total > 0:
			r.Command = &NextCommand{Command: `wf checkpoint -m "<phase> complete"`, Why: "every TODO item is done or skipped"}
		case r.Progress.Total == 0:
			r.Command = &NextCommand{Command: `wf todo add "<first item>"`, Why: "TODO.md has no items yet"}
		}
	}
	// Items whose retry budget is spent.
	for _, it := range td.Items {
		if len(it.Failures) == 0 || !it.IsOpen() {
			continue
		}
		if sp := lifecycle.SpentBuckets(it, d.limits); len(sp) > 0 {
			r.Retries = append(r.Retries, RetrySpent{N: it.N, Line: it.Line, Text: it.Text, Buckets: sp})
		}
	}
	// Specs delegated without a result, with their ages.
	r.Specs = append(r.Specs, openSpecs(w)...)
}

// sections picks the checkpoint's sections to print beside the parts
// resume derives: the Context, the Summary and the Next Actions are shown
// above (as "Read first", the summary and the next actions); with --full
// every other section follows as written, else only the sections the
// agent wrote (not wf's own Key Decisions and Current File State, which
// the decisions log and the work-tree warning give fresher), and the rest
// are named.
func (d *resumeData) sections() {
	b, r := d.cpDoc, d.r
	if b == nil {
		return
	}
	for _, k := range []struct{ key, title string }{{checkpoint.SecDecisions, "Key Decisions"}, {checkpoint.SecFiles, "Current File State"}} {
		text := strings.Trim(b.Sections[k.key], "\n")
		if text == "" || workspace.IsNone(text) || strings.HasPrefix(text, "- no files changed") {
			continue
		}
		if d.full {
			r.Sections = append(r.Sections, Section{Title: k.title, Text: text})
		} else {
			r.SectionsLeft = append(r.SectionsLeft, k.title)
		}
	}
	if d.full {
		if c := strings.Trim(b.Sections[checkpoint.SecContext], "\n"); c != "" {
			r.Sections = append([]Section{{Title: "Context Required to Resume", Text: c}}, r.Sections...)
		}
	}
	for _, x := range b.Extra {
		if t := strings.Trim(x.Text, "\n"); t != "" {
			r.Sections = append(r.Sections, Section{Title: x.Title, Text: t})
		}
	}
}

// readStep measures the file at p for "Read first": only a regular file
// (Lstat: a symlink is not followed, a folder is not a file to read); its
// lines and estimated tokens, estimated from its size above 256 KB rather
// than read whole.
func readStep(p, why string, large int) (ReadStep, bool) {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return ReadStep{}, false
	}
	s := ReadStep{Why: why}
	if fi.Size() > 256<<10 {
		s.Tokens = int(fi.Size() / 3)
		s.Lines = -1 // not counted
	} else {
		data, err := os.ReadFile(p)
		if err != nil {
			return ReadStep{}, false
		}
		s.Lines = strings.Count(string(data), "\n")
		if len(data) > 0 && data[len(data)-1] != '\n' {
			s.Lines++
		}
		s.Tokens = tokens.EstimateTokens(string(data))
	}
	s.Large = s.Tokens > large
	return s, true
}

// resumeNoTodo reports a missing TODO.md and how to get it back.
func (d *resumeData) noTodo() {
	w, r := d.w, d.r
	wn := Warning{Kind: "no-todo", Message: fmt.Sprintf("%s is missing", w.Rel(workspace.TodoFile))}
	if d.cpCommit != "" {
		if _, err := w.Repo.BlobHashAt(gitcp.NewHash(d.cpCommit), w.RelTop(w.Path(workspace.TodoFile))); err == nil {
			cmd := fmt.Sprintf("git restore --source=%s -- %s", history.Short(d.cpCommit), w.Rel(workspace.TodoFile))
			wn.Message += fmt.Sprintf(": the latest checkpoint has it (%s)", cmd)
			if r.Command == nil {
				r.Command = &NextCommand{Command: cmd, Why: "bring TODO.md back as it was at the latest checkpoint (or wf todo add to start a new list)"}
			}
		}
	} else {
		wn.Message += ": wf todo add creates it"
	}
	r.Warnings = append(r.Warnings, wn)
}

// backticked finds the `code` spans of a line.
var backticked = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("`([^`\\s]+)`") })

// derivedSummary matches the summary lines wf writes itself.
func derivedSummary(s string) bool {
	for _, p := range []string{"Phase: ", "Progress: ", "Current item: ", "Blocked: "} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func operationCommand(op string) string {
	switch op {
	case "merge":
		return "git status   (then git commit to finish the merge, or git merge --abort)"
	case "bisect":
		return "git bisect reset   (when the bisect is done)"
	}
	return fmt.Sprintf("git status   (then git %s --continue, or git %s --abort)", op, op)
}

func kindLetter(k gitcp.ChangeKind) string {
	switch k {
	case gitcp.Added:
		return "A"
	case gitcp.Deleted:
		return "D"
	}
	return "M"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// age says how long ago t was, coarsely ([Age]).
func age(now, t time.Time) string { return Age(now.Sub(t)) }

func fmtDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		h := int(d.Hours())
		if m := int(d.Minutes()) % 60; m != 0 && h < 10 {
			return fmt.Sprintf("%dh %dm", h, m)
		}
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

func uniq(xs ...string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// effectsSince lists the side effects that the latest checkpoint's
// commit does not hold (all of them when there is none): a resumed agent
// must not repeat them.
func (d *resumeData) effectsSince() []string {
	had := map[string]bool{}
	if cp := d.r.Checkpoint; cp != nil && cp.Commit != "" && d.w.Repo != nil {
		path := d.w.RelTop(d.w.Path(workspace.StateFile))
		if data, err := d.w.Repo.ReadBlobAt(gitcp.NewHash(cp.Commit), path); err == nil {
			for _, e := range lifecycle.Effects(mdstate.ParseState(path, data)) {
				had[e.Key] = true
			}
		}
	}
	var out []string
	for _, e := range lifecycle.Effects(d.sn.State) {
		if !had[e.Key] {
			out = append(out, e.Key+": "+e.Text+" ("+e.When+")")
		}
	}
	return out
}
