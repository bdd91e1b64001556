package verbs

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/wf-tool/wf/checkpoint"
	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
	"github.com/wf-tool/wf/spec"
)

// readInput reads a Markdown body from in (at most mdstate.MaxFileSize
// bytes); a terminal is refused, since nothing would end the read. hint
// is the command line that gives it.
func readInput(in io.Reader, hint string) ([]byte, error) {
	if in == nil {
		return nil, Usagef(hint, "there is no standard input to read")
	}
	if f, ok := in.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return nil, Usagef(hint, "stdin is a terminal; pipe the Markdown in or use --file")
		}
	}
	data, err := io.ReadAll(io.LimitReader(in, mdstate.MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > mdstate.MaxFileSize {
		return nil, Usagef(hint, "the input is larger than %d bytes", mdstate.MaxFileSize)
	}
	return data, nil
}

// SpecNewOptions are `wf spec new`'s.
type SpecNewOptions struct {
	spec.NewOptions
	Stdin bool // read the body from Env.Stdin
}

// SpecResult is what the spec commands that change a spec report.
type SpecResult struct {
	Schema int       `json:"schema"`
	Spec   spec.View `json:"spec"`
}

// SpecNew creates specs/NAME.md.
func SpecNew(e Env, o SpecNewOptions) (*SpecResult, error) {
	if o.Stdin {
		if o.Goal != "" || len(o.Read)+len(o.Modify)+len(o.Require)+len(o.Constraint) > 0 || o.Deliverable != "" {
			return nil, Usagef("wf spec new "+o.Name+" < spec.md   (or the flags alone)", "give the spec either as flags or as a body on stdin, not both")
		}
		body, err := readInput(e.Stdin, "wf spec new "+o.Name+" - < spec.md")
		if err != nil {
			return nil, err
		}
		o.Body = body
	}
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	s, err := spec.New(ws, o.NewOptions)
	if err != nil {
		return nil, err
	}
	return &SpecResult{Schema: workspace.SchemaVersion, Spec: spec.ViewOf(ws, s, ws.Now())}, nil
}

// SpecCheckResult is what `wf spec check` reports.
type SpecCheckResult struct {
	Schema    int             `json:"schema"`
	Checked   []string        `json:"checked"`
	Problems  []spec.Problem  `json:"problems"`
	Conflicts []spec.Conflict `json:"conflicts"`
}

// SpecCheck checks spec name, or every spec when name is "": sections,
// files, and files to modify that two active specs share.
func SpecCheck(e Env, name string) (*SpecCheckResult, error) {
	lw, err := e.specOpen()
	if err != nil {
		return nil, err
	}
	all, err := spec.LoadAll(lw)
	if err != nil {
		return nil, err
	}
	res := &SpecCheckResult{Schema: workspace.SchemaVersion, Checked: []string{}, Problems: []spec.Problem{}, Conflicts: []spec.Conflict{}}
	var targets []*spec.Spec
	if name != "" {
		s, err := spec.Load(lw, name)
		if err != nil {
			return nil, err
		}
		targets = []*spec.Spec{s}
	} else {
		targets = all
		res.Problems = append(res.Problems, spec.Strays(lw)...)
	}
	for _, s := range targets {
		res.Checked = append(res.Checked, s.Name)
		res.Problems = append(res.Problems, spec.Check(lw, s)...)
	}
	res.Conflicts = append(res.Conflicts, spec.Conflicts(all, name)...)
	for _, c := range res.Conflicts {
		res.Problems = append(res.Problems, c.Problem(lw))
	}
	return res, nil
}

// SpecListResult is what `wf spec list` reports.
type SpecListResult struct {
	Schema int         `json:"schema"`
	Specs  []spec.View `json:"specs"`
}

// SpecList lists the specs.
func SpecList(e Env) (*SpecListResult, error) {
	lw, err := e.specOpen()
	if err != nil {
		return nil, err
	}
	vs, err := spec.List(lw)
	if err != nil {
		return nil, err
	}
	return &SpecListResult{Schema: workspace.SchemaVersion, Specs: vs}, nil
}

// SpecPromptResult is what `wf spec prompt` reports.
type SpecPromptResult struct {
	Schema      int    `json:"schema"`
	Name        string `json:"name"`
	Text        string `json:"text"`
	Tokens      int    `json:"tokens"`
	Budget      int    `json:"budget"`
	Conventions string `json:"conventions,omitempty"`
	Truncated   bool   `json:"truncated"`
}

// SpecPrompt builds the brief for spec name within budget tokens (0: the
// default).
func SpecPrompt(e Env, name string, budget int) (*SpecPromptResult, error) {
	if budget < 0 {
		return nil, Usagef("wf spec prompt "+name+" --budget 4000", "--budget must be positive")
	}
	lw, err := e.specOpen()
	if err != nil {
		return nil, err
	}
	s, err := spec.Load(lw, name)
	if err != nil {
		return nil, err
	}
	p, err := spec.Prompt(lw, s, budget)
	if err != nil {
		return nil, err
	}
	return &SpecPromptResult{Schema: workspace.SchemaVersion, Name: name, Text: p.Text, Tokens: p.Tokens, Budget: p.Budget, Conventions: p.Conventions, Truncated: p.Truncated}, nil
}

// SpecRecordOptions are `wf spec result`'s.
type SpecRecordOptions struct {
	Name string
	File string // read the result from this file; "" reads stdin
	// Source names the input from stdin in diagnostics ("" is "stdin"):
	// the MCP server passes "body", its argument.
	Source string
}

// SpecRecordResult is what `wf spec result` reports.
type SpecRecordResult struct {
	Schema  int           `json:"schema"`
	Name    string        `json:"name"`
	Path    string        `json:"path"`
	Status  string        `json:"status"`
	Bucket  string        `json:"bucket,omitempty"`
	Changes []spec.Change `json:"changes"`
	// Attempt is the failed attempt counted on the spec's item for a
	// failed or partial result; null otherwise.
	Attempt *lifecycle.FailResult `json:"attempt"`
}

// SpecRecord validates and stores a sub-agent's result.
func SpecRecord(e Env, o SpecRecordOptions) (*SpecRecordResult, error) {
	var data []byte
	var err error
	source := "stdin"
	if o.Source != "" {
		source = o.Source
	}
	if o.File != "" {
		source = o.File
		p := o.File
		if !filepath.IsAbs(p) {
			p = filepath.Join(e.WorkDir, p)
		}
		data, _, err = mdstate.ReadFile("", p)
	} else {
		data, err = readInput(e.Stdin, "wf spec result "+o.Name+" < result.md   (or --file result.md)")
	}
	if err != nil {
		return nil, err
	}
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	r, lw, err := spec.Record(ws, o.Name, source, data)
	if err != nil {
		return nil, err
	}
	// A failed or partial result counts a failed attempt on the item.
	var fail *lifecycle.FailResult
	if s, err := spec.Load(lw, o.Name); err == nil {
		if fail, err = spec.FailItem(lw, s, r); err != nil {
			return nil, err
		}
	}
	if _, _, err := spec.SyncWorkflowStatus(lw); err != nil {
		return nil, err
	}
	ch := r.Changes
	if ch == nil {
		ch = []spec.Change{}
	}
	return &SpecRecordResult{Schema: workspace.SchemaVersion, Name: o.Name, Path: r.Path, Status: r.Status, Bucket: r.Bucket, Changes: ch, Attempt: fail}, nil
}

// SpecShowResult is what `wf spec show` reports.
type SpecShowResult struct {
	Schema int       `json:"schema"`
	Spec   spec.View `json:"spec"`
	Text   string    `json:"text"`             // the spec file as written
	Result string    `json:"result,omitempty"` // the result file, when there is one
}

// SpecShow reads spec name and its result file.
func SpecShow(e Env, name string) (*SpecShowResult, error) {
	lw, err := e.specOpen()
	if err != nil {
		return nil, err
	}
	s, err := spec.Load(lw, name)
	if err != nil {
		return nil, err
	}
	res := &SpecShowResult{Schema: workspace.SchemaVersion, Spec: spec.ViewOf(lw, s, lw.Now()), Text: string(s.Doc.Src)}
	if data, _, err := mdstate.ReadFile(lw.Root, spec.ResultPath(lw, name)); err == nil {
		res.Result = string(data)
	}
	return res, nil
}

// specOpen opens the workflow whose specs/ folder holds the specs (the
// leader's, also from a sub-agent's linked worktree; spec.Leader) and
// settles a delegation a crash interrupted there, passing on what that
// did.
func (e Env) specOpen() (*workspace.Workspace, error) {
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	lw, err := spec.Leader(ws)
	if err != nil {
		return nil, err
	}
	note, err := spec.RecoverDelegation(lw)
	if err != nil {
		return nil, err
	}
	if note != "" {
		e.note(note)
	}
	return lw, nil
}

// SpecDelegateOptions are `wf spec delegate`'s.
type SpecDelegateOptions struct {
	Name     string
	Agent    string
	Worktree bool
	Path     string
}

// SpecDelegateResult is what `wf spec delegate` reports.
type SpecDelegateResult struct {
	Schema int       `json:"schema"`
	Spec   spec.View `json:"spec"`
	// WorkflowStatus is the workflow's status afterwards, and
	// PreviousStatus before (equal when it did not change).
	WorkflowStatus string `json:"workflow_status"`
	PreviousStatus string `json:"previous_status"`
}

// SpecDelegate marks a spec delegated, with a worktree on request, and
// moves the workflow to delegated when every open item is out.
func SpecDelegate(e Env, o SpecDelegateOptions) (*SpecDelegateResult, error) {
	if o.Path != "" && !o.Worktree {
		return nil, Usagef("wf spec delegate "+o.Name+" --worktree --path "+QuoteArg(o.Path), "--path needs --worktree")
	}
	lw, err := e.specOpen()
	if err != nil {
		return nil, err
	}
	d, err := spec.Delegate(lw, spec.DelegateOptions{Name: o.Name, Agent: o.Agent, Worktree: o.Worktree, Path: o.Path, OnStep: e.OnStep})
	if err != nil {
		return nil, err
	}
	before, after, err := spec.SyncWorkflowStatus(lw)
	if err != nil {
		return nil, err
	}
	return &SpecDelegateResult{Schema: workspace.SchemaVersion, Spec: spec.ViewOf(lw, d.Spec, lw.Now()), WorkflowStatus: after, PreviousStatus: before}, nil
}

// SpecTask returns the brief of the spec the linked worktree the command
// runs in was made for (wf spec delegate --worktree), or nil when it was
// made for none: wf resume there shows the spec, not the leader's TODO.
func SpecTask(e Env, budget int) (*SpecPromptResult, error) {
	ws, err := e.open()
	if err != nil {
		return nil, err
	}
	name := spec.Task(ws)
	if name == "" {
		return nil, nil
	}
	return SpecPrompt(e, name, budget)
}

// SpecVerifyResult is what `wf spec verify` reports.
type SpecVerifyResult struct {
	Schema int `json:"schema"`
	spec.Verification
}

// SpecVerify compares the sub-agent's changes in git with the spec and
// its result.
func SpecVerify(e Env, name string) (*SpecVerifyResult, error) {
	lw, err := e.specOpen()
	if err != nil {
		return nil, err
	}
	v, err := spec.Verify(lw, name)
	if err != nil {
		return nil, err
	}
	return &SpecVerifyResult{Schema: workspace.SchemaVersion, Verification: *v}, nil
}

// SpecIntegrateResult is what `wf spec integrate` reports.
type SpecIntegrateResult struct {
	Schema int `json:"schema"`
	spec.Integration
	Checkpoint *checkpoint.CheckpointResult `json:"checkpoint"`
}

// SpecIntegrate takes a returned spec's result into the workflow and
// checkpoints.
func SpecIntegrate(e Env, name string) (*SpecIntegrateResult, error) {
	lw, err := e.specOpen()
	if err != nil {
		return nil, err
	}
	in, err := spec.Integrate(lw, name)
	if err != nil {
		return nil, err
	}
	if _, _, err := spec.SyncWorkflowStatus(lw); err != nil {
		return nil, err
	}
	e.Dir = lw.Root
	cp, err := Checkpoint(e, CheckpointOptions{Title: "Integrate spec " + name, Summary: "Integrated the result of spec " + name + "."})
	if err != nil {
		return nil, err
	}
	return &SpecIntegrateResult{Schema: workspace.SchemaVersion, Integration: *in, Checkpoint: cp}, nil
}

// SpecOrderResult is what `wf spec integrate --order` reports.
type SpecOrderResult struct {
	Schema int      `json:"schema"`
	Order  []string `json:"order"`
}

// SpecOrder lists the returned and verified specs in the order to
// integrate them (fewest overlapping files first).
func SpecOrder(e Env) (*SpecOrderResult, error) {
	lw, err := e.specOpen()
	if err != nil {
		return nil, err
	}
	all, err := spec.LoadAll(lw)
	if err != nil {
		return nil, err
	}
	var ready []*spec.Spec
	for _, s := range all {
		if v := spec.ViewOf(lw, s, lw.Now()); v.Status == spec.Returned || v.Status == spec.Verified {
			ready = append(ready, s)
		}
	}
	order := spec.IntegrationOrder(ready)
	if order == nil {
		order = []string{}
	}
	return &SpecOrderResult{Schema: workspace.SchemaVersion, Order: order}, nil
}

// SpecRedoResult is what `wf spec redo` reports.
type SpecRedoResult struct {
	Schema int       `json:"schema"`
	Spec   spec.View `json:"spec"`
	// OldResult is where the previous result went; "" when there was none.
	OldResult string `json:"old_result,omitempty"`
}

// SpecRedo re-opens a spec for another attempt.
func SpecRedo(e Env, name, why string) (*SpecRedoResult, error) {
	if strings.TrimSpace(why) == "" {
		return nil, Usagef("wf spec redo "+name+" --why \"what to do differently\"", "wf spec redo needs --why")
	}
	lw, err := e.specOpen()
	if err != nil {
		return nil, err
	}
	s, moved, err := spec.Redo(lw, name, why)
	if err != nil {
		return nil, err
	}
	if _, _, err := spec.SyncWorkflowStatus(lw); err != nil {
		return nil, err
	}
	return &SpecRedoResult{Schema: workspace.SchemaVersion, Spec: spec.ViewOf(lw, s, lw.Now()), OldResult: moved}, nil
}
