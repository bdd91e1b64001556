// Package templates holds the default Markdown templates that `wf init`
// writes, embedded in the binary. A project overrides one by putting a file
// of the same name in .wf/templates/ at its top level.
package templates

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"text/template"
)

//go:embed files/*.md
var files embed.FS

// Names are the templates wf init renders, in order.
var Names = []string{"workflow-state.md", "TODO.md"}

// Data is what a template sees.
type Data struct {
	Name       string   // project name
	Phases     []string // phase names, in order
	FirstPhase string
	Now        string // the creation time, in wf's timestamp format
}

// OverrideDir is where a project keeps its own templates, relative to its
// top level.
const OverrideDir = ".wf/templates"

// Render renders template name, from overrideRoot/.wf/templates/name when
// that file exists, else from the embedded default.
func Render(name, overrideRoot string, d Data) ([]byte, error) {
	return RenderData(name, overrideRoot, d)
}

// SpecData is what the spec template (spec.md, for `wf spec new`) sees:
// the spec's name, its metadata and its sections, each list already one
// Markdown list line per entry (DESIGN.md §3.4).
type SpecData struct {
	Name        string
	Item        string // "3 (item text)", or "" when the spec delivers no item
	Now         string // the creation time, in wf's timestamp format
	Goal        string
	Read        []string
	Modify      []string
	Require     []string
	Constraint  []string
	Deliverable string
}

// RenderData renders template name as [Render] does, with any data value
// d (a [Data] for the init templates, a [SpecData] for spec.md). It fails
// when there is no such template, or when the template does not parse or
// names a field d lacks.
func RenderData(name, overrideRoot string, d any) ([]byte, error) {
	src, err := files.ReadFile("files/" + name)
	if err != nil {
		return nil, fmt.Errorf("no template %q", name)
	}
	origin := "embedded " + name
	if overrideRoot != "" {
		p := filepath.Join(overrideRoot, OverrideDir, name)
		b, err := os.ReadFile(p)
		switch {
		case err == nil:
			src, origin = b, p
		case !errors.Is(err, fs.ErrNotExist):
			return nil, err
		}
	}
	t, err := template.New(name).Option("missingkey=error").Parse(string(src))
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", origin, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return nil, fmt.Errorf("template %s: %w", origin, err)
	}
	return b.Bytes(), nil
}
