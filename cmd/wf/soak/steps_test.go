//go:build linux

package soak

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// stepTodo runs one todo subcommand with random, sometimes invalid,
// arguments.
func (w *world) stepTodo() {
	var args []string
	switch x := w.rng.Intn(20); {
	case x < 5:
		args = []string{"todo", "add", w.uniq("todo") + " " + w.word()}
		switch w.rng.Intn(6) {
		case 0:
			args = append(args, "--phase", w.phaseName())
		case 1:
			args = append(args, "--under", w.itemRef(w.top))
		case 2:
			args = []string{"todo", "add", ""}
		}
	case x < 9:
		args = []string{"todo", "done", w.itemRef(w.top)}
		if w.rng.Intn(5) == 0 {
			args = append(args, w.itemRef(w.top))
		}
	case x < 10:
		args = []string{"todo", "undo", w.itemRef(w.top)}
	case x < 13:
		args = []string{"todo", "next"}
	case x < 14:
		args = []string{"todo", "skip", w.itemRef(w.top)}
		if w.rng.Intn(4) != 0 {
			args = append(args, "--reason", "not needed "+w.word())
		}
	case x < 16:
		args = []string{"todo", "fail", w.itemRef(w.top), "--bucket", []string{"test-fail", "build-fail", "tool-error", "weird"}[w.rng.Intn(4)], "--reason", "it broke"}
	case x < 17:
		args = []string{"todo", "edit", w.itemRef(w.top), w.uniq("edited") + " " + w.word()}
	case x < 18:
		args = []string{"todo", "rm", w.itemRef(w.top)}
		if w.rng.Intn(2) == 0 {
			args = append(args, "-r")
		}
	case x < 19:
		args = []string{"todo", "list"}
	default:
		args = []string{"todo", []string{"complete", "dne", "add"}[w.rng.Intn(3)], "--bogus"}
	}
	w.wf(w.top, w.maybeJSON(args)...)
}

func (w *world) stepDecideBlock() {
	switch w.rng.Intn(5) {
	case 0, 1:
		w.wf(w.top, w.maybeJSON([]string{"decide", w.uniq("decision") + " " + w.word()})...)
	case 2:
		w.wf(w.top, w.maybeJSON([]string{"block", w.uniq("blocker")})...)
	case 3:
		w.wf(w.top, w.maybeJSON([]string{"unblock", fmt.Sprint(w.rng.Intn(3))})...)
	default:
		w.wf(w.top, "decide", "")
	}
}

func (w *world) stepPhase() {
	sub := []string{"start", "complete", "reopen", "add"}[w.rng.Intn(4)]
	args := []string{"phase", sub, w.phaseName()}
	switch sub {
	case "reopen":
		args = append(args, "--why", "again")
		if w.rng.Intn(3) == 0 {
			args = append(args, "--force")
		}
	case "add":
		args = []string{"phase", "add", []string{"Review", "Docs", "Planning"}[w.rng.Intn(3)]}
		switch w.rng.Intn(4) {
		case 0:
			args = append(args, "--review")
		case 1:
			args = append(args, "--once")
		case 2:
			args = append(args, "--max-loops", "1")
		}
	}
	r := w.wf(w.top, w.maybeJSON(args)...)
	w.noteNestedCheckpointID(r)
}

func (w *world) stepSignal() {
	var args []string
	switch w.rng.Intn(9) {
	case 0, 1:
		args = []string{"pause", "--reason", "lunch"}
	case 2, 3, 4:
		args = []string{"continue"}
	case 5:
		args = []string{"mode", "manual"}
	case 6:
		args = []string{"mode", "auto"}
	case 7:
		args = []string{"heartbeat"}
	default:
		args = []string{"stop", "--reason", "done for today"}
	}
	r := w.wf(w.top, w.maybeJSON(args)...)
	w.noteNestedCheckpointID(r)
}

