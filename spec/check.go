package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wf-tool/wf/checkpoint/workspace"
)

// Check returns what is wrong with spec s in workflow w, each with
// file:line and the fix: a required section that is missing, empty or
// still the template's placeholder; a listed path that is absolute, leaves
// the repository or is not clean; a listed file that does not exist and is
// not marked (new), or is marked (new) but exists; a file listed twice
// under Files to Modify. Conflicts with other specs are [Conflicts]'.
func Check(w *workspace.Workspace, s *Spec) []Problem {
	var out []Problem
	add := func(line int, msg, fix string) {
		out = append(out, Problem{File: s.Path, Line: line, Msg: msg, Fix: fix})
	}
	for _, title := range SpecSections() {
		sec := s.Doc.SectionFunc(func(t string) bool { return canonical(t) == title })
		if sec == nil {
			add(0, "no ## "+title+" section", "add a \"## "+title+"\" section")
			continue
		}
		if isPlaceholder(sec.Text) {
			add(sec.Line, "## "+title+" is empty", "fill it in (the text in parentheses is the template's placeholder)")
		}
	}
	if st := s.Status(); !known(st) {
		f := s.field("status")
		add(f.Line, fmt.Sprintf("unknown status %q", st), "use one of "+strings.Join(Statuses(), ", "))
	}
	top := w.Top()
	seen := map[string]int{}
	for _, group := range []struct {
		title string
		refs  []FileRef
	}{{SecRead, s.Read}, {SecModify, s.Modify}} {
		for _, r := range group.refs {
			if msg := badPath(r.Path); msg != "" {
				add(r.Line, fmt.Sprintf("%s: %s", r.Path, msg), "name files by their path from the repository top, e.g. src/api.go")
				continue
			}
			_, err := os.Lstat(filepath.Join(top, filepath.FromSlash(r.Path)))
			exists := err == nil
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				add(r.Line, fmt.Sprintf("%s: %v", r.Path, err), "")
				continue
			}
			switch {
			case !exists && !r.New:
				add(r.Line, r.Path+" does not exist", "fix the path, or mark a file the sub-agent creates with (new): - "+r.Path+" (new)")
			case exists && r.New && group.title == SecModify:
				add(r.Line, r.Path+" is marked (new) but exists", "remove the (new) marker")
			}
			if group.title == SecModify {
				if first, dup := seen[r.Path]; dup {
					add(r.Line, fmt.Sprintf("%s is listed twice (first at line %d)", r.Path, first), "list each file once")
				}
				seen[r.Path] = r.Line
			}
		}
	}
	return out
}

func known(st string) bool {
	for _, s := range Statuses() {
		if s == st {
			return true
		}
	}
	return false
}

// badPath says what is wrong with a listed path, "" when it is a clean
// relative path inside the repository.
func badPath(p string) string {
	switch {
	case strings.HasPrefix(p, "/") || filepath.IsAbs(p) || (len(p) > 1 && p[1] == ':'):
		return "is an absolute path"
	case strings.Contains(p, "\\"):
		return "holds a backslash (use /)"
	case p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, "/../"):
		return "leaves the repository"
	case path.Clean(p) != p:
		return "is not a clean path (it is " + path.Clean(p) + ")"
	}
	return ""
}

// Conflict is one file that two active specs both list under Files to
// Modify (seed 002, "Conflict Resolution Between Sub-Agents": prevent
// conflicts by design, one file per sub-agent).
type Conflict struct {
	Path  string `json:"path"`
	A     string `json:"spec"`
	ALine int    `json:"line"`
	B     string `json:"other_spec"`
	BLine int    `json:"other_line"`
}

func (c Conflict) String() string {
	return fmt.Sprintf("specs %s (line %d) and %s (line %d) both modify %s", c.A, c.ALine, c.B, c.BLine, c.Path)
}

