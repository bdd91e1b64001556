package spec

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp"
	"github.com/wf-tool/wf/mdstate"
)

// BranchPrefix starts the branch of a spec delegated with a worktree:
// wf/spec/NAME.
const BranchPrefix = "wf/spec/"

// TaskFile, in a linked worktree's runtime folder (its git dir's wf/),
// names the spec that worktree was made for: wf resume there shows the
// spec's brief instead of the leader's TODO.
const TaskFile = "spec-task"

// intentFile, in the leader's runtime folder, records a delegation with a
// worktree in progress (see [RecoverDelegation]).
const intentFile = "spec-delegate-intent"

// DelegateOptions say how to delegate a spec.
type DelegateOptions struct {
	Name  string
	Agent string // who takes it (free text: a session id, an agent name); "" for unnamed
	// Worktree makes a linked worktree on a new branch wf/spec/NAME for
	// the sub-agent.
	Worktree bool
	// Path is the worktree's folder; "" means a sibling of the main
	// worktree named <top>.spec-NAME.
	Path string
	// OnStep, when set, is called at each step (tests kill the process
	// there).
	OnStep func(step string)
}

// Delegation is what [Delegate] did.
type Delegation struct {
	Spec     *Spec
	Commit   gitcp.Hash
	Branch   string // short name; "" without a worktree
	Worktree string // the worktree's folder; "" without one
}

// CheckError is a spec that fails [Check] or conflicts with another
// active spec, so it is not delegated.
type CheckError struct {
	Name     string
	Problems []Problem
}

