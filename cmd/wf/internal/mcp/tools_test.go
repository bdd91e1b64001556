package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
	"github.com/wf-tool/wf/gitcp/gittest"
	"github.com/wf-tool/wf/mdstate"
)

// noWorkflow checks that tool, called where there is no workflow, says so
// as the command line does (its hint names wf init).
func noWorkflow(t *testing.T, tool string, args any) {
	t.Helper()
	gittest.Env(t)
	f := start(t, t.TempDir(), true, nil)
	got := f.fail(tool, args, "wf: hint: ")
	_, err := verbs.Status(verbEnv(f.dir))
	if !errors.Is(err, workspace.ErrNoWorkflow) {
		t.Fatalf("verbs.Status in an empty folder: %v", err)
	}
	if got != ErrorText(err) {
		t.Errorf("%s without a workflow:\n got: %q\nwant: %q", tool, got, ErrorText(err))
	}
}

func TestToolsListDefaultAndAll(t *testing.T) {
	dir := newWorkflow(t)
	for _, c := range []struct {
		all  bool
		want []string
	}{
		{false, []string{"approve", "checkpoint", "decide", "reject", "resume", "status", "todo", "wait"}},
		{true, []string{"approve", "checkpoint", "decide", "phase", "reject", "resume", "spec", "status", "todo", "wait"}},
	} {
		f := start(t, dir, c.all, nil)
		res, err := f.cs.ListTools(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tl := range res.Tools {
			names = append(names, tl.Name)
			if strings.Contains(tl.Description, "\n") || len(tl.Description) > 200 {
				t.Errorf("tool %s: the description is not one short line: %q", tl.Name, tl.Description)
			}
		}
		if strings.Join(names, " ") != strings.Join(c.want, " ") {
			t.Errorf("all=%v: tools %v, want %v", c.all, names, c.want)
		}
	}
	// A tool of --tools all is not there by default.
	f := start(t, dir, false, nil)
	if _, err := f.cs.CallTool(context.Background(), &sdk.CallToolParams{Name: "spec", Arguments: map[string]any{"action": "verify", "name": "x"}}); err == nil {
		t.Errorf("the spec tool answered without --tools all")
	}
}

func TestResumeTool(t *testing.T) {
	f := setup(t, false)
	f.ok("todo", map[string]any{"action": "add", "text": "write the parser"}, nil)
	got, isErr := f.call("resume", nil)
	if isErr {
		t.Fatalf("resume: %s", got)
	}
	r, err := verbs.Resume(verbEnv(f.dir), verbs.ResumeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got != r.Text() {
		t.Errorf("resume tool text differs from wf resume:\n tool: %q\n verb: %q", got, r.Text())
	}
	if !strings.Contains(got, "write the parser") {
		t.Errorf("resume text lacks the open item:\n%s", got)
	}
	var doc map[string]any
	f.ok("resume", map[string]any{"json": true, "budget": 3000}, &doc)
	if doc["schema"] == nil || doc["progress"] == nil {
		t.Errorf("resume json: %v", doc)
	}
	f.ok("resume", map[string]any{"full": true}, nil)

	// Errors: the verbs' own, and the arguments'.
	_, verr := verbs.Resume(verbEnv(f.dir), verbs.ResumeOptions{Budget: 10, BudgetSet: true})
	if e := f.fail("resume", map[string]any{"budget": 10}, "below the minimum"); e != ErrorText(verr) {
		t.Errorf("budget 10: %q, want %q", e, ErrorText(verr))
	}
	f.fail("resume", map[string]any{"budget": 3000, "full": true}, "contradict")
	f.fail("resume", map[string]any{"budget": 0}, "at least 1")
	f.fail("resume", map[string]any{"budget": "lots"}, `"budget"`, "whole number")
	f.fail("resume", map[string]any{"budget": 2.5}, "whole number")
	f.fail("resume", map[string]any{"full": "yes"}, "true or false")
	f.fail("resume", map[string]any{"verbose": true}, "resume takes only budget, full, json (got verbose)", `wf: hint: resume {"budget":2000}`)
	noWorkflow(t, "resume", nil)
}

func TestStatusTool(t *testing.T) {
	f := setup(t, false)
	f.ok("todo", map[string]any{"action": "add", "text": "one"}, nil)
	got := f.ok("status", nil, nil)
	v, err := verbs.Status(verbEnv(f.dir))
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "status", got, v)
	f.ok("status", map[string]any{}, nil)
	f.fail("status", map[string]any{"json": true}, "status takes no arguments (got json)")
	f.fail("status", []any{1}, "not a JSON object")
	noWorkflow(t, "status", nil)
}

func TestTodoTool(t *testing.T) {
	f := setup(t, false)

	var added verbs.TodoAddResult
	f.ok("todo", map[string]any{"action": "add", "text": "design the API", "phase": "Planning"}, &added)
	if added.Item.N != 1 || added.Item.Text != "design the API" || added.Item.Phase != "Planning" {
		t.Errorf("add: %+v", added)
	}
	f.ok("todo", map[string]any{"action": "add", "text": "its schema", "under": 1}, nil)
	f.ok("todo", map[string]any{"action": "add", "text": "write the parser", "phase": "Implementing"}, nil)
	if td := read(t, f.dir, "TODO.md"); !strings.Contains(td, "- [ ] design the API\n  - [ ] its schema\n") {
		t.Errorf("TODO.md after add:\n%s", td)
	}

	got := f.ok("todo", map[string]any{"action": "list"}, nil)
	items, err := verbs.TodoList(verbEnv(f.dir), verbs.TodoListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "todo list", got, struct {
		Schema int                  `json:"schema"`
		Items  []lifecycle.ItemView `json:"items"`
	}{workspace.SchemaVersion, items})

	var next struct{ Item *lifecycle.ItemView }
	f.ok("todo", map[string]any{"action": "next"}, &next)
	if next.Item == nil || next.Item.N != 1 || !next.Item.Current {
		t.Errorf("next: %+v", next.Item)
	}

	var done verbs.ItemsResult
	f.ok("todo", map[string]any{"action": "done", "item": 2}, &done)
	if done.Item.N != 2 || done.Item.State != "done" {
		t.Errorf("done 2: %+v", done.Item)
	}
	f.ok("todo", map[string]any{"action": "done", "item": "design the"}, &done)
	if done.Item.N != 1 || done.Item.State != "done" {
		t.Errorf("done by text: %+v", done.Item)
	}

	var open struct{ Items []lifecycle.ItemView }
	f.ok("todo", map[string]any{"action": "list", "open": true}, &open)
	if len(open.Items) != 1 || open.Items[0].Text != "write the parser" {
		t.Errorf("list open: %+v", open.Items)
	}
	f.ok("todo", map[string]any{"action": "list", "phase": "Implementing"}, &open)
	if len(open.Items) != 1 {
		t.Errorf("list phase: %+v", open.Items)
	}

	var fail lifecycle.FailResult
	f.ok("todo", map[string]any{"action": "fail", "item": 3, "bucket": "test-fail", "reason": "flaky"}, &fail)
	if fail.Bucket != "test-fail" || fail.Count != 1 {
		t.Errorf("fail: %+v", fail)
	}

	// Errors: each the verb's own text, or the arguments'.
	f.fail("todo", nil, `todo needs the argument "action": one of list, add, done, next, fail`, `wf: hint: todo {"action":"done","item":3}`)
	f.fail("todo", map[string]any{"action": "frob"}, `todo has no action "frob"`)
	f.fail("todo", map[string]any{"action": 3}, `argument "action" of todo must be a string`)
	f.fail("todo", map[string]any{"action": "add"}, `todo add needs the argument "text"`)
	f.fail("todo", map[string]any{"action": "add", "text": "  "}, `argument "text" of todo add is empty`)
	f.fail("todo", map[string]any{"action": "done", "item": 1, "reason": "x"}, "todo done takes only action, item, checkpoint (got reason)")
	f.fail("todo", map[string]any{"action": "done", "item": true}, "must be a number or a string")
	f.fail("todo", map[string]any{"action": "list", "phase": "Nowhere"}, "Nowhere")
	f.fail("todo", map[string]any{"action": "fail", "bucket": "x"}, `todo fail needs the argument "item"`)

	_, verr := verbs.TodoMark(verbEnv(f.dir), verbs.TodoMarkOptions{Refs: []string{"99"}, Mark: mdstate.Done})
	if verr == nil {
		t.Fatal("todo done 99: no error from the verb")
	}
	if got := f.fail("todo", map[string]any{"action": "done", "item": 99}); got != ErrorText(verr) {
		t.Errorf("done 99:\n got: %q\nwant: %q", got, ErrorText(verr))
	}
	_, verr = verbs.TodoMark(verbEnv(f.dir), verbs.TodoMarkOptions{Mark: mdstate.Done})
	if got := f.fail("todo", map[string]any{"action": "done"}, "needs an item"); got != ErrorText(verr) {
		t.Errorf("done without an item:\n got: %q\nwant: %q", got, ErrorText(verr))
	}
	_, verr = verbs.TodoFail(verbEnv(f.dir), verbs.TodoFailOptions{Ref: "3"})
	if got := f.fail("todo", map[string]any{"action": "fail", "item": 3}, "--bucket"); got != ErrorText(verr) {
		t.Errorf("fail without a bucket:\n got: %q\nwant: %q", got, ErrorText(verr))
	}
	noWorkflow(t, "todo", map[string]any{"action": "list"})
}

func TestDecideTool(t *testing.T) {
	f := setup(t, false)
	var res verbs.DecideResult
	f.ok("decide", map[string]any{"text": "JSON over YAML: fewer parsers"}, &res)
	if !strings.Contains(res.Entry, "JSON over YAML: fewer parsers") {
		t.Errorf("entry %q", res.Entry)
	}
	if st := read(t, f.dir, "workflow-state.md"); !strings.Contains(st, "JSON over YAML: fewer parsers") {
		t.Errorf("the decision is not in workflow-state.md:\n%s", st)
	}
	f.fail("decide", nil, `decide needs the argument "text"`)
	f.fail("decide", map[string]any{"text": ""}, "is empty")
	f.fail("decide", map[string]any{"text": "x", "why": "y"}, "decide takes only text (got why)")
	noWorkflow(t, "decide", map[string]any{"text": "x"})
}

func TestCheckpointTool(t *testing.T) {
	f := setup(t, false)
	gittest.Write(t, f.dir, "main.go", "package main\n")
	f.ok("todo", map[string]any{"action": "add", "text": "one"}, nil)
	var res struct {
		ID     string `json:"id"`
		Commit string `json:"commit"`
		File   string `json:"file"`
	}
	f.ok("checkpoint", map[string]any{"title": "first steps", "summary": "parser sketched", "decisions": []string{"tabs, not spaces"}, "next": "write tests"}, &res)
	if res.ID == "" || len(res.Commit) != 40 {
		t.Fatalf("checkpoint result %+v", res)
	}
	if got := gittest.Git(t, f.dir, "log", "-1", "--format=%H %s"); got != res.Commit+" checkpoint: first steps" {
		t.Errorf("git log: %q, want the checkpoint's commit %s", got, res.Commit)
	}
	if got := gittest.Git(t, f.dir, "show", "--format=", "--name-only", "HEAD"); !strings.Contains(got, "main.go") || !strings.Contains(got, res.File) {
		t.Errorf("the commit holds %q", got)
	}
	if got := gittest.Git(t, f.dir, "status", "--porcelain"); got != "" {
		t.Errorf("git status after the checkpoint: %q", got)
	}
	cp := read(t, f.dir, res.File)
	for _, w := range []string{"parser sketched", "tabs, not spaces", "write tests"} {
		if !strings.Contains(cp, w) {
			t.Errorf("checkpoint file lacks %q:\n%s", w, cp)
		}
	}

	// A body with ## sections, as wf checkpoint --stdin reads it.
	f.ok("checkpoint", map[string]any{"body": "# From the body\n\n## Gotchas\n\n- the lexer keeps state\n"}, &res)
	if got := gittest.Git(t, f.dir, "log", "-1", "--format=%s"); got != "checkpoint: From the body" {
		t.Errorf("title from the body: %q", got)
	}
	if cp := read(t, f.dir, res.File); !strings.Contains(cp, "the lexer keeps state") {
		t.Errorf("body section missing:\n%s", cp)
	}
	gittest.Git(t, f.dir, "fsck", "--strict")

	_, verr := verbs.Checkpoint(verbEnv(f.dir), verbs.CheckpointOptions{})
	if got := f.fail("checkpoint", nil, "needs a title"); got != ErrorText(verr) {
		t.Errorf("no title:\n got: %q\nwant: %q", got, ErrorText(verr))
	}
	f.fail("checkpoint", map[string]any{"title": "x", "on": "tag"}, `--on "tag" is not branch or ref`)
	f.fail("checkpoint", map[string]any{"title": "x", "decisions": []any{"ok", ""}}, "entry 2 is empty")
	f.fail("checkpoint", map[string]any{"title": "x", "decisions": map[string]any{}}, "array of strings")
	f.fail("checkpoint", map[string]any{"title": "x", "allow_secret": "a"}, "got allow_secret")

	// A failing pre-commit hook: its output is in the error the agent
	// sees, and nothing is committed.
	head := gittest.Git(t, f.dir, "rev-parse", "HEAD")
	hook := filepath.Join(f.dir, ".git", "hooks", "pre-commit")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\necho 'vet: main.go:3: unreachable code'\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	f.fail("checkpoint", map[string]any{"title": "blocked by the hook"}, "pre-commit", "vet: main.go:3: unreachable code")
	if got := gittest.Git(t, f.dir, "rev-parse", "HEAD"); got != head {
		t.Errorf("HEAD moved to %s after a failing hook", got)
	}
	os.Remove(hook)

	// Outside git: the verb's hint to git init.
	gittest.Env(t)
	plain := t.TempDir()
	if _, err := verbs.Init(verbs.Env{WorkDir: plain}, verbs.InitOptions{Phases: []string{"A"}}); err != nil {
		t.Fatal(err)
	}
	g := start(t, plain, false, nil)
	g.fail("checkpoint", map[string]any{"title": "x"}, "wf: hint: git init")
	noWorkflow(t, "checkpoint", map[string]any{"title": "x"})
}

func TestWaitApproveRejectTools(t *testing.T) {
	f := setup(t, false)
	f.ok("todo", map[string]any{"action": "add", "text": "migrate"}, nil)
	f.ok("todo", map[string]any{"action": "next"}, nil)

	var w lifecycle.WaitResult
	f.ok("wait", map[string]any{"kind": "approval", "cond": "the schema change"}, &w)
	if w.Wait.ID == "" || w.Wait.Kind != "approval" || w.Checkpoint == "" {
		t.Fatalf("wait: %+v", w)
	}
	var st struct{ Status string }
	f.ok("status", nil, &st)
	if st.Status != "awaiting" {
		t.Errorf("status after wait: %q", st.Status)
	}
	var res lifecycle.ResolveResult
	f.ok("approve", map[string]any{"wait": w.Wait.ID, "note": "looks right"}, &res)
	if len(res.Resolved) != 1 {
		t.Errorf("approve: %+v", res)
	}
	f.fail("approve", nil) // nothing pending
	_, verr := verbs.Resolve(verbEnv(f.dir), verbs.ResolveCmdOptions{})
	if got := f.fail("approve", nil); got != ErrorText(verr) {
		t.Errorf("approve with nothing pending:\n got: %q\nwant: %q", got, ErrorText(verr))
	}

	f.ok("wait", map[string]any{"kind": "approval", "cond": "the second change"}, &w)
	f.fail("reject", map[string]any{"wait": w.Wait.ID}, `reject needs the argument "reason"`)
	f.fail("reject", map[string]any{"reason": "no", "then": "later"}, `--then "later" is not retry, skip or stop`)
	f.ok("reject", map[string]any{"reason": "wrong table", "then": "retry"}, &res)
	if len(res.Resolved) != 1 || res.Fail == nil {
		t.Errorf("reject --then retry: %+v", res)
	}

	f.ok("wait", map[string]any{"kind": "command", "cond": "true", "every": "5m"}, &w)
	f.fail("wait", map[string]any{"kind": "signal", "cond": "go", "every": "5m"}, "--every is for command waits")
	f.fail("wait", map[string]any{"kind": "command", "cond": "true", "every": "soon"}, "positive duration")
	f.fail("wait", map[string]any{"kind": "forever", "cond": "x"}, `wait kind "forever" is not one of approval, until, file, signal, command`)
	f.fail("wait", map[string]any{"kind": "approval"}, `wait needs the argument "cond"`)
	f.fail("wait", map[string]any{"cond": "x"}, `wait needs the argument "kind"`)
	noWorkflow(t, "wait", map[string]any{"kind": "approval", "cond": "x"})
	noWorkflow(t, "approve", nil)
	noWorkflow(t, "reject", map[string]any{"reason": "x"})
}

func TestSpecTool(t *testing.T) {
	f := setup(t, true)
	gittest.Write(t, f.dir, "api.go", "package api\n")
	f.ok("todo", map[string]any{"action": "add", "text": "the API"}, nil)
	gittest.Git(t, f.dir, "add", "-A")
	gittest.Git(t, f.dir, "commit", "-qm", "base")

	var sp verbs.SpecResult
	f.ok("spec", map[string]any{"action": "new", "name": "auth-api", "goal": "add login", "read": "api.go",
		"modify": []string{"api.go"}, "require": []string{"tests pass"}, "constraint": "no new dependency", "deliverable": "the handler", "item": 1}, &sp)
	if sp.Spec.Name != "auth-api" {
		t.Errorf("spec new: %+v", sp)
	}
	if s := read(t, f.dir, "specs/auth-api.md"); !strings.Contains(s, "add login") || !strings.Contains(s, "tests pass") {
		t.Errorf("specs/auth-api.md:\n%s", s)
	}
	var pr verbs.SpecPromptResult
	f.ok("spec", map[string]any{"action": "prompt", "name": "auth-api", "budget": 4000}, &pr)
	if !strings.Contains(pr.Text, "add login") || pr.Budget != 4000 {
		t.Errorf("spec prompt: %+v", pr)
	}
	want, err := verbs.SpecPrompt(verbEnv(f.dir), "auth-api", 4000)
	if err != nil {
		t.Fatal(err)
	}
	if pr.Text != want.Text {
		t.Errorf("spec prompt differs from wf spec prompt")
	}

	// Delegation is the command line's (wf spec delegate): not a tool.
	if _, err := verbs.SpecDelegate(verbEnv(f.dir), verbs.SpecDelegateOptions{Name: "auth-api", Agent: "sub"}); err != nil {
		t.Fatal(err)
	}
	gittest.Write(t, f.dir, "api.go", "package api\n\nfunc Login() {}\n")
	result := "# Result: auth-api\n\n## Status\n\ncomplete\n\n## Changes\n\n- api.go: Login\n\n## Decisions\n\n(none)\n\n## Tests needed\n\n(none)\n\n## Issues\n\n(none)\n"
	var rec verbs.SpecRecordResult
	f.ok("spec", map[string]any{"action": "result", "name": "auth-api", "body": result}, &rec)
	if rec.Status != "complete" || read(t, f.dir, "specs/auth-api.result.md") != result {
		t.Errorf("spec result: %+v", rec)
	}
	var ver verbs.SpecVerifyResult
	got := f.ok("spec", map[string]any{"action": "verify", "name": "auth-api"}, &ver)
	want2, err := verbs.SpecVerify(verbEnv(f.dir), "auth-api")
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "spec verify", got, want2)
	// A change outside the spec's scope breaks the contract: the CLI
	// prints the document and exits 5; the tool returns it as an error.
	gittest.Write(t, f.dir, "other.go", "package api\n")
	res, err := f.cs.CallTool(context.Background(), &sdk.CallToolParams{Name: "spec", Arguments: map[string]any{"action": "verify", "name": "auth-api"}})
	if err != nil {
		t.Fatal(err)
	}
	var broken verbs.SpecVerifyResult
	if err := json.Unmarshal([]byte(res.Content[0].(*sdk.TextContent).Text), &broken); err != nil || !res.IsError || broken.OK || len(broken.OutOfScope) == 0 {
		t.Errorf("spec verify with other.go out of scope: isError %v, %+v (%v)", res.IsError, broken, err)
	}
	if err := os.Remove(filepath.Join(f.dir, "other.go")); err != nil {
		t.Fatal(err)
	}
	f.fail("spec", map[string]any{"action": "result", "name": "auth-api", "body": "# nothing\n"}, "body is not a valid result", "body: no ## Changes section")

	f.fail("spec", map[string]any{"action": "result", "name": "auth-api"}, "needs the result")
	f.fail("spec", map[string]any{"action": "result", "name": "auth-api", "body": "x", "file": "r.md"}, "not both")
	f.fail("spec", map[string]any{"action": "new"}, `spec new needs the argument "name"`)
	f.fail("spec", map[string]any{"action": "new", "name": "../x"}, "../x")
	f.fail("spec", map[string]any{"action": "prompt", "name": "missing"}, "missing")
	f.fail("spec", map[string]any{"action": "delegate", "name": "auth-api"}, `spec has no action "delegate"`)
	f.fail("spec", map[string]any{"action": "verify", "name": "auth-api", "budget": 3}, "got budget")
	noWorkflow(t, "spec", map[string]any{"action": "verify", "name": "x"})
}

