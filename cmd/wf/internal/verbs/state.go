package verbs

import (
	"strconv"
	"strings"
	"time"

	"github.com/wf-tool/wf/checkpoint"
	"github.com/wf-tool/wf/checkpoint/history"
	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/lint"
	"github.com/wf-tool/wf/checkpoint/resume"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// InitOptions are `wf init`'s.
type InitOptions struct {
	Name   string
	Phases []string // names as typed; blanks around them are dropped
}

// InitResult is what `wf init` reports.
type InitResult struct {
	Schema     int      `json:"schema"`
	Created    []string `json:"created"` // paths relative to the working directory
	FirstPhase string   `json:"first_phase"`
	Phases     []string `json:"phases"`
}

// Init creates the state files from the templates; it refuses to
// overwrite ([*checkpoint.ExistsError]).
func Init(e Env, o InitOptions) (*InitResult, error) {
	var phases []string
	for _, p := range o.Phases {
		if p = strings.TrimSpace(p); p != "" {
			phases = append(phases, p)
		}
	}
	if len(phases) == 0 {
		return nil, Usagef("wf init --phases Planning,Implementing,Testing", "--phases names no phase")
	}
	_, created, err := checkpoint.Init(e.options(), checkpoint.InitOptions{Name: o.Name, Phases: phases})
	if err != nil {
		return nil, err
	}
	if created == nil {
		created = []string{}
	}
	return &InitResult{Schema: workspace.SchemaVersion, Created: created, FirstPhase: phases[0], Phases: phases}, nil
}

// Status is `wf status`: the one-screen view.
func Status(e Env) (resume.StatusView, error) {
	ws, sn, err := e.read()
	if err != nil {
		return resume.StatusView{}, err
	}
	v := resume.Status(ws.Root, sn)
	v.Lifecycle = resume.Lifecycle(sn.State, ws.Now())
	v.Specs = append(v.Specs, resume.OpenSpecs(ws)...)
	if v.LastCheckpointID != "" && ws.Repo != nil {
		// Git history names the checkpoint as every other command does;
		// one history does not have (or a git error) leaves it null, and
		// wf resume says why.
		if e, err := history.Find(ws, v.LastCheckpointID); err == nil {
			ref := e.CheckpointRef
			v.LastCheckpoint = &ref
		}
	}
	return v, nil
}

// LintOptions are `wf lint`'s.
type LintOptions struct {
	// State and Todo name files to lint instead of the workflow's (either
	// may be empty, but not both, to lint the workflow's own).
	State, Todo string
}

// LintResult is what `wf lint` reports.
type LintResult struct {
	Schema       int               `json:"schema"`
	Errors       int               `json:"errors"`
	Warnings     int               `json:"warnings"`
	Diagnostics  []lint.Diagnostic `json:"diagnostics"`
	Recognised   []string          `json:"recognised"`
	Unrecognised []string          `json:"unrecognised"`
}

// Lint checks the state files.
func Lint(e Env, o LintOptions) (*LintResult, error) {
	var sn *workspace.Snapshot
	var err error
	var ws *workspace.Workspace
	if o.State != "" || o.Todo != "" {
		sn, err = workspace.ReadPaths(e.WorkDir, o.State, o.Todo)
	} else {
		ws, sn, err = e.read()
	}
	if err != nil {
		return nil, err
	}
	res := &LintResult{Schema: workspace.SchemaVersion, Diagnostics: []lint.Diagnostic{}}
	ds := lint.Lint(sn)
	if ws != nil {
		// Running with a stale heartbeat: the runtime folder's heartbeat,
		// the last checkpoint and the timeline are the signs of life.
		last, src := lint.LastSign(sn.State)
		if hb, _, ok := lifecycle.LastHeartbeat(ws); ok && hb.After(last) {
			last, src = hb, "heartbeat"
		}
		if d := lint.StaleRunning(sn.State, last, src, ws.Now()); d != nil {
			ds = append(ds, *d)
		}
	}
	for _, d := range ds {
		res.Diagnostics = append(res.Diagnostics, d)
		switch d.Severity {
		case lint.SevError:
			res.Errors++
		case lint.SevWarning:
			res.Warnings++
		}
	}
	res.Recognised, res.Unrecognised = lint.Recognition(sn)
	return res, nil
}

// TodoListOptions are `wf todo list`'s.
type TodoListOptions struct {
	Open  bool   // open items only
	Phase string // items of one phase only
}

// TodoList lists the items of TODO.md. A phase that neither the phase
// table nor TODO.md has is a [*lifecycle.PhaseError], naming the phases
// there are.
func TodoList(e Env, o TodoListOptions) ([]lifecycle.ItemView, error) {
	_, sn, err := e.read()
	if err != nil {
		return nil, err
	}
	if err := sn.Conflicts(); err != nil {
		return nil, err // both sides of a conflict would be listed as items
	}
	if o.Phase != "" {
		if err := lifecycle.CheckPhase(sn, o.Phase); err != nil {
			return nil, err
		}
	}
	items := []lifecycle.ItemView{}
	for _, it := range lifecycle.Filter(sn.Todo.Items, o.Open, o.Phase) {
		items = append(items, lifecycle.ViewItem(it))
	}
	return items, nil
}

// TodoAddOptions are `wf todo add`'s.
type TodoAddOptions struct {
	Text  string
	Phase string // the section (H2) to add it to
	Under string // a parent item reference
}

// TodoAddResult is what `wf todo add` reports.
type TodoAddResult struct {
	Schema int                `json:"schema"`
	Item   lifecycle.ItemView `json:"item"`
	// PhaseAdded names the phase whose row was added to the phase table
	// ("" when none was).
	PhaseAdded string `json:"phase_added,omitempty"`
}

// TodoAdd adds an open item; a --phase the phase table lacks gets a
// PENDING row there too.
func TodoAdd(e Env, o TodoAddOptions) (*TodoAddResult, error) {
	if strings.TrimSpace(o.Text) == "" {
		return nil, Usagef(`wf todo add "what to do"`, "the item text is empty")
	}
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	res, err := lifecycle.AddItem(ws, o.Text, lifecycle.AddOptions{Phase: o.Phase, Under: o.Under})
	if err != nil {
		return nil, err
	}
	return &TodoAddResult{Schema: workspace.SchemaVersion, Item: lifecycle.ViewItem(res.Item), PhaseAdded: res.PhaseAdded}, nil
}

// TodoMarkOptions are `wf todo done/undo/skip`'s.
type TodoMarkOptions struct {
	// Refs name the items: each its number or a unique piece of its text.
	// Several items must be named by number.
	Refs       []string
	Mark       mdstate.Mark // Done, Open or Skipped
	Checkpoint string       // Done: the checkpoint id that completed it
	Reason     string       // Skipped: why (required)
	Force      bool         // Skipped: skip a done item too
}

// ItemsResult is what a command that changes items reports: the items
// as written, in the order named. Item is the first of them, the shape of
// a command that names one item.
type ItemsResult struct {
	Schema int                  `json:"schema"`
	Item   lifecycle.ItemView   `json:"item"`
	Items  []lifecycle.ItemView `json:"items"`
	// Advanced is what ticking the last item of the current phase did to
	// the phases (wf todo done/skip); omitted when nothing.
	Advanced *lifecycle.PhaseResult `json:"advanced,omitempty"`
}

func itemsResult(its []*mdstate.Item) *ItemsResult {
	res := &ItemsResult{Schema: workspace.SchemaVersion, Items: []lifecycle.ItemView{}}
	for _, it := range its {
		res.Items = append(res.Items, lifecycle.ViewItem(it))
	}
	if len(res.Items) > 0 {
		res.Item = res.Items[0]
	}
	return res
}

// verbName is the subcommand of a mark.
func verbName(m mdstate.Mark) string {
	switch m {
	case mdstate.Done:
		return "done"
	case mdstate.Skipped:
		return "skip"
	}
	return "undo"
}

// CheckItemRefs refuses several item references unless each is a
// number: words of an unquoted text ("wf todo done API routes") would
// each name an item of their own.
func CheckItemRefs(cmd string, refs []string) error {
	if len(refs) < 2 {
		return nil
	}
	for _, r := range refs {
		if _, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(r), "#")); err != nil {
			return Usagef("wf "+cmd+" "+QuoteArg(strings.Join(refs, " "))+"   (quote an item's text as one argument; several items are named by number: wf "+cmd+" 2 3)",
				"wf %s got %d arguments and %q is not an item number", cmd, len(refs), r)
		}
	}
	return nil
}

