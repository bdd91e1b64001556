package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp"
	"github.com/wf-tool/wf/mdstate"
)

// Leader returns the workspace whose specs/ folder holds the specs: w
// itself, except in a linked worktree of the repository, where it is the
// same state root in the main worktree, so that a sub-agent working in the
// linked worktree `wf spec delegate --worktree` made records its result
// where the leader reads it, under the leader's lock (the main worktree's
// runtime folder). When the main worktree has no workflow at that place, w
// is returned. The main worktree is the parent of the common git dir when
// that is named .git (git's layout for a non-bare repository).
func Leader(w *workspace.Workspace) (*workspace.Workspace, error) {
	if w.Repo == nil || w.Repo.WorktreeName == gitcp.MainWorktreeName || filepath.Base(w.Repo.CommonDir) != ".git" {
		return w, nil
	}
	rel, err := filepath.Rel(w.Repo.TopLevel, w.Root)
	if err != nil {
		return w, nil
	}
	root := filepath.Join(filepath.Dir(w.Repo.CommonDir), rel)
	if _, err := os.Lstat(filepath.Join(root, workspace.StateFile)); err != nil {
		return w, nil
	}
	lw, err := workspace.Find(workspace.Options{Dir: root, WorkDir: w.WorkDir, LockWait: w.LockWait, Now: w.Now})
	if err != nil {
		return nil, err
	}
	return lw, nil
}

// ExistsError is a result recorded already.
type ExistsError struct{ Name, Path string }

func (e *ExistsError) Error() string {
	return fmt.Sprintf("spec %s has a result already (%s)", e.Name, e.Path)
}

// Hint says how to record another.
func (e *ExistsError) Hint() string {
	return "wf spec redo " + e.Name + " --why \"…\" re-opens the spec and keeps the old result in git history"
}

// Record validates a sub-agent's result for spec name and stores it as
// specs/NAME.result.md of the leader's workflow ([Leader]), then sets the
// spec's status to returned (failed for a failed result), all under the
// leader's lock: two sub-agents recording at the same moment both land,
// one after the other. It refuses a malformed result ([*ResultError]), a
// spec that does not exist, is integrated, or has a result already
// ([*ExistsError]). source names the input in messages (the file
// given, or "stdin"). It returns the parsed result and the leader's
// workspace.
func Record(w *workspace.Workspace, name, source string, data []byte) (*Result, *workspace.Workspace, error) {
	if err := ValidateName(name); err != nil {
		return nil, nil, err
	}
	lw, err := Leader(w)
	if err != nil {
		return nil, nil, err
	}
	rp := ResultPath(lw, name)
	res, err := ParseResult(name, source, data)
	if err != nil {
		return nil, nil, err
	}
	release, err := lw.Lock()
	if err != nil {
		return nil, nil, err
	}
	defer release()
	if _, err := os.Lstat(rp); err == nil {
		return nil, nil, &ExistsError{Name: name, Path: lw.RelWD(rp)}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, err
	}
	status := Returned
	if res.Status == Failed {
		status = Failed
	}
	_, err = setFieldsLocked(lw, name, func(s *Spec) ([][2]string, error) {
		if st := s.Status(); st == Integrated {
			return nil, fmt.Errorf("spec %s is integrated; a result cannot be recorded for it", name)
		}
		// The result file first, then the status: a crash between them
		// leaves a result with the spec still delegated, which resume and
		// list show as returned (they look at the result file).
		if err := mdstate.CreateFileExclusive(rp, data, 0o644); err != nil {
			return nil, err
		}
		return [][2]string{{"Status", status}, {"Returned", lw.Now().Format(workspace.Timestamp)}}, nil
	})
	if err != nil {
		return nil, nil, err
	}
	res.Path = lw.RelWD(rp)
	return res, lw, nil
}
