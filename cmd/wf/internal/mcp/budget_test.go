package mcp

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tiktoken "github.com/pkoukk/tiktoken-go"
	tiktokenloader "github.com/pkoukk/tiktoken-go-loader"
)

// The budgets of the whole tools/list response, in tokens of the larger
// of o200k_base and cl100k_base (issue 18). The anchor: Task Master's
// 7-tool core set costs 1,827 tokens measured the same way, one wf
// resume about 2,000.
const (
	budgetDefault = 1500
	budgetAll     = 3000
)

// bpeEncodings loads the real BPE tokenizers offline (test-only; as in
// checkpoint/resume's tests).
var bpeEncodings = sync.OnceValues(func() (map[string]*tiktoken.Tiktoken, error) {
	tiktoken.SetBpeLoader(tiktokenloader.NewOfflineLoader())
	m := map[string]*tiktoken.Tiktoken{}
	for _, name := range []string{"cl100k_base", "o200k_base"} {
		enc, err := tiktoken.GetEncoding(name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		m[name] = enc
	}
	return m, nil
})

// bpeTokens is text's token count: the larger of cl100k_base and
// o200k_base.
func bpeTokens(t testing.TB, text string) int {
	t.Helper()
	encs, err := bpeEncodings()
	if err != nil {
		t.Fatalf("loading BPE ranks: %v", err)
	}
	return max(len(encs["cl100k_base"].Encode(text, nil, nil)), len(encs["o200k_base"].Encode(text, nil, nil)))
}

// toolsListWire is the tools/list response as the server sent it to a
// client of protocol version: the JSON-RPC message, envelope included.
func toolsListWire(t *testing.T, all bool, version string) string {
	t.Helper()
	f := startVersion(t, newWorkflow(t), all, nil, version)
	if _, err := f.cs.ListTools(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	// The transport logs a message after it is sent: wait for the line.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		for _, line := range strings.Split(f.wire.String(), "\n") {
			if msg, ok := strings.CutPrefix(line, "write: "); ok && strings.Contains(msg, `"tools":[`) {
				return msg
			}
		}
	}
	t.Fatalf("no tools/list response on the wire:\n%s", f.wire.String())
	return ""
}

// TestToolsListBudget fails when the tools/list response grows past its
// token budget: every session of every host that loads wf mcp pays it.
func TestToolsListBudget(t *testing.T) {
	for _, c := range []struct {
		name   string
		all    bool
		budget int
	}{{"default", false, budgetDefault}, {"all", true, budgetAll}} {
		for _, version := range []string{"2025-06-18", "2026-07-28"} {
			wire := toolsListWire(t, c.all, version)
			n := bpeTokens(t, wire)
			t.Logf("tools/list, %s tools, protocol %s: %d bytes, %d tokens (budget %d)", c.name, version, len(wire), n, c.budget)
			if n > c.budget {
				t.Errorf("tools/list with the %s tools costs %d tokens, over its budget of %d:\n%s", c.name, n, c.budget, wire)
			}
		}
	}
}
