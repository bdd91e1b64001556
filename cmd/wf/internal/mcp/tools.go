package mcp

import (
	"slices"
	"strings"

	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
	"github.com/wf-tool/wf/mdstate"
)

// tool is one MCP tool: its name, one-line description and input schema
// as tools/list sends them, a call that works (the hint of an argument
// error), and its run function, which calls the verbs.
type tool struct {
	name, desc string
	schema     string // JSON Schema of the arguments, kept small: tools/list is read into every session
	hint       string
	all        bool // only with --tools all
	run        func(s *Server, e verbs.Env, a *args) (any, error)
}

// The pieces of the input schemas. Descriptions stay out of them: the
// tool's one line names what each action takes.
const (
	tStr  = `{"type":"string"}`
	tBool = `{"type":"boolean"}`
	tInt  = `{"type":"integer"}`
	tList = `{"type":"array","items":{"type":"string"}}`
	tRef  = `{"type":["integer","string"]}`
)

// schema writes an object schema with the properties given as name,
// type pairs and the required ones.
func schema(required []string, props ...string) string {
	var b strings.Builder
	b.WriteString(`{"type":"object","properties":{`)
	for i := 0; i+1 < len(props); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + props[i] + `":` + props[i+1])
	}
	b.WriteString(`}`)
	if len(required) > 0 {
		b.WriteString(`,"required":["` + strings.Join(required, `","`) + `"]`)
	}
	b.WriteString(`}`)
	return b.String()
}

// enum is a string schema with these values.
func enum(vals ...string) string { return `{"enum":["` + strings.Join(vals, `","`) + `"]}` }

// tools are every tool of the server, the default ones first.
func tools() []tool {
	return []tool{
		{
			name: "resume", desc: "Re-entry context to continue the work, within a token budget (wf resume); json: its JSON instead",
			schema: schema(nil, "budget", tInt, "full", tBool, "json", tBool),
			hint:   `resume {"budget":2000}`, run: runResume,
		},
		{
			name: "status", desc: "Phase, status, progress, current item, blockers, waits (wf status)",
			schema: schema(nil), hint: `status {}`, run: runStatus,
		},
		{
			name: "todo", desc: "TODO.md checklist: list [open, phase]; add text [phase, under]; done item [checkpoint]; next; fail item bucket [reason]. item: number or unique text",
			schema: schema([]string{"action"}, "action", enum("list", "add", "done", "next", "fail"), "item", tRef, "text", tStr,
				"phase", tStr, "under", tRef, "open", tBool, "bucket", tStr, "reason", tStr, "checkpoint", tStr),
			hint: `todo {"action":"done","item":3}`, run: runTodo,
		},
		{
			name: "decide", desc: "Append a decision, and why, to the decisions log",
			schema: schema([]string{"text"}, "text", tStr), hint: `decide {"text":"what was decided, and why"}`, run: runDecide,
		},
		{
			name: "checkpoint", desc: "Commit the work and the state files with a checkpoint file (wf checkpoint); body: Markdown with ## sections",
			schema: schema(nil, "title", tStr, "summary", tStr, "decisions", tList, "next", tList, "body", tStr, "on", enum("branch", "ref")),
			hint:   `checkpoint {"title":"API routes 60% complete"}`, run: runCheckpoint,
		},
		{
			name: "wait", desc: "Declare a wait (status awaiting, with a checkpoint): kind and cond [every, for command]",
			schema: schema([]string{"kind", "cond"}, "kind", enum(lifecycle.WaitKinds()...), "cond", tStr, "every", tStr),
			hint:   `wait {"kind":"approval","cond":"the schema change"}`, run: runWait,
		},
		{
			name: "approve", desc: "Approve a pending approval [wait: its id; note]",
			schema: schema(nil, "wait", tStr, "note", tStr), hint: `approve {"wait":"w1"}`, run: runApprove,
		},
		{
			name: "reject", desc: "Reject a pending approval: reason [wait, then]",
			schema: schema([]string{"reason"}, "wait", tStr, "reason", tStr, "then", enum("retry", "skip", "stop")),
			hint:   `reject {"reason":"what is wrong","then":"retry"}`, run: runReject,
		},
		{
			name: "spec", all: true,
			desc: "Specs for sub-agents: new name [goal, read, modify, require, constraint, deliverable, item, body]; prompt name [budget]; result name body|file; verify name",
			schema: schema([]string{"action", "name"}, "action", enum("new", "prompt", "result", "verify"), "name", tStr,
				"goal", tStr, "read", tList, "modify", tList, "require", tList, "constraint", tList, "deliverable", tStr,
				"item", tRef, "body", tStr, "file", tStr, "budget", tInt),
			hint: `spec {"action":"prompt","name":"auth-api"}`, run: runSpec,
		},
		{
			name: "phase", all: true,
			desc: "Phases: start name; complete [name]; reopen name [why, force]; add name [once, review, max_loops]",
			schema: schema([]string{"action"}, "action", enum("start", "complete", "reopen", "add"), "name", tStr,
				"why", tStr, "force", tBool, "once", tBool, "review", tBool, "max_loops", tInt),
			hint: `phase {"action":"start","name":"Testing"}`, run: runPhase,
		},
	}
}

