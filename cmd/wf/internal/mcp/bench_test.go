package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
	"github.com/wf-tool/wf/gitcp/gittest"
)

// BenchmarkOverhead compares a verb run directly (what the command line
// does once it has started) with the same verb as a tool call through
// the SDK's client over in-memory transports: the difference is what the
// MCP layer adds per call (issue 18: at most 5 ms). The workflow has 50
// items and a checkpoint, in a git repository.
//
//	go test ./cmd/wf/internal/mcp -run '^$' -bench Overhead -benchtime 200x -count 5
func BenchmarkOverhead(b *testing.B) {
	dir := gittest.NewRepo(b)
	e := verbs.Env{WorkDir: dir, LockWait: time.Second}
	if _, err := verbs.Init(e, verbs.InitOptions{Phases: []string{"Planning", "Implementing", "Testing"}}); err != nil {
		b.Fatal(err)
	}
	for i := range 50 {
		if _, err := verbs.TodoAdd(e, verbs.TodoAddOptions{Text: fmt.Sprintf("item %d of the benchmark", i)}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := verbs.Checkpoint(e, verbs.CheckpointOptions{Title: "bench"}); err != nil {
		b.Fatal(err)
	}
	srv := New(Options{WorkDir: dir, LockWait: time.Second})
	defer srv.Close()
	ctx := context.Background()
	t1, t2 := sdk.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, t1)
	if err != nil {
		b.Fatal(err)
	}
	defer ss.Close()
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "bench", Version: "1"}, nil).Connect(ctx, t2, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer cs.Close()

	for _, c := range []struct {
		name   string
		direct func() (any, error)
		args   map[string]any
	}{
		{"status", func() (any, error) { return verbs.Status(e) }, nil},
		{"todo", func() (any, error) { return verbs.TodoList(e, verbs.TodoListOptions{}) }, map[string]any{"action": "list"}},
	} {
		b.Run(c.name+"/direct", func(b *testing.B) {
			for b.Loop() {
				v, err := c.direct()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := json.Marshal(v); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/mcp", func(b *testing.B) {
			for b.Loop() {
				res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: c.name, Arguments: c.args})
				if err != nil || res.IsError {
					b.Fatal(err, res)
				}
			}
		})
	}
}
