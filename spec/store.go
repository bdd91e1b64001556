package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// ResultSuffix ends a result file's name: specs/NAME.result.md.
const ResultSuffix = ".result.md"

// MaxNameLen is the longest spec name, in bytes.
const MaxNameLen = 100

// NameError is a spec name wf refuses.
type NameError struct{ Name, Why string }

func (e *NameError) Error() string { return fmt.Sprintf("spec name %q %s", e.Name, e.Why) }

// Hint says what a good name looks like.
func (e *NameError) Hint() string {
	return "use letters, digits, '.', '_' and '-' (the POSIX portable file name characters), starting with a letter or digit, at most 100 bytes, e.g. wf spec new api-routes"
}

// ValidateName checks a spec name: it becomes a file name on every
// platform wf runs on and a branch name (wf/spec/NAME), so it is limited
// to the POSIX portable file name characters [A-Za-z0-9._-] (which also
// excludes path separators, so no traversal), starts with a letter or a
// digit, does not end with "." or ".lock" or ".result" (the result file's
// name), holds no "..", is at most [MaxNameLen] bytes and is not a name
// Windows reserves (CON, NUL, COM1, …). It returns a [*NameError].
func ValidateName(name string) error {
	bad := func(why string) error { return &NameError{Name: name, Why: why} }
	if name == "" {
		return bad("is empty")
	}
	if len(name) > MaxNameLen {
		return bad(fmt.Sprintf("is longer than %d bytes", MaxNameLen))
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
		if !ok {
			if c == '/' || c == '\\' {
				return bad("holds a path separator")
			}
			return bad(fmt.Sprintf("holds %q, which is not a portable file name character", rune(c)))
		}
	}
	low := strings.ToLower(name)
	switch {
	case !(low[0] >= 'a' && low[0] <= 'z' || low[0] >= '0' && low[0] <= '9'):
		return bad("does not start with a letter or a digit")
	case strings.Contains(name, ".."):
		return bad(`holds ".."`)
	case strings.HasSuffix(low, "."), strings.HasSuffix(low, ".lock"), strings.HasSuffix(low, ".result"), strings.HasSuffix(low, ".md"):
		return bad(`ends with ".", ".lock", ".result" or ".md"`)
	}
	base, _, _ := strings.Cut(low, ".")
	switch base {
	case "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
		"lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9":
		return bad("is a device name Windows reserves")
	}
	return nil
}

// Dir is the specs folder of the workflow.
func Dir(w *workspace.Workspace) string { return w.Path(workspace.SpecsDir) }

// SpecPath and ResultPath are the files of spec name.
func SpecPath(w *workspace.Workspace, name string) string {
	return filepath.Join(Dir(w), name+".md")
}

// ResultPath is specs/NAME.result.md.
func ResultPath(w *workspace.Workspace, name string) string {
	return filepath.Join(Dir(w), name+ResultSuffix)
}

// NotFoundError is a spec that does not exist.
type NotFoundError struct{ Name, Path string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no spec %q (%s does not exist)", e.Name, e.Path)
}

// Hint names the commands that help.
func (e *NotFoundError) Hint() string {
	return "wf spec list shows the specs; wf spec new " + e.Name + " --goal \"…\" creates it"
}

// checkDir refuses a specs folder that is a symlink or not a folder
// (DESIGN.md §4.2: never read or write through a symlink).
func checkDir(w *workspace.Workspace) error {
	fi, err := os.Lstat(Dir(w))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link; wf does not read or write specs through it", w.Rel(workspace.SpecsDir))
	case !fi.IsDir():
		return fmt.Errorf("%s is not a folder", w.Rel(workspace.SpecsDir))
	}
	return nil
}

// Load reads spec name. It returns a [*NotFoundError] when there is no
// such file, and a [*NameError] for a bad name.
func Load(w *workspace.Workspace, name string) (*Spec, error) {
	_, _, s, err := load(w, name)
	return s, err
}

