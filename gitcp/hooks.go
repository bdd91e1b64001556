package gitcp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/config"
	"github.com/wf-tool/wf/gitcp/internal/refs"
)

// Commit hooks, as git commit runs them (githooks(5)). In branch mode
// [Repo.Commit] runs pre-commit, prepare-commit-msg, commit-msg and
// post-commit; [CommitOptions].NoVerify skips pre-commit and commit-msg as
// "git commit --no-verify" does. In ref mode no hook runs: nothing is
// committed to a branch.
const (
	HookPreCommit        = "pre-commit"
	HookPrepareCommitMsg = "prepare-commit-msg"
	HookCommitMsg        = "commit-msg"
	HookPostCommit       = "post-commit"
)

// maxHookOutput is how much of a failing hook's output [HookError] keeps
// (its end).
const maxHookOutput = 64 << 10

// HookError is a commit hook that failed (non-zero exit status, or it
// could not be started); nothing was committed.
type HookError struct {
	Hook   string // "pre-commit", "commit-msg", …
	Path   string // the hook file
	Err    error  // the exit status or start error
	Output string // the end of what the hook printed (stdout and stderr)
	// shown is set when the output already went to
	// [CommitOptions].HookOutput; otherwise Error repeats its last lines.
	shown bool
}

func (e *HookError) Error() string {
	msg := fmt.Sprintf("the %s hook (%s) failed: %v", e.Hook, e.Path, e.Err)
	if out := strings.TrimSpace(e.Output); out != "" && !e.shown {
		msg += " (it printed: " + lastLines(out, 3) + ")"
	}
	return msg + "; nothing was committed"
}

// Hint says what the user can do.
func (e *HookError) Hint() string {
	if e.Hook == HookPreCommit || e.Hook == HookCommitMsg {
		return "fix what the hook reports and checkpoint again; to skip the pre-commit and commit-msg hooks, as git commit --no-verify does: wf checkpoint --no-verify"
	}
	return "fix what the hook reports and checkpoint again"
}

// HooksDir is the folder git takes hooks from: core.hooksPath (a leading
// "~/" is the home folder; a relative path is relative to the work tree's
// top level, where hooks run), else the common git dir's "hooks" folder.
func (r *Repo) HooksDir() string {
	if p, ok := r.cfg.Get("core.hookspath"); ok && p != "" {
		p = config.ExpandHome(p)
		if !filepath.IsAbs(p) {
			p = filepath.Join(r.TopLevel, p)
		}
		return p
	}
	return filepath.Join(r.CommonDir, "hooks")
}

// hookPath returns the hook file git would run for name, "" when there
// is none. As in git, a file that is not executable is not run; it is
// reported through ignored (git's advice.ignoredHook).
func (r *Repo) hookPath(name string) (path string, ignored bool) {
	p := filepath.Join(r.HooksDir(), name)
	fi, err := os.Stat(p)
	if err != nil || fi.IsDir() {
		return "", false
	}
	if fi.Mode().Perm()&0o111 == 0 {
		return "", true
	}
	return p, false
}

// hookRun is the environment shared by the hooks of one commit.
type hookRun struct {
	r      *Repo
	out    io.Writer // the hooks' stdout and stderr; nil discards
	author Signature
	notes  []string // hooks skipped because they are not executable
}

// gitDirArg is how git names a file of the git dir to a hook: relative
// (".git/…") in a main work tree found by discovery, absolute otherwise.
func (h *hookRun) gitDirArg(name string) string {
	if h.r.GitDir == filepath.Join(h.r.TopLevel, ".git") {
		return filepath.Join(".git", name)
	}
	return filepath.Join(h.r.GitDir, name)
}

