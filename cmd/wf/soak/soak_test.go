//go:build linux

package soak

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wf-tool/wf/gitcp/gittest"

	// The soak runs a wf it builds with go build, which go test's cache
	// does not see: importing the verbs (and so every package below
	// them) makes a change there run the soak again instead of
	// reporting a cached pass. scripts/test.sh runs with -count=1.
	_ "github.com/wf-tool/wf/cmd/wf/internal/verbs"
)

// The flags of a long run or a replay. Without them the test runs the
// short mode: shortSeeds seeds of shortSteps steps.
var (
	flagSeed  = flag.Int64("soak.seed", 0, "run this one seed (replay a failure with -soak.seed=N -soak.steps=M)")
	flagSeeds = flag.Int("soak.seeds", 0, "run seeds 1..N (default: the short mode's)")
	flagSteps = flag.Int("soak.steps", 0, "steps per seed (default: the short mode's)")
	flagFirst = flag.Int64("soak.first", 1, "the first seed of -soak.seeds (to split a long run over processes)")
)

const (
	shortSeeds = 3
	shortSteps = 35
	// wfTimeout is how long one wf or git process may run before the
	// soak calls it a hang.
	wfTimeout = 90 * time.Second
)

// counts is what a run did, printed at the end (docs/soak.md records
// them): steps by kind, wf processes, kills, concurrent rounds, hand
// edits, git operations, checkpoints checked.
type counts map[string]int

func (c counts) add(o counts) {
	for k, v := range o {
		c[k] += v
	}
}

func (c counts) String() string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-28s %d\n", k, c[k])
	}
	return b.String()
}

// TestSoak is the soak: for each seed a fresh repository, then the seed's
// steps, each followed by the invariant checks. A failure names the seed
// and the step and prints the step log.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("the soak runs wf and git processes for about a minute; not with -short")
	}
	bin := buildWF(t)
	seeds := []int64{}
	steps := shortSteps
	if *flagSteps > 0 {
		steps = *flagSteps
	}
	switch {
	case *flagSeed != 0:
		seeds = append(seeds, *flagSeed)
	case *flagSeeds > 0:
		for i := range *flagSeeds {
			seeds = append(seeds, *flagFirst+int64(i))
		}
	default:
		for i := range shortSeeds {
			seeds = append(seeds, int64(i+1))
		}
	}
	total := counts{}
	start := time.Now()
	for _, seed := range seeds {
		// A failing seed does not stop the others: a long run reports
		// every seed that fails.
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			w := newWorld(t, bin, seed)
			defer func() { total.add(w.n) }()
			w.run(steps)
		})
	}
	t.Logf("soak: %d seeds × %d steps in %s\n%s", len(seeds), steps, time.Since(start).Round(time.Second), total)
}

// built is the wf binary TestMain built for the run ("" when the build
// failed; buildErr says why).
var built, buildErr string

