//go:build linux

package soak

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"

	"github.com/wf-tool/wf/checkpoint/tokens"
)

// check holds the invariants after a step, each against an oracle that
// is not wf: git fsck, git log, git status with a scratch index, the
// files as the soak wrote them, flock on wf's lock.
func (w *world) check() {
	w.t.Helper()
	w.n["invariant checks"]++
	quiet := w.watch == nil // nothing of ours runs in the background
	if quiet {
		// First: the next wf command (lint, resume) may clean up.
		w.checkLeftovers()
	}
	w.checkFsck()
	w.checkForeign()
	w.checkHands("the step")
	w.checkReported()
	w.checkLint(w.top)
	if w.touchedLinked || w.step%5 == 0 {
		// The linked worktree's files change only in concurrent and
		// read steps: checked after those and every 5th step.
		w.checkLint(w.linked)
		w.touchedLinked = false
	}
	if quiet {
		w.checkResume()
	}
}

// checkFsck runs git fsck --strict. git fsck lists the objects first and
// checks refs and reflogs against that list afterwards, so a commit that
// wf watch makes meanwhile (objects, then ref, then reflog: git's own
// order) shows as "missing" or "invalid reflog entry" although nothing is
// wrong. With wf watch running, a failed fsck therefore stops the watch
// and runs again: a real fault stays.
func (w *world) checkFsck() {
	fsck := func() (res, bool) {
		r := w.git(w.top, "fsck", "--strict", "--no-dangling", "--no-progress")
		return r, r.code == 0 && !strings.Contains(r.out+r.err, "error")
	}
	r, ok := fsck()
	if !ok && w.watch != nil {
		w.logf("  git fsck failed with wf watch running; stopping it and running fsck again:\n%s%s", r.out, r.err)
		w.n["git fsck rerun after a concurrent commit"]++
		w.stopWatch()
		r, ok = fsck()
	}
	if !ok {
		w.fail("git fsck --strict: exit %d\n%s%s", r.code, r.out, r.err)
	}
}

// checkForeign: every lock file that is not ours is still there, as
// written.
func (w *world) checkForeign() {
	for _, f := range w.foreign {
		b, err := os.ReadFile(f.path)
		if err != nil || string(b) != f.content {
			w.fail("the foreign lock %s was removed or changed (%v): wf must never remove a lock it cannot prove its own", f.path, err)
		}
	}
}

// checkHands: every marker a hand edit wrote is still in its file.
func (w *world) checkHands(after string) {
	for _, h := range w.hands {
		b, err := os.ReadFile(h.file)
		if err != nil || !strings.Contains(string(b), h.marker) {
			w.fail("the hand edit %s in %s is gone after %s (%v)", h.marker, filepath.Base(h.file), after, err)
		}
	}
}

// checkReported: every checkpoint wf reported is a commit git log --all
// reaches, with its trailers and its checkpoint file.
func (w *world) checkReported() {
	if len(w.reported) == 0 {
		return
	}
	all := map[string]bool{}
	for _, h := range strings.Fields(w.mustGit(w.top, "log", "--all", "--format=%H")) {
		all[h] = true
	}
	for i := range w.reported {
		c := &w.reported[i]
		if !all[c.commit] {
			w.fail("checkpoint %s (commit %s, %s) is not in git log --all", c.id, c.commit, c.where)
		}
		if c.verified {
			continue // a commit's message and tree never change
		}
		c.verified = true
		w.n["reported checkpoints verified"]++
		msg := w.mustGit(w.top, "show", "-s", "--format=%B", c.commit)
		for _, tr := range []string{"Wf-Checkpoint: " + c.id, "Wf-Phase: ", "Wf-Status: "} {
			if !strings.Contains(msg, "\n"+tr) {
				w.fail("checkpoint %s (commit %s) lacks the trailer %q:\n%s", c.id, c.commit, tr, msg)
			}
		}
		if c.file != "" {
			if r := w.git(w.top, "cat-file", "-e", c.commit+":"+c.file); r.code != 0 {
				w.fail("checkpoint %s: its commit %s does not hold its file %s", c.id, c.commit, c.file)
			}
		} else {
			files := w.mustGit(w.top, "ls-tree", "-r", "--name-only", c.commit, "--", "checkpoints/")
			if !strings.Contains(files, c.id) {
				w.fail("checkpoint %s: its commit %s holds no checkpoints/ file for it", c.id, c.commit)
			}
		}
	}
}