// noteNestedCheckpointID records the checkpoint a lifecycle command made:
// its JSON names only the id, so the commit is looked up in git.
func (w *world) noteNestedCheckpointID(r res) {
	if r.code != 0 || !strings.HasPrefix(strings.TrimSpace(r.out), "{") {
		return
	}
	var doc struct {
		Checkpoint json.RawMessage
	}
	if json.Unmarshal([]byte(r.out), &doc) != nil || len(doc.Checkpoint) == 0 {
		return
	}
	var id string
	if json.Unmarshal(doc.Checkpoint, &id) != nil || id == "" {
		w.noteCheckpoint(res{out: string(doc.Checkpoint)}, "main")
		return
	}
	g := w.git(w.top, "log", "--all", "--format=%H", "--grep", "^Wf-Checkpoint: "+id+"$")
	c := strings.Fields(g.out)
	if len(c) == 0 {
		w.fail("%s reported checkpoint %s, which no commit in git log --all names", r, id)
	}
	w.reported = append(w.reported, reported{id: id, commit: c[0], where: "main"})
	w.n["checkpoints reported"]++
}

func (w *world) stepWait() {
	var args []string
	switch w.rng.Intn(12) {
	case 0:
		args = []string{"wait", "approval", "ship it " + w.word()}
	case 1:
		args = []string{"wait", "until", time.Now().Add(time.Duration(w.rng.Intn(4)) * time.Second).UTC().Format(time.RFC3339)}
	case 2:
		args = []string{"wait", "file", "flags/" + w.uniq("flag")}
	case 3:
		args = []string{"wait", "signal", []string{"deploy", "ci-green"}[w.rng.Intn(2)]}
	case 4:
		args = []string{"wait", "command", "test -e flags/go", "--every", "1s"}
	case 5, 6:
		args = []string{"approve"}
		if w.rng.Intn(3) == 0 {
			args = append(args, fmt.Sprintf("w%d", 1+w.rng.Intn(4)))
		}
	case 7:
		args = []string{"reject", "--reason", "not yet", "--then", []string{"retry", "skip", "stop", "bogus"}[w.rng.Intn(4)]}
	case 8:
		args = []string{"signal", []string{"deploy", "ci-green", "nobody-waits"}[w.rng.Intn(3)]}
	case 9:
		w.write("flags/go", "go\n")
		args = []string{"check"}
	default:
		args = []string{"check"}
	}
	r := w.wf(w.top, w.maybeJSON(args)...)
	w.noteNestedCheckpointID(r)
}

func (w *world) stepRead() {
	var args []string
	switch w.rng.Intn(9) {
	case 0:
		args = []string{"resume", "--budget", fmt.Sprint([]int{0, 300, 800, 2000, 5000}[w.rng.Intn(5)])}
	case 1:
		args = []string{"log", "-n", fmt.Sprint(w.rng.Intn(5))}
	case 2:
		id := "nosuchid"
		if len(w.reported) > 0 && w.rng.Intn(4) != 0 {
			id = w.reported[w.rng.Intn(len(w.reported))].id
			if w.rng.Intn(2) == 0 {
				id = id[:15]
			}
		}
		args = []string{"show", id}
	case 3:
		args = []string{"status"}
	case 4:
		args = []string{"lint"}
	case 5:
		args = []string{"stats"}
	case 6:
		args = []string{"effect", "check", "nokey"}
	case 7:
		args = []string{"spec", "list"}
	default:
		args = []string{"resume", "--full"}
	}
	dir := w.top
	if w.rng.Intn(5) == 0 {
		dir = w.linked
		w.touchedLinked = true
	}
	w.wf(dir, w.maybeJSON(args)...)
}