// TestMain builds cmd/wf once for every test of the package, into a
// temporary folder removed at the end.
func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "wf-soak-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if !testing.Short() {
		bin := filepath.Join(dir, "wf")
		cmd := exec.Command("go", "build", "-o", bin, "github.com/wf-tool/wf/cmd/wf")
		cmd.Dir = "../../.."
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Sprintf("go build wf: %v\n%s", err, out)
		} else {
			built = bin
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildWF returns the binary TestMain built.
func buildWF(t *testing.T) string {
	t.Helper()
	if built == "" {
		t.Fatal(buildErr)
	}
	return built
}

// world is one seed's repository and everything the oracles remember
// about it.
type world struct {
	t      *testing.T
	seed   int64
	rng    *rand.Rand
	bin    string
	env    []string
	tmp    string // holds top, the linked worktree, spec worktrees, copies
	top    string // the main worktree
	linked string // a linked worktree with its own workflow

	feat struct{ attrs, submodule, hook, symlink bool }

	step int
	log  []string
	n    counts

	hands    []hand      // hand edits that must survive
	reported []reported  // checkpoints wf reported as made
	foreign  []foreignLk // lock files that are not ours to remove
	held     *exec.Cmd   // a live process holding .git/index.lock
	// heldUntil is the step after which the soak releases it.
	heldUntil int
	// watchUntil is the step after which the soak stops wf watch: the
	// checks that need nothing running (resume, leftovers) run on most
	// steps.
	watchUntil int
	watch      *bgProc // wf watch, while it runs
	specs      map[string]string
	nextID     int
	hookFail   bool
	// touchedLinked is set by a step that ran wf in the linked worktree.
	touchedLinked bool
	// onFail, when set, receives an invariant's failure instead of the
	// test failing (the oracles' own test).
	onFail func(msg string)
}

type hand struct{ file, marker string }

type reported struct {
	id, commit, file, where string
	verified                bool // its trailers and file were checked
}

type foreignLk struct{ path, content string }

func newWorld(t *testing.T, bin string, seed int64) *world {
	home := t.TempDir()
	env := []string{}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GIT_") || strings.HasPrefix(k, "WF_") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, gittest.Environ(home)...)
	env = append(env, "WF_LOCK_WAIT=20s", "WF_SESSION=soak")
	w := &world{t: t, seed: seed, rng: rand.New(rand.NewSource(seed)), bin: bin, env: env,
		tmp: t.TempDir(), n: counts{}, specs: map[string]string{}}
	w.top = filepath.Join(w.tmp, "top")
	w.linked = filepath.Join(w.tmp, "linked")
	t.Cleanup(w.stopBackground)
	w.setup()
	return w
}

// logf adds a line to the step log.
func (w *world) logf(format string, args ...any) {
	w.log = append(w.log, fmt.Sprintf("%5d  ", w.step)+fmt.Sprintf(format, args...))
}

// fail stops the seed with the replay command and the step log.
func (w *world) fail(format string, args ...any) {
	w.t.Helper()
	w.stopBackground()
	msg := fmt.Sprintf(format, args...)
	if w.onFail != nil {
		w.onFail(msg)
		return
	}
	logText := strings.Join(w.log, "\n")
	p := filepath.Join(os.TempDir(), fmt.Sprintf("wf-soak-seed-%d.log", w.seed))
	_ = os.WriteFile(p, []byte(logText+"\nFAIL: "+msg+"\n"), 0o644)
	// Keep the repositories for a post-mortem (the test's own temp
	// folder is removed when it ends).
	keep := filepath.Join(os.TempDir(), fmt.Sprintf("wf-soak-seed-%d-repo", w.seed))
	_ = os.RemoveAll(keep)
	_ = exec.Command("cp", "-a", w.tmp, keep).Run()
	tail := w.log
	if len(tail) > 80 {
		tail = tail[len(tail)-80:]
	}
	w.t.Fatalf("seed %d, step %d: %s\nreplay: go test ./cmd/wf/soak -run TestSoak -v -soak.seed=%d -soak.steps=%d\nfull step log: %s\nrepositories kept in %s\nlast steps:\n%s",
		w.seed, w.step, msg, w.seed, w.step, p, keep, strings.Join(tail, "\n"))
}

// res is one finished process.
type res struct {
	args     []string
	code     int
	out, err string
	killed   bool
}

func (r res) String() string {
	return fmt.Sprintf("%s -> %d", strings.Join(r.args, " "), r.code)
}

// command builds a process with the soak's environment.
func (w *world) command(ctx context.Context, dir, stdin, name string, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = w.env
	if w.held != nil {
		// The foreign index.lock stays until the soak releases it: wf
		// need not wait 20s for it each time.
		cmd.Env = append(append([]string{}, w.env...), "WF_LOCK_WAIT=1s")
	}
	// A child that outlives its parent (a detached git gc) must not keep
	// Wait waiting for the pipes.
	cmd.WaitDelay = 10 * time.Second
	// Nothing the soak starts outlives it, even when go test's timeout
	// kills it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	return cmd, &o, &e
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return -int(ws.Signal())
		}
		return ee.ExitCode()
	}
	if err != nil {
		return -1000
	}
	return 0
}

// execRaw runs a process to its end; hung is set when it ran past
// wfTimeout and was killed. Safe to call from several goroutines.
func (w *world) execRaw(dir, stdin, name string, args ...string) (r res, hung bool) {
	ctx, cancel := context.WithTimeout(context.Background(), wfTimeout)
	defer cancel()
	cmd, o, e := w.command(ctx, dir, stdin, name, args...)
	err := cmd.Run()
	return res{args: append([]string{name}, args...), code: exitCode(err), out: o.String(), err: e.String()}, ctx.Err() != nil
}

// exec runs a process to its end (a hang past wfTimeout fails the seed).
func (w *world) exec(dir, stdin, name string, args ...string) res {
	w.t.Helper()
	r, hung := w.execRaw(dir, stdin, name, args...)
	if hung {
		w.fail("%s hung for %s\nstderr: %s", r, wfTimeout, r.err)
	}
	return r
}

// wf runs the wf binary in dir and checks what every run must hold.
func (w *world) wf(dir string, args ...string) res {
	return w.wfIn(dir, "", args...)
}