// checkLint: every state file parses and wf lint reports no error. The
// soak makes no deliberate lint error, so any error is a finding.
func (w *world) checkLint(dir string) {
	if _, err := os.Stat(filepath.Join(dir, "workflow-state.md")); err != nil {
		return
	}
	r := w.wf(dir, "lint", "--json")
	var doc struct {
		Errors      int
		Diagnostics []struct{ File, Severity, Message string }
	}
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		w.fail("wf lint --json does not parse: %v\n%s%s", err, r.out, r.err)
	}
	if doc.Errors > 0 || r.code != 0 {
		w.fail("wf lint found errors no step made on purpose (exit %d):\n%s", r.code, r.out)
	}
}

var currentLine = regexp.MustCompile(`<-- CURRENT\s*$`)

// checkResume: wf resume stays within its budget and names the current
// item that TODO.md marks; its branch and HEAD are git's; it warns of
// uncommitted work exactly when git add -A into a scratch index would
// change the tree it compares with.
func (w *world) checkResume() {
	budget := 300 + w.rng.Intn(2500)
	r := w.wf(w.top, "resume", "--json", "--budget", itoa(budget))
	if r.code != 0 {
		w.fail("wf resume: exit %d\n%s", r.code, r.err)
	}
	var doc struct {
		Budget, Tokens int
		Current        *struct {
			Line int
			Text string
		}
		Git *struct {
			Branch, Head, Operation string
		}
		Checkpoint *struct{ ID, Commit string }
		Warnings   []struct{ Kind, Message string }
		Omitted    []struct{ What string }
	}
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		w.fail("wf resume --json does not parse: %v\n%s", err, r.out)
	}
	warnings := doc.Warnings
	for _, o := range doc.Omitted {
		if o.What == "warnings" {
			// The budget left some out (omitted says so): the
			// uncommitted comparison needs them all.
			var full struct {
				Warnings []struct{ Kind, Message string }
			}
			f := w.wf(w.top, "resume", "--json", "--full")
			if err := json.Unmarshal([]byte(f.out), &full); err != nil {
				w.fail("wf resume --json --full does not parse: %v\n%s", err, f.out)
			}
			warnings = full.Warnings
		}
	}
	if doc.Budget != budget || doc.Tokens > budget {
		w.fail("wf resume --budget %d: budget %d, tokens %d", budget, doc.Budget, doc.Tokens)
	}
	if w.step%5 == 0 {
		// The text form too (every 5th step: it costs a process).
		text := w.wf(w.top, "resume", "--budget", itoa(budget))
		if est := tokens.EstimateTokens(text.out); est > budget {
			w.fail("wf resume --budget %d printed %d tokens by the estimator", budget, est)
		}
	}
	// The current item, from TODO.md's own marker.
	lines := strings.Split(w.read(w.top, "TODO.md"), "\n")
	var marked []int
	for i, l := range lines {
		if itemLine.MatchString(l) && currentLine.MatchString(l) {
			marked = append(marked, i+1)
		}
	}
	if len(marked) == 1 && (doc.Current == nil || doc.Current.Line != marked[0]) {
		w.fail("TODO.md marks line %d CURRENT; wf resume names %+v", marked[0], doc.Current)
	}
	// git's view of HEAD.
	if doc.Git == nil {
		w.fail("wf resume reports no git repository")
	}
	head := strings.TrimSpace(w.git(w.top, "rev-parse", "-q", "--verify", "HEAD").out)
	branch := strings.TrimPrefix(strings.TrimSpace(w.git(w.top, "symbolic-ref", "-q", "HEAD").out), "refs/heads/")
	if doc.Git.Head != head || doc.Git.Branch != branch {
		w.fail("wf resume says HEAD %s on %q; git says %s on %q", doc.Git.Head, doc.Git.Branch, head, branch)
	}
	w.checkUncommitted(doc.Checkpoint, warnings)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// checkUncommitted compares resume's "uncommitted" warning with git: the
