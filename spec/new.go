package spec

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate/sections"
	"github.com/wf-tool/wf/templates"
)

// TemplateName is the spec template in package templates (overridable in
// .wf/templates/spec.md).
const TemplateName = "spec.md"

// NewOptions describe a new spec.
type NewOptions struct {
	Name        string
	Goal        string
	Read        []string // paths from the top level; "PATH (new)" marks a new file
	Modify      []string
	Require     []string
	Constraint  []string
	Deliverable string
	// Item is the TODO item the spec delivers (a number or a unique piece
	// of its text, as wf todo takes it); "" for none.
	Item string
	// Body, when not nil, is a Markdown body with the spec's sections
	// (from stdin), used instead of the fields above.
	Body []byte
}

// New renders spec o.Name from the template (or takes o.Body) and creates
// specs/NAME.md with status draft ([Create]'s refusals apply). An item
// reference is resolved against TODO.md now, and recorded as its number
// and text. It returns the spec as written.
func New(w *workspace.Workspace, o NewOptions) (*Spec, error) {
	if err := ValidateName(o.Name); err != nil {
		return nil, err
	}
	item := ""
	if strings.TrimSpace(o.Item) != "" {
		sn, err := w.Read()
		if err != nil {
			return nil, err
		}
		it, err := lifecycle.ResolveItem(sn.Todo, o.Item)
		if err != nil {
			return nil, err
		}
		item = strconv.Itoa(it.N) + " (" + workspace.OneLine(it.Text) + ")"
	}
	now := w.Now().Format(workspace.Timestamp)
	var data []byte
	if o.Body != nil {
		var err error
		if data, err = fromBody(o.Name, item, now, o.Body); err != nil {
			return nil, err
		}
	} else {
		line := func(xs []string) []string {
			var out []string
			for _, x := range xs {
				if x = workspace.OneLine(x); x != "" {
					out = append(out, x)
				}
			}
			return out
		}
		var err error
		data, err = templates.RenderData(TemplateName, w.Top(), templates.SpecData{
			Name: o.Name, Item: item, Now: now,
			Goal: strings.TrimSpace(o.Goal), Deliverable: strings.TrimSpace(o.Deliverable),
			Read: line(o.Read), Modify: line(o.Modify), Require: line(o.Require), Constraint: line(o.Constraint),
		})
		if err != nil {
			return nil, err
		}
	}
	if err := Create(w, o.Name, data); err != nil {
		return nil, err
	}
	return Parse(o.Name, w.RelWD(SpecPath(w, o.Name)), data), nil
}

// fromBody makes a spec file from a Markdown body: wf's title and
// metadata, then the body from its first "##" section on (a title and
// text before it are dropped). A body without any of the spec's sections
// is refused.
func fromBody(name, item, now string, body []byte) ([]byte, error) {
	d := sections.Parse(body)
	found := false
	for _, s := range d.Sections {
		if canonical(s.Title) != "" {
			found = true
		}
	}
	if !found {
		return nil, fmt.Errorf("the spec body on stdin has none of the sections %s", strings.Join(SpecSections(), ", "))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Spec: %s\n\n**Status**: %s\n", name, Draft)
	if item != "" {
		fmt.Fprintf(&b, "**Item**: %s\n", item)
	}
	fmt.Fprintf(&b, "**Created**: %s\n\n", now)
	b.Write(d.Src[d.Sections[0].Span.Start:])
	if !strings.HasSuffix(b.String(), "\n") {
		b.WriteString("\n")
	}
	return []byte(b.String()), nil
}
