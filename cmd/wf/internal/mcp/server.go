// Package mcp is `wf mcp`: wf's verbs as a Model Context Protocol server
// (specification 2025-06-18 and later, through the official Go SDK,
// github.com/modelcontextprotocol/go-sdk), so that an agent host calls
// them as tools instead of starting a process per command.
//
// Every tool calls the run function of cmd/wf/internal/verbs that the
// command line calls, so a tool call and a command share every check,
// error and hint. A tool's result is the JSON document the command prints
// with --json (compact, with [safetext.EscapeJSON]); the resume tool
// gives the re-entry text, as `wf resume` prints it. An error is a tool
// result with isError set and the text the command line prints on
// stderr: "wf: error: …" then a "wf: hint: …" line per hint.
//
// The server holds nothing between calls but the file watches of
// resource subscriptions: each call opens the workflow and reads the
// files as a command does, so tool calls, commands and hand edits
// interleave. See docs/mcp.md.
package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/wf-tool/wf/cmd/wf/internal/safetext"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
)

// Options configure a [Server]. The driver fills them from its flags and
// environment, as it fills a command's verbs.Env.
type Options struct {
	// WorkDir is the working directory the workflow is found from
	// (required); Dir is --dir ("" searches up from WorkDir).
	WorkDir, Dir string
	// LockWait bounds each call's wait for another wf (--lock-wait).
	LockWait time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Actor and Session are WF_ACTOR and WF_SESSION.
	Actor, Session string
	// All adds the tools of `--tools all` (spec, phase) to the default
	// ones.
	All bool
	// Log receives what is not part of the protocol: the stack of a
	// panic, a lost file watch. nil discards it.
	Log io.Writer
	// Version is wf's version, sent as the server's in initialize.
	Version string
}

// Server is wf's MCP server. Its zero value is not usable; call [New].
type Server struct {
	o     Options
	srv   *sdk.Server
	log   io.Writer
	watch *watcher
	drain *drain
	mu    sync.Mutex // guards log writes
}

// New returns a server with the default tools (and with o.All, the
// others), the resources and the resume prompt.
func New(o Options) *Server {
	s := &Server{o: o, log: o.Log, drain: newDrain()}
	if s.log == nil {
		s.log = io.Discard
	}
	if s.o.Now == nil {
		s.o.Now = time.Now
	}
	version := o.Version
	if version == "" {
		version = "devel"
	}
	s.srv = sdk.NewServer(&sdk.Implementation{Name: "wf", Version: version}, &sdk.ServerOptions{
		Logger:             slog.New(slog.NewTextHandler(io.Discard, nil)),
		SubscribeHandler:   s.subscribe,
		UnsubscribeHandler: func(context.Context, *sdk.UnsubscribeRequest) error { return nil },
	})
	s.srv.AddReceivingMiddleware(s.middleware)
	s.watch = newWatcher(s)
	for _, t := range tools() {
		if t.all && !o.All {
			continue
		}
		s.srv.AddTool(&sdk.Tool{Name: t.name, Description: t.desc, InputSchema: json.RawMessage(t.schema)}, s.handler(t))
	}
	s.addResources()
	return s
}

// Run serves one session over t until the client closes it or ctx is
// done, then stops the file watches.
func (s *Server) Run(ctx context.Context, t sdk.Transport) error {
	defer s.Close()
	return s.srv.Run(ctx, t)
}

// Connect serves a session over t without blocking (tests and
// benchmarks connect an in-memory client this way); [Server.Close]
// stops the file watches.
func (s *Server) Connect(ctx context.Context, t sdk.Transport) (*sdk.ServerSession, error) {
	return s.srv.Connect(ctx, t, nil)
}

// Close stops the file watches of resource subscriptions.
func (s *Server) Close() { s.watch.close() }

// logf writes a line to Options.Log.
func (s *Server) logf(format string, x ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(s.log, "wf mcp: "+format+"\n", x...)
}

// env is the verbs environment of one call: the options' folder, clock
// and actor, and notes collected into *notes (nil drops them).
func (s *Server) env(notes *[]string) verbs.Env {
	e := verbs.Env{WorkDir: s.o.WorkDir, Dir: s.o.Dir, LockWait: s.o.LockWait, Now: s.o.Now,
		Actor: s.o.Actor, Session: s.o.Session}
	if notes != nil {
		e.Note = func(msg string) { *notes = append(*notes, msg) }
	}
	return e
}