// Problem turns the conflict into a problem of spec A's file.
func (c Conflict) Problem(w *workspace.Workspace) Problem {
	return Problem{File: w.RelWD(SpecPath(w, c.A)), Line: c.ALine,
		Msg: fmt.Sprintf("%s is also modified by spec %s (%s:%d)", c.Path, c.B, w.RelWD(SpecPath(w, c.B)), c.BLine),
		Fix: "give the file to one spec only; let the other read it, or run them one after the other"}
}

// Conflicts returns every pair of active specs (see [Active]) that list
// the same file to modify, in the order of the paths then the names. When
// only is not "", only the pairs that involve spec only are returned (the
// spec itself need not be active).
func Conflicts(specs []*Spec, only string) []Conflict {
	type claim struct {
		name string
		line int
	}
	by := map[string][]claim{}
	for _, s := range specs {
		if !Active(s.Status()) && s.Name != only {
			continue
		}
		for _, r := range s.Modify {
			by[r.Path] = append(by[r.Path], claim{s.Name, r.Line})
		}
	}
	paths := make([]string, 0, len(by))
	for p := range by {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var out []Conflict
	for _, p := range paths {
		cs := by[p]
		for i := 0; i < len(cs); i++ {
			for j := i + 1; j < len(cs); j++ {
				a, b := cs[i], cs[j]
				if a.name == b.name {
					continue
				}
				if only != "" && b.name == only {
					a, b = b, a
				}
				if only != "" && a.name != only {
					continue
				}
				out = append(out, Conflict{Path: p, A: a.name, ALine: a.line, B: b.name, BLine: b.line})
			}
		}
	}
	return out
}

// IntegrationOrder returns the names of the returned specs in the order
// seed 002 integrates them ("Collecting and Integrating Results": one at a
// time, fewest overlapping files first): by the number of files each
// shares with the others (files to modify, and files it reads that another
// modifies), then by the number of files it modifies, then by name.
func IntegrationOrder(specs []*Spec) []string {
	mod := map[string]map[string]bool{}
	for _, s := range specs {
		for _, r := range s.Modify {
			if mod[r.Path] == nil {
				mod[r.Path] = map[string]bool{}
			}
			mod[r.Path][s.Name] = true
		}
	}
	overlap := map[string]int{}
	for _, s := range specs {
		seen := map[string]bool{}
		for _, r := range append(append([]FileRef(nil), s.Modify...), s.Read...) {
			if seen[r.Path] {
				continue
			}
			seen[r.Path] = true
			for other := range mod[r.Path] {
				if other != s.Name {
					overlap[s.Name]++
					break
				}
			}
		}
	}
	out := make([]*Spec, len(specs))
	copy(out, specs)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if overlap[a.Name] != overlap[b.Name] {
			return overlap[a.Name] < overlap[b.Name]
		}
		if len(a.Modify) != len(b.Modify) {
			return len(a.Modify) < len(b.Modify)
		}
		return a.Name < b.Name
	})
	names := make([]string, len(out))
	for i, s := range out {
		names[i] = s.Name
	}
	return names
}

// Strays returns a problem for each file in the specs folder that wf does
// not read as a spec or a result: a .md file whose name is not a valid
// spec name (spaces, other characters), so that it is never skipped in
// silence.
func Strays(w *workspace.Workspace) []Problem {
	ents, err := os.ReadDir(Dir(w))
	if err != nil {
		return nil
	}
	var out []Problem
	for _, e := range ents {
		n := e.Name()
		base, ok := strings.CutSuffix(n, ".md")
		if !ok || e.IsDir() {
			continue
		}
		base = strings.TrimSuffix(base, ".result")
		if err := ValidateName(base); err != nil {
			out = append(out, Problem{File: w.RelWD(filepath.Join(Dir(w), n)), Msg: "wf does not read this file as a spec: " + err.Error(), Fix: "rename it (letters, digits, '.', '_', '-')"})
		}
	}
	return out
}