// work is uncommitted when git add -A into a scratch index (a copy of the
// real one) gives a tree other than the one resume compares with (the
// checkpoint's commit when HEAD's history lacks it or HEAD is it, else
// HEAD).
func (w *world) checkUncommitted(cp *struct{ ID, Commit string }, warnings []struct{ Kind, Message string }) {
	if w.held != nil {
		return
	}
	head := strings.TrimSpace(w.git(w.top, "rev-parse", "-q", "--verify", "HEAD").out)
	from := head
	if cp != nil && cp.Commit != "" {
		if cp.Commit == head || w.git(w.top, "merge-base", "--is-ancestor", cp.Commit, "HEAD").code != 0 {
			from = cp.Commit
		}
	}
	if from == "" {
		return
	}
	// The copy keeps the index's mtime: git takes an entry whose mtime is
	// not older than the index file as racily clean and hashes it again.
	// A copy stamped now made git trust the stat data of a file edited in
	// place within the same second, to the same size, and report a change
	// the real index would not hide (seed 41, step 163: a false alarm).
	idx := filepath.Join(w.tmp, "scratch-index")
	real := filepath.Join(w.top, ".git", "index")
	st, err := os.Stat(real)
	var b []byte
	if err == nil {
		b, err = os.ReadFile(real)
	}
	if err == nil {
		err = os.WriteFile(idx, b, 0o644)
	}
	if err == nil {
		err = os.Chtimes(idx, st.ModTime(), st.ModTime())
	}
	if err != nil {
		w.fail("%v", err)
	}
	env := w.env
	w.env = append(append([]string{}, env...), "GIT_INDEX_FILE="+idx)
	add := w.git(w.top, "add", "-A")
	diff := w.git(w.top, "diff", "--cached", "--name-only", "--ignore-submodules=dirty", from)
	w.env = env
	if add.code != 0 || diff.code != 0 {
		w.fail("git add -A / diff --cached on a scratch index: %s%s%s", add.err, diff.out, diff.err)
	}
	gitSays := strings.TrimSpace(diff.out) != ""
	wfSays := false
	for _, wn := range warnings {
		if wn.Kind == "uncommitted" {
			wfSays = true
		}
	}
	if gitSays != wfSays {
		w.fail("wf resume's uncommitted warning is %v; git add -A against %s changes:\n%s", wfSays, from, diff.out)
	}
	w.n["git status comparisons"]++
}

// checkLeftovers: with no wf running, no temp file of wf's atomic writes
// is left in the work trees, no journal or git lock file is left in the
// git folder (foreign ones apart), and wf's worktree lock is free.
func (w *world) checkLeftovers() {
	foreign := map[string]bool{}
	for _, f := range w.foreign {
		foreign[f.path] = true
	}
	for _, root := range []string{w.top, w.linked} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			name := d.Name()
			if d.IsDir() && name == "sub" && p != root {
				return filepath.SkipDir
			}
			if strings.Contains(name, ".wf-tmp-") || strings.HasPrefix(name, ".wf-lock-") {
				w.fail("wf's temp file %s is left behind", p)
			}
			if strings.HasSuffix(name, ".lock") && !foreign[p] && strings.Contains(p, string(filepath.Separator)+".git"+string(filepath.Separator)) {
				w.fail("the lock file %s is left behind with no git or wf running", p)
			}
			if name == "intent" && filepath.Base(filepath.Dir(p)) == "wf" {
				w.fail("wf's intent journal %s is left behind after the next wf command", p)
			}
			return nil
		})
	}
	for _, gd := range []string{filepath.Join(w.top, ".git", "wf"), filepath.Join(w.top, ".git", "worktrees", "linked", "wf")} {
		lock := filepath.Join(gd, "lock")
		f, err := os.OpenFile(lock, os.O_RDWR, 0)
		if err != nil {
			continue
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			w.fail("wf's worktree lock %s is still held with no wf running: %v", lock, err)
		}
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}
}
