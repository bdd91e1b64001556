package spec

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp"
)

// Verification is what [Verify] found: the sub-agent's changes in git
// compared with the spec and its result (seed 002, "Collecting and
// Integrating Results": verify before integrating).
type Verification struct {
	Name string `json:"name"`
	// From is the delegation commit; To the branch tip, or "" for the
	// work tree (a spec delegated without a worktree).
	From string `json:"from"`
	To   string `json:"to"`
	// Changed are the files changed between From and To, wf's own files
	// (state files, checkpoints/, specs/) left out.
	Changed []string `json:"changed"`
	// OutOfScope are changed files the spec does not list under Files to
	// Modify; Untouched are files it lists that did not change;
	// Unreported are changed files the result's Changes do not mention;
	// NotChanged are files the result says changed that did not.
	OutOfScope []string `json:"out_of_scope"`
	Untouched  []string `json:"untouched"`
	Unreported []string `json:"unreported"`
	NotChanged []string `json:"not_changed"`
	// OK is set when nothing is out of scope, unreported or claimed
	// without a change, and a complete result left no declared file
	// untouched.
	OK bool `json:"ok"`
}

// Verify compares what changed in git since spec name was delegated with
// the spec's Files to Modify and its result's Changes. With a worktree
// branch it compares the delegation commit with the branch's tip;
// without one, with the work tree. When the contract holds and the spec
// is returned, it is marked verified. It fails for a spec that was never
// delegated.
func Verify(w *workspace.Workspace, name string) (*Verification, error) {
	s, err := Load(w, name)
	if err != nil {
		return nil, err
	}
	commit, _ := s.Field("commit")
	if !gitcp.IsHash(commit) || w.Repo == nil {
		return nil, fmt.Errorf("spec %s has no delegation commit; wf spec delegate %s records it", name, name)
	}
	v := &Verification{Name: name, From: commit, Changed: []string{}, OutOfScope: []string{}, Untouched: []string{}, Unreported: []string{}, NotChanged: []string{}}
	from := gitcp.NewHash(commit)
	var to gitcp.Hash
	if br, ok := s.Field("branch"); ok && br != "" {
		h, err := w.Repo.ResolveRef("refs/heads/" + br)
		if err != nil {
			return nil, fmt.Errorf("spec %s's branch %s: %w", name, br, err)
		}
		to = h
		v.To = h.String()
	}
	stats, err := w.Repo.DiffStat(from, to)
	if err != nil {
		return nil, err
	}
	changed := map[string]bool{}
	for _, st := range stats {
		if ownPath(w, st.Path) {
			continue
		}
		changed[st.Path] = true
		v.Changed = append(v.Changed, st.Path)
	}
	sort.Strings(v.Changed)
	declared := map[string]bool{}
	for _, r := range s.Modify {
		declared[r.Path] = true
		if !changed[r.Path] {
			v.Untouched = append(v.Untouched, r.Path)
		}
	}
	for _, p := range v.Changed {
		if !declared[p] {
			v.OutOfScope = append(v.OutOfScope, p)
		}
	}
	res, err := LoadResult(w, name)
	if err != nil {
		return nil, err
	}
	status := Complete
	if res != nil {
		status = res.Status
		reported := map[string]bool{}
		for _, c := range res.Changes {
			reported[c.Path] = true
			if !changed[c.Path] {
				v.NotChanged = append(v.NotChanged, c.Path)
			}
		}
		for _, p := range v.Changed {
			if !reported[p] {
				v.Unreported = append(v.Unreported, p)
			}
		}
	}
	v.OK = len(v.OutOfScope) == 0 && len(v.Unreported) == 0 && len(v.NotChanged) == 0 && (status != Complete || len(v.Untouched) == 0)
	if v.OK && res != nil && s.Status() == Returned {
		if _, err := SetFields(w, name, func(s *Spec) ([][2]string, error) {
			if s.Status() != Returned {
				return nil, nil
			}
			return [][2]string{{"Status", Verified}, {"Verified", w.Now().Format(workspace.Timestamp)}}, nil
		}); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// ownPath reports whether p (from the top level) is one of wf's own files:
// the state files, checkpoints/ and specs/.
func ownPath(w *workspace.Workspace, p string) bool {
	return w.OwnFile(p) || strings.HasPrefix(p, w.RelTop(Dir(w))+"/")
}
