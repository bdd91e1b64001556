// Command mcp measures what an MCP server's tools/list costs an agent's
// context (issue 18): it starts any stdio MCP server with the official Go
// SDK's CommandTransport, calls tools/list until the last page, and
// counts the result of each response with real BPE tokenizers, o200k_base
// and cl100k_base (tiktoken-go with its offline ranks). The same program
// measures wf mcp and its peers, so the figures compare.
//
//	go run ./bench/mcp [-label NAME] [-dump FILE] [-header] -- CMD [ARGS...]
//
// It prints one tab-separated line per server, in two forms of the same
// result:
//
//   - wire: the JSON-RPC "result" bytes exactly as the server sent them
//     (compact for the SDKs in use), not a re-encoding;
//   - dumps: that value as Python's json.dumps writes it by default
//     (", " and ": " separators, non-ASCII escaped; see pyDumps), the form
//     in which the issue quoted the peers (Task Master 10,361 tokens,
//     Backlog.md 5,322): a little more than the wire form.
//
// Columns: label, tools, then bytes, o200k_base and cl100k_base of each
// form, then the larger count of the dumps form (the figure). The
// server inherits the environment (TASK_MASTER_TOOLS=core and the like
// select a peer's tool set) and its stderr goes to this stderr.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/wf-tool/wf/internal/bpetest"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mcp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	label := fs.String("label", "", "name printed in the first column (default: the command)")
	dump := fs.String("dump", "", "write the tools/list results as received to this file, one per line")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up after this long")
	header := fs.Bool("header", false, "print a header line first")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cmd := fs.Args()
	if len(cmd) == 0 {
		fmt.Fprintln(stderr, "usage: go run ./bench/mcp [-label NAME] [-dump FILE] -- CMD [ARGS...]")
		return 2
	}
	if *label == "" {
		*label = fmt.Sprint(cmd)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	m, err := measure(ctx, cmd, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "mcp: %s: %v\n", *label, err)
		return 1
	}
	if *dump != "" {
		if err := os.WriteFile(*dump, bytes.Join(m.pages, []byte("\n")), 0o644); err != nil {
			fmt.Fprintln(stderr, "mcp:", err)
			return 1
		}
	}
	var dumps [][]byte
	for _, p := range m.pages {
		d, err := pyDumps(p)
		if err != nil {
			fmt.Fprintln(stderr, "mcp: a tools/list result is not valid JSON:", err)
			return 1
		}
		dumps = append(dumps, d)
	}
	wire, err := count(m.pages)
	if err == nil {
		var d [2]int
		d, err = count(dumps)
		if err == nil {
			if *header {
				fmt.Fprintln(stdout, "server\ttools\twire_bytes\twire_o200k\twire_cl100k\tdumps_bytes\tdumps_o200k\tdumps_cl100k\ttokens")
			}
			fmt.Fprintf(stdout, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", *label, m.tools,
				size(m.pages), wire[0], wire[1], size(dumps), d[0], d[1], max(d[0], d[1]))
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "mcp:", err)
		return 1
	}
	return 0
}

// measurement is what tools/list returned: the number of tools and the
// raw result of each page.
type measurement struct {
	tools int
	pages [][]byte
}

// size is the total length of texts in bytes.
func size(texts [][]byte) int {
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	return n
}

// measure starts cmd as an MCP server over stdio, initializes a session
// and lists its tools, page by page, keeping each page's raw result.
func measure(ctx context.Context, cmd []string, stderr io.Writer) (measurement, error) {
	c := exec.Command(cmd[0], cmd[1:]...)
	c.Stderr = stderr
	rec := &recorder{inner: &mcp.CommandTransport{Command: c}, pending: map[jsonrpc.ID]bool{}}
	client := mcp.NewClient(&mcp.Implementation{Name: "wf-bench-mcp", Version: "1"}, nil)
	session, err := client.Connect(ctx, rec, nil)
	if err != nil {
		return measurement{}, fmt.Errorf("connect: %w", err)
	}
	defer session.Close()
	var m measurement
	params := &mcp.ListToolsParams{}
	for {
		res, err := session.ListTools(ctx, params)
		if err != nil {
			return m, fmt.Errorf("tools/list: %w", err)
		}
		m.tools += len(res.Tools)
		if res.NextCursor == "" {
			break
		}
		params = &mcp.ListToolsParams{Cursor: res.NextCursor}
	}
	m.pages = rec.results()
	if len(m.pages) == 0 {
		return m, errors.New("no tools/list response was seen on the wire")
	}
	return m, nil
}

// recorder is a Transport that keeps the raw result of every tools/list
// response its connection reads.
type recorder struct {
	inner   mcp.Transport
	mu      sync.Mutex
	pending map[jsonrpc.ID]bool
	pages   [][]byte
}

func (r *recorder) Connect(ctx context.Context) (mcp.Connection, error) {
	conn, err := r.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &recordingConn{Connection: conn, r: r}, nil
}

func (r *recorder) results() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.pages...)
}

type recordingConn struct {
	mcp.Connection
	r *recorder
}

func (c *recordingConn) Write(ctx context.Context, msg jsonrpc.Message) error {
	if req, ok := msg.(*jsonrpc.Request); ok && req.Method == "tools/list" && req.ID.IsValid() {
		c.r.mu.Lock()
		c.r.pending[req.ID] = true
		c.r.mu.Unlock()
	}
	return c.Connection.Write(ctx, msg)
}

func (c *recordingConn) Read(ctx context.Context) (jsonrpc.Message, error) {
	msg, err := c.Connection.Read(ctx)
	if resp, ok := msg.(*jsonrpc.Response); ok && err == nil {
		c.r.mu.Lock()
		if c.r.pending[resp.ID] && resp.Error == nil {
			delete(c.r.pending, resp.ID)
			c.r.pages = append(c.r.pages, bytes.Clone(resp.Result))
		}
		c.r.mu.Unlock()
	}
	return msg, err
}

// count returns the tokens of texts in o200k_base and cl100k_base (in
// that order), each text encoded on its own as an agent host puts a page
// of the list in the model's context, whatever its framing.
func count(texts [][]byte) ([2]int, error) {
	var n [2]int
	encs, err := bpetest.Encodings()
	if err != nil {
		return n, err
	}
	for i, name := range []string{"o200k_base", "cl100k_base"} {
		for _, t := range texts {
			n[i] += len(encs[name].Encode(string(t), nil, nil))
		}
	}
	return n, nil
}