// stepCheckpoint makes a checkpoint and holds it to git's oracle: its tree
// is what git add -A stages on a copy of the work tree taken just before
// (in both modes, wf's own files apart); in branch mode git status is clean
// after it and a failing pre-commit hook changes nothing; in ref mode HEAD
// and the index do not move.
func (w *world) stepCheckpoint() {
	args := []string{"checkpoint", "--json"}
	if w.rng.Intn(10) != 0 {
		args = append(args, "-m", "soak "+w.word())
	}
	on := ""
	if w.rng.Intn(3) == 0 {
		on = []string{"branch", "ref"}[w.rng.Intn(2)]
		args = append(args, "--on", on)
	}
	if w.rng.Intn(3) == 0 {
		args = append(args, "--summary", "where it stands "+w.word())
	}
	if w.rng.Intn(4) == 0 {
		args = append(args, "--decision", w.uniq("cp-decision"))
	}
	if w.rng.Intn(5) == 0 {
		args = append(args, "--no-verify")
	}
	mode := on
	if mode == "" {
		mode = w.settingsMode(w.top)
	}
	// Make some work to commit.
	if w.rng.Intn(2) == 0 {
		w.write(fmt.Sprintf("src/f%d.go", w.rng.Intn(6)), fmt.Sprintf("package main\n\n// %s\n", w.uniq("work")))
	}
	if w.feat.attrs && w.rng.Intn(3) == 0 {
		w.write(fmt.Sprintf("data/y%d.dat", w.rng.Intn(3)), "more lower case "+w.word()+"\n")
		w.write("docs/crlf.txt", "line one\r\nline "+w.word()+"\n")
	}
	oracle := w.watch == nil && w.held == nil && w.gitOperation() == ""
	var want map[string]string
	var headBefore, indexBefore string
	var stateBefore map[string]string
	if oracle {
		want = w.stageOnCopy()
		headBefore = w.git(w.top, "rev-parse", "-q", "--verify", "HEAD").out
		indexBefore = w.git(w.top, "ls-files", "-s").out
		stateBefore = map[string]string{"workflow-state.md": w.read(w.top, "workflow-state.md"), "TODO.md": w.read(w.top, "TODO.md"), "checkpoints/": w.listDir("checkpoints")}
	}
	r := w.wf(w.top, args...)
	hookFails := mode == "branch" && w.hookFailing() && !contains(args, "--no-verify")
	if r.code == 0 && hookFails && oracle {
		w.fail("%s succeeded although the pre-commit hook fails", r)
	}
	if r.code != 0 {
		if oracle && (hookFails || r.code == 1) {
			if h := w.git(w.top, "rev-parse", "-q", "--verify", "HEAD").out; h != headBefore {
				w.fail("%s failed (exit %d) but HEAD moved %s -> %s", r, r.code, strings.TrimSpace(headBefore), strings.TrimSpace(h))
			}
			for name, before := range stateBefore {
				now := w.read(w.top, name)
				if name == "checkpoints/" {
					now = w.listDir("checkpoints")
				}
				if now != before && hookFails {
					w.fail("%s was refused by the pre-commit hook but changed %s", r, name)
				}
			}
		}
		return
	}
	w.noteCheckpoint(r, "main")
	if !oracle {
		return
	}
	var doc struct{ Commit, Mode string }
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		w.fail("%s: --json output does not parse: %v\n%s", r, err, r.out)
	}
	if doc.Mode != mode {
		w.fail("%s: mode %q, want %q (Settings or --on)", r, doc.Mode, mode)
	}
	got := w.lsTree(w.top, doc.Commit)
	w.n["checkpoints compared with git add -A"]++
	for p := range got {
		if ownFile(p) {
			delete(got, p)
		}
	}
	for p := range want {
		if ownFile(p) {
			delete(want, p)
		}
	}
	if d := diffTrees(want, got); d != "" {
		w.fail("%s: the checkpoint's tree is not what git add -A stages (want = git, got = wf):\n%s", r, d)
	}
	if mode == "branch" {
		if st := w.statusPorcelain(); st != "" {
			w.fail("%s: git status is not clean after a branch-mode checkpoint:\n%s", r, st)
		}
		if h := strings.TrimSpace(w.git(w.top, "rev-parse", "HEAD").out); h != doc.Commit {
			w.fail("%s: HEAD is %s, the checkpoint %s", r, h, doc.Commit)
		}
	} else {
		if h := w.git(w.top, "rev-parse", "-q", "--verify", "HEAD").out; h != headBefore {
			w.fail("%s: a ref-mode checkpoint moved HEAD", r)
		}
		if ix := w.git(w.top, "ls-files", "-s").out; ix != indexBefore {
			w.fail("%s: a ref-mode checkpoint changed the index:\nbefore:\n%s\nafter:\n%s", r, indexBefore, ix)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ownFile reports the paths wf itself writes into a checkpoint.
func ownFile(p string) bool {
	return p == "workflow-state.md" || p == "TODO.md" || strings.HasPrefix(p, "checkpoints/")
}

func (w *world) listDir(rel string) string {
	ents, _ := os.ReadDir(filepath.Join(w.top, rel))
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return strings.Join(names, "\n")
}

// stageOnCopy copies the repository and returns what git add -A then
// git write-tree stage there, as path -> "mode type hash".
func (w *world) stageOnCopy() map[string]string {
	cp := filepath.Join(w.tmp, "copy")
	_ = os.RemoveAll(cp)
	if r := w.exec(w.tmp, "", "cp", "-a", w.top, cp); r.code != 0 {
		w.fail("cp -a: %s", r.err)
	}
	defer os.RemoveAll(cp)
	if r := w.git(cp, "add", "-A"); r.code != 0 {
		w.fail("git add -A on the copy: %s%s", r.out, r.err)
	}
	tree := w.mustGit(cp, "write-tree")
	return w.lsTree(cp, tree)
}

func (w *world) lsTree(dir, treeish string) map[string]string {
	out := w.mustGit(dir, "ls-tree", "-r", "--full-tree", treeish)
	m := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		meta, path, ok := strings.Cut(line, "\t")
		if ok {
			m[path] = meta
		}
	}
	return m
}

func diffTrees(want, got map[string]string) string {
	var b strings.Builder
	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	for k := range keys {
		if want[k] != got[k] {
			fmt.Fprintf(&b, "  %s: git %q, wf %q\n", k, want[k], got[k])
		}
	}
	return b.String()
}

func (w *world) statusPorcelain() string {
	return strings.TrimRight(w.mustGit(w.top, "status", "--porcelain", "--ignore-submodules=none"), "\n")
}

// gitOperation names the git operation in progress in the main worktree
// ("" for none), read from the git folder as git's own prompt does.
func (w *world) gitOperation() string {
	for _, f := range []string{"rebase-merge", "rebase-apply", "MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "BISECT_LOG"} {
		if _, err := os.Lstat(filepath.Join(w.top, ".git", f)); err == nil {
			return f
		}
	}
	return ""
}

// stepRecover continues from a reported checkpoint on a new branch. wf
// refuses with uncommitted work, so it mostly runs after a commit.
func (w *world) stepRecover() {
	if len(w.reported) == 0 {
		w.wf(w.top, "recover", "nosuchid", "--why", "nothing to recover")
		return
	}
	// wf watch would checkpoint (and so clean the work tree) between
	// git status and wf recover: the refusal below needs it stopped.
	w.stopWatch()
	c := w.reported[w.rng.Intn(len(w.reported))]
	args := []string{"recover", c.id, "--json"}
	if w.rng.Intn(6) != 0 {
		args = append(args, "--why", "back to "+c.id)
	}
	if w.rng.Intn(2) == 0 {
		args = append(args, "--branch", w.uniq("soak/recover"))
	}
	dirty := w.statusPorcelain() != ""
	r := w.wf(w.top, args...)
	if r.code == 0 {
		if dirty {
			w.fail("%s succeeded with uncommitted changes in the work tree", r)
		}
		w.noteCheckpoint(r, "main")
		// The work tree is now the older checkpoint's: hand edits made
		// after it were committed and stay in history, not in the files.
		w.keepPresentHands()
	}
}

// keepPresentHands drops the hand edits no longer in the files after wf
// recover or a git operation that legitimately rewinds the files (only
// when every hand edit was committed before).
func (w *world) keepPresentHands() {
	var keep []hand
	for _, h := range w.hands {
		if strings.Contains(w.read(filepath.Dir(h.file), filepath.Base(h.file)), h.marker) {
			keep = append(keep, h)
		}
	}
	w.hands = keep
}

// --- hand edits ---

// handSave writes content to path the way editors save: 0 in place
// (truncate and write), 1 a temp file renamed over it, 2 the original
// renamed to a backup, the new file written, the backup removed.
func handSave(path string, content []byte, how int) error {
	switch how {
	case 0:
		return os.WriteFile(path, content, 0o644)
	case 1:
		tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".swp")
		if err := os.WriteFile(tmp, content, 0o644); err != nil {
			return err
		}
		return os.Rename(tmp, path)
	default:
		bak := path + "~"
		if err := os.Rename(path, bak); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
		return os.Remove(bak)
	}
}

