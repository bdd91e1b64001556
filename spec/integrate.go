package spec

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp"
	"github.com/wf-tool/wf/mdstate"
)

// Integration is what [Integrate] did.
type Integration struct {
	Name      string   `json:"name"`
	Decisions []string `json:"decisions"`  // entries appended to the decisions log, as written
	TodoAdded []string `json:"todo_added"` // "tests needed" added as TODO items
	Ticked    int      `json:"ticked"`     // the item ticked; 0 for none (no item, or a partial result)
}

// NotMergedError is a spec whose work is not on HEAD yet.
type NotMergedError struct{ Name, Branch string }

func (e *NotMergedError) Error() string {
	if e.Branch != "" {
		return fmt.Sprintf("spec %s's branch %s is not merged into HEAD", e.Name, e.Branch)
	}
	return fmt.Sprintf("spec %s's changes are not on HEAD: none of its files to modify changed since its delegation commit", e.Name)
}

// Hint says what the leader does first (wf does not merge: seed 002).
func (e *NotMergedError) Hint() string {
	if e.Branch != "" {
		return "review and merge it yourself (git merge " + e.Branch + "), then run wf spec integrate " + e.Name + " again"
	}
	return "commit the sub-agent's work first, then run wf spec integrate " + e.Name + " again"
}