func TestPhaseTool(t *testing.T) {
	f := setup(t, true)
	var res lifecycle.PhaseResult
	f.ok("phase", map[string]any{"action": "add", "name": "Review", "review": true, "max_loops": 2}, &res)
	if st := read(t, f.dir, "workflow-state.md"); !strings.Contains(st, "Review") {
		t.Errorf("phase add: workflow-state.md:\n%s", st)
	}
	f.ok("phase", map[string]any{"action": "start", "name": "Planning", "why": "go"}, &res)
	var st struct{ Phase string }
	f.ok("status", nil, &st)
	if st.Phase != "Planning" {
		t.Errorf("phase after start: %q", st.Phase)
	}
	f.ok("phase", map[string]any{"action": "complete"}, &res)
	f.ok("phase", map[string]any{"action": "reopen", "name": "Planning", "why": "missed a case"}, &res)

	f.fail("phase", map[string]any{"action": "start"}, `phase start needs the argument "name"`)
	f.fail("phase", map[string]any{"action": "start", "name": "Nowhere"}, "Nowhere")
	f.fail("phase", map[string]any{"action": "add", "name": "X", "max_loops": 0}, "at least 1")
	f.fail("phase", map[string]any{"action": "add", "name": "X", "why": "y"}, "got why")
	f.fail("phase", map[string]any{"action": "skip", "name": "X"}, `phase has no action "skip"`)
	noWorkflow(t, "phase", map[string]any{"action": "complete"})
}

