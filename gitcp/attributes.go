package gitcp

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/attr"
	"github.com/wf-tool/wf/gitcp/internal/config"
	"github.com/wf-tool/wf/gitcp/internal/convert"
	"github.com/wf-tool/wf/gitcp/internal/index"
)

// attrFileName is the per-folder attribute file (gitattributes(5)).
const attrFileName = ".gitattributes"

// isAttrFile reports whether the index path name is a .gitattributes.
func isAttrFile(name string) bool {
	return strings.HasSuffix(name, attrFileName) && (len(name) == len(attrFileName) || name[len(name)-len(attrFileName)-1] == '/')
}

// conversion applies .gitattributes and the core.* conversion settings
// to work-tree files as git add does before hashing them. A scan makes
// one only when something can convert: an attribute file somewhere
// (work tree, index, info/attributes, core.attributesFile or the system
// file) or core.autocrlf; otherwise files are hashed as they are, with no
// per-path lookup.
type conversion struct {
	r    *Repo
	conv *convert.Converter
	fold bool // core.ignorecase: patterns match without regard to case
	// base is the stack below the work tree's files: the built-in macro,
	// the system file and the global file.
	base *attr.Stack
	info *attr.File // $GIT_DIR/info/attributes, above everything
	// inTree tells whether any .gitattributes may exist in the work tree
	// or the index; without one no folder is read.
	inTree bool
	dirs   map[string]*attr.Stack // per folder: base plus the folders' files down to it
	// fromTree, when set, holds the .gitattributes files of a tree (path
	// to blob): the attributes a checkout of that tree applies. As git's
	// checkout reads them (GIT_ATTR_CHECKOUT: the new index first), a
	// folder's file comes from the tree, and from the work tree only when
	// the tree has none there, inTree is set and the checkout does not
	// delete it (gone).
	fromTree map[string]Hash
	gone     map[string]bool
	idx      []index.Entry // the index as read, for skip-worktree .gitattributes and CRLF blobs
	// Warnings are git's warnings for lines it drops and conversions it
	// warns about, in the order met.
	Warnings []string
}

// newConversion returns the conversion of this scan, or nil when nothing
// can convert. sawAttrFile tells whether the walk met a .gitattributes
// (in the work tree or as an index entry).
func (r *Repo) newConversion(entries []index.Entry, sawAttrFile bool) *conversion {
	cfg := r.convertConfig()
	c, found := r.newAttrStack(entries, sawAttrFile)
	if !found && !cfg.Active() {
		return nil
	}
	c.conv = convert.New(r.TopLevel, cfg)
	return c
}

// newAttrStack returns a conversion without converter, for attribute
// lookups alone, and whether any attribute file can apply (sawAttrFile, or
// the system, global or info/attributes file exists). entries is the index
// as read (nil: none), for skip-worktree .gitattributes.
func (r *Repo) newAttrStack(entries []index.Entry, sawAttrFile bool) (*conversion, bool) {
	c := &conversion{r: r, fold: r.cfg.Bool("core.ignorecase", false), inTree: sawAttrFile, idx: entries}
	c.base = (*attr.Stack)(nil).Push(attr.Builtin)
	found := sawAttrFile
	if !boolEnv("GIT_ATTR_NOSYSTEM") {
		if f := c.readFile("/etc/gitattributes", "", true); f != nil {
			c.base, found = c.base.Push(f), true
		}
	}
	global, ok := r.cfg.Get("core.attributesfile")
	if !ok {
		if x := config.XDGConfigHome(); x != "" {
			global = filepath.Join(x, "git", "attributes")
		}
	}
	if global != "" {
		if f := c.readFile(config.ExpandHome(global), "", true); f != nil {
			c.base, found = c.base.Push(f), true
		}
	}
	if f := c.readFile(filepath.Join(r.CommonDir, "info", "attributes"), "", true); f != nil {
		c.info, found = f, true
	}
	c.dirs = map[string]*attr.Stack{}
	return c, found
}

