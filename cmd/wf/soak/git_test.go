//go:build linux

package soak

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// stepGit runs a plain git operation between wf commands, as a person
// does: gc, a commit of unrelated files, stash and pop, a new branch, an
// aborted rebase, a merge of a side branch; with the seed's features also
// a commit in the submodule and the pre-commit hook's switch.
func (w *world) stepGit() {
	w.n["git operations"]++
	switch x := w.rng.Intn(10); {
	case x == 0:
		w.n["git gc"]++
		r := w.git(w.top, "gc", "-q", "--prune=now")
		w.logf("  %s", r)
	case x < 3:
		w.n["git commit unrelated"]++
		rel := fmt.Sprintf("notes/%s.txt", w.uniq("note"))
		w.write(rel, "an unrelated change\n")
		w.logf("  %s", w.git(w.top, "add", rel))
		r := w.git(w.top, "commit", "-q", "-m", "unrelated "+rel, "--", rel)
		w.logf("  %s %s", r, strings.TrimSpace(r.err))
	case x == 3:
		w.n["git stash and pop"]++
		before := w.git(w.top, "stash", "list").out
		r := w.git(w.top, "stash", "push", "-u", "-q")
		w.logf("  %s", r)
		if w.git(w.top, "stash", "list").out == before {
			return // nothing stashed
		}
		if w.rng.Intn(2) == 0 {
			w.wf(w.top, "status")
		}
		p := w.git(w.top, "stash", "pop", "-q")
		w.logf("  %s %s", p, strings.TrimSpace(p.err))
		if p.code != 0 {
			w.fail("git stash pop: %s%s", p.out, p.err)
		}
	case x == 4:
		w.n["git checkout -b"]++
		r := w.git(w.top, "checkout", "-q", "-b", w.uniq("soak/branch"))
		w.logf("  %s", r)
	case x == 5:
		w.n["git rebase aborted"]++
		w.abortedRebase()
	case x == 6:
		w.n["git merge side branch"]++
		w.mergeSide()
	case x == 7 && w.feat.submodule:
		w.n["git commit in submodule"]++
		sub := filepath.Join(w.top, "sub")
		if err := os.WriteFile(filepath.Join(sub, "lib.go"), []byte("package lib\n// "+w.uniq("sub")+"\n"), 0o644); err != nil {
			w.fail("%v", err)
		}
		w.logf("  %s", w.git(sub, "commit", "-q", "-am", "sub change"))
	case x == 8 && w.feat.hook:
		// The file decides, not a flag: a git stash -u that failed on
		// the foreign index.lock removed it once (seed 29, step 753).
		w.hookFail = !w.hookFailing()
		if w.hookFail {
			w.write("HOOKFAIL", "the pre-commit hook refuses while this exists\n")
		} else if err := os.Remove(filepath.Join(w.top, "HOOKFAIL")); err != nil {
			w.fail("%v", err)
		}
		w.logf("  pre-commit hook fails: %v", w.hookFail)
	default:
		w.n["git gc"]++
		w.logf("  %s", w.git(w.top, "gc", "-q", "--auto"))
	}
}

// abortedRebase stashes the work, starts a rebase that stops (its exec
// fails), checks that wf refuses a checkpoint and that resume names the
// operation, aborts it and pops the stash: HEAD is back where it was.
func (w *world) abortedRebase() {
	if w.git(w.top, "rev-parse", "-q", "--verify", "HEAD~1").code != 0 || w.held != nil {
		return
	}
	head := w.mustGit(w.top, "rev-parse", "HEAD")
	branch := w.git(w.top, "symbolic-ref", "-q", "HEAD").out
	before := w.git(w.top, "stash", "list").out
	w.logf("  %s", w.git(w.top, "stash", "push", "-u", "-q"))
	stashed := w.git(w.top, "stash", "list").out != before
	r := w.git(w.top, "rebase", "-q", "--exec", "false", "HEAD~1")
	w.logf("  %s", r)
	if w.gitOperation() != "" {
		c := w.wf(w.top, "checkpoint", "-m", "mid-rebase", "--on", "branch")
		if c.code != 4 {
			w.fail("%s during a rebase: exit %d, want 4 (refused: unsafe git state)", c, c.code)
		}
		w.wf(w.top, "todo", "list")
		w.logf("  %s", w.git(w.top, "rebase", "--abort"))
	}
	if h := w.mustGit(w.top, "rev-parse", "HEAD"); h != head {
		w.fail("after git rebase --abort HEAD is %s, was %s", h, head)
	}
	if b := w.git(w.top, "symbolic-ref", "-q", "HEAD").out; b != branch {
		w.fail("after git rebase --abort HEAD is on %q, was %q", b, branch)
	}
	if stashed {
		p := w.git(w.top, "stash", "pop", "-q")
		if p.code != 0 {
			w.fail("git stash pop after the rebase: %s%s", p.out, p.err)
		}
	}
}