var saveNames = []string{"in-place", "temp-and-rename", "rename-original-then-write"}

// stepHandEdit edits TODO.md or workflow-state.md by hand, sometimes while
// a wf command writes the same files. The edit adds a marker line (an
// HTML comment) that must survive every later wf command; some edits tick
// an item or add one, as people do.
func (w *world) stepHandEdit() {
	var concurrent *bgProc
	var args []string
	if w.rng.Intn(2) == 0 {
		args = [][]string{
			{"todo", "add", w.uniq("during-hand-edit")},
			{"decide", w.uniq("decided-during-hand-edit")},
			{"todo", "next"},
			{"todo", "done", w.itemRef(w.top)},
			{"heartbeat"},
			{"checkpoint", "--json", "-m", "during a hand edit"},
			{"checkpoint", "--json", "-m", "during a hand edit", "--on", "ref"},
			{"pause", "--reason", "hand edit"},
		}[w.rng.Intn(8)]
		w.logf("  wf %s (running during the hand edit)", strings.Join(args, " "))
		concurrent = w.startBG(w.top, "", w.bin, args...)
		w.n["wf processes"]++
	}
	for range 1 + w.rng.Intn(3) {
		if concurrent != nil {
			time.Sleep(time.Duration(w.rng.Intn(30000)) * time.Microsecond)
		}
		w.handSaveOnce()
	}
	if concurrent != nil {
		code := w.waitBG(concurrent, "wf during a hand edit")
		w.n["wf commands during hand edits"]++
		r := res{args: append([]string{"wf"}, args...), code: code, out: concurrent.out.String(), err: concurrent.err.String()}
		w.logf("  ... %s %s", r, strings.TrimSpace(r.err))
		w.sane(r)
		w.noteCheckpoint(r, "main")
		w.checkHands("a wf command that ran during the hand edit")
	}
	// The next wf command must keep it: check right after one.
	w.wf(w.top, "todo", "list")
	w.checkHands("the wf command after the hand edit")
}

