package mcp

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
	"github.com/wf-tool/wf/gitcp/gittest"
	"github.com/wf-tool/wf/mdstate"
)

func (f *fixture) readResource(uri string) (string, error) {
	f.t.Helper()
	res, err := f.cs.ReadResource(context.Background(), &sdk.ReadResourceParams{URI: uri})
	if err != nil {
		return "", err
	}
	if len(res.Contents) != 1 || res.Contents[0].URI != uri || res.Contents[0].MIMEType != "text/markdown" {
		f.t.Fatalf("%s: contents %+v", uri, res.Contents)
	}
	return res.Contents[0].Text, nil
}

func TestResources(t *testing.T) {
	f := setup(t, false)
	f.ok("todo", map[string]any{"action": "add", "text": "one \x7f"}, nil)

	list, err := f.cs.ListResources(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var uris []string
	for _, r := range list.Resources {
		uris = append(uris, r.URI)
	}
	if strings.Join(uris, " ") != "wf://TODO.md wf://checkpoint/latest wf://workflow-state.md" {
		t.Errorf("resources %v", uris)
	}
	tl, err := f.cs.ListResourceTemplates(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.ResourceTemplates) != 1 || tl.ResourceTemplates[0].URITemplate != "wf://spec/{name}" {
		t.Errorf("templates %+v", tl.ResourceTemplates)
	}

	// The files' bytes as they are (not sanitised: a resource is data).
	for uri, rel := range map[string]string{"wf://workflow-state.md": "workflow-state.md", "wf://TODO.md": "TODO.md"} {
		got, err := f.readResource(uri)
		if err != nil {
			t.Fatalf("%s: %v", uri, err)
		}
		if got != read(t, f.dir, rel) {
			t.Errorf("%s differs from %s", uri, rel)
		}
	}

	// No checkpoint yet: wf show latest's error.
	_, verr := verbs.Show(verbEnv(f.dir), "latest")
	if _, err := f.readResource("wf://checkpoint/latest"); err == nil || verr == nil || !strings.Contains(err.Error(), strings.TrimSuffix(verr.Error(), ".")) {
		t.Errorf("latest without a checkpoint: %v (the verb: %v)", err, verr)
	}
	var cp struct {
		File string `json:"file"`
	}
	f.ok("checkpoint", map[string]any{"title": "one"}, &cp)
	got, err := f.readResource("wf://checkpoint/latest")
	if err != nil {
		t.Fatal(err)
	}
	if got != read(t, f.dir, cp.File) {
		t.Errorf("latest checkpoint:\n%s\nwant %s:\n%s", got, cp.File, read(t, f.dir, cp.File))
	}

	// Specs.
	if _, err := verbs.SpecNew(verbEnv(f.dir), verbs.SpecNewOptions{}); err == nil {
		t.Fatal("spec new without a name worked")
	}
	g := start(t, f.dir, true, nil)
	g.ok("spec", map[string]any{"action": "new", "name": "lexer", "goal": "tokens"}, nil)
	got, err = g.readResource("wf://spec/lexer")
	if err != nil {
		t.Fatal(err)
	}
	if got != read(t, f.dir, "specs/lexer.md") {
		t.Errorf("wf://spec/lexer differs from specs/lexer.md")
	}
	for _, uri := range []string{"wf://spec/nope", "wf://spec/../TODO", "wf://other", "file:///etc/passwd"} {
		if _, err := g.readResource(uri); err == nil {
			t.Errorf("%s: no error", uri)
		}
	}

	// No workflow: the command line's error and hint.
	gittest.Env(t)
	h := start(t, t.TempDir(), false, nil)
	if _, err := h.readResource("wf://TODO.md"); err == nil || !strings.Contains(err.Error(), "wf init") {
		t.Errorf("TODO.md without a workflow: %v", err)
	}
}

func TestResumePrompt(t *testing.T) {
	f := setup(t, false)
	f.ok("todo", map[string]any{"action": "add", "text": "continue here"}, nil)
	list, err := f.cs.ListPrompts(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Prompts) != 1 || list.Prompts[0].Name != "resume" {
		t.Fatalf("prompts %+v", list.Prompts)
	}
	res, err := f.cs.GetPrompt(context.Background(), &sdk.GetPromptParams{Name: "resume"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := verbs.Resume(verbEnv(f.dir), verbs.ResumeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Messages) != 1 || res.Messages[0].Role != "user" || res.Messages[0].Content.(*sdk.TextContent).Text != r.Text() {
		t.Errorf("resume prompt %+v, want the text of wf resume", res.Messages)
	}

	gittest.Env(t)
	g := start(t, t.TempDir(), false, nil)
	if _, err := g.cs.GetPrompt(context.Background(), &sdk.GetPromptParams{Name: "resume"}); err == nil || !strings.Contains(err.Error(), "wf init") {
		t.Errorf("resume prompt without a workflow: %v", err)
	}
}

// TestSubscribeNotifies: a client that subscribes to a resource is told
// when the file changes, by hand (a plain write, an editor's rename) or
// by a tool, and only for what it subscribed to. Both ways to subscribe
// are tested: resources/subscribe (protocol 2025-06-18, what hosts speak
// today) and subscriptions/listen (2026-07-28, the SDK's default).
func TestSubscribeNotifies(t *testing.T) {
	for _, version := range []string{"2025-06-18", ""} {
		t.Run("protocol"+version, func(t *testing.T) { testSubscribe(t, version) })
	}
}

func testSubscribe(t *testing.T, version string) {
	dir := newWorkflow(t)
	updated := make(chan string, 64)
	f := startVersion(t, dir, true, &sdk.ClientOptions{
		ResourceUpdatedHandler: func(_ context.Context, req *sdk.ResourceUpdatedNotificationRequest) {
			updated <- req.Params.URI
		},
	}, version)
	ctx := context.Background()
	for _, uri := range []string{"wf://TODO.md", "wf://checkpoint/latest", "wf://spec/lexer"} {
		if err := f.cs.Subscribe(ctx, &sdk.SubscribeParams{URI: uri}); err != nil {
			t.Fatalf("subscribe %s: %v", uri, err)
		}
	}
	// (subscriptions/listen drops a URI the server has no resource for
	// before it asks wf.)
	if err := f.cs.Subscribe(ctx, &sdk.SubscribeParams{URI: "wf://nothing"}); err == nil && version != "" {
		t.Errorf("subscribing to wf://nothing worked")
	}
	wait := func(want string) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case u := <-updated:
				if u == want {
					return
				}
				if u == "wf://workflow-state.md" {
					t.Errorf("notified of %s, which is not subscribed", u)
				}
			case <-deadline:
				t.Fatalf("no notification for %s", want)
			}
		}
	}
	drain := func() {
		time.Sleep(3 * settle)
		for len(updated) > 0 {
			<-updated
		}
	}

	// A hand edit. subscriptions/listen is sent without waiting for the
	// server to take it up, so the first edit is repeated until the
	// subscription is in place.
	td := filepath.Join(dir, "TODO.md")
	old, _ := os.ReadFile(td)
	for try := 0; ; try++ {
		if err := os.WriteFile(td, append(old, "- [ ] by hand\n"...), 0o644); err != nil {
			t.Fatal(err)
		}
		select {
		case u := <-updated:
			if u != "wf://TODO.md" {
				t.Fatalf("notified of %s", u)
			}
		case <-time.After(2 * time.Second):
			if try < 5 {
				continue
			}
			t.Fatal("no notification for wf://TODO.md")
		}
		break
	}
	drain()

	// An editor's save: a temp file renamed over the file.
	tmp := filepath.Join(dir, ".TODO.md.swp")
	if err := os.WriteFile(tmp, append(old, "- [ ] by an editor\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, td); err != nil {
		t.Fatal(err)
	}
	wait("wf://TODO.md")
	drain()

	// wf's own atomic write, through the tool; then a checkpoint changes
	// the latest checkpoint.
	f.ok("todo", map[string]any{"action": "add", "text": "by the tool"}, nil)
	wait("wf://TODO.md")
	f.ok("checkpoint", map[string]any{"title": "one"}, nil)
	wait("wf://checkpoint/latest")

	// The specs folder appears after the subscription.
	f.ok("spec", map[string]any{"action": "new", "name": "lexer", "goal": "tokens"}, nil)
	drain()
	if err := mdstate.WriteFileAtomic(filepath.Join(dir, "specs", "lexer.md"), []byte("# Spec: lexer\n\n## Goal\n\nmore tokens\n"), nil); err != nil {
		t.Fatal(err)
	}
	wait("wf://spec/lexer")
	if got, err := f.readResource("wf://spec/lexer"); err != nil || !strings.Contains(got, "more tokens") {
		t.Errorf("re-read after the notification: %q, %v", got, err)
	}
}

func TestParseURI(t *testing.T) {
	for uri, want := range map[string]int{
		"wf://workflow-state.md": resState, "wf://TODO.md": resTodo, "wf://checkpoint/latest": resLatest,
		"wf://spec/auth-api": resSpec, "wf://spec/": 0, "wf://spec/a/b": 0, "wf://spec/..": 0, "wf://todo.md": 0,
		"wf://spec/x.result": 0, "wf:/TODO.md": 0, "": 0,
	} {
		kind, _, err := parseURI(uri)
		if kind != want || (err == nil) != (want != 0) {
			t.Errorf("parseURI(%q) = %d, %v; want %d", uri, kind, err, want)
		}
	}
}

// FuzzParseURI: parseURI never panics, and a spec URI it accepts names a
// spec whose URI is the same string.
func FuzzParseURI(f *testing.F) {
	for _, s := range []string{"wf://TODO.md", "wf://spec/a-b_c.1", "wf://spec/../x", "wf://spec/\x00", "wf://checkpoint/latest"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		kind, name, err := parseURI(uri)
		if err != nil {
			if kind != 0 || name != "" {
				t.Fatalf("error with a kind: %d %q", kind, name)
			}
			return
		}
		if kind == resSpec {
			if uriSpecPrefix+name != uri || strings.ContainsAny(name, "/\\") || strings.Contains(name, "..") {
				t.Fatalf("spec name %q from %q", name, uri)
			}
		}
	})
}