func (w *world) wfIn(dir, stdin string, args ...string) res {
	w.t.Helper()
	r := w.exec(dir, stdin, w.bin, args...)
	r.args[0] = "wf"
	w.n["wf processes"]++
	w.logf("  %s%s", relDir(w, dir), r)
	w.sane(r)
	return r
}

func relDir(w *world, dir string) string {
	if dir == w.top {
		return ""
	}
	if rel, err := filepath.Rel(w.tmp, dir); err == nil {
		return "(" + rel + ") "
	}
	return "(" + dir + ") "
}

// sane checks what every wf run must hold however it ended: a documented
// exit code, no panic, and a clear error (wf: error:) for a failure.
func (w *world) sane(r res) {
	w.t.Helper()
	if r.killed {
		return
	}
	if strings.Contains(r.err, "panic:") || strings.Contains(r.err, "goroutine ") {
		w.fail("%s panicked:\n%s", r, r.err)
	}
	if r.code < 0 || r.code > 7 {
		w.fail("%s: exit code %d is not in docs/exit-codes.md\nstdout: %s\nstderr: %s", r, r.code, r.out, r.err)
	}
	if r.code != 0 && r.code != 5 && r.code != 7 && !strings.Contains(r.err, "wf: error: ") {
		w.fail("%s failed without a wf: error: line\nstdout: %s\nstderr: %s", r, r.out, r.err)
	}
}

// git runs git in dir and returns its result; mustGit fails the seed when
// git fails.
func (w *world) git(dir string, args ...string) res {
	r := w.exec(dir, "", "git", args...)
	return r
}