// mergeSide makes a side branch off an older commit with one new file
// (by plumbing, so the work tree is not touched) and merges it.
func (w *world) mergeSide() {
	base := "HEAD"
	if w.git(w.top, "rev-parse", "-q", "--verify", "HEAD~2").code == 0 && w.rng.Intn(2) == 0 {
		base = "HEAD~2"
	}
	rel := "side/" + w.uniq("side") + ".txt"
	idx := filepath.Join(w.tmp, "side-index")
	_ = os.Remove(idx)
	env := w.env
	w.env = append(append([]string{}, env...), "GIT_INDEX_FILE="+idx)
	defer func() { w.env = env }()
	w.mustGit(w.top, "read-tree", base)
	blob := w.execStdin(w.top, "side file\n", "git", "hash-object", "-w", "--stdin")
	w.mustGit(w.top, "update-index", "--add", "--cacheinfo", "100644,"+blob+","+rel)
	tree := w.mustGit(w.top, "write-tree")
	commit := w.execStdin(w.top, "side work\n", "git", "commit-tree", tree, "-p", base)
	w.env = env
	name := w.uniq("side")
	w.mustGit(w.top, "branch", name, commit)
	r := w.git(w.top, "merge", "-q", "--no-edit", name)
	w.logf("  %s %s", r, strings.TrimSpace(r.err))
	if r.code != 0 && w.gitOperation() != "" {
		w.logf("  %s", w.git(w.top, "merge", "--abort"))
	}
}

func (w *world) execStdin(dir, stdin, name string, args ...string) string {
	r := w.exec(dir, stdin, name, args...)
	if r.code != 0 {
		w.fail("%s: %s", r, r.err)
	}
	return strings.TrimSpace(r.out)
}

// stepSpec moves one spec through its life: new, delegate with a linked
// worktree, the sub-agent's work and result there, verify, merge,
// integrate; now and then a command out of order or with a bad name.
func (w *world) stepSpec() {
	name := ""
	for n, stage := range w.specs {
		if stage != "integrated" && stage != "failed" {
			name = n
			break
		}
	}
	if name == "" || w.rng.Intn(6) == 0 {
		if len(w.specs) >= 6 {
			w.wf(w.top, "spec", "list")
			return
		}
		name = fmt.Sprintf("s%d", len(w.specs)+1)
		w.specs[name] = ""
	}
	wt := filepath.Join(w.tmp, "spec-"+name)
	file := "src/" + name + ".go"
	if w.rng.Intn(8) == 0 {
		// Out of order or unknown.
		sub := []string{"verify", "integrate", "delegate", "result", "show"}[w.rng.Intn(5)]
		w.wf(w.top, "spec", sub, []string{name, "nosuch"}[w.rng.Intn(2)])
		return
	}
	switch w.specs[name] {
	case "":
		args := []string{"spec", "new", name, "--goal", "build " + name, "--read", "README.md", "--modify", file + " (new)",
			"--require", "it works", "--constraint", "no new deps", "--deliverable", "the file"}
		if n := len(w.items(w.top)); n > 0 && w.rng.Intn(2) == 0 {
			args = append(args, "--item", fmt.Sprint(1+w.rng.Intn(n)))
		}
		if r := w.wf(w.top, args...); r.code == 0 {
			w.specs[name] = "draft"
		}
	case "draft":
		r := w.wf(w.top, "spec", "delegate", name, "--agent", "sub-"+name, "--worktree", "--path", wt, "--json")
		if r.code == 0 {
			w.specs[name] = "delegated"
			w.n["spec worktrees"]++
		}
	case "delegated":
		// The sub-agent works in its worktree and records its result.
		if _, err := os.Stat(wt); err != nil {
			w.specs[name] = "failed"
			return
		}
		if err := os.MkdirAll(filepath.Join(wt, "src"), 0o755); err != nil {
			w.fail("%v", err)
		}
		if err := os.WriteFile(filepath.Join(wt, file), []byte("package main\n// "+name+"\n"), 0o644); err != nil {
			w.fail("%v", err)
		}
		w.git(wt, "add", file)
		w.logf("  (spec-%s) %s", name, w.git(wt, "commit", "-q", "--no-verify", "-m", "work on "+name))
		status := "complete"
		if w.rng.Intn(4) == 0 {
			status = "failed: it did not build, bucket: build-fail"
		}
		body := fmt.Sprintf("## Status\n%s\n## Changes\n- %s (+2 -0) the work\n## Decisions\n- %s\n## Tests needed\n- %s works\n## Issues\n(none)\n",
			status, file, w.uniq("spec-decision"), name)
		if r := w.wfIn(wt, body, "spec", "result", name); r.code == 0 {
			w.specs[name] = "returned"
			if strings.HasPrefix(status, "failed") {
				w.specs[name] = "failed"
			}
		}
	case "returned":
		if r := w.wf(w.top, "spec", "verify", name); r.code == 0 {
			w.specs[name] = "verified"
		}
	case "verified":
		r := w.git(w.top, "merge", "-q", "--no-edit", "wf/spec/"+name)
		w.logf("  %s %s", r, strings.TrimSpace(r.err))
		if r.code != 0 {
			if w.gitOperation() != "" {
				w.logf("  %s", w.git(w.top, "merge", "--abort"))
			}
			return
		}
		w.specs[name] = "merged"
	case "merged":
		r := w.wf(w.top, "spec", "integrate", name, "--json")
		if r.code == 0 {
			w.specs[name] = "integrated"
			w.noteCheckpoint(r, "main")
		}
	}
}

// hookFailing reports whether the seed's pre-commit hook refuses now: it
// does while HOOKFAIL exists in the work tree. git operations move that
// file too (stash -u, a failed stash, a checkout), so the oracle asks
// the file, never what the soak last did to it.
func (w *world) hookFailing() bool {
	if !w.feat.hook {
		return false
	}
	_, err := os.Lstat(filepath.Join(w.top, "HOOKFAIL"))
	return err == nil
}