// env is the environment git gives commit hooks: the caller's, with
// GIT_INDEX_FILE, GIT_EDITOR=: (no editor: the message came from -m),
// GIT_PREFIX, the author (GIT_AUTHOR_NAME, _EMAIL, _DATE) and, in a linked
// worktree, GIT_DIR. Checked against git 2.39 with a hook that prints its
// environment (hooks_test.go).
func (h *hookRun) env(indexFile string) []string {
	set := map[string]string{
		"GIT_INDEX_FILE":   indexFile,
		"GIT_EDITOR":       ":",
		"GIT_PREFIX":       h.r.Prefix,
		"GIT_AUTHOR_NAME":  h.author.Name,
		"GIT_AUTHOR_EMAIL": h.author.Email,
		"GIT_AUTHOR_DATE":  "@" + h.author.date(),
	}
	if h.r.GitDir != filepath.Join(h.r.TopLevel, ".git") {
		set["GIT_DIR"] = h.r.GitDir
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := set[k]; !ok {
			env = append(env, kv)
		}
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return env
}

// run runs hook name if it exists, from the top level, with stdin empty
// and stdout and stderr both sent to h.out (as git sends both to its
// stderr). ran reports whether a hook was found; a non-zero exit status
// is a [*HookError].
func (h *hookRun) run(name, indexFile string, args ...string) (ran bool, err error) {
	path, ignored := h.r.hookPath(name)
	if ignored {
		h.notes = append(h.notes, fmt.Sprintf("the %s hook was ignored because it is not set as executable (%s)", name, filepath.Join(h.r.HooksDir(), name)))
	}
	if path == "" {
		return false, nil
	}
	cmd := exec.Command(path, args...)
	cmd.Dir = h.r.TopLevel
	cmd.Env = h.env(indexFile)
	var tail tailBuffer
	var w io.Writer = &tail
	if h.out != nil {
		w = io.MultiWriter(h.out, &tail)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Run(); err != nil {
		return true, &HookError{Hook: name, Path: path, Err: err, Output: tail.String(), shown: h.out != nil}
	}
	return true, nil
}

// tailBuffer keeps the last maxHookOutput bytes written to it.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > maxHookOutput {
		t.b = append(t.b[:0], t.b[len(t.b)-maxHookOutput:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.b) }

// messageHooks runs prepare-commit-msg (with source "message", as for
// git commit -m) and, unless noVerify, commit-msg on msg written to
// COMMIT_EDITMSG in the git dir, and returns the message as the hooks left
// it. When neither hook exists it returns msg and writes nothing.
func (h *hookRun) messageHooks(msg, indexFile string, noVerify bool) (string, error) {
	prep, _ := h.r.hookPath(HookPrepareCommitMsg)
	cm, _ := h.r.hookPath(HookCommitMsg)
	if prep == "" && (cm == "" || noVerify) {
		// Still report hooks that are not executable.
		h.r.hookPathNote(h, HookPrepareCommitMsg)
		if !noVerify {
			h.r.hookPathNote(h, HookCommitMsg)
		}
		return msg, nil
	}
	file := filepath.Join(h.r.GitDir, "COMMIT_EDITMSG")
	if err := os.WriteFile(file, []byte(msg), 0o666); err != nil {
		return "", err
	}
	if _, err := h.run(HookPrepareCommitMsg, indexFile, h.gitDirArg("COMMIT_EDITMSG"), "message"); err != nil {
		return "", err
	}
	if !noVerify {
		if _, err := h.run(HookCommitMsg, indexFile, h.gitDirArg("COMMIT_EDITMSG")); err != nil {
			return "", err
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", &HookError{Hook: HookCommitMsg, Path: file, Err: errors.New("the hooks removed the message file")}
		}
		return "", err
	}
	return string(data), nil
}

// hookPathNote records a hook that exists but is not executable.
func (r *Repo) hookPathNote(h *hookRun, name string) {
	if _, ignored := r.hookPath(name); ignored {
		h.notes = append(h.notes, fmt.Sprintf("the %s hook was ignored because it is not set as executable (%s)", name, filepath.Join(r.HooksDir(), name)))
	}
}

// sameFile reports whether the file at path still has the content want.
func sameFile(path string, want []byte) bool {
	got, err := os.ReadFile(path)
	return err == nil && bytes.Equal(got, want)
}

// runPreCommitHooks runs pre-commit (unless opts.NoVerify) with
// GIT_INDEX_FILE naming the index written into l, takes that index again
// when the hook changed it (git reads the index again after pre-commit and
// commits what the hook left), then runs the message hooks on msg. It
// returns the message to commit, cleaned up as git cleans a -m message.
func (r *Repo) runPreCommitHooks(h *hookRun, l *refs.Lock, p *plan, parentTree Hash, opts CommitOptions, msg string) (string, error) {
	lockFile := l.Path()
	if !opts.NoVerify {
		if path, _ := r.hookPath(HookPreCommit); path != "" {
			if err := l.Sync(); err != nil {
				return "", err
			}
			before, err := os.ReadFile(lockFile)
			if err != nil {
				return "", err
			}
			if _, err := h.run(HookPreCommit, lockFile); err != nil {
				return "", err
			}
			if !sameFile(lockFile, before) {
				if err := r.takeHookIndex(p, lockFile, parentTree, opts); err != nil {
					return "", err
				}
			}
		} else {
			r.hookPathNote(h, HookPreCommit)
		}
	}
	m, err := h.messageHooks(msg, lockFile, opts.NoVerify)
	if err != nil {
		return "", err
	}
	if m != msg {
		m = cleanMessage(m)
	}
	if strings.TrimSpace(m) == "" {
		return "", &HookError{Hook: HookCommitMsg, Path: filepath.Join(r.GitDir, "COMMIT_EDITMSG"),
			Err: errors.New("the commit message is empty after the hooks (git aborts the commit too)")}
	}
	return m, nil
}

// takeHookIndex replaces p with the commit of the index file the
// pre-commit hook left (at file): its tree is built, the new trees are
// written, and the files whose content the hook changed go through the
// secret and size checks.
func (r *Repo) takeHookIndex(p *plan, file string, parentTree Hash, opts CommitOptions) error {
	idx, err := r.readIndexFile(file)
	if err != nil {
		return fmt.Errorf("reading the index the pre-commit hook left: %w", err)
	}
	entries := idx.Entries[:0]
	for _, e := range idx.Entries {
		if e.Stage() != 0 {
			return &HookError{Hook: HookPreCommit, Path: file, Err: fmt.Errorf("it left %s unmerged in the index", e.Name)}
		}
		if !e.IntentToAdd() {
			entries = append(entries, e)
		}
	}
	before := make(map[string]Hash, len(p.changes))
	for _, c := range p.changes {
		before[c.Path] = c.NewHash
	}
	root, _ := buildTree(entries, 0, "", "")
	d := &treeDiff{r: r}
	if err := d.diff(parentTree, root, ""); err != nil {
		return err
	}
	only := []string{}
	for _, c := range d.changes {
		if c.NewHash.IsZero() || c.NewMode == modeGitlink {
			continue
		}
		if !r.hasObject(c.NewHash) {
			return &HookError{Hook: HookPreCommit, Path: file, Err: fmt.Errorf("it staged %s, whose blob %s is not in the object database", c.Path, c.NewHash)}
		}
		if h, ok := before[c.Path]; !ok || h != c.NewHash {
			only = append(only, c.Path)
		}
	}
	for i := len(d.write) - 1; i >= 0; i-- {
		n := d.write[i]
		if _, err := r.writeObject(plumbing.TreeObject, n.data, n.hash); err != nil {
			return err
		}
	}
	p.snap = &snapshot{idx: idx, entries: entries, contents: map[string][]byte{}}
	p.target, p.root, p.changes, p.write = entries, root, d.changes, d.write
	_, err = r.checkFiles(p, opts, only)
	return err
}