// TodoMark ticks, unticks or skips the items, all or none.
func TodoMark(e Env, o TodoMarkOptions) (*ItemsResult, error) {
	cmd := "todo " + verbName(o.Mark)
	if len(o.Refs) == 0 {
		return nil, Usagef("wf "+cmd+" ITEM", "wf %s needs an item", cmd)
	}
	if err := CheckItemRefs(cmd, o.Refs); err != nil {
		return nil, err
	}
	reason, cp := "", ""
	switch o.Mark {
	case mdstate.Skipped:
		reason = strings.TrimSpace(o.Reason)
		if reason == "" {
			return nil, Usagef("wf todo skip "+QuoteArg(strings.Join(o.Refs, " "))+` --reason "why"`, "wf todo skip needs --reason")
		}
	case mdstate.Done:
		cp = strings.TrimSpace(o.Checkpoint)
	}
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	its, after, err := lifecycle.MarkAll(ws, o.Refs, lifecycle.MarkOptions{Mark: o.Mark, Checkpoint: cp, Reason: reason, Force: o.Force})
	if err != nil {
		return nil, err
	}
	res := itemsResult(its)
	if o.Mark != mdstate.Open {
		// The last item of the current phase ticked: the phase completes
		// and, in auto mode, the next one starts (issue 13).
		if res.Advanced, err = lifecycle.AutoAdvance(ws, after, lifecycle.Signal{Who: ActorFrom(e.Actor, false).Who}); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// TodoEditOptions are `wf todo edit`'s.
type TodoEditOptions struct {
	Ref  string // the item
	Text string // its new text
}

// TodoEdit replaces an item's text, keeping everything else on its line.
func TodoEdit(e Env, o TodoEditOptions) (*ItemsResult, error) {
	if strings.TrimSpace(o.Text) == "" {
		return nil, Usagef("wf todo edit "+QuoteArg(o.Ref)+` "new text"`, "the new text is empty")
	}
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	it, err := lifecycle.Edit(ws, o.Ref, o.Text)
	if err != nil {
		return nil, err
	}
	return itemsResult([]*mdstate.Item{it}), nil
}

// TodoRmOptions are `wf todo rm`'s.
type TodoRmOptions struct {
	Ref       string
	Recursive bool // remove an item's sub-items with it
}

// TodoRm removes an item (with its sub-items when Recursive); the result
// holds the items removed, as they were.
func TodoRm(e Env, o TodoRmOptions) (*ItemsResult, error) {
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	gone, err := lifecycle.Remove(ws, o.Ref, o.Recursive)
	if err != nil {
		return nil, err
	}
	return itemsResult(gone), nil
}

// TodoNext moves the CURRENT marker to the first open item; nil when every
// item is done or skipped.
func TodoNext(e Env) (*lifecycle.ItemView, error) {
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	// A paused run is refused (pausing gives control to a person); the
	// first step moves idle to running.
	it, err := lifecycle.NextAs(ws, lifecycle.Signal{Who: ActorFrom(e.Actor, false).Who})
	if err != nil || it == nil {
		return nil, err
	}
	v := lifecycle.ViewItem(it)
	return &v, nil
}

// TodoFailOptions are `wf todo fail`'s.
type TodoFailOptions struct {
	Ref    string
	Bucket string // required
	Reason string
}

// TodoFail counts a failed attempt on an item.
func TodoFail(e Env, o TodoFailOptions) (*lifecycle.FailResult, error) {
	bucket := strings.TrimSpace(o.Bucket)
	if bucket == "" {
		return nil, Usagef("wf todo fail "+QuoteArg(o.Ref)+" --bucket test-fail", "wf todo fail needs --bucket")
	}
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	return lifecycle.FailAs(ws, o.Ref, bucket, o.Reason, lifecycle.Signal{Who: ActorFrom(e.Actor, false).Who})
}

// DecideResult is what `wf decide` reports.
type DecideResult struct {
	Schema int    `json:"schema"`
	Entry  string `json:"entry"` // as written, with its timestamp
}

// Decide appends an entry to the decisions log.
func Decide(e Env, text string) (*DecideResult, error) {
	if strings.TrimSpace(text) == "" {
		return nil, Usagef(`wf decide "what was decided, and why"`, "the decision is empty")
	}
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	entry, err := lifecycle.Decide(ws, text)
	if err != nil {
		return nil, err
	}
	return &DecideResult{Schema: workspace.SchemaVersion, Entry: entry}, nil
}

// Block records a blocker and sets Status: blocked.
func Block(e Env, text string) (*lifecycle.BlockResult, error) {
	if strings.TrimSpace(text) == "" {
		return nil, Usagef(`wf block "what stops the work"`, "the blocker is empty")
	}
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	return lifecycle.BlockAs(ws, text, lifecycle.Signal{Who: ActorFrom(e.Actor, false).Who})
}

// Unblock removes blocker ref (its number in wf status).
func Unblock(e Env, ref string) (*lifecycle.BlockResult, error) {
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	return lifecycle.UnblockAs(ws, ref, lifecycle.Signal{Who: ActorFrom(e.Actor, false).Who})
}

// HeartbeatResult is what `wf heartbeat` reports.
type HeartbeatResult struct {
	Schema int       `json:"schema"`
	Time   time.Time `json:"time"`
	Note   string    `json:"note,omitempty"`
}

// Heartbeat records that the session working here is alive.
func Heartbeat(e Env, note string) (*HeartbeatResult, error) {
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	t, err := lifecycle.HeartbeatSession(ws, note, lifecycle.CurrentSession(ws, e.Session))
	if err != nil {
		return nil, err
	}
	return &HeartbeatResult{Schema: workspace.SchemaVersion, Time: t, Note: workspace.OneLine(note)}, nil
}

// QuoteArg quotes s for a shell command line when it needs it.
func QuoteArg(s string) string {
	if strings.ContainsAny(s, " \t'\"$`\\") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}
