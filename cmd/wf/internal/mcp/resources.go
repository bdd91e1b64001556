package mcp

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/cmd/wf/internal/safetext"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
	"github.com/wf-tool/wf/spec"
)

// The resources' URIs: wf's own "wf" scheme, one per state file, the
// latest checkpoint and each spec (a template).
const (
	uriState      = "wf://" + workspace.StateFile
	uriTodo       = "wf://" + workspace.TodoFile
	uriLatest     = "wf://checkpoint/latest"
	uriSpecPrefix = "wf://spec/"
	uriSpecs      = uriSpecPrefix + "{name}"
)

// resource kinds, as [parseURI] returns them.
const (
	resState = iota + 1
	resTodo
	resLatest
	resSpec
)

// parseURI returns what a resource URI names: its kind and, for a spec,
// the spec's name (checked with [spec.ValidateName]). Anything else is an
// error naming the URIs there are.
func parseURI(uri string) (kind int, name string, err error) {
	switch uri {
	case uriState:
		return resState, "", nil
	case uriTodo:
		return resTodo, "", nil
	case uriLatest:
		return resLatest, "", nil
	}
	if n, ok := strings.CutPrefix(uri, uriSpecPrefix); ok {
		if err := spec.ValidateName(n); err != nil {
			return 0, "", err
		}
		return resSpec, n, nil
	}
	return 0, "", fmt.Errorf("%q is not a wf resource (there are %s, %s, %s and %s)", uri, uriState, uriTodo, uriLatest, uriSpecs)
}

// addResources registers the resources, the spec template and the resume
// prompt.
func (s *Server) addResources() {
	md := "text/markdown"
	s.srv.AddResource(&sdk.Resource{URI: uriState, Name: "workflow-state.md", MIMEType: md}, s.read)
	s.srv.AddResource(&sdk.Resource{URI: uriTodo, Name: "TODO.md", MIMEType: md}, s.read)
	s.srv.AddResource(&sdk.Resource{URI: uriLatest, Name: "latest checkpoint", MIMEType: md}, s.read)
	s.srv.AddResourceTemplate(&sdk.ResourceTemplate{URITemplate: uriSpecs, Name: "spec", MIMEType: md}, s.read)
	s.srv.AddPrompt(&sdk.Prompt{Name: "resume", Description: "The re-entry context to continue the work (wf resume)"}, s.resumePrompt)
}

// read is every resource's handler: the file as the command line reads
// it (the state files as wf status does, the latest checkpoint as wf show
// latest, a spec as wf spec show), its bytes as they are.
func (s *Server) read(ctx context.Context, req *sdk.ReadResourceRequest) (res *sdk.ReadResourceResult, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.logf("panic reading a resource: %v\n%s", p, debug.Stack())
			res, err = nil, errors.New(ErrorText(&internalError{tool: "resources/read " + req.Params.URI, v: p}))
		}
	}()
	uri := req.Params.URI
	kind, name, err := parseURI(uri)
	if err != nil {
		return nil, sdk.ResourceNotFoundError(uri)
	}
	e := s.env(nil)
	var body string
	switch kind {
	case resState, resTodo:
		_, sn, err := verbs.StateFiles(e)
		if err != nil {
			return nil, errors.New(ErrorText(err))
		}
		if kind == resState {
			body = string(sn.StateBytes())
		} else {
			body = string(sn.TodoBytes())
		}
	case resLatest:
		v, err := verbs.Show(e, "latest")
		if err != nil {
			return nil, errors.New(ErrorText(err))
		}
		body = v.Content
	case resSpec:
		v, err := verbs.SpecShow(e, name)
		var nf *spec.NotFoundError
		if errors.As(err, &nf) {
			return nil, sdk.ResourceNotFoundError(uri)
		}
		if err != nil {
			return nil, errors.New(ErrorText(err))
		}
		body = v.Text
	}
	return &sdk.ReadResourceResult{Contents: []*sdk.ResourceContents{{URI: uri, MIMEType: "text/markdown", Text: body}}}, nil
}

// resumePrompt is the resume prompt: the re-entry context, the text wf
// resume prints, as one user message.
func (s *Server) resumePrompt(ctx context.Context, req *sdk.GetPromptRequest) (res *sdk.GetPromptResult, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.logf("panic in the resume prompt: %v\n%s", p, debug.Stack())
			res, err = nil, errors.New(ErrorText(&internalError{tool: "the resume prompt", v: p}))
		}
	}()
	r, err := verbs.Resume(s.env(nil), verbs.ResumeOptions{})
	if err != nil {
		return nil, errors.New(ErrorText(err))
	}
	return &sdk.GetPromptResult{
		Description: "wf resume",
		Messages:    []*sdk.PromptMessage{{Role: "user", Content: &sdk.TextContent{Text: safetext.String(r.Text())}}},
	}, nil
}
