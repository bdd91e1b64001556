package mcp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// TestServeAnswersPipedCalls: a host that writes its calls and closes
// stdin at once (a pipe) gets every answer, in whatever order, and the
// state changes are all made before Serve returns.
func TestServeAnswersPipedCalls(t *testing.T) {
	dir := newWorkflow(t)
	lines := []string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"pipe","version":"1"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
	}
	for i := range 8 {
		lines = append(lines, `{"jsonrpc":"2.0","id":`+string(rune('2'+i))+`,"method":"tools/call","params":{"name":"todo","arguments":{"action":"add","text":"piped `+string(rune('a'+i))+`"}}}`)
	}
	lines = append(lines, `{"jsonrpc":"2.0","id":"cp","method":"tools/call","params":{"name":"checkpoint","arguments":{"title":"piped"}}}`)
	var out syncBuffer
	s := New(Options{WorkDir: dir, LockWait: 10 * time.Second})
	done := make(chan error, 1)
	go func() { done <- s.Serve(context.Background(), strings.NewReader(strings.Join(lines, "\n")+"\n"), &out) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("Serve did not return after its input ended")
	}
	ids := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m struct {
			ID     json.RawMessage
			Result struct{ IsError bool }
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON-RPC message: %q", l)
		}
		if m.Result.IsError {
			t.Errorf("a call failed: %s", l)
		}
		ids[string(m.ID)] = true
	}
	if len(ids) != 10 || !ids[`"cp"`] || !ids["1"] {
		t.Errorf("answered %v, want the 10 calls:\n%s", ids, out.String())
	}
	td := read(t, dir, "TODO.md")
	if n := strings.Count(td, "- [ ] piped "); n != 8 {
		t.Errorf("TODO.md holds %d piped items:\n%s", n, td)
	}
}

// TestServeEmptyInput: no input at all is a clean stop.
func TestServeEmptyInput(t *testing.T) {
	var out bytes.Buffer
	if err := New(Options{WorkDir: t.TempDir()}).Serve(context.Background(), strings.NewReader(""), &out); err != nil {
		t.Errorf("Serve on empty input: %v", err)
	}
}

// TestServeEndsWithOpenSubscriptions: a client of protocol 2026-07-28
// holds its subscriptions open with subscriptions/listen calls, which are
// answered only when the input ends; closing the input still ends Serve.
func TestServeEndsWithOpenSubscriptions(t *testing.T) {
	for _, version := range []string{"2025-06-18", "2026-07-28"} {
		t.Run(version, func(t *testing.T) {
			dir := newWorkflow(t)
			inR, inW := io.Pipe()
			outR, outW := io.Pipe()
			done := make(chan error, 1)
			go func() {
				done <- New(Options{WorkDir: dir, LockWait: time.Second}).Serve(context.Background(), inR, outW)
				outW.Close()
			}()
			ctx := context.Background()
			cs, err := sdk.NewClient(&sdk.Implementation{Name: "pipe", Version: "1"}, nil).
				Connect(ctx, &sdk.IOTransport{Reader: outR, Writer: inW}, &sdk.ClientSessionOptions{ProtocolVersion: version})
			if err != nil {
				t.Fatal(err)
			}
			if err := cs.Subscribe(ctx, &sdk.SubscribeParams{URI: "wf://TODO.md"}); err != nil {
				t.Fatal(err)
			}
			if _, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: "status"}); err != nil {
				t.Fatal(err)
			}
			cs.Close()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Serve: %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("Serve did not return after the client closed its input")
			}
		})
	}
}