// diffBinary tells, for a path, what git's diff attribute says of its
// content (gitattributes(5), "Generating diff text"; git's
// diff_filespec_is_binary): 1 when it is binary whatever it holds ("-diff",
// the "binary" macro, or diff=DRIVER with diff.DRIVER.binary true), -1
// when it is text ("diff" set, or diff.DRIVER.binary false), 0 when its
// content decides.
func (c *conversion) diffBinary(path string) int8 {
	s := c.stack(dirOf(path))
	if c.info != nil {
		s = s.Push(c.info)
	}
	v := s.Lookup(path, c.fold).Get("diff")
	switch v.State {
	case attr.Set:
		return -1
	case attr.Unset:
		return 1
	case attr.Valued:
		key := "diff." + v.Text + ".binary"
		if _, ok := c.r.cfg.Get(key); ok {
			if c.r.cfg.Bool(key, false) {
				return 1
			}
			if !c.r.cfg.Bool(key, true) {
				return -1
			}
		}
	}
	return 0
}

// boolEnv reads an environment variable as git_env_bool does.
func boolEnv(k string) bool {
	switch strings.ToLower(os.Getenv(k)) {
	case "", "0", "false", "no", "off":
		return false
	}
	return true
}

// convertConfig reads core.autocrlf, core.eol, core.safecrlf and the
// filter.<driver>.* drivers.
func (r *Repo) convertConfig() convert.Config {
	cfg := convert.Config{Drivers: map[string]*convert.Driver{}}
	// core.autocrlf is "input" or a boolean, read as git reads booleans
	// (a bare key is true, an integer is true unless 0).
	if v, ok := r.cfg.Get("core.autocrlf"); ok {
		switch {
		case strings.EqualFold(strings.TrimSpace(v), "input"):
			cfg.AutoCRLF = "input"
		case r.cfg.Bool("core.autocrlf", false):
			cfg.AutoCRLF = "true"
		default:
			cfg.AutoCRLF = "false"
		}
	}
	cfg.EOL, _ = r.cfg.Get("core.eol")
	if v, ok := r.cfg.Get("core.safecrlf"); ok {
		cfg.SafeCRLF = v
		if v == "" {
			cfg.SafeCRLF = "true"
		}
	}
	for _, k := range r.cfg.Keys() {
		rest, ok := strings.CutPrefix(k, "filter.")
		if !ok {
			continue
		}
		i := strings.LastIndexByte(rest, '.')
		if i <= 0 {
			continue
		}
		name := rest[:i]
		d := cfg.Drivers[name]
		if d == nil {
			d = &convert.Driver{Name: name}
			cfg.Drivers[name] = d
		}
		v, _ := r.cfg.GetKey(k)
		switch rest[i+1:] {
		case "clean":
			d.Clean = v
		case "smudge":
			d.Smudge = v
		case "process":
			d.Process = v
		case "required":
			d.Required = gitBool(v)
		}
	}
	return cfg
}

// readFile parses the attribute file at abs, nil when it is missing,
// unreadable or a symlink (git opens attribute files without following
// symlinks).
func (c *conversion) readFile(abs, base string, macros bool) *attr.File {
	fi, err := os.Lstat(abs)
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil
	}
	return c.parse(data, abs, base, macros)
}

func (c *conversion) parse(data []byte, source, base string, macros bool) *attr.File {
	f, warns := attr.Parse(data, base, source, macros)
	for _, w := range warns {
		c.Warnings = append(c.Warnings, w.String())
	}
	return f
}

// stack returns the attribute stack of folder dir ("" for the top):
// the base, then each folder's .gitattributes from the top down to dir.
// A .gitattributes missing from the work tree is read from the index
// when its entry is skip-worktree (a sparse checkout), as git reads
// attributes for checkin.
func (c *conversion) stack(dir string) *attr.Stack {
	if s, ok := c.dirs[dir]; ok {
		return s
	}
	var parent *attr.Stack
	if dir == "" {
		parent = c.base
	} else {
		parent = c.stack(dirOf(dir))
	}
	s := parent
	if c.fromTree != nil {
		rel := attrFileName
		if dir != "" {
			rel = dir + "/" + attrFileName
		}
		var f *attr.File
		if id, ok := c.fromTree[rel]; ok {
			if data, err := c.r.readObject(plumbing.BlobObject, id); err == nil {
				f = c.parse(data, rel, dir, dir == "")
			}
		} else if c.inTree && !c.gone[rel] {
			f = c.readFile(filepath.Join(c.r.TopLevel, filepath.FromSlash(rel)), dir, dir == "")
		}
		s = s.Push(f)
	} else if c.inTree {
		rel := attrFileName
		if dir != "" {
			rel = dir + "/" + attrFileName
		}
		f := c.readFile(filepath.Join(c.r.TopLevel, filepath.FromSlash(rel)), dir, dir == "")
		if f == nil {
			if e := c.entry(rel); e != nil && e.SkipWorktree() && e.Mode != modeSymlink {
				if data, err := c.r.readObject(plumbing.BlobObject, e.Hash); err == nil {
					f = c.parse(data, rel, dir, dir == "")
				}
			}
		}
		s = s.Push(f)
	}
	c.dirs[dir] = s
	return s
}

