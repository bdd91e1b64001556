package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/wf-tool/wf/gitcp/gittest"
)

// wfRun runs the test binary's wf (testscript.Main put it on PATH) in dir
// and returns its stdout, stderr and exit code.
func wfRun(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command("wf", args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("wf %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

// mcpClient starts `wf mcp args...` in dir as a subprocess and connects
// the SDK's client to it over its stdin and stdout (CommandTransport),
// speaking protocol 2025-06-18 as agent hosts do today.
func mcpClient(t *testing.T, dir string, stderr *bytes.Buffer, args ...string) (*sdk.ClientSession, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command("wf", append([]string{"mcp"}, args...)...)
	cmd.Dir = dir
	cmd.Stderr = stderr
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "wf-e2e", Version: "1"}, nil).
		Connect(ctx, &sdk.CommandTransport{Command: cmd}, &sdk.ClientSessionOptions{ProtocolVersion: "2025-06-18"})
	if err != nil {
		t.Fatalf("connecting to wf mcp: %v\nstderr: %s", err, stderr)
	}
	return cs, cmd
}

// toolText calls a tool and returns its content's text and isError.
func toolText(t *testing.T, cs *sdk.ClientSession, name string, args any) (string, bool) {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var b strings.Builder
	for _, c := range res.Content {
		b.WriteString(c.(*sdk.TextContent).Text)
	}
	return b.String(), res.IsError
}

// TestMCPEndToEnd starts wf mcp as a subprocess and drives it as an agent
// host would: initialize, tools/list, resume, todo done, checkpoint; then
// checks the repository with git.
func TestMCPEndToEnd(t *testing.T) {
	dir := gittest.NewRepo(t)
	for _, args := range [][]string{{"init"}, {"todo", "add", "write the lexer"}, {"todo", "add", "write the parser"}} {
		if _, errOut, code := wfRun(t, dir, args...); code != 0 {
			t.Fatalf("wf %v: exit %d: %s", args, code, errOut)
		}
	}
	gittest.Write(t, dir, "lexer.go", "package lexer\n")

	var stderr bytes.Buffer
	cs, cmd := mcpClient(t, dir, &stderr)
	init := cs.InitializeResult()
	if init.ServerInfo.Name != "wf" || init.Capabilities.Tools == nil || init.Capabilities.Resources == nil || init.Capabilities.Prompts == nil {
		t.Errorf("initialize: %+v", init)
	}
	tl, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, x := range tl.Tools {
		names = append(names, x.Name)
	}
	if strings.Join(names, " ") != "approve checkpoint decide reject resume status todo wait" {
		t.Errorf("tools/list: %v", names)
	}

	text, isErr := toolText(t, cs, "resume", nil)
	want, _, _ := wfRun(t, dir, "resume")
	if isErr || text != want {
		t.Errorf("resume through MCP differs from wf resume:\n mcp: %q\n cli: %q", text, want)
	}

	text, isErr = toolText(t, cs, "todo", map[string]any{"action": "done", "item": 1})
	var done struct {
		Item struct{ State, Text string }
	}
	if isErr || json.Unmarshal([]byte(text), &done) != nil || done.Item.State != "done" || done.Item.Text != "write the lexer" {
		t.Fatalf("todo done: %s", text)
	}

	text, isErr = toolText(t, cs, "checkpoint", map[string]any{"title": "lexer written", "next": []string{"the parser"}})
	var cp struct{ ID, Commit, File string }
	if isErr || json.Unmarshal([]byte(text), &cp) != nil || len(cp.Commit) != 40 {
		t.Fatalf("checkpoint: %s", text)
	}

	// The CLI sees what the server did, and the server what the CLI does.
	if _, errOut, code := wfRun(t, dir, "todo", "add", "from the CLI"); code != 0 {
		t.Fatal(errOut)
	}
	text, _ = toolText(t, cs, "status", nil)
	cliStatus, _, _ := wfRun(t, dir, "status", "--json")
	var a, b any
	if json.Unmarshal([]byte(text), &a) != nil || json.Unmarshal([]byte(cliStatus), &b) != nil {
		t.Fatalf("status: %s / %s", text, cliStatus)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Errorf("status through MCP differs from wf status --json:\n mcp: %s\n cli: %s", ja, jb)
	}

	if err := cs.Close(); err != nil {
		t.Errorf("closing the session: %v", err)
	}
	if cmd.ProcessState == nil || !cmd.ProcessState.Success() {
		t.Errorf("wf mcp did not exit cleanly: %v\nstderr: %s", cmd.ProcessState, stderr.String())
	}

	// git agrees: the checkpoint is HEAD, with the work and the state
	// files, and the repository is sound.
	if got := gittest.Git(t, dir, "log", "-1", "--format=%H %s"); got != cp.Commit+" checkpoint: lexer written" {
		t.Errorf("git log -1: %q, want %s", got, cp.Commit)
	}
	files := gittest.Git(t, dir, "show", "--format=", "--name-only", "HEAD")
	for _, f := range []string{"lexer.go", "TODO.md", "workflow-state.md", cp.File} {
		if !strings.Contains(files, f) {
			t.Errorf("the checkpoint commit lacks %s: %q", f, files)
		}
	}
	if got := gittest.Git(t, dir, "show", "HEAD:TODO.md"); !strings.Contains(got, "- [x] write the lexer") {
		t.Errorf("TODO.md at HEAD:\n%s", got)
	}
	if got := gittest.Git(t, dir, "status", "--porcelain"); got != " M TODO.md" {
		t.Errorf("git status --porcelain: %q (only the CLI's later todo add)", got)
	}
	gittest.Git(t, dir, "fsck", "--strict", "--no-dangling")
}

// TestMCPErrorVoice: a tool's error is the text wf prints on stderr for
// the same refusal, character for character.
func TestMCPErrorVoice(t *testing.T) {
	dir := gittest.NewRepo(t)
	if _, errOut, code := wfRun(t, dir, "init"); code != 0 {
		t.Fatal(errOut)
	}
	wfRun(t, dir, "todo", "add", "one")
	var stderr bytes.Buffer
	cs, _ := mcpClient(t, dir, &stderr, "--tools", "all")
	defer cs.Close()
	for _, c := range []struct {
		cli  []string
		tool string
		args map[string]any
	}{
		{[]string{"todo", "done", "99"}, "todo", map[string]any{"action": "done", "item": 99}},
		{[]string{"todo", "done", "no such text"}, "todo", map[string]any{"action": "done", "item": "no such text"}},
		{[]string{"todo", "fail", "1"}, "todo", map[string]any{"action": "fail", "item": 1}},
		{[]string{"todo", "list", "--phase", "Nowhere"}, "todo", map[string]any{"action": "list", "phase": "Nowhere"}},
		{[]string{"checkpoint"}, "checkpoint", nil},
		{[]string{"reject", "--reason", "x", "--then", "later"}, "reject", map[string]any{"reason": "x", "then": "later"}},
		{[]string{"approve"}, "approve", nil},
		{[]string{"resume", "--budget", "10"}, "resume", map[string]any{"budget": 10}},
		{[]string{"spec", "prompt", "missing"}, "spec", map[string]any{"action": "prompt", "name": "missing"}},
		{[]string{"phase", "start", "Nowhere"}, "phase", map[string]any{"action": "start", "name": "Nowhere"}},
	} {
		_, cliErr, code := wfRun(t, dir, c.cli...)
		if code == 0 {
			t.Errorf("wf %v succeeded", c.cli)
			continue
		}
		got, isErr := toolText(t, cs, c.tool, c.args)
		if !isErr || got != cliErr {
			t.Errorf("%s %v: the tool's error differs from wf %v's stderr:\n tool: %q\n  cli: %q", c.tool, c.args, c.cli, got, cliErr)
		}
	}

	// No workflow here.
	empty := t.TempDir()
	_, cliErr, _ := wfRun(t, empty, "status")
	var stderr2 bytes.Buffer
	cs2, _ := mcpClient(t, empty, &stderr2)
	defer cs2.Close()
	if got, isErr := toolText(t, cs2, "status", nil); !isErr || got != cliErr {
		t.Errorf("status without a workflow:\n tool: %q\n  cli: %q", got, cliErr)
	}

	// wf mcp's own usage errors.
	if _, errOut, code := wfRun(t, dir, "mcp", "--tools", "some"); code != exitUsage || !strings.Contains(errOut, `--tools "some" is not default or all`) {
		t.Errorf("wf mcp --tools some: exit %d: %s", code, errOut)
	}
	if _, errOut, code := wfRun(t, dir, "mcp", "extra"); code != exitUsage {
		t.Errorf("wf mcp extra: exit %d: %s", code, errOut)
	}
}
