package mcp

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
	"github.com/wf-tool/wf/gitcp/gittest"
)

// syncBuffer is a bytes buffer safe for the transport's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// fixture is a workflow in a fresh git repository and an in-memory
// client connected to a server for it.
type fixture struct {
	t    *testing.T
	dir  string
	cs   *sdk.ClientSession
	srv  *Server
	wire *syncBuffer // what the server sent and received, one message a line
	log  *syncBuffer // Options.Log
}

// newWorkflow makes a git repository with `wf init` done in it (phases
// Planning, Implementing, Testing) and returns its folder.
func newWorkflow(t *testing.T) string {
	t.Helper()
	dir := gittest.NewRepo(t)
	if _, err := verbs.Init(verbs.Env{WorkDir: dir}, verbs.InitOptions{Phases: []string{"Planning", "Implementing", "Testing"}}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// verbEnv is the environment the command line would give a verb run in
// dir: what the differential tests call the verbs with.
func verbEnv(dir string) verbs.Env {
	return verbs.Env{WorkDir: dir, LockWait: time.Second}
}

// start connects a client to a server for dir.
func start(t *testing.T, dir string, all bool, copts *sdk.ClientOptions) *fixture {
	t.Helper()
	return startVersion(t, dir, all, copts, "")
}

// startVersion is start with the client speaking protocol version
// ("" for the SDK's latest).
func startVersion(t *testing.T, dir string, all bool, copts *sdk.ClientOptions, version string) *fixture {
	t.Helper()
	return startWith(t, Options{WorkDir: dir, LockWait: time.Second, All: all, Version: "test"}, copts, version)
}

// startOpts connects a client to a server with options o.
func startOpts(t *testing.T, o Options) *fixture {
	t.Helper()
	return startWith(t, o, nil, "")
}

func startWith(t *testing.T, o Options, copts *sdk.ClientOptions, version string) *fixture {
	t.Helper()
	f := &fixture{t: t, dir: o.WorkDir, wire: &syncBuffer{}, log: &syncBuffer{}}
	o.Log = f.log
	f.srv = New(o)
	ctx := context.Background()
	t1, t2 := sdk.NewInMemoryTransports()
	ss, err := f.srv.Connect(ctx, &sdk.LoggingTransport{Transport: t1, Writer: f.wire})
	if err != nil {
		t.Fatal(err)
	}
	c := sdk.NewClient(&sdk.Implementation{Name: "wf-test", Version: "1"}, copts)
	f.cs, err = c.Connect(ctx, t2, &sdk.ClientSessionOptions{ProtocolVersion: version})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		f.cs.Close()
		ss.Wait()
		f.srv.Close()
	})
	return f
}

// setup is a fresh workflow with a connected client.
func setup(t *testing.T, all bool) *fixture {
	t.Helper()
	return start(t, newWorkflow(t), all, nil)
}

// call calls tool name with args and returns the text of its content,
// joined, and whether it is an error.
func (f *fixture) call(name string, args any) (string, bool) {
	f.t.Helper()
	res, err := f.cs.CallTool(context.Background(), &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		f.t.Fatalf("%s %v: %v", name, args, err)
	}
	var parts []string
	for _, c := range res.Content {
		tc, ok := c.(*sdk.TextContent)
		if !ok {
			f.t.Fatalf("%s: content %T, want text", name, c)
		}
		parts = append(parts, tc.Text)
	}
	return strings.Join(parts, ""), res.IsError
}

// ok calls tool name, fails the test on a tool error and decodes its
// first content block (the JSON result) into v when v is not nil. It
// returns the first block.
func (f *fixture) ok(name string, args any, v any) string {
	f.t.Helper()
	res, err := f.cs.CallTool(context.Background(), &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		f.t.Fatalf("%s %v: %v", name, args, err)
	}
	first := res.Content[0].(*sdk.TextContent).Text
	if res.IsError {
		f.t.Fatalf("%s %v: tool error:\n%s", name, args, first)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(first), v); err != nil {
			f.t.Fatalf("%s %v: result is not JSON: %v\n%s", name, args, err, first)
		}
	}
	return first
}

// fail calls tool name, expects a tool error and checks that its text
// holds every one of want; it returns the text.
func (f *fixture) fail(name string, args any, want ...string) string {
	f.t.Helper()
	got, isErr := f.call(name, args)
	if !isErr {
		f.t.Fatalf("%s %v: no error; got\n%s", name, args, got)
	}
	if !strings.HasPrefix(got, "wf: error: ") {
		f.t.Errorf("%s %v: error does not start with \"wf: error: \":\n%s", name, args, got)
	}
	for _, w := range want {
		if !strings.Contains(got, w) {
			f.t.Errorf("%s %v: error lacks %q:\n%s", name, args, w, got)
		}
	}
	return got
}

// sameJSON fails unless the tool's JSON result equals v encoded, as the
// command line's --json would print it (both decoded, so that layout
// does not count).
func sameJSON(t *testing.T, what, got string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var a, w any
	if err := json.Unmarshal([]byte(got), &a); err != nil {
		t.Fatalf("%s: %v\n%s", what, err, got)
	}
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatal(err)
	}
	ga, _ := json.Marshal(a)
	gw, _ := json.Marshal(w)
	if string(ga) != string(gw) {
		t.Errorf("%s: the tool's JSON differs from the verb's\n tool: %s\n verb: %s", what, ga, gw)
	}
}

// read returns a file of the workflow.
func read(t *testing.T, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