// Integrate takes the result of spec name into the workflow, once its
// work is on HEAD: the spec's branch merged into HEAD (its tip an ancestor
// of HEAD), or, without a branch, a file it modifies changed between the
// delegation commit and HEAD. wf does not merge; the leader does (seed
// 002, "Collecting and Integrating Results"). It then appends the
// result's decisions to the decisions log ("spec NAME: …"), adds its
// tests needed as TODO items under the current phase, ticks the item it
// delivered (a complete result only) and marks the spec integrated. A
// failed result is refused ([*StatusError]): wf spec redo re-opens it.
func Integrate(w *workspace.Workspace, name string) (*Integration, error) {
	s, err := Load(w, name)
	if err != nil {
		return nil, err
	}
	st := s.Status()
	if st != Returned && st != Verified {
		return nil, &StatusError{Name: name, Status: st, Want: "returned or verified", Op: "integrate"}
	}
	res, err := LoadResult(w, name)
	if err != nil {
		return nil, err
	}
	if res == nil {
		return nil, fmt.Errorf("spec %s has no result; wf spec result %s records it", name, name)
	}
	if res.Status == Failed {
		return nil, &StatusError{Name: name, Status: Failed, Want: "returned or verified", Op: "integrate"}
	}
	if err := onHead(w, s); err != nil {
		return nil, err
	}
	out := &Integration{Name: name, Decisions: []string{}, TodoAdded: []string{}}
	for _, d := range res.Decision {
		entry, err := lifecycle.Decide(w, "spec "+name+": "+d)
		if err != nil {
			return nil, err
		}
		out.Decisions = append(out.Decisions, entry)
	}
	phase := ""
	if sn, err := w.Read(); err == nil {
		phase = sn.State.Get("current phase")
	}
	for _, t := range res.Tests {
		text := "Test (spec " + name + "): " + workspace.OneLine(t)
		if _, err := lifecycle.Add(w, text, lifecycle.AddOptions{Phase: phase}); err != nil {
			return nil, err
		}
		out.TodoAdded = append(out.TodoAdded, text)
	}
	if n, text := s.Item(); n > 0 && res.Status == Complete {
		ref := strconv.Itoa(n)
		if text != "" {
			ref = text
		}
		it, err := lifecycle.Mark(w, ref, mdstate.Done, "", "")
		if err != nil {
			return nil, fmt.Errorf("spec %s delivers item %d (%s): %w", name, n, text, err)
		}
		out.Ticked = it.N
	}
	if _, err := SetFields(w, name, func(*Spec) ([][2]string, error) {
		return [][2]string{{"Status", Integrated}, {"Integrated", w.Now().Format(workspace.Timestamp)}}, nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// onHead checks that the spec's work is on HEAD (see [Integrate]).
func onHead(w *workspace.Workspace, s *Spec) error {
	if w.Repo == nil {
		return errors.New("wf spec integrate needs a git repository")
	}
	commit, _ := s.Field("commit")
	if !gitcp.IsHash(commit) {
		return fmt.Errorf("spec %s has no delegation commit", s.Name)
	}
	head, err := w.Repo.ResolveRef("HEAD")
	if err != nil {
		return err
	}
	if br, _ := s.Field("branch"); br != "" {
		tip, err := w.Repo.ResolveRef("refs/heads/" + br)
		if err != nil {
			return fmt.Errorf("spec %s's branch %s: %w", s.Name, br, err)
		}
		if _, anc, err := w.Repo.RevCount(head, tip); err != nil {
			return err
		} else if !anc {
			return &NotMergedError{Name: s.Name, Branch: br}
		}
		return nil
	}
	stats, err := w.Repo.DiffStat(gitcp.NewHash(commit), head)
	if err != nil {
		return err
	}
	declared := map[string]bool{}
	for _, r := range s.Modify {
		declared[r.Path] = true
	}
	for _, st := range stats {
		if declared[st.Path] {
			return nil
		}
	}
	return &NotMergedError{Name: s.Name}
}

// Redo re-opens spec name with why (seed 002, "Failure Recovery": rerun
// with a more specific spec): the result file moves to
// specs/history/NAME.<time>.result.md, the delegation fields are removed,
// Status is draft again and a Redo field records when and why. The spec's
// earlier text stays in git history; the leader revises the file, then
// delegates it again. An integrated or draft spec is refused.
func Redo(w *workspace.Workspace, name, why string) (*Spec, string, error) {
	why = workspace.OneLine(why)
	if why == "" {
		return nil, "", errors.New("wf spec redo needs --why: what the next attempt must do differently")
	}
	release, err := w.Lock()
	if err != nil {
		return nil, "", err
	}
	defer release()
	moved := ""
	s, err := setFieldsLocked(w, name, func(s *Spec) ([][2]string, error) {
		if st := s.Status(); st == Draft || st == Integrated {
			return nil, &StatusError{Name: name, Status: st, Want: "delegated, returned, verified or failed", Op: "redo"}
		}
		rp := ResultPath(w, name)
		if _, err := os.Lstat(rp); err == nil {
			hist := filepath.Join(Dir(w), "history")
			if err := os.MkdirAll(hist, 0o755); err != nil {
				return nil, err
			}
			dst := filepath.Join(hist, name+"."+w.Now().Format("20060102-150405")+ResultSuffix)
			if err := os.Rename(rp, dst); err != nil {
				return nil, err
			}
			moved = w.RelWD(dst)
		}
		set := [][2]string{{"Status", Draft}, {"Redo", w.Now().Format(workspace.Timestamp) + ": " + why}}
		for _, k := range []string{"Agent", "Delegated", "Commit", "Branch", "Worktree", "Returned", "Verified"} {
			set = append(set, [2]string{k, ""})
		}
		return set, nil
	})
	if err != nil {
		return nil, "", err
	}
	return s, moved, nil
}

// FailItem records a failed or partial result on the TODO item spec s
// delivers: a failed attempt in the bucket the result names, or
// tool-error, with the result's summary as the reason
// (lifecycle.Fail, so the retry budget and escalation apply and resume
// shows the attempt). It returns nil, nil when the spec names no item or
// the result is complete.
func FailItem(w *workspace.Workspace, s *Spec, r *Result) (*lifecycle.FailResult, error) {
	n, text := s.Item()
	if n == 0 || r.Status == Complete {
		return nil, nil
	}
	ref := strconv.Itoa(n)
	if text != "" {
		ref = text
	}
	bucket := r.Bucket
	if bucket == "" {
		bucket = "tool-error"
	}
	reason := "spec " + s.Name + " " + r.Status
	if r.Summary != "" {
		reason += ": " + r.Summary
	}
	return lifecycle.Fail(w, ref, bucket, reason)
}