func runResume(s *Server, e verbs.Env, a *args) (any, error) {
	if err := a.only("budget", "full", "json"); err != nil {
		return nil, err
	}
	budget, set, err := a.count("budget")
	if err != nil {
		return nil, err
	}
	full, err := a.flag("full")
	if err != nil {
		return nil, err
	}
	asJSON, err := a.flag("json")
	if err != nil {
		return nil, err
	}
	r, err := verbs.Resume(e, verbs.ResumeOptions{Budget: budget, BudgetSet: set, Full: full})
	if err != nil {
		return nil, err
	}
	if asJSON {
		return r, nil
	}
	return text(r.Text()), nil
}

func runStatus(s *Server, e verbs.Env, a *args) (any, error) {
	if err := a.only(); err != nil {
		return nil, err
	}
	return verbs.Status(e)
}

func runTodo(s *Server, e verbs.Env, a *args) (any, error) {
	act, err := a.action("list", "add", "done", "next", "fail")
	if err != nil {
		return nil, err
	}
	switch act {
	case "list":
		if err := a.only("action", "open", "phase"); err != nil {
			return nil, err
		}
		open, err := a.flag("open")
		if err != nil {
			return nil, err
		}
		phase, err := a.str("phase")
		if err != nil {
			return nil, err
		}
		items, err := verbs.TodoList(e, verbs.TodoListOptions{Open: open, Phase: phase})
		if err != nil {
			return nil, err
		}
		return struct {
			Schema int                  `json:"schema"`
			Items  []lifecycle.ItemView `json:"items"`
		}{workspace.SchemaVersion, items}, nil
	case "add":
		if err := a.only("action", "text", "phase", "under"); err != nil {
			return nil, err
		}
		var o verbs.TodoAddOptions
		if o.Text, err = a.need("text"); err != nil {
			return nil, err
		}
		if o.Phase, err = a.str("phase"); err != nil {
			return nil, err
		}
		if o.Under, err = a.ref("under"); err != nil {
			return nil, err
		}
		return verbs.TodoAdd(e, o)
	case "done":
		if err := a.only("action", "item", "checkpoint"); err != nil {
			return nil, err
		}
		item, err := a.ref("item")
		if err != nil {
			return nil, err
		}
		cp, err := a.str("checkpoint")
		if err != nil {
			return nil, err
		}
		o := verbs.TodoMarkOptions{Mark: mdstate.Done, Checkpoint: cp}
		if item != "" {
			o.Refs = []string{item}
		}
		return verbs.TodoMark(e, o)
	case "next":
		if err := a.only("action"); err != nil {
			return nil, err
		}
		it, err := verbs.TodoNext(e)
		if err != nil {
			return nil, err
		}
		return struct {
			Schema int                 `json:"schema"`
			Item   *lifecycle.ItemView `json:"item"`
		}{workspace.SchemaVersion, it}, nil
	default: // fail
		if err := a.only("action", "item", "bucket", "reason"); err != nil {
			return nil, err
		}
		var o verbs.TodoFailOptions
		if o.Ref, err = a.ref("item"); err != nil {
			return nil, err
		}
		if o.Ref == "" {
			return nil, a.errorf("%s needs the argument %q", a.tool, "item")
		}
		if o.Bucket, err = a.str("bucket"); err != nil {
			return nil, err
		}
		if o.Reason, err = a.str("reason"); err != nil {
			return nil, err
		}
		return verbs.TodoFail(e, o)
	}
}