// handSaveOnce reads TODO.md or workflow-state.md, adds a marker line
// (and in TODO.md sometimes ticks or adds an item) and saves it one of the
// three ways.
func (w *world) handSaveOnce() {
	file := []string{"TODO.md", "workflow-state.md"}[w.rng.Intn(2)]
	how := w.rng.Intn(3)
	marker := "<!-- " + w.uniq("hand") + " -->"
	path := filepath.Join(w.top, file)
	b, err := os.ReadFile(path)
	if err != nil {
		w.logf("  cannot read %s: %v", file, err)
		return
	}
	s := string(b)
	if file == "TODO.md" && w.rng.Intn(3) == 0 {
		s = strings.Replace(s, "- [ ] ", "- [x] ", 1)
	}
	if file == "TODO.md" && w.rng.Intn(3) == 0 {
		s = strings.TrimRight(s, "\n") + "\n- [ ] " + w.uniq("hand-item") + "\n"
	}
	s = strings.TrimRight(s, "\n") + "\n\n" + marker + "\n"
	if err := handSave(path, []byte(s), how); err != nil {
		w.fail("hand save %s: %v", file, err)
	}
	w.hands = append(w.hands, hand{file: path, marker: marker})
	w.n["hand edits"]++
	w.n["hand edits "+saveNames[how]]++
	w.logf("  hand edit %s (%s): %s", file, saveNames[how], marker)
}

// --- kills ---

