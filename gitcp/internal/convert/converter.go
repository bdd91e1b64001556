package convert

import (
	"errors"
	"fmt"
	"sync"
)

// Converter converts work-tree files to blobs. It starts each filter
// process once, on the first path that needs it, and keeps it until
// [Converter.Close]; it is safe for use by one goroutine at a time.
type Converter struct {
	cfg   Config
	dir   string // the top of the work tree: filters run there
	mu    sync.Mutex
	procs map[string]*process // by driver name
	// Warnings are what git would print on stderr while adding: a
	// non-required filter that failed (the file is stored unfiltered), a
	// line-ending conversion core.safecrlf warns about.
	Warnings []string
}

// New returns a Converter running filters in dir (the top of the work
// tree) with the configuration cfg.
func New(dir string, cfg Config) *Converter {
	return &Converter{cfg: cfg, dir: dir, procs: map[string]*process{}}
}

// FilterError is a required filter that failed or is missing (git dies
// with "<path>: clean filter '<driver>' failed").
type FilterError struct {
	Path, Driver string
	Err          error
}

func (e *FilterError) Error() string {
	return fmt.Sprintf("%s: clean filter '%s' failed: %v", e.Path, e.Driver, e.Err)
}

func (e *FilterError) Unwrap() error { return e.Err }

// Plain reports whether a path with attributes a converts nothing: ToGit
// would return its input unchanged whatever the content.
func (c *Converter) Plain(a *Attrs) bool {
	return c.driver(a) == nil && c.encoding(a) == "" && c.cfg.action(a) == crlfBinary && a.Ident.State != Set
}

func (c *Converter) driver(a *Attrs) *Driver {
	if a.Filter.State != Valued {
		return nil
	}
	return c.cfg.Drivers[a.Filter.Value]
}

func (c *Converter) encoding(a *Attrs) string {
	e := a.Encoding
	if e.State != Valued || e.Value == "" || isUTF8(e.Value) {
		return ""
	}
	return e.Value
}

// ToGit converts the content src of the work-tree file path
// (slash-separated, relative to the top) with attributes a into the blob
// git add stores (convert.c's convert_to_git): clean filter,
// working-tree-encoding, end-of-line conversion, ident. indexCRLF, asked
// only for text=auto and core.autocrlf, reports whether the path's index
// blob is CRLF text (git then leaves CRLF alone). A required filter that
// fails gives a *[FilterError]; a failing optional one leaves the content
// unfiltered and adds a warning. src is not modified.
func (c *Converter) ToGit(path string, src []byte, a *Attrs, indexCRLF func() bool) ([]byte, error) {
	if a.Encoding.State == Set || a.Encoding.State == Unset {
		return nil, fmt.Errorf("%s: true/false are no valid working-tree-encodings", path)
	}
	if d := c.driver(a); d != nil {
		out, err := c.clean(d, path, src)
		switch {
		case err == nil:
			src = out
		case d.Required:
			return nil, &FilterError{Path: path, Driver: d.Name, Err: err}
		default:
			c.Warnings = append(c.Warnings, fmt.Sprintf("%s: clean filter '%s' failed, stored unfiltered: %v", path, d.Name, err))
		}
	}
	if enc := c.encoding(a); enc != "" {
		out, err := encodeToGit(path, enc, src)
		if err != nil {
			return nil, err
		}
		src = out
	}
	out, warns, err := c.cfg.crlfToGit(path, src, c.cfg.action(a), indexCRLF)
	if err != nil {
		return nil, err
	}
	c.Warnings = append(c.Warnings, warns...)
	src = out
	if a.Ident.State == Set {
		src = identToGit(src)
	}
	return src, nil
}

// clean runs driver d on one file: its process when configured (git
// prefers it), else its clean command; neither is an error.
func (c *Converter) clean(d *Driver, path string, src []byte) ([]byte, error) {
	if d.Process != "" {
		c.mu.Lock()
		defer c.mu.Unlock()
		// As in git, a process that failed to start or broke the
		// conversation is forgotten: the next path starts it again.
		p := c.procs[d.Name]
		if p == nil {
			var err error
			if p, err = startProcess(c.dir, d.Process); err != nil {
				return nil, err
			}
			c.procs[d.Name] = p
		}
		out, err := p.cleanFile(path, src)
		if errors.Is(err, errProtocol) {
			_ = p.close()
			delete(c.procs, d.Name)
		}
		return out, err
	}
	if d.Clean != "" {
		return runClean(c.dir, d.Clean, path, src)
	}
	return nil, errors.New("no clean command or process configured")
}

// Close stops the filter processes started, as git does when it exits
// (their input closed, then waited for). It returns the first error.
func (c *Converter) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first error
	for name, p := range c.procs {
		if p != nil {
			if err := p.close(); err != nil && first == nil {
				first = fmt.Errorf("filter process of driver %s: %w", name, err)
			}
		}
		delete(c.procs, name)
	}
	return first
}
