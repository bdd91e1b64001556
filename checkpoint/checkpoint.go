package checkpoint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/wf-tool/wf/gitcp"
	"github.com/wf-tool/wf/mdstate"
)

// ErrNoRepo means a checkpoint was asked for outside a git repository.
var ErrNoRepo = errors.New("the workflow is not in a git repository: checkpoints are git commits")

// TitleError means a checkpoint has no title.
type TitleError struct{}

func (*TitleError) Error() string { return "a checkpoint needs a title" }

// Hint says what the user can do.
func (*TitleError) Hint() string {
	return `wf checkpoint -m "API routes 60% complete"   (or a "# Title" line in the body on stdin)`
}

// RefusedError lists files the checkpoint refused to commit; nothing was
// written.
type RefusedError struct{ *gitcp.RefusedFilesError }

func (e *RefusedError) Unwrap() error { return e.RefusedFilesError }

// Hint names the flags that allow the files.
func (e *RefusedError) Hint() string {
	var flags []string
	for _, f := range e.Files {
		if f.Large {
			flags = append(flags, "--allow-large "+f.Path)
		} else {
			flags = append(flags, "--allow-secret "+f.Path)
		}
	}
	return "add them to .gitignore, or if they belong in the commit: wf checkpoint … " + strings.Join(flags, " ")
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
	// directory, or absolute) the secret and size checks let through.
	AllowSecret, AllowLarge []string
	// Mode is "branch" or "ref"; empty: the workflow's "commit" setting,
	// else branch.
	Mode string
	// OnStep is called at each step of the write sequence (crash tests).
	OnStep func(step string)
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
	Schema    int        `json:"schema"`
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	File      string     `json:"file"` // from the git top level
	Commit    string     `json:"commit"`
	Ref       string     `json:"ref"`
	Mode      string     `json:"mode"`
	Previous  string     `json:"previous,omitempty"`
	Files     []FileView `json:"files"`     // changed since the previous checkpoint
	Committed int        `json:"committed"` // paths in the commit
	Annotated []int      `json:"annotated"` // TODO items annotated with the id
	Warning   string     `json:"warning,omitempty"`
	Notes     []string   `json:"notes,omitempty"`
}

// Checkpoint writes a checkpoint file, records it in workflow-state.md and
// TODO.md and commits everything in one git commit (see journal.go for
// the order of writes and crash recovery).
func (w *Workspace) Checkpoint(o CheckpointOptions) (*CheckpointResult, error) {
	if w.Repo == nil {
		return nil, ErrNoRepo
	}
	release, notes, err := w.lockAndRecover()
	if err != nil {
		return nil, err
	}
	defer release()
	res, err := w.checkpointLocked(o)
	if res != nil {
		res.Notes = append(notes, res.Notes...)
	}
	return res, err
}

// lockAndRecover takes the worktree lock and completes or rolls back a
// checkpoint a crash interrupted; release frees the lock.
func (w *Workspace) lockAndRecover() (release func(), notes []string, err error) {
	lock, err := mdstate.AcquireLock(w.lockDir(), w.LockWait)
	if err != nil {
		return nil, nil, err
	}
	if notes, err = w.recoverLocked(); err != nil {
		lock.Release()
		return nil, nil, err
	}
	return func() { lock.Release() }, notes, nil
}

// newestID is the id of the newest checkpoint this worktree has: prev
// (the newest on the history the commit extends) or the newest on the
// other one (the checkpoint ref in branch mode, HEAD in ref mode).
func (w *Workspace) newestID(mode gitcp.Mode, head gitcp.HeadInfo, prev *gitcp.LogEntry) string {
	id := ""
	if prev != nil {
		id = prev.Trailers[gitcp.CheckpointTrailer]
	}
	other := w.Repo.CheckpointRef()
	if mode == gitcp.ModeRef {
		other = "HEAD"
		if head.Unborn {
			return id
		}
	} else if w.refValue(other).IsZero() {
		return id
	}
	if es, err := w.Repo.Log(other, "", 1); err == nil && len(es) > 0 && es[0].Trailers[gitcp.CheckpointTrailer] > id {
		id = es[0].Trailers[gitcp.CheckpointTrailer]
	}
	return id
}