// stepKill starts a writing wf command and SIGKILLs it at a random moment,
// then runs the next wf command, which must complete or roll back what the
// killed one started.
func (w *world) stepKill() {
	args := [][]string{
		{"checkpoint", "-m", "killed " + w.word()},
		{"checkpoint", "-m", "killed " + w.word()},
		{"checkpoint", "-m", "killed ref", "--on", "ref"},
		{"todo", "add", w.uniq("killed-add")},
		{"todo", "done", w.itemRef(w.top)},
		{"decide", w.uniq("killed-decide")},
		{"pause", "--reason", "killed"},
		{"phase", "complete", w.phaseName()},
	}[w.rng.Intn(8)]
	if w.rng.Intn(2) == 0 {
		w.write(fmt.Sprintf("src/k%d.go", w.rng.Intn(4)), "package main\n// "+w.uniq("k")+"\n")
	}
	delay := time.Duration(w.rng.Intn(45000)) * time.Microsecond
	p := w.startBG(w.top, "", w.bin, args...)
	w.n["wf processes"]++
	time.Sleep(delay)
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	code := w.waitBG(p, "a killed wf")
	if code == -int(syscall.SIGKILL) {
		w.n["kills"]++
		w.logf("  wf %s killed after %s", strings.Join(args, " "), delay)
	} else {
		w.n["kills too late"]++
		w.logf("  wf %s ended (%d) before the kill at %s", strings.Join(args, " "), code, delay)
		w.sane(res{args: append([]string{"wf"}, args...), code: code, out: p.out.String(), err: p.err.String()})
	}
	// The next command opens the workflow and recovers.
	r := w.wf(w.top, "heartbeat")
	if r.code != 0 && r.code != 3 {
		w.fail("%s after a kill: %s", r, r.err)
	}
}

// --- concurrency ---

// stepConcurrent runs 2-4 writing wf processes at once in the main
// worktree and 1-2 in the linked one; every one that succeeds must have
// its effect in the files afterwards.
func (w *world) stepConcurrent() {
	type job struct {
		dir  string
		args []string
		want string // text that must be in the files when it succeeded
	}
	var jobs []job
	for range 2 + w.rng.Intn(3) {
		switch w.rng.Intn(5) {
		case 0, 1:
			t := w.uniq("conc-add")
			jobs = append(jobs, job{w.top, []string{"todo", "add", t}, t})
		case 2:
			t := w.uniq("conc-decide")
			jobs = append(jobs, job{w.top, []string{"decide", t}, t})
		case 3:
			jobs = append(jobs, job{w.top, []string{"checkpoint", "--json", "-m", "concurrent " + w.word()}, ""})
		default:
			jobs = append(jobs, job{w.top, []string{"resume"}, ""})
		}
	}
	for range 1 + w.rng.Intn(2) {
		if w.rng.Intn(2) == 0 {
			t := w.uniq("linked-add")
			jobs = append(jobs, job{w.linked, []string{"todo", "add", t}, t})
		} else {
			jobs = append(jobs, job{w.linked, []string{"checkpoint", "--json", "-m", "linked " + w.word()}, ""})
		}
	}
	w.touchedLinked = true
	results := make([]res, len(jobs))
	hung := make([]bool, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], hung[i] = w.execRaw(j.dir, "", w.bin, j.args...)
			results[i].args[0] = "wf"
		}()
	}
	wg.Wait()
	w.n["concurrent rounds"]++
	for i, j := range jobs {
		r := results[i]
		w.n["wf processes"]++
		w.n["concurrent wf processes"]++
		w.logf("  (concurrent) %s%s", relDir(w, j.dir), r)
		if hung[i] {
			w.fail("%s hung", r)
		}
		w.sane(r)
		if r.code == 0 && j.want != "" {
			f := "TODO.md"
			if j.args[0] == "decide" {
				f = "workflow-state.md"
			}
			if !strings.Contains(w.read(j.dir, f), j.want) {
				w.fail("%s succeeded but %s is not in %s", r, j.want, f)
			}
		}
		where := "main"
		if j.dir == w.linked {
			where = "linked"
		}
		w.noteCheckpoint(r, where)
	}
}

// --- wf watch ---

