package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wf-tool/wf/gitcp"
)

// LinkedRootError is returned when the state root, checkpoints/ or specs/
// is reached through a symlink inside the repository: wf would write
// through it (possibly outside the repository) and commit a tree holding
// both the link and files under its name, which git fsck --strict rejects
// (duplicateEntries).
type LinkedRootError struct {
	Path string // the folder wf would use, relative to the top level
	Link string // the symlink (or file) on its way, relative to the top level
}

func (e *LinkedRootError) Error() string {
	if e.Path == e.Link {
		return fmt.Sprintf("%s is a symlink: wf keeps its files in real folders only", e.Link)
	}
	return fmt.Sprintf("%s is reached through the symlink %s: wf keeps its files in real folders only", e.Path, e.Link)
}

// Hint says what the user can do.
func (e *LinkedRootError) Hint() string {
	return fmt.Sprintf("replace %s by a real folder (mv the target's files into it), or run wf with --dir naming the real folder", e.Link)
}

// CheckLinks returns a [*LinkedRootError] when the state root is reached
// through a symlink below the repository's top level, or checkpoints/ or
// specs/ in it is a symlink (or not a folder); nil when they are real
// folders or do not exist yet. The top level itself may be reached
// through links: git resolves it the same way.
func (w *Workspace) CheckLinks() error {
	for _, name := range []string{CheckpointsDir, SpecsDir} {
		dir := w.Path(name)
		if w.Repo != nil {
			var se *gitcp.SymlinkPathError
			if err := w.Repo.CheckNoSymlinkLeading(filepath.Join(dir, "x")); errors.As(err, &se) {
				return &LinkedRootError{Path: w.RelTop(dir), Link: se.Link}
			} else if err != nil {
				return err
			}
			continue
		}
		if fi, err := os.Lstat(dir); err == nil && (fi.Mode().Type() == fs.ModeSymlink || !fi.IsDir()) {
			return &LinkedRootError{Path: name, Link: name}
		}
	}
	return nil
}