func runDecide(s *Server, e verbs.Env, a *args) (any, error) {
	if err := a.only("text"); err != nil {
		return nil, err
	}
	t, err := a.need("text")
	if err != nil {
		return nil, err
	}
	return verbs.Decide(e, t)
}

func runCheckpoint(s *Server, e verbs.Env, a *args) (any, error) {
	if err := a.only("title", "summary", "decisions", "next", "body", "on"); err != nil {
		return nil, err
	}
	// No HookOutput: a failing git hook's last lines are then part of the
	// error (gitcp.HookError), which is what the agent sees; what a hook
	// prints when it passes is dropped.
	var o verbs.CheckpointOptions
	var err error
	if o.Title, err = a.str("title"); err != nil {
		return nil, err
	}
	if o.Summary, err = a.str("summary"); err != nil {
		return nil, err
	}
	if o.Decisions, err = a.strs("decisions"); err != nil {
		return nil, err
	}
	if o.Next, err = a.strs("next"); err != nil {
		return nil, err
	}
	if o.On, err = a.str("on"); err != nil {
		return nil, err
	}
	body, err := a.str("body")
	if err != nil {
		return nil, err
	}
	if body != "" {
		o.Stdin, e.Stdin = true, strings.NewReader(body)
	}
	return verbs.Checkpoint(e, o)
}

func runWait(s *Server, e verbs.Env, a *args) (any, error) {
	if err := a.only("kind", "cond", "every"); err != nil {
		return nil, err
	}
	o := verbs.WaitCmdOptions{Actor: s.actor()}
	var err error
	if o.Kind, err = a.need("kind"); err != nil {
		return nil, err
	}
	if !slices.Contains(lifecycle.WaitKinds(), o.Kind) {
		return nil, a.errorf("wait kind %q is not one of %s", o.Kind, strings.Join(lifecycle.WaitKinds(), ", "))
	}
	if o.Cond, err = a.need("cond"); err != nil {
		return nil, err
	}
	if o.Every, err = a.duration("every"); err != nil {
		return nil, err
	}
	return verbs.Wait(e, o)
}

func runApprove(s *Server, e verbs.Env, a *args) (any, error) {
	if err := a.only("wait", "note"); err != nil {
		return nil, err
	}
	o := verbs.ResolveCmdOptions{Actor: s.actor()}
	var err error
	if o.Ref, err = a.ref("wait"); err != nil {
		return nil, err
	}
	if o.Note, err = a.str("note"); err != nil {
		return nil, err
	}
	return verbs.Resolve(e, o)
}

func runReject(s *Server, e verbs.Env, a *args) (any, error) {
	if err := a.only("wait", "reason", "then"); err != nil {
		return nil, err
	}
	o := verbs.ResolveCmdOptions{Reject: true, Actor: s.actor()}
	var err error
	if o.Ref, err = a.ref("wait"); err != nil {
		return nil, err
	}
	if o.Note, err = a.need("reason"); err != nil {
		return nil, err
	}
	if o.Then, err = a.str("then"); err != nil {
		return nil, err
	}
	return verbs.Resolve(e, o)
}

