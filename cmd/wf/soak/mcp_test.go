//go:build linux

package soak

import (
	"encoding/json"
	"strings"
)

// mcpCall is one tools/call of an MCP step: a tool name and its arguments.
type mcpCall struct {
	name string
	args map[string]any
}

// randomMCPCall draws a tool call: the same verbs the CLI steps use,
// through wf mcp's tools (docs/mcp.md), and sometimes a call the server
// must refuse as a tool error (an unknown action, a missing or unknown
// argument, an unknown tool).
func (w *world) randomMCPCall() mcpCall {
	switch x := w.rng.Intn(20); {
	case x < 4:
		return mcpCall{"todo", map[string]any{"action": "done", "item": w.itemRef(w.top)}}
	case x < 6:
		return mcpCall{"todo", map[string]any{"action": "add", "text": w.uniq("mcp-todo") + " " + w.word()}}
	case x < 7:
		return mcpCall{"todo", map[string]any{"action": "next"}}
	case x < 8:
		return mcpCall{"todo", map[string]any{"action": "list", "open": true}}
	case x < 9:
		return mcpCall{"todo", map[string]any{"action": "fail", "item": w.itemRef(w.top), "bucket": "test-fail", "reason": "it broke"}}
	case x < 10:
		return mcpCall{"decide", map[string]any{"text": w.uniq("mcp-decision")}}
	case x < 13:
		args := map[string]any{"title": "mcp " + w.word()}
		if w.rng.Intn(3) == 0 {
			args["on"] = []string{"branch", "ref"}[w.rng.Intn(2)]
		}
		return mcpCall{"checkpoint", args}
	case x < 14:
		return mcpCall{"status", map[string]any{}}
	case x < 16:
		return mcpCall{"resume", map[string]any{"budget": 300 + w.rng.Intn(2000)}}
	case x < 17:
		return mcpCall{"todo", map[string]any{"action": []string{"complete", "dne", ""}[w.rng.Intn(3)]}}
	case x < 18:
		return mcpCall{"todo", map[string]any{"action": "done"}}
	case x < 19:
		return mcpCall{"decide", map[string]any{"text": "x", "bogus": 1}}
	default:
		return mcpCall{"no-such-tool", map[string]any{}}
	}
}

// stepMCP runs wf mcp as an agent host would start it, feeds it an
// initialize and one to four tool calls on stdin, and checks that every
// request got exactly one answer, that no answer is a JSON-RPC error
// (a refused call is a tool result with isError and the CLI's
// "wf: error:" voice, or, for an unknown tool, an error answer the SDK
// gives), and that each checkpoint it reports is kept for the history
// invariant like the CLI's.
func (w *world) stepMCP() {
	w.t.Helper()
	lines := []string{
		`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"soak","version":"1"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
	}
	calls := []mcpCall{}
	for i := 1 + w.rng.Intn(4); i > 0; i-- {
		c := w.randomMCPCall()
		calls = append(calls, c)
		b, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": len(calls), "method": "tools/call",
			"params": map[string]any{"name": c.name, "arguments": c.args}})
		if err != nil {
			w.fail("encode a tools/call: %v", err)
		}
		lines = append(lines, string(b))
	}
	r := w.wfIn(w.top, strings.Join(lines, "\n")+"\n", "mcp")
	w.n["mcp tool calls"] += len(calls)
	if r.code != 0 {
		w.fail("%s: wf mcp exited %d at the end of its input\nstderr: %s", r, r.code, r.err)
	}
	answered := map[int]int{}
	for _, l := range strings.Split(r.out, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		var m struct {
			ID    *int `json:"id"`
			Error *struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
			Result struct {
				IsError bool `json:"isError"`
				Content []struct {
					Text string `json:"text"`
				} `json:"content"`
			} `json:"result"`
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			w.fail("wf mcp wrote a line that is not JSON-RPC: %q", l)
		}
		if m.ID == nil {
			continue // a notification
		}
		id := *m.ID
		answered[id]++
		if id == 0 || id > len(calls) {
			if m.Error != nil {
				w.fail("wf mcp: initialize failed: %d %s", m.Error.Code, m.Error.Message)
			}
			continue
		}
		c := calls[id-1]
		if m.Error != nil {
			if c.name != "no-such-tool" {
				w.fail("wf mcp: %s %v: a JSON-RPC error (%d %s), not a tool result", c.name, c.args, m.Error.Code, m.Error.Message)
			}
			continue
		}
		text := ""
		if len(m.Result.Content) > 0 {
			text = m.Result.Content[0].Text
		}
		if m.Result.IsError {
			w.n["mcp tool errors"]++
			if !strings.Contains(text, "wf: error: ") {
				w.fail("wf mcp: %s %v: a tool error without the wf: error: voice:\n%s", c.name, c.args, text)
			}
			continue
		}
		if c.name == "checkpoint" {
			w.noteCheckpoint(res{code: 0, out: text}, "main")
		}
	}
	for id := 0; id <= len(calls); id++ {
		if answered[id] != 1 {
			w.fail("wf mcp: request %d answered %d times\nstdout: %s", id, answered[id], r.out)
		}
	}
}