// entry finds the stage-0 (else stage-2, "ours") index entry of path.
func (c *conversion) entry(path string) *index.Entry {
	i := sort.Search(len(c.idx), func(i int) bool { return c.idx[i].Name >= path })
	var ours *index.Entry
	for ; i < len(c.idx) && c.idx[i].Name == path; i++ {
		switch c.idx[i].Stage() {
		case 0:
			return &c.idx[i]
		case 2:
			ours = &c.idx[i]
		}
	}
	return ours
}

// attrs looks up the attributes of path that the conversion reads.
func (c *conversion) attrs(path string) convert.Attrs {
	s := c.stack(dirOf(path))
	if c.info != nil {
		s = s.Push(c.info)
	}
	got := s.Lookup(path, c.fold)
	one := func(name string) convert.Attr {
		v := got.Get(name)
		return convert.Attr{State: convert.State(v.State), Value: v.Text}
	}
	return convert.Attrs{
		Text: one("text"), CRLF: one("crlf"), EOL: one("eol"), Ident: one("ident"),
		Filter: one("filter"), Encoding: one("working-tree-encoding"),
	}
}

// blob converts the content of the work-tree file path into its blob.
// prev is the path's index entry before the scan (nil for a new file):
// git leaves CRLF text alone under text=auto and core.autocrlf when the
// index blob has CRLF ("safer autocrlf").
func (c *conversion) blob(path string, data []byte, prev *index.Entry) ([]byte, error) {
	a := c.attrs(path)
	if c.conv.Plain(&a) {
		return data, nil
	}
	indexCRLF := func() bool {
		e := prev
		if e == nil {
			e = c.entry(path)
		}
		if e == nil || e.Mode == modeGitlink || e.IntentToAdd() {
			return false
		}
		old, err := c.r.readObject(plumbing.BlobObject, e.Hash)
		return err == nil && convert.HasCRLFText(old)
	}
	out, err := c.conv.ToGit(path, data, &a, indexCRLF)
	if err != nil {
		var fe *convert.FilterError
		if errors.As(err, &fe) {
			return nil, &FilterError{Path: fe.Path, Driver: fe.Driver, Err: fe.Err}
		}
		return nil, &ConversionError{Path: path, Err: err}
	}
	return out, nil
}

// done stops the filter processes started (their exit status is not
// looked at, as git does not) and collects the warnings.
func (c *conversion) done() {
	if c == nil {
		return
	}
	_ = c.conv.Close()
	c.Warnings = append(c.Warnings, c.conv.Warnings...)
	c.conv.Warnings = nil
}

// FilterError is a required clean filter (filter.<driver>.required) that
// is missing or failed on a path: git add fails the same way, and
// nothing is committed.
type FilterError struct {
	Path, Driver string
	Err          error
}

func (e *FilterError) Error() string {
	return e.Path + ": clean filter '" + e.Driver + "' failed: " + e.Err.Error() +
		" (filter." + e.Driver + ".required is true; fix the filter, or install the program it runs)"
}

func (e *FilterError) Unwrap() error { return e.Err }

// ConversionError is a file git add would refuse to store: an invalid
// working-tree-encoding, a BOM the encoding forbids or requires, or a
// line-ending conversion core.safecrlf=true forbids.
type ConversionError struct {
	Path string
	Err  error
}

func (e *ConversionError) Error() string { return e.Err.Error() }

func (e *ConversionError) Unwrap() error { return e.Err }

// asciiLower folds ASCII letters to lower case, as git's case-insensitive
// name hash does.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// gitBool reads a config value as a git boolean: a bare key ("") and
// true, yes, on or 1 (any case) are true.
func gitBool(v string) bool {
	switch strings.ToLower(v) {
	case "", "true", "yes", "on", "1":
		return true
	}
	return false
}

// readMode is the mode to read a work-tree file as: a regular file is
// read as one even under a symlink entry (core.symlinks off).
func readMode(mode uint32, regular bool) uint32 {
	if regular && mode == modeSymlink {
		return modeRegular
	}
	return mode
}

// joinWarning adds warning b after a, a line apart.
func joinWarning(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n" + b
}