func (e *CheckError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "spec %s is not ready to delegate:", e.Name)
	for _, p := range e.Problems {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

// Hint says what to do.
func (e *CheckError) Hint() string { return "fix the spec, then run wf spec check " + e.Name }

type intent struct {
	Name   string          `json:"name"`
	Target string          `json:"target"`
	WT     gitcp.Worktree  `json:"worktree"`
	Fields [][2]string     `json:"fields"`
	Extra  json.RawMessage `json:"extra,omitempty"`
}

// Delegate marks spec o.Name delegated: to whom, when, at which commit
// (HEAD), and with o.Worktree on which branch and worktree. The spec must
// be a draft, pass [Check] and share no file to modify with another active
// spec (seed 002: prevent conflicts by design). It needs a repository with
// a commit.
//
// With a worktree the steps are journaled in the leader's runtime folder:
// the intent (the planned worktree and the fields to set), then
// gitcp.Repo.AddWorktree, the task marker in the new worktree, the spec's
// fields, and the intent's removal. A crash anywhere is settled by
// [RecoverDelegation] on the next spec command: a worktree that was not
// finished is removed with its branch; a finished one has its fields set.
func Delegate(w *workspace.Workspace, o DelegateOptions) (*Delegation, error) {
	step := func(s string) {
		if o.OnStep != nil {
			o.OnStep(s)
		}
	}
	if w.Repo == nil {
		return nil, errors.New("wf spec delegate needs a git repository: the delegation records its commit")
	}
	s, err := Load(w, o.Name)
	if err != nil {
		return nil, err
	}
	if st := s.Status(); st != Draft {
		return nil, &StatusError{Name: o.Name, Status: st, Want: Draft, Op: "delegate"}
	}
	head, err := w.Repo.Head()
	if err != nil {
		return nil, err
	}
	if head.Unborn {
		return nil, errors.New("the repository has no commit yet; wf spec delegate records the commit the sub-agent starts from (wf checkpoint -m \"start\" makes one)")
	}
	all, err := LoadAll(w)
	if err != nil {
		return nil, err
	}
	probs := Check(w, s)
	for _, c := range Conflicts(all, o.Name) {
		probs = append(probs, c.Problem(w))
	}
	if len(probs) > 0 {
		return nil, &CheckError{Name: o.Name, Problems: probs}
	}
	d := &Delegation{Commit: head.Hash}
	fields := [][2]string{{"Status", Delegated}, {"Agent", workspace.OneLine(o.Agent)}, {"Delegated", w.Now().Format(workspace.Timestamp)}, {"Commit", head.Hash.String()}}
	if !o.Worktree {
		d.Spec, err = SetFields(w, o.Name, func(s *Spec) ([][2]string, error) {
			if st := s.Status(); st != Draft {
				return nil, &StatusError{Name: o.Name, Status: st, Want: Draft, Op: "delegate"}
			}
			return fields, nil
		})
		return d, err
	}

	path := o.Path
	if path == "" {
		top := filepath.Dir(w.Repo.CommonDir)
		path = filepath.Join(filepath.Dir(top), filepath.Base(top)+".spec-"+o.Name)
	} else if !filepath.IsAbs(path) {
		path = filepath.Join(w.WorkDir, path)
	}
	branch := BranchPrefix + o.Name
	release, err := w.Lock()
	if err != nil {
		return nil, err
	}
	defer release()
	wt, err := w.Repo.PlanWorktree(path, branch)
	if err != nil {
		return nil, err
	}
	fields = append(fields, [2]string{"Branch", branch}, [2]string{"Worktree", wt.Path})
	in := intent{Name: o.Name, Target: head.Hash.String(), WT: wt, Fields: fields}
	data, _ := json.Marshal(in)
	if err := os.MkdirAll(w.RuntimeDir(), 0o755); err != nil {
		return nil, err
	}
	ip := filepath.Join(w.RuntimeDir(), intentFile)
	if _, err := os.Lstat(ip); err == nil {
		return nil, fmt.Errorf("another delegation is in progress (%s); run wf spec list to settle it", ip)
	}
	if err := mdstate.CreateFileExclusive(ip, data, 0o644); err != nil {
		return nil, err
	}
	step("intent")
	if err := w.Repo.AddWorktree(wt, head.Hash, w.Now()); err != nil {
		if _, rerr := w.Repo.RemovePartialWorktree(wt, head.Hash); rerr != nil {
			return nil, fmt.Errorf("%w (and undoing it: %v; the intent %s is kept)", err, rerr, ip)
		}
		os.Remove(ip)
		var conv *gitcp.CheckoutConversionError
		if errors.As(err, &conv) {
			// git makes the worktree with the conversion; the spec is
			// then delegated without one (docs/specs.md, "Worktrees").
			conv.Command += " && wf spec delegate " + gitcp.ShellArg(o.Name)
			if o.Agent != "" {
				conv.Command += " --agent " + gitcp.ShellArg(o.Agent)
			}
		}
		return nil, err
	}
	step("worktree")
	if err := finishDelegation(w, in); err != nil {
		return nil, err
	}
	d.Branch, d.Worktree = branch, wt.Path
	d.Spec, err = Load(w, o.Name)
	return d, err
}

// finishDelegation writes the task marker into the new worktree, sets the
// spec's fields and removes the intent. The caller holds the lock.
func finishDelegation(w *workspace.Workspace, in intent) error {
	rt := filepath.Join(in.WT.AdminDir, "wf")
	if err := os.MkdirAll(rt, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(rt, TaskFile), []byte(in.Name+"\n"), 0o644); err != nil {
		return err
	}
	if _, err := setFieldsLocked(w, in.Name, func(*Spec) ([][2]string, error) { return in.Fields, nil }); err != nil {
		return err
	}
	return os.Remove(filepath.Join(w.RuntimeDir(), intentFile))
}

// RecoverDelegation settles a delegation with a worktree that a crash
// interrupted: if the worktree was not finished it is removed with its
// branch (gitcp.Repo.RemovePartialWorktree) and the spec stays a draft
// ("rolled back"); if it was, the spec's fields are set ("completed"). It
// returns a note saying which, or "" when there was nothing to settle.
func RecoverDelegation(w *workspace.Workspace) (string, error) {
	if w.Repo == nil {
		return "", nil
	}
	ip := filepath.Join(w.RuntimeDir(), intentFile)
	data, err := os.ReadFile(ip)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	release, err := w.Lock()
	if err != nil {
		return "", err
	}
	defer release()
	var in intent
	if err := json.Unmarshal(data, &in); err != nil || ValidateName(in.Name) != nil || !gitcp.IsHash(in.Target) {
		return "", fmt.Errorf("%s is not a delegation record wf can read; look at it, then remove it", ip)
	}
	target := gitcp.NewHash(in.Target)
	removed, err := w.Repo.RemovePartialWorktree(in.WT, target)
	if err != nil {
		return "", err
	}
	if removed {
		os.Remove(ip)
		return fmt.Sprintf("an interrupted wf spec delegate %s was rolled back: the half-made worktree %s and branch %s are removed", in.Name, in.WT.Path, strings.TrimPrefix(in.WT.Branch, "refs/heads/")), nil
	}
	if _, err := os.Lstat(in.WT.AdminDir); errors.Is(err, fs.ErrNotExist) {
		// Nothing was made (killed before AddWorktree's first write).
		os.Remove(ip)
		return fmt.Sprintf("an interrupted wf spec delegate %s had made nothing; the spec is still a draft", in.Name), nil
	}
	if err := finishDelegation(w, in); err != nil {
		return "", err
	}
	return fmt.Sprintf("an interrupted wf spec delegate %s was completed: worktree %s on branch %s", in.Name, in.WT.Path, strings.TrimPrefix(in.WT.Branch, "refs/heads/")), nil
}

// StatusError is a spec in the wrong status for a command.
type StatusError struct{ Name, Status, Want, Op string }

func (e *StatusError) Error() string {
	return fmt.Sprintf("spec %s is %s; only a %s spec can be %s", e.Name, e.Status, e.Want, map[string]string{"delegate": "delegated", "integrate": "integrated", "verify": "verified", "redo": "re-opened"}[e.Op])
}

// Hint says where to go from here.
func (e *StatusError) Hint() string {
	switch e.Status {
	case Delegated:
		return "wait for its result (wf spec result " + e.Name + "), or wf spec redo " + e.Name + " --why \"…\""
	case Integrated:
		return "it is done; wf spec new writes a new spec"
	}
	return "wf spec list shows every spec's status"
}

// Task returns the name of the spec that the linked worktree w is in was
// made for ([TaskFile]), or "".
func Task(w *workspace.Workspace) string {
	if w.Repo == nil {
		return ""
	}
	data, err := os.ReadFile(filepath.Join(w.Repo.WfDir(), TaskFile))
	if err != nil {
		return ""
	}
	n := strings.TrimSpace(string(data))
	if ValidateName(n) != nil {
		return ""
	}
	return n
}
