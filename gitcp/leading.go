package gitcp

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// SymlinkPathError is returned when wf would read or write a work-tree
// path through a symlinked (or non-folder) leading component: git never
// does (has_symlink_leading_path in git's symlinks.c), and a link there
// can point anywhere, outside the repository too.
type SymlinkPathError struct {
	Path string // the path wf was to read or write, from the top level
	Link string // its leading component that is not a real folder
}

func (e *SymlinkPathError) Error() string {
	return fmt.Sprintf("%s is reached through %s, which is a symlink or not a folder: wf never reads or writes through one", e.Path, e.Link)
}

// Hint says what the user can do.
func (e *SymlinkPathError) Hint() string {
	return fmt.Sprintf("replace the link %s by a real folder (or move the files out of it), then retry", e.Link)
}

// leadingPaths answers git's has_symlink_leading_path for paths in one
// work tree: whether a leading folder of a path is a symlink, a file or
// missing. It remembers the folders it found real, so a scan asks the
// file system once per folder.
type leadingPaths struct {
	top  string
	real map[string]bool // folder (slash path from top) -> lstat said folder
}

func newLeadingPaths(top string) *leadingPaths {
	return &leadingPaths{top: top, real: map[string]bool{"": true}}
}

// blocked returns the first leading component of rel (a slash path from
// the top level) that is not a real folder, "" when every one is. A
// missing component counts as blocked: there is nothing to read there.
func (l *leadingPaths) blocked(rel string) string {
	dir := dirOf(rel)
	if l.real[dir] {
		return ""
	}
	for i := 0; i <= len(dir); i++ {
		if i < len(dir) && dir[i] != '/' {
			continue
		}
		p := dir[:i]
		if l.real[p] {
			continue
		}
		fi, err := os.Lstat(filepath.Join(l.top, filepath.FromSlash(p)))
		if err != nil || !fi.IsDir() {
			return p
		}
		l.real[p] = true
	}
	return ""
}

// makeDirs creates the leading folders of rel that are missing, one by
// one (mkdir never follows a link), and fails with a [*SymlinkPathError]
// at one that is a symlink or a file.
func (l *leadingPaths) makeDirs(rel string) error {
	dir := dirOf(rel)
	if l.real[dir] {
		return nil
	}
	for i := 0; i <= len(dir); i++ {
		if i < len(dir) && dir[i] != '/' {
			continue
		}
		p := dir[:i]
		if l.real[p] {
			continue
		}
		abs := filepath.Join(l.top, filepath.FromSlash(p))
		fi, err := os.Lstat(abs)
		if errors.Is(err, fs.ErrNotExist) {
			if err := os.Mkdir(abs, 0o777); err != nil && !errors.Is(err, fs.ErrExist) {
				return err
			}
			fi, err = os.Lstat(abs)
		}
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			return &SymlinkPathError{Path: rel, Link: p}
		}
		l.real[p] = true
	}
	return nil
}

// CheckNoSymlinkLeading returns a [*SymlinkPathError] when a leading
// folder of abs (an absolute path inside the work tree) is a symlink or
// not a folder, the error of lstat when it cannot be checked, and nil when
// abs is outside the work tree's top level or reached through real
// folders only. The final component is not checked: wf refuses a state
// file that is a symlink elsewhere.
func (r *Repo) CheckNoSymlinkLeading(abs string) error {
	rel, err := filepath.Rel(r.TopLevel, abs)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil
	}
	rel = filepath.ToSlash(rel)
	dir := dirOf(rel)
	for i := 0; i <= len(dir); i++ {
		if i < len(dir) && dir[i] != '/' {
			continue
		}
		p := dir[:i]
		if p == "" {
			continue
		}
		fi, err := os.Lstat(filepath.Join(r.TopLevel, filepath.FromSlash(p)))
		switch {
		case err != nil && os.IsNotExist(err):
			return nil // nothing there yet: created as a real folder
		case err != nil:
			return err
		case fi.Mode().Type() == fs.ModeSymlink || !fi.IsDir():
			return &SymlinkPathError{Path: rel, Link: p}
		}
	}
	return nil
}
