package verbs

import (
	"strings"
	"time"

	"github.com/wf-tool/wf/checkpoint"
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
	Created    []string // paths relative to the working directory
	FirstPhase string
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
	return &InitResult{Created: created, FirstPhase: phases[0]}, nil
}

// Status is `wf status`: the one-screen view.
func Status(e Env) (resume.StatusView, error) {
	ws, sn, err := e.read()
	if err != nil {
		return resume.StatusView{}, err
	}
	return resume.Status(ws.Root, sn), nil
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
	if o.State != "" || o.Todo != "" {
		sn, err = workspace.ReadPaths(e.WorkDir, o.State, o.Todo)
	} else {
		_, sn, err = e.read()
	}
	if err != nil {
		return nil, err
	}
	res := &LintResult{Schema: workspace.SchemaVersion, Diagnostics: []lint.Diagnostic{}}
	for _, d := range lint.Lint(sn) {
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

// TodoList lists the items of TODO.md.
func TodoList(e Env, o TodoListOptions) ([]lifecycle.ItemView, error) {
	_, sn, err := e.read()
	if err != nil {
		return nil, err
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

// TodoAdd adds an open item.
func TodoAdd(e Env, o TodoAddOptions) (lifecycle.ItemView, error) {
	ws, err := e.open()
	if err != nil {
		return lifecycle.ItemView{}, err
	}
	it, err := lifecycle.Add(ws, o.Text, lifecycle.AddOptions{Phase: o.Phase, Under: o.Under})
	if err != nil {
		return lifecycle.ItemView{}, err
	}
	return lifecycle.ViewItem(it), nil
}

// TodoMarkOptions are `wf todo done/undo/skip`'s.
type TodoMarkOptions struct {
	Ref        string       // the item: its number or a unique piece of its text
	Mark       mdstate.Mark // Done, Open or Skipped
	Checkpoint string       // Done: the checkpoint id that completed it
	Reason     string       // Skipped: why (required)
}

// TodoMark ticks, unticks or skips an item.
func TodoMark(e Env, o TodoMarkOptions) (lifecycle.ItemView, error) {
	reason, cp := "", ""
	switch o.Mark {
	case mdstate.Skipped:
		reason = strings.TrimSpace(o.Reason)
		if reason == "" {
			return lifecycle.ItemView{}, Usagef("wf todo skip "+QuoteArg(o.Ref)+` --reason "why"`, "wf todo skip needs --reason")
		}
	case mdstate.Done:
		cp = strings.TrimSpace(o.Checkpoint)
	}
	ws, err := e.open()
	if err != nil {
		return lifecycle.ItemView{}, err
	}
	it, err := lifecycle.Mark(ws, o.Ref, o.Mark, cp, reason)
	if err != nil {
		return lifecycle.ItemView{}, err
	}
	return lifecycle.ViewItem(it), nil
}

// TodoNext moves the CURRENT marker to the first open item; nil when every
// item is done or skipped.
func TodoNext(e Env) (*lifecycle.ItemView, error) {
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	it, err := lifecycle.Next(ws)
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
	return lifecycle.Fail(ws, o.Ref, bucket, o.Reason)
}

// Decide appends an entry to the decisions log and returns it.
func Decide(e Env, text string) (string, error) {
	ws, err := e.open()
	if err != nil {
		return "", err
	}
	return lifecycle.Decide(ws, text)
}

// Heartbeat records that the session working here is alive and returns
// the time recorded.
func Heartbeat(e Env, note string) (time.Time, error) {
	ws, err := e.open()
	if err != nil {
		return time.Time{}, err
	}
	return lifecycle.Heartbeat(ws, note)
}

// QuoteArg quotes s for a shell command line when it needs it.
func QuoteArg(s string) string {
	if strings.ContainsAny(s, " \t'\"$`\\") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}