// TestPanicIsAToolError: a panic in a tool is a tool error, logged with
// its stack, and the server answers the next call.
func TestPanicIsAToolError(t *testing.T) {
	f := setup(t, false)
	f.srv.srv.AddTool(&sdk.Tool{Name: "boom", InputSchema: map[string]any{"type": "object"}},
		f.srv.handler(tool{name: "boom", run: func(*Server, verbs.Env, *args) (any, error) { panic("kaboom") }}))
	f.fail("boom", nil, "internal error in the boom tool: kaboom", "wf: hint: this is a bug in wf")
	if !strings.Contains(f.log.String(), "panic in the boom tool: kaboom") || !strings.Contains(f.log.String(), "goroutine") {
		t.Errorf("the panic's stack is not logged:\n%s", f.log.String())
	}
	f.ok("status", nil, nil)

	// Elsewhere (a handler of the SDK's, or one wf has not wrapped): the
	// request fails, and the server goes on.
	f.srv.srv.AddResource(&sdk.Resource{URI: "wf://boom"}, func(context.Context, *sdk.ReadResourceRequest) (*sdk.ReadResourceResult, error) {
		panic("resource kaboom")
	})
	if _, err := f.cs.ReadResource(context.Background(), &sdk.ReadResourceParams{URI: "wf://boom"}); err == nil || !strings.Contains(err.Error(), "internal error in resources/read: resource kaboom") {
		t.Errorf("a panicking resource: %v", err)
	}
	f.ok("status", nil, nil)
}