// actor is who the timeline names for a tool call: WF_ACTOR, else the
// agent.
func (s *Server) actor() verbs.Actor { return verbs.ActorFrom(s.o.Actor, false) }

// text is a tool result given as text, not JSON (the resume tool's).
type text string

// handler runs tool t for one call: it decodes the arguments, runs the
// verb with a fresh environment and turns what it returns into a tool
// result. A panic becomes a tool error; the server goes on.
func (s *Server) handler(t tool) sdk.ToolHandler {
	return func(ctx context.Context, req *sdk.CallToolRequest) (res *sdk.CallToolResult, _ error) {
		var notes []string
		defer func() {
			if p := recover(); p != nil {
				s.logf("panic in the %s tool: %v\n%s", t.name, p, debug.Stack())
				res = errorResult(&internalError{tool: "the " + t.name + " tool", v: p}, notes)
			}
		}()
		var raw json.RawMessage
		if req != nil && req.Params != nil {
			raw = req.Params.Arguments
		}
		a, err := parseArgs(t.name, t.hint, raw)
		if err != nil {
			return errorResult(err, nil), nil
		}
		out, err := t.run(s, s.env(&notes), a)
		if err != nil {
			return errorResult(err, notes), nil
		}
		res, err = okResult(out, notes)
		if v, ok := out.(*verbs.SpecVerifyResult); ok && res != nil && !v.OK {
			// wf spec verify prints the same document and exits 5 when
			// the contract is broken (docs/exit-codes.md): a tool error
			// that carries the document.
			res.IsError = true
		}
		return res, err
	}
}

// internalError is a panic in a tool, reported as a tool error.
type internalError struct {
	tool string
	v    any
}

func (e *internalError) Error() string {
	return fmt.Sprintf("internal error in %s: %v", e.tool, e.v)
}

// Hint says where the details are.
func (e *internalError) Hint() string {
	return "this is a bug in wf: the stack is on wf mcp's stderr; the same command on the command line may work"
}

// okResult is a tool result holding out (JSON, or text as it is) and the
// notes after it.
func okResult(out any, notes []string) (*sdk.CallToolResult, error) {
	var body string
	switch v := out.(type) {
	case text:
		body = safetext.String(string(v))
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return errorResult(err, notes), nil
		}
		body = string(safetext.EscapeJSON(b))
	}
	res := &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: body}}}
	if len(notes) > 0 {
		res.Content = append(res.Content, &sdk.TextContent{Text: noteText(notes)})
	}
	return res, nil
}

// errorResult is a tool error: the text `wf` prints on stderr for err,
// after the notes.
func errorResult(err error, notes []string) *sdk.CallToolResult {
	t := ErrorText(err)
	if len(notes) > 0 {
		t = noteText(notes) + t
	}
	return &sdk.CallToolResult{IsError: true, Content: []sdk.Content{&sdk.TextContent{Text: t}}}
}

// noteText is the notes as the command line prints them on stderr.
func noteText(notes []string) string {
	var b strings.Builder
	for _, n := range notes {
		b.WriteString(safetext.String("wf: note: " + n + "\n"))
	}
	return b.String()
}

// ErrorText is err in wf's one voice, as the command line prints it on
// stderr: "wf: error: <message>" then "wf: hint: <hint>" for every
// distinct hint along the error chain, each line ending in a newline,
// made safe to show with [safetext.String].
func ErrorText(err error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "wf: error: %s\n", strings.TrimSuffix(err.Error(), "."))
	seen := map[string]bool{}
	for e := err; e != nil; e = errors.Unwrap(e) {
		if h, ok := e.(interface{ Hint() string }); ok {
			if hint := h.Hint(); hint != "" && !seen[hint] {
				seen[hint] = true
				fmt.Fprintf(&b, "wf: hint: %s\n", hint)
			}
		}
	}
	return safetext.String(b.String())
}