// stepWatch starts wf watch, or stops the one running with SIGTERM and
// reads its events: each line is a JSON object, the last one "stop", and
// its auto-checkpoints join the reported ones.
func (w *world) stepWatch() {
	if w.watch == nil {
		args := []string{"watch", "--json", "--debounce", fmt.Sprintf("%dms", 100+w.rng.Intn(400))}
		if w.rng.Intn(3) == 0 {
			args = append(args, "--poll", "--poll-interval", "200ms")
		}
		w.watch = w.startBG(w.top, "", w.bin, args...)
		w.watchUntil = w.step + 2 + w.rng.Intn(8)
		w.n["wf processes"]++
		w.n["watch runs"]++
		w.logf("  wf %s (in the background)", strings.Join(args, " "))
		time.Sleep(150 * time.Millisecond)
		return
	}
	w.stopWatch()
}

func (w *world) stopWatch() {
	p := w.watch
	if p == nil {
		return
	}
	w.watch = nil
	time.Sleep(time.Duration(w.rng.Intn(300)) * time.Millisecond)
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	code := w.waitBG(p, "wf watch after SIGTERM")
	w.logf("  wf watch stopped -> %d", code)
	out := strings.TrimSpace(p.out.String())
	if code != 0 && code != 3 {
		w.fail("wf watch ended with %d after SIGTERM\nstderr: %s\nstdout: %s", code, p.err.String(), out)
	}
	if code == 3 {
		return // another watch held the worktree
	}
	lines := strings.Split(out, "\n")
	last := ""
	for _, l := range lines {
		var ev struct {
			Event, Checkpoint, Commit, File string
		}
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			w.fail("wf watch --json printed a line that is not JSON: %q (%v)", l, err)
		}
		last = ev.Event
		if ev.Event == "checkpoint" {
			w.reported = append(w.reported, reported{id: ev.Checkpoint, commit: ev.Commit, file: ev.File, where: "watch"})
			w.n["checkpoints reported"]++
			w.n["watch auto-checkpoints"]++
		}
	}
	if last != "stop" {
		w.fail("wf watch's last event is %q, not stop\n%s", last, out)
	}
}

// --- locks that are not wf's ---

// stepForeignLock takes or releases .git/index.lock for a live foreign
// process (as a long git add holds it): while it is held, a branch-mode
// checkpoint must fail with exit 3 and leave the lock.
func (w *world) stepForeignLock() {
	if w.held != nil {
		if r := w.wf(w.top, "checkpoint", "-m", "under a foreign index.lock", "--on", "branch", "--json", "--lock-wait", "200ms"); r.code == 0 {
			w.fail("%s succeeded while another process holds .git/index.lock", r)
		} else if r.code != 3 {
			w.fail("%s: exit %d under a foreign index.lock, docs/exit-codes.md says 3", r, r.code)
		}
		w.releaseIndex()
		return
	}
	p := filepath.Join(w.top, ".git", "index.lock")
	content := fmt.Sprintf("foreign index lock %d\n", w.step)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		w.fail("%v", err)
	}
	f, err := os.Open(p)
	if err != nil {
		w.fail("%v", err)
	}
	cmd := exec.Command("sleep", "3600")
	cmd.Stdin = f
	// It dies with the test, even one killed by go test's timeout.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		w.fail("%v", err)
	}
	f.Close()
	w.held = cmd
	w.heldUntil = w.step + 1 + w.rng.Intn(4)
	w.foreign = append(w.foreign, foreignLk{path: p, content: content})
	w.n["foreign index.lock held"]++
	w.logf("  .git/index.lock held by pid %d", cmd.Process.Pid)
}

func (w *world) releaseIndex() {
	if w.held == nil {
		return
	}
	_ = w.held.Process.Kill()
	_ = w.held.Wait()
	w.held = nil
	p := filepath.Join(w.top, ".git", "index.lock")
	w.checkForeign()
	var keep []foreignLk
	for _, f := range w.foreign {
		if f.path != p {
			keep = append(keep, f)
		}
	}
	w.foreign = keep
	if err := os.Remove(p); err != nil {
		w.fail("removing our own index.lock: %v", err)
	}
	w.logf("  .git/index.lock released")
}

// stepCommitMode switches Settings: commit between branch and ref by hand.
func (w *world) stepCommitMode() {
	if w.settingsMode(w.top) == "branch" {
		w.setMode("ref")
	} else {
		w.setMode("branch")
	}
	w.n["commit mode switches"]++
}