// load is [Load] that also returns the spec file's path and bytes, for
// an edit of them.
func load(w *workspace.Workspace, name string) (string, []byte, *Spec, error) {
	if err := ValidateName(name); err != nil {
		return "", nil, nil, err
	}
	if err := checkDir(w); err != nil {
		return "", nil, nil, err
	}
	p := SpecPath(w, name)
	data, _, err := mdstate.ReadFile(w.Root, p)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil, nil, &NotFoundError{Name: name, Path: w.RelWD(p)}
	}
	if err != nil {
		return "", nil, nil, err
	}
	return p, data, Parse(name, w.RelWD(p), data), nil
}

// LoadResult reads and validates the result of spec name; nil, nil when
// there is none.
func LoadResult(w *workspace.Workspace, name string) (*Result, error) {
	p := ResultPath(w, name)
	data, _, err := mdstate.ReadFile(w.Root, p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return ParseResult(name, w.RelWD(p), data)
}

// Names lists the specs in the specs folder, sorted: every NAME.md that is
// not a result file and whose name is valid.
func Names(w *workspace.Workspace) ([]string, error) {
	if err := checkDir(w); err != nil {
		return nil, err
	}
	ents, err := os.ReadDir(Dir(w))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(n, ".md") || strings.HasSuffix(n, ResultSuffix) {
			continue
		}
		n = strings.TrimSuffix(n, ".md")
		if ValidateName(n) == nil {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out, nil
}

// LoadAll reads every spec of the workflow, sorted by name.
func LoadAll(w *workspace.Workspace) ([]*Spec, error) {
	names, err := Names(w)
	if err != nil {
		return nil, err
	}
	var out []*Spec
	for _, n := range names {
		s, err := Load(w, n)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Create writes a new spec file specs/NAME.md with data, under the
// worktree lock: it refuses a bad name, a name that exists already, and a
// name that differs from an existing one only in case (the two files
// would be one on a case-insensitive file system). The file is created
// atomically and never replaces anything.
func Create(w *workspace.Workspace, name string, data []byte) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	release, err := w.Lock()
	if err != nil {
		return err
	}
	defer release()
	if err := checkDir(w); err != nil {
		return err
	}
	names, err := Names(w)
	if err != nil {
		return err
	}
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return &ClashError{Name: name, Existing: n, Path: w.RelWD(SpecPath(w, n))}
		}
	}
	if err := os.MkdirAll(Dir(w), 0o755); err != nil {
		return err
	}
	return mdstate.CreateFileExclusive(SpecPath(w, name), data, 0o644)
}

// ClashError is a new spec whose name is taken.
type ClashError struct{ Name, Existing, Path string }

func (e *ClashError) Error() string {
	if e.Name == e.Existing {
		return fmt.Sprintf("spec %q exists already (%s)", e.Name, e.Path)
	}
	return fmt.Sprintf("spec %q clashes with %q (%s): the names differ only in case", e.Name, e.Existing, e.Path)
}

// Hint says what to do instead.
func (e *ClashError) Hint() string {
	return "choose another name, or edit " + e.Path + " (wf spec redo " + e.Existing + " --why … re-opens a spec)"
}

// SetFields sets metadata fields of spec name under the worktree lock:
// it re-reads the file, applies check (which may refuse the change, e.g.
// a wrong status), splices the field lines and writes atomically, refusing
// to overwrite a hand edit that landed between the read and the write.
// It returns the spec as written.
func SetFields(w *workspace.Workspace, name string, check func(s *Spec) ([][2]string, error)) (*Spec, error) {
	release, err := w.Lock()
	if err != nil {
		return nil, err
	}
	defer release()
	return setFieldsLocked(w, name, check)
}

func setFieldsLocked(w *workspace.Workspace, name string, check func(s *Spec) ([][2]string, error)) (*Spec, error) {
	p, data, s, err := load(w, name)
	if err != nil {
		return nil, err
	}
	set, err := check(s)
	if err != nil {
		return nil, err
	}
	out, err := spliceFields(data, set)
	if err != nil {
		return nil, err
	}
	if err := mdstate.WriteFileAtomic(p, out, data); err != nil {
		return nil, err
	}
	return Parse(name, s.Path, out), nil
}