// Serve runs the server over stdio, newline-delimited JSON-RPC messages
// read from in and written to out (the MCP stdio transport), until in
// ends or ctx is done; an ended input is a clean stop (nil). The end of
// in is passed on only once every call already read is answered (a host
// that pipes its requests and closes stdin gets every answer), and Serve
// returns only once no call runs (no state change is cut short by the
// process's exit).
func (s *Server) Serve(ctx context.Context, in io.Reader, out io.Writer) error {
	t := &drainTransport{Transport: &sdk.IOTransport{Reader: io.NopCloser(in), Writer: nopWriteCloser{out}}, d: s.drain}
	err := s.Run(ctx, t)
	if errors.Is(err, io.EOF) || ctx.Err() != nil || s.drain.inputEnded() {
		// Once the input has ended, the client is gone: a response it
		// no longer reads (a broken pipe) is not an error of wf's.
		err = nil
	}
	// ctx done: the SDK has cancelled the calls, but a verb does not stop
	// midway: wait for them before the process exits.
	s.drain.wait(false)
	return err
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

// methodListen is subscriptions/listen (protocol 2026-07-28): the call
// holds a subscription open and is answered only when the input ends, so
// the drain does not count it.
const methodListen = "subscriptions/listen"

// answerWait bounds how long the end of the input waits for calls read
// but not answered once no handler runs (a call the client cancelled is
// never answered).
const answerWait = 5 * time.Second

// drain counts the calls read and answered and the handlers running.
type drain struct {
	mu       sync.Mutex
	changed  *sync.Cond
	received int  // calls (requests with an id) read
	answered int  // responses written
	handling int  // handlers running
	ended    bool // the input ended
}

func (d *drain) inputEnded() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.ended
}

func newDrain() *drain {
	d := &drain{}
	d.changed = sync.NewCond(&d.mu)
	return d
}

func (d *drain) add(field *int, n int) {
	d.mu.Lock()
	*field += n
	d.changed.Broadcast()
	d.mu.Unlock()
}

// middleware counts the handlers running, and turns a panic in any of
// them that nothing nearer caught (the tools, resources and prompt
// recover their own) into an error for that request: the server goes on.
func (s *Server) middleware(next sdk.MethodHandler) sdk.MethodHandler {
	d := s.drain
	return func(ctx context.Context, method string, req sdk.Request) (res sdk.Result, err error) {
		if method != methodListen {
			d.add(&d.handling, 1)
			defer d.add(&d.handling, -1)
		}
		defer func() {
			if p := recover(); p != nil {
				s.logf("panic in %s: %v\n%s", method, p, debug.Stack())
				res, err = nil, errors.New(ErrorText(&internalError{tool: method, v: p}))
			}
		}()
		return next(ctx, method, req)
	}
}

// wait returns once no handler runs and, with answers, once every call
// read is answered or answerWait has passed.
func (d *drain) wait(answers bool) {
	deadline := time.Now().Add(answerWait)
	stop := time.AfterFunc(answerWait, func() { d.add(&d.answered, 0) })
	defer stop.Stop()
	d.mu.Lock()
	defer d.mu.Unlock()
	for d.handling > 0 || answers && d.answered < d.received && time.Now().Before(deadline) {
		d.changed.Wait()
	}
}

// drainTransport counts the calls read and the responses written on its
// connection, and holds back the end of the input until they are even.
type drainTransport struct {
	sdk.Transport
	d *drain
}

func (t *drainTransport) Connect(ctx context.Context) (sdk.Connection, error) {
	c, err := t.Transport.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &drainConn{Connection: c, d: t.d}, nil
}

type drainConn struct {
	sdk.Connection
	d *drain
}

func (c *drainConn) Read(ctx context.Context) (jsonrpc.Message, error) {
	msg, err := c.Connection.Read(ctx)
	if err != nil {
		if errors.Is(err, io.EOF) {
			c.d.mu.Lock()
			c.d.ended = true
			c.d.mu.Unlock()
		}
		c.d.wait(true)
		return nil, err
	}
	if r, ok := msg.(*jsonrpc.Request); ok && r.IsCall() && r.Method != methodListen {
		c.d.add(&c.d.received, 1)
	}
	return msg, nil
}

func (c *drainConn) Write(ctx context.Context, msg jsonrpc.Message) error {
	err := c.Connection.Write(ctx, msg)
	if _, ok := msg.(*jsonrpc.Response); ok && err == nil {
		c.d.add(&c.d.answered, 1)
	}
	return err
}