func runSpec(s *Server, e verbs.Env, a *args) (any, error) {
	act, err := a.action("new", "prompt", "result", "verify")
	if err != nil {
		return nil, err
	}
	switch act {
	case "new":
		if err := a.only("action", "name", "goal", "read", "modify", "require", "constraint", "deliverable", "item", "body"); err != nil {
			return nil, err
		}
		var o verbs.SpecNewOptions
		if o.Name, err = a.need("name"); err != nil {
			return nil, err
		}
		for _, f := range []struct {
			name string
			s    *string
		}{{"goal", &o.Goal}, {"deliverable", &o.Deliverable}} {
			if *f.s, err = a.str(f.name); err != nil {
				return nil, err
			}
		}
		for _, f := range []struct {
			name string
			l    *[]string
		}{{"read", &o.Read}, {"modify", &o.Modify}, {"require", &o.Require}, {"constraint", &o.Constraint}} {
			if *f.l, err = a.strs(f.name); err != nil {
				return nil, err
			}
		}
		if o.Item, err = a.ref("item"); err != nil {
			return nil, err
		}
		body, err := a.str("body")
		if err != nil {
			return nil, err
		}
		if body != "" {
			o.Stdin, e.Stdin = true, strings.NewReader(body)
		}
		return verbs.SpecNew(e, o)
	case "prompt":
		if err := a.only("action", "name", "budget"); err != nil {
			return nil, err
		}
		name, err := a.need("name")
		if err != nil {
			return nil, err
		}
		budget, _, err := a.count("budget")
		if err != nil {
			return nil, err
		}
		return verbs.SpecPrompt(e, name, budget)
	case "result":
		if err := a.only("action", "name", "body", "file"); err != nil {
			return nil, err
		}
		o := verbs.SpecRecordOptions{Source: "body"}
		if o.Name, err = a.need("name"); err != nil {
			return nil, err
		}
		if o.File, err = a.str("file"); err != nil {
			return nil, err
		}
		body, err := a.str("body")
		if err != nil {
			return nil, err
		}
		switch {
		case body != "" && o.File != "":
			return nil, a.errorf("spec result takes the result as body or as file, not both")
		case body == "" && o.File == "":
			return nil, a.errorf("spec result needs the result: body (Markdown) or file (a path)")
		}
		if body != "" {
			e.Stdin = strings.NewReader(body)
		}
		return verbs.SpecRecord(e, o)
	default: // verify
		if err := a.only("action", "name"); err != nil {
			return nil, err
		}
		name, err := a.need("name")
		if err != nil {
			return nil, err
		}
		return verbs.SpecVerify(e, name)
	}
}

func runPhase(s *Server, e verbs.Env, a *args) (any, error) {
	act, err := a.action("start", "complete", "reopen", "add")
	if err != nil {
		return nil, err
	}
	if act == "add" {
		if err := a.only("action", "name", "once", "review", "max_loops"); err != nil {
			return nil, err
		}
		o := verbs.PhaseAddOptions{Actor: s.actor()}
		if o.Name, err = a.need("name"); err != nil {
			return nil, err
		}
		if o.Rule.Once, err = a.flag("once"); err != nil {
			return nil, err
		}
		if o.Rule.Review, err = a.flag("review"); err != nil {
			return nil, err
		}
		if o.Rule.MaxLoops, _, err = a.count("max_loops"); err != nil {
			return nil, err
		}
		return verbs.PhaseAdd(e, o)
	}
	if err := a.only("action", "name", "why", "force"); err != nil {
		return nil, err
	}
	o := verbs.PhaseCmdOptions{Actor: s.actor()}
	if act == "complete" {
		o.Name, err = a.str("name")
	} else {
		o.Name, err = a.need("name")
	}
	if err != nil {
		return nil, err
	}
	if o.Why, err = a.str("why"); err != nil {
		return nil, err
	}
	if o.Force, err = a.flag("force"); err != nil {
		return nil, err
	}
	run := map[string]func(verbs.Env, verbs.PhaseCmdOptions) (*lifecycle.PhaseResult, error){
		"start": verbs.PhaseStart, "complete": verbs.PhaseComplete, "reopen": verbs.PhaseReopen,
	}[act]
	return run(e, o)
}