func (w *world) mustGit(dir string, args ...string) string {
	w.t.Helper()
	r := w.git(dir, args...)
	if r.code != 0 {
		w.fail("git %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.out, r.err)
	}
	return strings.TrimRight(r.out, "\n")
}

func (w *world) write(rel, content string) {
	w.t.Helper()
	p := filepath.Join(w.top, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.fail("%v", err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		w.fail("%v", err)
	}
}

func (w *world) read(dir, name string) string {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return ""
	}
	return string(b)
}

// setup makes the seed's repository: a few files, the seed's features,
// wf init, a first commit, a linked worktree with its own workflow and a
// foreign lock file.
func (w *world) setup() {
	w.mustGit(w.tmp, "init", "-q", "-b", "main", w.top)
	w.mustGit(w.top, "config", "gc.autoDetach", "false")
	w.write("src/main.go", "package main\n\nfunc main() {}\n")
	w.write("README.md", "# soak project\n")
	w.write("docs/notes.txt", "notes\n")
	w.feat.attrs = w.rng.Intn(2) == 0
	w.feat.submodule = w.rng.Intn(3) == 0
	w.feat.hook = w.rng.Intn(2) == 0
	w.feat.symlink = w.rng.Intn(2) == 0
	if w.feat.attrs {
		w.write(".gitattributes", "*.txt text eol=crlf\n*.dat filter=upper\n")
		w.mustGit(w.top, "config", "filter.upper.clean", "tr a-z A-Z")
		w.mustGit(w.top, "config", "filter.upper.smudge", "cat")
		w.write("data/x.dat", "lower case data\n")
		w.write("docs/crlf.txt", "line one\nline two\n")
	}
	if w.feat.hook {
		w.write(".git/hooks/pre-commit", "#!/bin/sh\nif [ -e HOOKFAIL ]; then echo 'pre-commit: HOOKFAIL is present' >&2; exit 1; fi\nexit 0\n")
		if err := os.Chmod(filepath.Join(w.top, ".git/hooks/pre-commit"), 0o755); err != nil {
			w.fail("%v", err)
		}
	}
	if w.feat.symlink {
		w.write("real/inside.txt", "inside\n")
		w.mustSymlink("real", "linkdir")
		if err := os.MkdirAll(filepath.Join(w.tmp, "outside"), 0o755); err != nil {
			w.fail("%v", err)
		}
		if err := os.WriteFile(filepath.Join(w.tmp, "outside", "secret-ish.txt"), []byte("outside the tree\n"), 0o644); err != nil {
			w.fail("%v", err)
		}
		w.mustSymlink("../outside", "outlink")
	}
	if w.feat.submodule {
		sub := filepath.Join(w.tmp, "subsrc")
		w.mustGit(w.tmp, "init", "-q", "-b", "main", sub)
		if err := os.WriteFile(filepath.Join(sub, "lib.go"), []byte("package lib\n"), 0o644); err != nil {
			w.fail("%v", err)
		}
		w.mustGit(sub, "add", "-A")
		w.mustGit(sub, "commit", "-q", "-m", "lib")
		w.mustGit(w.top, "-c", "protocol.file.allow=always", "submodule", "add", "-q", sub, "sub")
	}
	w.logf("setup: features %+v", w.feat)
	if r := w.wf(w.top, "init", "--phases", "Planning,Implementing,Testing"); r.code != 0 {
		w.fail("wf init: %s", r.err)
	}
	for i := range 3 + w.rng.Intn(4) {
		phase := []string{"Planning", "Implementing", "Testing"}[i%3]
		w.wf(w.top, "todo", "add", "--phase", phase, fmt.Sprintf("seed item %d %s", i, w.word()))
	}
	if w.rng.Intn(2) == 0 {
		w.setMode("ref")
	}
	w.mustGit(w.top, "add", "-A")
	w.mustGit(w.top, "commit", "-q", "-m", "start")
	w.mustGit(w.top, "worktree", "add", "-q", "-b", "linked", w.linked)
	// A foreign lock: a ref lock of a branch no one else uses, left by
	// some other program. wf must never remove it.
	w.addForeign(".git/refs/heads/foreign-branch.lock", "held by another program\n")
	w.addForeign("notes.lock", "an editor's lock file in the work tree\n")
	w.check()
}

func (w *world) mustSymlink(target, rel string) {
	if err := os.Symlink(target, filepath.Join(w.top, rel)); err != nil {
		w.fail("%v", err)
	}
}

func (w *world) addForeign(rel, content string) {
	w.write(rel, content)
	w.foreign = append(w.foreign, foreignLk{path: filepath.Join(w.top, rel), content: content})
}

var words = []string{"alpha", "parser", "cache", "limit", "retry", "index", "tree", "blob", "ref", "docs", "api", "route", "ünïcode", "tab\there", "emoji 🚀"}

func (w *world) word() string { return words[w.rng.Intn(len(words))] }

// uniq returns a fresh tag for texts the oracles look for later.
func (w *world) uniq(prefix string) string {
	w.nextID++
	return fmt.Sprintf("%s-%d-%d", prefix, w.seed, w.nextID)
}

// run does steps steps, each followed by the invariant checks.
func (w *world) run(steps int) {
	table := w.stepTable()
	total := 0
	for _, s := range table {
		total += s.weight
	}
	for w.step = 1; w.step <= steps; w.step++ {
		x := w.rng.Intn(total)
		var s step
		for _, s = range table {
			if x < s.weight {
				break
			}
			x -= s.weight
		}
		w.logf("%s", s.name)
		if w.step%100 == 0 {
			// With the counts so far: a long run stopped early still
			// says what it did.
			w.t.Logf("seed %d: step %d of %d (%s)\n%s", w.seed, w.step, steps, time.Now().UTC().Format(time.TimeOnly), w.n)
		}
		w.n["step "+s.name]++
		s.run()
		w.check()
		w.n["steps"]++
		if w.held != nil && w.step >= w.heldUntil {
			w.releaseIndex()
		}
		if w.watch != nil && w.step >= w.watchUntil {
			w.stopWatch()
			w.check()
		}
	}
	w.step--
	w.stopWatch()
	w.releaseIndex()
	w.check()
	w.n["seeds"]++
	w.t.Logf("seed %d: %d steps passed\n%s", w.seed, steps, w.n)
}

type step struct {
	name   string
	weight int
	run    func()
}

// stepTable is the seed's steps with their weights: each seed draws its
// own mix, so some seeds are kill-heavy and others hand-edit-heavy.
func (w *world) stepTable() []step {
	wt := func(base int) int { return base/2 + w.rng.Intn(base+1) }
	return []step{
		{"todo", wt(14), w.stepTodo},
		{"decide-block", wt(4), w.stepDecideBlock},
		{"checkpoint", wt(8), w.stepCheckpoint},
		{"phase", wt(4), w.stepPhase},
		{"signal", wt(3), w.stepSignal},
		{"wait", wt(4), w.stepWait},
		{"spec", wt(6), w.stepSpec},
		{"read", wt(5), w.stepRead},
		{"recover", wt(2), w.stepRecover},
		{"hand-edit", wt(10), w.stepHandEdit},
		{"kill", wt(6), w.stepKill},
		{"concurrent", wt(4), w.stepConcurrent},
		{"git", wt(8), w.stepGit},
		{"watch", wt(2), w.stepWatch},
		{"foreign-lock", wt(2), w.stepForeignLock},
		{"commit-mode", wt(2), w.stepCommitMode},
		{"mcp", wt(6), w.stepMCP},
	}
}

// bgProc is a process that runs across steps.
type bgProc struct {
	cmd    *exec.Cmd
	out    *bytes.Buffer
	err    *bytes.Buffer
	done   chan struct{}
	werr   error
	cancel context.CancelFunc
}

func (w *world) startBG(dir, stdin, name string, args ...string) *bgProc {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	cmd, o, e := w.command(ctx, dir, stdin, name, args...)
	p := &bgProc{cmd: cmd, out: o, err: e, done: make(chan struct{}), cancel: cancel}
	if err := cmd.Start(); err != nil {
		cancel()
		w.fail("start %s: %v", name, err)
	}
	go func() { p.werr = cmd.Wait(); close(p.done) }()
	return p
}

// wait waits for p to end (a hang past wfTimeout fails the seed).
func (w *world) waitBG(p *bgProc, what string) int {
	select {
	case <-p.done:
	case <-time.After(wfTimeout):
		_ = p.cmd.Process.Kill()
		<-p.done
		w.fail("%s hung for %s\nstderr: %s", what, wfTimeout, p.err.String())
	}
	p.cancel()
	return exitCode(p.werr)
}

// stopBackground ends what the soak started in the background (at a
// failure and at the end of the test).
func (w *world) stopBackground() {
	if w.watch != nil {
		_ = w.watch.cmd.Process.Kill()
		<-w.watch.done
		w.watch = nil
	}
	if w.held != nil {
		_ = w.held.Process.Kill()
		_ = w.held.Wait()
		w.held = nil
	}
}

// --- shared helpers of the steps ---

var itemLine = regexp.MustCompile(`(?m)^\s*[-*+] \[([ xX~-])\] (.*)$`)

// items are TODO.md's item lines, read directly (not through wf).
func (w *world) items(dir string) []string {
	var out []string
	for _, m := range itemLine.FindAllStringSubmatch(w.read(dir, "TODO.md"), -1) {
		out = append(out, m[2])
	}
	return out
}

// itemRef is an item argument: mostly a valid number, sometimes a piece
// of text, sometimes nonsense.
func (w *world) itemRef(dir string) string {
	n := len(w.items(dir))
	switch x := w.rng.Intn(20); {
	case x < 13 && n > 0:
		return fmt.Sprint(1 + w.rng.Intn(n))
	case x < 16 && n > 0:
		it := w.items(dir)[w.rng.Intn(n)]
		f := strings.Fields(it)
		if len(f) > 2 {
			return strings.Join(f[:3], " ")
		}
		return it
	case x == 16:
		return "0"
	case x == 17:
		return fmt.Sprint(n + 3)
	case x == 18:
		return "no such item"
	default:
		return "-1"
	}
}

func (w *world) phaseName() string {
	return []string{"Planning", "Implementing", "Testing", "Testing", "Review", "NoSuchPhase", "planning"}[w.rng.Intn(7)]
}

func (w *world) maybeJSON(args []string) []string {
	if w.rng.Intn(3) == 0 {
		return append(args, "--json")
	}
	return args
}

func (w *world) settingsMode(dir string) string {
	m := regexp.MustCompile(`(?m)^- commit: *(\w+)`).FindStringSubmatch(w.read(dir, "workflow-state.md"))
	if m == nil {
		return "branch"
	}
	return m[1]
}

// setMode writes "- commit: MODE" under Settings by hand.
func (w *world) setMode(mode string) {
	p := filepath.Join(w.top, "workflow-state.md")
	b, err := os.ReadFile(p)
	if err != nil {
		w.fail("%v", err)
	}
	nb := regexp.MustCompile(`(?m)^- commit: *\w+`).ReplaceAll(b, []byte("- commit: "+mode))
	if err := os.WriteFile(p, nb, 0o644); err != nil {
		w.fail("%v", err)
	}
	w.logf("  settings: commit: %s", mode)
}

// noteCheckpoint records a checkpoint that a wf --json document reports.
func (w *world) noteCheckpoint(r res, where string) {
	if r.code != 0 {
		return
	}
	var doc struct {
		ID, Commit, File string
		Checkpoint       json.RawMessage
	}
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		return
	}
	if doc.ID != "" && doc.Commit != "" {
		w.reported = append(w.reported, reported{id: doc.ID, commit: doc.Commit, file: doc.File, where: where})
		w.n["checkpoints reported"]++
	}
	if len(doc.Checkpoint) > 0 && doc.Checkpoint[0] == '{' {
		w.noteCheckpoint(res{code: 0, out: string(doc.Checkpoint)}, where)
	}
}