// TestInterleave: tool calls, verb calls (the command line) and hand
// edits see each other's changes: nothing is cached between calls.
func TestInterleave(t *testing.T) {
	f := setup(t, false)
	f.ok("todo", map[string]any{"action": "add", "text": "from the tool"}, nil)
	if _, err := verbs.TodoAdd(verbEnv(f.dir), verbs.TodoAddOptions{Text: "from the command line"}); err != nil {
		t.Fatal(err)
	}
	td := read(t, f.dir, "TODO.md")
	if err := os.WriteFile(filepath.Join(f.dir, "TODO.md"), []byte(td+"- [ ] from a hand edit\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var list struct{ Items []lifecycle.ItemView }
	f.ok("todo", map[string]any{"action": "list"}, &list)
	var texts []string
	for _, it := range list.Items {
		texts = append(texts, it.Text)
	}
	if strings.Join(texts, "|") != "from the tool|from the command line|from a hand edit" {
		t.Errorf("items %q", texts)
	}
	f.ok("todo", map[string]any{"action": "done", "item": "hand edit"}, nil)
	items, err := verbs.TodoList(verbEnv(f.dir), verbs.TodoListOptions{Open: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 {
		t.Errorf("open items after the tool's done: %+v", items)
	}
}

// TestNotes: what opening the workflow did (a crash's leftover
// completed) comes after the result as the command line's notes.
func TestNotesFollowTheResult(t *testing.T) {
	f := setup(t, false)
	res, err := okResult(map[string]int{"schema": 2}, []string{"completed the checkpoint x", "esc \x1b[2J"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Content) != 2 || res.Content[1].(*sdk.TextContent).Text != "wf: note: completed the checkpoint x\nwf: note: esc ^[[2J\n" {
		t.Errorf("notes: %#v", res.Content)
	}
	e := errorResult(verbs.Usagef("wf x", "bad \x1b]52;c;AAAA\x07"), []string{"n"})
	if got := e.Content[0].(*sdk.TextContent).Text; got != "wf: note: n\nwf: error: bad ^[]52;c;AAAA^G\nwf: hint: wf x\n" || !e.IsError {
		t.Errorf("error with a note: %q", got)
	}
	// Text from the files reaches the client escaped, as --json prints it.
	f.ok("todo", map[string]any{"action": "add", "text": "bidi \u202e here"}, nil)
	got := f.ok("todo", map[string]any{"action": "list"}, nil)
	if !strings.Contains(got, `bidi \u202e here`) {
		t.Errorf("the bidi override is not escaped: %q", got)
	}
}

// TestOptionsDirAndActor: --dir names the workflow from any working
// directory, and WF_ACTOR names who the timeline records.
func TestOptionsDirAndActor(t *testing.T) {
	dir := newWorkflow(t)
	g := startOpts(t, Options{WorkDir: t.TempDir(), Dir: dir, LockWait: time.Second, Actor: "ci-bot"})
	var st struct{ Root string }
	g.ok("status", nil, &st)
	if st.Root != dir {
		t.Errorf("status root %q, want %q", st.Root, dir)
	}
	g.ok("wait", map[string]any{"kind": "signal", "cond": "deploy-done"}, nil)
	if s := read(t, dir, "workflow-state.md"); !strings.Contains(s, "ci-bot") {
		t.Errorf("the timeline does not name WF_ACTOR:\n%s", s)
	}
}