// commitTarget is the ref a commit in mode will move and its value.
func (w *Workspace) commitTarget(mode gitcp.Mode, head gitcp.HeadInfo) (string, gitcp.Hash) {
	switch {
	case mode == gitcp.ModeRef:
		ref := w.Repo.CheckpointRef()
		return ref, w.refValue(ref)
	case head.Detached:
		return "HEAD", head.Hash
	}
	return head.Branch, head.Hash
}

// previousCheckpoint is the newest checkpoint commit on the history the
// new commit extends, nil when there is none.
func (w *Workspace) previousCheckpoint(mode gitcp.Mode, head gitcp.HeadInfo) (*gitcp.LogEntry, error) {
	ref := "HEAD"
	if mode == gitcp.ModeRef && !w.refValue(w.Repo.CheckpointRef()).IsZero() {
		ref = w.Repo.CheckpointRef()
	} else if head.Unborn {
		return nil, nil
	}
	es, err := w.Repo.Log(ref, "", 1)
	if err != nil || len(es) == 0 {
		return nil, err
	}
	return &es[0], nil
}

func (w *Workspace) checkpointLocked(o CheckpointOptions) (*CheckpointResult, error) {
	step := o.OnStep
	if step == nil {
		step = func(string) {}
	}
	repo := w.Repo
	title := oneLineText(o.Title)
	if title == "" && o.Body != nil {
		title = oneLineText(o.Body.Title)
	}
	if title == "" {
		return nil, &TitleError{}
	}
	sn, err := w.Read()
	if err != nil {
		return nil, err
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
	prev, err := w.previousCheckpoint(mode, head)
	if err != nil {
		return nil, err
	}
	idNow := w.Now()
	id := NewID(idNow, title)
	// Ids sort by time to the second; within one second the order of two
	// checkpoints (say one on the branch, one on the checkpoint ref) would
	// be left to the random part. A new id always sorts after the newest
	// one this worktree can see.
	if t, ok := idTime(w.newestID(mode, head, prev)); ok && !idNow.UTC().Truncate(time.Second).After(t) {
		idNow = t.Add(time.Second)
		id = NewID(idNow, title)
	}
	for i := 0; i < 5; i++ {
		if _, err := os.Lstat(w.Path(filepath.Join(CheckpointsDir, id+".md"))); errors.Is(err, fs.ErrNotExist) {
			break
		}
		id = NewID(idNow, title)
	}
	allowSecret, err := w.topPaths(o.AllowSecret)
	if err != nil {
		return nil, err
	}
	allowLarge, err := w.topPaths(o.AllowLarge)
	if err != nil {
		return nil, err
	}
	phase, status := sn.State.Get("phase"), sn.State.Get("status")
	res := &CheckpointResult{Schema: SchemaVersion, ID: id, Title: title, Mode: string(mode),
		File: w.relTop(w.Path(filepath.Join(CheckpointsDir, id+".md"))), Annotated: []int{}}
	if prev != nil {
		res.Previous = prev.Trailers[gitcp.CheckpointTrailer]
	}
	msg := commitMessage(title, o.Summary, id, phase, status, head.ShortBranch())
	ref, old := w.commitTarget(mode, head)
	in := &intent{Version: 1, ID: id, PID: os.Getpid(), Started: time.Now(), Mode: string(mode), Ref: ref}
	if !old.IsZero() {
		in.Old = old.String()
	}
	step("start")
	if err := w.writeIntent(in); err != nil {
		return nil, err
	}
	step("intent")
	var cr *gitcp.CommitResult
	for attempt := 0; ; attempt++ {
		cr, err = repo.Commit(gitcp.CommitOptions{
			Mode: mode, Message: msg, AllowSecret: allowSecret, AllowLarge: allowLarge,
			AllowEmpty: true, Now: w.Now,
			Stage: func(s *gitcp.Staged) ([]string, error) {
				return w.stage(s, in, res, prev, o, step)
			},
			BeforeRefUpdate: func(h gitcp.Hash) error {
				in.Commit = h.String()
				if err := w.writeIntent(in); err != nil {
					return err
				}
				step("before-ref")
				return nil
			},
			AfterRefUpdate: func() { step("after-ref") },
		})
		if err == nil {
			break
		}
		// Roll back what was written (or, if the ref did move, complete).
		notes, rerr := w.recoverLocked()
		if rerr != nil {
			return nil, fmt.Errorf("%w; recovering from it failed too: %v", err, rerr)
		}
		if errors.Is(err, mdstate.ErrChanged) && attempt < 2 && !strings.HasPrefix(strings.Join(notes, ""), "completed") {
			// A hand edit landed meanwhile: redo on the new content.
			res.Annotated, res.Files = []int{}, nil
			in.Files, in.Commit, in.IndexIno = nil, "", 0
			if err := w.writeIntent(in); err != nil {
				return nil, err
			}
			continue
		}
		var refused *gitcp.RefusedFilesError
		if errors.As(err, &refused) {
			return nil, &RefusedError{refused}
		}
		var unsafe *gitcp.UnsafeStateError
		if errors.As(err, &unsafe) {
			return nil, &UnsafeError{unsafe}
		}
		return nil, err
	}
	step("committed")
	if err := w.removeIntent(); err != nil {
		return nil, err
	}
	step("done")
	res.Commit, res.Ref, res.Warning, res.Committed = cr.Hash.String(), cr.Ref, cr.Warning, len(cr.Changes)
	return res, nil
}

// stage runs inside gitcp.Commit once the work tree is scanned: it derives
// the checkpoint from the changes, journals the old file contents, writes
// the checkpoint file and the state files, and returns their paths for the
// commit.
func (w *Workspace) stage(s *gitcp.Staged, in *intent, res *CheckpointResult, prev *gitcp.LogEntry, o CheckpointOptions, step func(string)) ([]string, error) {
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
		if !w.ownFile(f.Path) {
			res.Files = append(res.Files, FileView{Path: f.Path, Kind: f.Kind.String(), Added: f.Added, Deleted: f.Deleted, Binary: f.Binary})
		}
	}
	// A fresh read under the lock: a hand edit made since is kept, and
	// WriteFileAtomic below refuses to overwrite one made after this.
	sn, err := w.Read()
	if err != nil {
		return nil, err
	}
	now := w.Now()
	ts := now.Format(Timestamp)
	// Decisions: the caller's, then the body's that the log lacks.
	decisions := cleanList(o.Decisions)
	if o.Body != nil {
		for _, d := range listItems(o.Body.Sections[SecDecisions]) {
			if !slices.Contains(decisions, d) {
				decisions = append(decisions, d)
			}
		}
	}
	st := sn.State
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
	if !sn.TodoMissing {
		doneBefore := map[string]bool{}
		if prev != nil {
			if b, err := w.Repo.ReadBlobAt(prev.Hash, w.relTop(w.Path(TodoFile))); err == nil {
				for _, it := range mdstate.ParseTodo(TodoFile, b).Items {
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
	doc := w.buildDoc(in.ID, res.Title, now, res.Previous, sn, td, res.Files, decisions, o)
	cpPath := w.Path(filepath.Join(CheckpointsDir, in.ID+".md"))
	cpData := doc.Render()
	// Journal what is about to change, then change it.
	in.Files = []intentFile{{Path: cpPath, NewSum: sum(cpData)}}
	if todoOut != nil {
		in.Files = append(in.Files, intentFile{Path: w.Path(TodoFile), Existed: true, Old: sn.todoRaw, NewSum: sum(todoOut)})
	}
	in.Files = append(in.Files, intentFile{Path: w.Path(StateFile), Existed: true, Old: sn.stateRaw, NewSum: sum(stateOut)})
	if fi, err := os.Lstat(w.Repo.IndexLockPath()); err == nil {
		in.IndexIno = inode(fi)
	}
	if err := w.writeIntent(in); err != nil {
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
	paths := []string{w.relTop(cpPath)}
	if todoOut != nil {
		if err := mdstate.WriteFileAtomic(w.Path(TodoFile), todoOut, sn.todoRaw); err != nil {
			return nil, err
		}
		paths = append(paths, w.relTop(w.Path(TodoFile)))
		step("wrote-todo")
	}
	if err := mdstate.WriteFileAtomic(w.Path(StateFile), stateOut, sn.stateRaw); err != nil {
		return nil, err
	}
	paths = append(paths, w.relTop(w.Path(StateFile)))
	step("wrote-state")
	return paths, nil
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

// conventionFiles are the agent instruction files a resuming agent reads
// first.
var conventionFiles = []string{"CLAUDE.md", "AGENTS.md", "GEMINI.md", ".cursorrules", "CONVENTIONS.md"}

// buildDoc derives the checkpoint's sections.
func (w *Workspace) buildDoc(id, title string, now time.Time, prevID string, sn *Snapshot, td *mdstate.Todo, files []FileView, decisions []string, o CheckpointOptions) *Doc {
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
		for _, dir := range []string{w.top(), w.Root} {
			for _, n := range conventionFiles {
				p := filepath.Join(dir, n)
				if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && !seen[w.relTop(p)] {
					seen[w.relTop(p)] = true
					ctx = append(ctx, fmt.Sprintf("Read `%s` for project conventions", w.relTop(p)))
				}
			}
		}
		ctx = append(ctx, fmt.Sprintf("Read `%s` for the phase, status and decisions log", w.relTop(w.Path(StateFile))))
		ctx = append(ctx, fmt.Sprintf("Read `%s` for the remaining work (`<-- CURRENT` marks the item in progress)", w.relTop(w.Path(TodoFile))))
		if prevID != "" {
			ctx = append(ctx, fmt.Sprintf("Read `%s` (the previous checkpoint) if more history is needed", w.relTop(w.Path(filepath.Join(CheckpointsDir, prevID+".md")))))
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
		d.Sections[SecContext] = numbered(ctx) + "\nPaths are relative to the repository's top level."
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
		if !isNoneText(b.Text) {
			sum = append(sum, "Blocked: "+b.Text)
		}
	}
	for _, l := range strings.Split(strings.TrimSpace(o.Summary), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if s, ok := cutItem(l); ok {
				l = s
			}
			sum = append(sum, l)
		}
	}
	text := bullets(sum)
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
		if isNoneText(e) || slices.ContainsFunc(decisions, func(d string) bool { return e == d || strings.HasSuffix(e, ": "+d) }) {
			continue
		}
		recent = append(recent, e)
	}
	slices.Reverse(recent)
	text = bullets(keys)
	if len(recent) > 0 {
		if text != "" {
			text += "\nFrom the decisions log:\n"
		}
		text += bullets(recent)
	}
	d.Sections[SecDecisions] = text
	// Current File State.
	var fl []string
	const maxFiles = 40
	for i, f := range files {
		if i == maxFiles {
			fl = append(fl, fmt.Sprintf("… and %d more files", len(files)-maxFiles))
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
	text = bullets(fl)
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
			d.Sections[SecNext] += "\n" + numbered(next)
		}
	case len(next) > 0:
		d.Sections[SecNext] = numbered(next)
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
			d.Sections[SecNext] = numbered(items)
		}
	}
	return d
}

// BranchTrailer names the branch a checkpoint was made on.
const BranchTrailer = "Wf-Branch"

// commitMessage is "checkpoint: <title>", the summary, then the trailers.
// Wf-Branch names the branch HEAD was on ("" when detached), so that wf
// resume can tell when work moved to another branch since.
func commitMessage(title, summary, id, phase, status, branch string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "checkpoint: %s\n\n", title)
	if s := strings.TrimSpace(summary); s != "" {
		b.WriteString(s + "\n\n")
	}
	fmt.Fprintf(&b, "%s: %s\n", gitcp.CheckpointTrailer, id)
	if p := oneLineText(phase); p != "" {
		fmt.Fprintf(&b, "Wf-Phase: %s\n", p)
	}
	if s := oneLineText(status); s != "" {
		fmt.Fprintf(&b, "Wf-Status: %s\n", s)
	}
	if branch != "" {
		fmt.Fprintf(&b, "%s: %s\n", BranchTrailer, branch)
	}
	return b.String()
}

func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

func cleanList(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = oneLineText(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// topPaths turns paths given on the command line (relative to the working
// directory) into slash-separated paths from the git top level.
func (w *Workspace) topPaths(ps []string) ([]string, error) {
	var out []string
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if !filepath.IsAbs(p) {
			p = filepath.Join(wd, p)
		}
		r, err := filepath.Rel(w.top(), filepath.Clean(p))
		if err != nil || strings.HasPrefix(r, "..") {
			return nil, fmt.Errorf("%s is outside the repository", p)
		}
		out = append(out, filepath.ToSlash(r))
	}
	return out, nil
}
