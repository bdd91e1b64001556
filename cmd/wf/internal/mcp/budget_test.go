package mcp

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wf-tool/wf/internal/bpetest"
)

// The budgets of the whole tools/list response, in tokens of the larger
// of o200k_base and cl100k_base (issue 18). The anchor: Task Master's
// 7-tool core set costs 1,827 tokens measured the same way, one wf
// resume about 2,000.
const (
	budgetDefault = 1500
	budgetAll     = 3000
)

// bpeTokens is text's token count: the larger of cl100k_base and
// o200k_base.
func bpeTokens(t testing.TB, text string) int {
	t.Helper()
	cl, o := bpetest.Counts(t, text)
	return max(cl, o)
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
