// Command gen writes the fixture of the `wf resume` benchmark: a git
// repository that looks like a large project late in a long run of agent
// work.
//
//	go run ./bench/resume/gen [-commits 10000] [-every 20] [-items 5000] DIR
//
// DIR must not exist or be empty. The repository has, deterministically
// (the same commit hashes on every run and machine):
//
//   - commits commits on branch main, 10 minutes apart from 2026-06-01
//     00:00 UTC (plus a few seconds), by "bench <bench@example.com>";
//   - every every-th commit a checkpoint commit as `wf checkpoint` makes
//     it: message "checkpoint: <title>" with the Wf-Checkpoint, Wf-Phase,
//     Wf-Status and Wf-Branch trailers, a new checkpoints/<id>.md rendered
//     by checkpoint.Doc (with the sections wf derives), workflow-state.md
//     with its Last checkpoint field set and one more decision in its log,
//     and TODO.md with the items ticked since the previous checkpoint (6 to
//     10) annotated with the id and `<-- CURRENT` moved on; the last commit
//     is a checkpoint;
//   - the other commits change 1-3 of 300 Go files in 30 folders under src/
//     (a line changed, a few lines added) with ordinary messages;
//   - at HEAD, TODO.md of items items (the layout of bench/state/benchdata:
//     ten phases, sub-items, inline code, links, long items), 80% ticked
//     (1 in 97 of those skipped), workflow-state.md with the ten phases
//     in its table, one decision per checkpoint (500), `**Status**:
//     running`, two entries under Waiting and none under Blocking Issues,
//     and a CLAUDE.md.
//
// It writes the history with one `git fast-import`, checks the work tree
// out (`git reset --hard`), runs `git gc -q` (one pack and a commit-graph,
// git's defaults) and then changes two tracked source files without
// committing them, as work done since the last checkpoint.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/wf-tool/wf/bench/state/benchdata"
	"github.com/wf-tool/wf/checkpoint"
	"github.com/wf-tool/wf/checkpoint/history"
	"github.com/wf-tool/wf/checkpoint/workspace"
)

// start is the time of the first commit.
var start = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

const (
	ident     = "bench <bench@example.com>"
	project   = "Search API"
	srcDirs   = 30
	srcPerDir = 10
)

var dirNames = strings.Fields(`api auth batch cache client config cursor feedback filter handler
index limit logger metric migration middleware page payload query queue
retry route schema server session snapshot sort suggestion token worker`)

var fileNames = strings.Fields(`handler store codec errors options types client server util validate`)

var verbs = strings.Fields(`add fix handle refactor simplify rename document test speed-up tidy`)

var nouns = strings.Fields(`timeout retry backoff cursor error-path logging batch-size
validation cache-key locking shutdown metrics tracing config defaults`)

func main() {
	commits := flag.Int("commits", 10000, "number of commits")
	every := flag.Int("every", 20, "every N-th commit is a checkpoint (commits must be a multiple)")
	items := flag.Int("items", 5000, "number of TODO items (at least 10)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: gen [-commits N] [-every N] [-items N] DIR   (DIR missing or empty)")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 || *items < 10 || *every < 2 || *commits < *every || *commits%*every != 0 {
		flag.Usage()
		os.Exit(2)
	}
	t0 := time.Now()
	g := &gen{dir: flag.Arg(0), commits: *commits, every: *every, items: *items,
		rngCP: rand.New(rand.NewPCG(2026, 6)), rngSrc: rand.New(rand.NewPCG(2026, 7))}
	if err := g.run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Printf("gen: %s: %d commits, %d checkpoints (latest %s), %d TODO items (%d done, %d skipped), %d decisions; %.1fs (fast-import %.1fs, checkout %.1fs, gc %.1fs)\n",
		g.dir, g.commits, len(g.cps), g.cps[len(g.cps)-1].id, g.items, g.ticked, g.skipped, len(g.cps),
		time.Since(t0).Seconds(), g.tImport.Seconds(), g.tCheckout.Seconds(), g.tGC.Seconds())
}

// srcFile is one Go file under src/ and what changed in it since the
// previous checkpoint.
type srcFile struct {
	path, pkg, name string
	lines           []string
	// Since the previous checkpoint: lines added (the rev line counts
	// once) and whether the file changed at all.
	added   int
	touched bool
}

// cp is one checkpoint of the plan.
type cp struct {
	id, title string
	when      time.Time
	decision  string // as given to wf checkpoint --decision
	phase     int    // index in benchdata.Phases, after this checkpoint
	done      int    // items 1..done are ticked or skipped
}

type gen struct {
	dir                   string
	commits, every, items int
	rngCP, rngSrc         *rand.Rand
	src                   []*srcFile
	// The plan of the checkpoints, made before any commit is written.
	cps                []cp
	tick               []int32 // tick[i]: the checkpoint (from 1) that ticked item i, negative if it skipped it
	entered, completed []time.Time
	ticked, skipped    int
	// fast-import marks of the versions of TODO.md and workflow-state.md
	// after checkpoint k (k = 0: before the first).
	todoMark, stateMark     func(k int) int
	tImport, tCheckout, tGC time.Duration
}

func (g *gen) run() error {
	if err := os.MkdirAll(g.dir, 0o755); err != nil {
		return err
	}
	if ents, err := os.ReadDir(g.dir); err != nil {
		return err
	} else if len(ents) > 0 {
		return fmt.Errorf("%s is not empty", g.dir)
	}
	if err := g.git(nil, "init", "-q", "-b", "main"); err != nil {
		return err
	}
	for _, kv := range [][2]string{{"user.name", "bench"}, {"user.email", "bench@example.com"}} {
		if err := g.git(nil, "config", kv[0], kv[1]); err != nil {
			return err
		}
	}
	g.plan()
	for d := 0; d < srcDirs; d++ {
		for f := 0; f < srcPerDir; f++ {
			pkg, name := dirNames[d], fileNames[f]
			g.src = append(g.src, &srcFile{path: "src/" + pkg + "/" + name + ".go", pkg: pkg, name: name,
				lines: []string{
					"// Package " + pkg + " is part of the " + project + ".",
					"package " + pkg,
					"",
					"// rev is bumped by every change to this file.",
					"const rev = 0",
					"",
					"// " + exported(name) + " is the " + name + " of the " + pkg + " package.",
					"type " + exported(name) + " struct {",
					"\tName  string",
					"\tLimit int",
					"}",
				}})
		}
	}

	t := time.Now()
	cmd := exec.Command("git", "fast-import", "--quiet", "--done")
	cmd.Dir, cmd.Env, cmd.Stderr = g.dir, gitEnv(), os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	w := bufio.NewWriterSize(in, 1<<20)
	werr := g.stream(w)
	if werr == nil {
		werr = w.Flush()
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git fast-import: %v", err)
	}
	if werr != nil {
		return werr
	}
	g.tImport = time.Since(t)

	t = time.Now()
	if err := g.git(nil, "reset", "-q", "--hard"); err != nil {
		return err
	}
	g.tCheckout = time.Since(t)
	t = time.Now()
	if err := g.git(nil, "gc", "-q"); err != nil {
		return err
	}
	g.tGC = time.Since(t)
	var out bytes.Buffer
	if err := g.git(&out, "status", "--porcelain"); err != nil {
		return err
	}
	if out.Len() != 0 {
		return fmt.Errorf("the work tree is not clean after checkout:\n%s", out.String())
	}

	// Work since the last checkpoint: two tracked files changed, not
	// committed.
	for _, f := range []*srcFile{g.src[7], g.src[161]} {
		g.change(f, g.commits+1, 4)
		if err := os.WriteFile(filepath.Join(g.dir, filepath.FromSlash(f.path)), f.content(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// git runs git in the fixture with a neutral configuration.
func (g *gen) git(stdout io.Writer, args ...string) error {
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = g.dir, gitEnv(), stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("git %s: %v", strings.Join(args, " "), err)
	}
	return nil
}

// gitEnv keeps the user's and the system's git configuration out, so the
// fixture is the same everywhere.
func gitEnv() []string {
	return append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "TZ=UTC", "LC_ALL=C")
}

// when is commit c's time (c from 1): 10 minutes apart, plus 0-59 s.
func when(c int) time.Time {
	return start.Add(time.Duration(c-1)*10*time.Minute + time.Duration((c*37)%60)*time.Second)
}

// plan decides every checkpoint: which items it ticks (6-10, 1 in 97
// skipped instead, at least one item left open), its title, id and
// decision, and the phase, which follows the current item (the agent
// moves it on in workflow-state.md before checkpointing).
func (g *gen) plan() {
	g.tick = make([]int32, g.items+1)
	g.entered = make([]time.Time, len(benchdata.Phases))
	g.completed = make([]time.Time, len(benchdata.Phases))
	g.entered[0] = start
	done, phase := 0, 0
	for k := 1; k <= g.commits/g.every; k++ {
		now := when(k * g.every)
		for n := 6 + k%5; n > 0 && done < g.items-1; n-- {
			done++
			if done%97 == 0 {
				g.tick[done] = int32(-k)
				g.skipped++
			} else {
				g.tick[done] = int32(k)
				g.ticked++
			}
		}
		if p := benchdata.ItemPhase(g.items, done+1); p != phase {
			for q := phase; q < p; q++ {
				g.completed[q] = now
				g.entered[q+1] = now
			}
			phase = p
		}
		title := fmt.Sprintf("%s: T%d %s done", benchdata.Phases[phase], done,
			strings.Join(strings.Fields(benchdata.ItemText(done))[1:3], " "))
		id := now.UTC().Format(history.IDTime) + fmt.Sprintf("-%04x", g.rngCP.IntN(1<<16))
		if s := history.Slug(title); s != "" {
			id += "-" + s
		}
		g.cps = append(g.cps, cp{id: id, title: title, when: now, phase: phase, done: done,
			decision: fmt.Sprintf("chose %s over %s (%s)", nouns[k%len(nouns)], nouns[(k+1+k*7%(len(nouns)-1))%len(nouns)], benchdata.ItemText(done))})
	}
}

// logEntry is checkpoint k's entry in the decisions log.
func (g *gen) logEntry(k int) string {
	return g.cps[k-1].when.Format(workspace.Timestamp) + ": " + g.cps[k-1].decision
}

// stream writes the fast-import stream: first every version of TODO.md,
// then every version of workflow-state.md, newest first, as marked blobs,
// then the commits. fast-import stores a blob as a delta against the blob
// written just before it, so each version becomes a small delta against
// the next newer one and the newest is stored whole, as git's own repack
// lays them out (git gc keeps these deltas): HEAD's TODO.md is not at the
// end of a 40-deep delta chain, which a real repository would not have.
func (g *gen) stream(w *bufio.Writer) error {
	n := len(g.cps) + 1
	g.todoMark = func(k int) int { return 1 + k }
	g.stateMark = func(k int) int { return 1 + n + k }
	blob := func(mark int, data []byte) {
		fmt.Fprintf(w, "blob\nmark :%d\ndata %d\n", mark, len(data))
		w.Write(data)
		w.WriteByte('\n')
	}
	// "checkpoint" starts a new pack, so that no delta crosses from one
	// file's versions to the next file's (git gc puts the packs together).
	for k := n - 1; k >= 0; k-- {
		blob(g.todoMark(k), g.todo(k))
	}
	w.WriteString("checkpoint\n\n")
	for k := n - 1; k >= 0; k-- {
		blob(g.stateMark(k), g.state(k))
	}
	w.WriteString("checkpoint\n\n")
	for c := 1; c <= g.commits; c++ {
		var msg string
		files := map[string][]byte{}
		marks := map[string]int{}
		switch {
		case c == 1:
			msg = "Start the " + project + " rewrite\n\nThe plan is in TODO.md; wf keeps the state.\n"
			for _, f := range g.src {
				files[f.path] = f.content()
			}
			marks["TODO.md"], marks["workflow-state.md"] = g.todoMark(0), g.stateMark(0)
			files["CLAUDE.md"] = []byte(claudeMD)
			files["README.md"] = []byte("# " + project + "\n\nThe search API, rewritten. See CLAUDE.md for how to work on it.\n")
			files["go.mod"] = []byte("module example.com/searchapi\n\ngo 1.26\n")
			files[".gitignore"] = []byte("/bin/\n*.out\n.env*\n")
		case c%g.every == 0:
			k := c / g.every
			msg = g.checkpoint(k, files)
			marks["TODO.md"], marks["workflow-state.md"] = g.todoMark(k), g.stateMark(k)
		default:
			msg = g.ordinary(c, files)
		}
		ts := when(c).Unix()
		fmt.Fprintf(w, "commit refs/heads/main\nauthor %s %d +0000\ncommitter %s %d +0000\ndata %d\n%s\n",
			ident, ts, ident, ts, len(msg), msg)
		for _, p := range []string{"TODO.md", "workflow-state.md"} {
			if m, ok := marks[p]; ok {
				fmt.Fprintf(w, "M 100644 :%d %s\n", m, p)
			}
		}
		paths := make([]string, 0, len(files))
		for p := range files {
			paths = append(paths, p)
		}
		slices.Sort(paths)
		for _, p := range paths {
			fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n", p, len(files[p]))
			w.Write(files[p])
			w.WriteByte('\n')
		}
		w.WriteByte('\n')
	}
	_, err := w.WriteString("done\n")
	return err
}

// ordinary changes 1-3 source files.
func (g *gen) ordinary(c int, files map[string][]byte) string {
	r := g.rngSrc
	var first *srcFile
	for n := 1 + r.IntN(3); n > 0; n-- {
		f := g.src[r.IntN(len(g.src))]
		if first == nil {
			first = f
		}
		g.change(f, c, 2+r.IntN(5))
		files[f.path] = f.content()
	}
	msg := fmt.Sprintf("%s: %s %s in %s.go\n", first.pkg, verbs[r.IntN(len(verbs))], nouns[r.IntN(len(nouns))], first.name)
	if c%3 == 0 {
		msg += fmt.Sprintf("\nThe %s path now covers the %s case; see TODO item %d.\n",
			nouns[r.IntN(len(nouns))], nouns[r.IntN(len(nouns))], 1+r.IntN(g.items))
	}
	return msg
}

// change bumps f's rev line to c and appends a function of n+2 lines
// after a blank line.
func (g *gen) change(f *srcFile, c, n int) {
	f.lines[4] = fmt.Sprintf("const rev = %d", c)
	fn := fmt.Sprintf("%s%d", exported(f.name), c)
	add := []string{"", fmt.Sprintf("// %s handles the %s case (change %d).", fn, nouns[c%len(nouns)], c),
		fmt.Sprintf("func %s(x %s) error {", fn, exported(f.name))}
	for k := 3; k < n+2; k++ {
		add = append(add, fmt.Sprintf("\tx.Limit += %d", k*c%97))
	}
	add = append(add, "\treturn nil", "}")
	f.lines = append(f.lines, add...)
	if !f.touched {
		f.added++ // the rev line: -1 +1 against the previous checkpoint
	}
	f.added += len(add)
	f.touched = true
}

func (f *srcFile) content() []byte { return []byte(strings.Join(f.lines, "\n") + "\n") }

// checkpoint returns the message of checkpoint k's commit and adds its
// checkpoint file, with the sections wf derives (see buildDoc in
// checkpoint/checkpoint.go), to files.
func (g *gen) checkpoint(k int, files map[string][]byte) string {
	c := g.cps[k-1]
	phase := benchdata.Phases[c.phase]
	prev := ""
	if k > 1 {
		prev = g.cps[k-2].id
	}
	// Files changed since the previous checkpoint, by path.
	var changed []*srcFile
	for _, f := range g.src {
		if f.touched {
			changed = append(changed, f)
		}
	}
	slices.SortFunc(changed, func(a, b *srcFile) int { return strings.Compare(a.path, b.path) })

	cur := c.done + 1
	d := &checkpoint.Doc{ID: c.id, Title: c.title, Date: c.when, Phase: phase, Status: "running", Previous: prev,
		Sections: map[string]string{}}
	// Context Required to Resume.
	ctx := []string{
		"Read `CLAUDE.md` for project conventions",
		"Read `workflow-state.md` for the phase, status and decisions log",
		"Read `TODO.md` for the remaining work (`<-- CURRENT` marks the item in progress)",
	}
	if prev != "" {
		ctx = append(ctx, "Read `checkpoints/"+prev+".md` (the previous checkpoint) if more history is needed")
	}
	ranked := slices.Clone(changed)
	slices.SortStableFunc(ranked, func(a, b *srcFile) int { return b.added - a.added })
	for _, f := range ranked[:min(5, len(ranked))] {
		ctx = append(ctx, "Read `"+f.path+"` (changed since the previous checkpoint)")
	}
	d.Sections[checkpoint.SecContext] = checkpoint.Numbered(ctx) + "\nPaths are relative to the repository's top level."
	// State Summary.
	ticked, skipped := 0, 0
	for i := 1; i <= c.done; i++ {
		if g.tick[i] > 0 {
			ticked++
		} else {
			skipped++
		}
	}
	progress := fmt.Sprintf("Progress: %d of %d items done", ticked, g.items)
	if skipped > 0 {
		progress += fmt.Sprintf(", %d skipped", skipped)
	}
	d.Sections[checkpoint.SecSummary] = checkpoint.Bullets([]string{
		fmt.Sprintf("Phase: %s (status: running)", phase),
		progress,
		fmt.Sprintf("Current item: %d. %s", cur, benchdata.ItemText(cur)),
	})
	// Key Decisions: this one, then the latest 8 of the log.
	text := checkpoint.Bullets([]string{c.decision})
	if k > 1 {
		var recent []string
		for j := max(1, k-8); j < k; j++ {
			recent = append(recent, g.logEntry(j))
		}
		text += "\nFrom the decisions log:\n" + checkpoint.Bullets(recent)
	}
	d.Sections[checkpoint.SecDecisions] = text
	// Current File State.
	var fl []string
	for i, f := range changed {
		if i == 40 {
			fl = append(fl, fmt.Sprintf("… and %d more files", len(changed)-40))
			break
		}
		fl = append(fl, fmt.Sprintf("`%s`: +%d -1 (modified)", f.path, f.added))
	}
	if len(fl) == 0 {
		fl = append(fl, "no files changed since the previous checkpoint")
	}
	d.Sections[checkpoint.SecFiles] = checkpoint.Bullets(fl)
	// Next Actions: the current item, then the next open ones.
	next := []string{fmt.Sprintf("%s (TODO item %d, in progress)", benchdata.ItemText(cur), cur)}
	for i := cur + 1; i <= g.items && len(next) < 5; i++ {
		next = append(next, fmt.Sprintf("%s (TODO item %d)", benchdata.ItemText(i), i))
	}
	d.Sections[checkpoint.SecNext] = checkpoint.Numbered(next)
	files["checkpoints/"+c.id+".md"] = d.Render()
	for _, f := range changed {
		f.added, f.touched = 0, false
	}
	return fmt.Sprintf("checkpoint: %s\n\n%s: %s\nWf-Phase: %s\nWf-Status: running\n%s: main\n",
		c.title, "Wf-Checkpoint", c.id, phase, history.TrailerBranch)
}

// todo renders TODO.md as it is after checkpoint k (0: before the first).
func (g *gen) todo(k int) []byte {
	done := 0
	if k > 0 {
		done = g.cps[k-1].done
	}
	return benchdata.TodoWith(g.items, func(i int) (byte, string) {
		switch t := g.tick[i]; {
		case i <= done && t > 0:
			return 'x', " (" + g.cps[t-1].id + ")"
		case i <= done:
			return '-', " (skipped: moved to the " + nouns[i%len(nouns)] + " backlog)"
		case i == done+1:
			return ' ', "  <-- CURRENT"
		}
		return ' ', ""
	})
}

// state renders workflow-state.md as it is after checkpoint k (0: before
// the first).
func (g *gen) state(k int) []byte {
	var b strings.Builder
	last, phase := "(none)", 0
	if k > 0 {
		c := g.cps[k-1]
		last, phase = c.when.Format(workspace.Timestamp)+" ("+c.id+")", c.phase
	}
	fmt.Fprintf(&b, "# Workflow State: %s\n\n**Current phase**: %s\n**Status**: running\n**Mode**: auto\n**Started**: %s\n**Last checkpoint**: %s\n\n",
		project, benchdata.Phases[phase], start.Format(workspace.Timestamp), last)
	b.WriteString("## Phase Status\n| Phase | Status | Entered | Completed |\n|---|---|---|---|\n")
	for p, name := range benchdata.Phases {
		switch {
		case p < phase:
			fmt.Fprintf(&b, "| %s | COMPLETE | %s | %s |\n", name, g.entered[p].Format(time.DateOnly), g.completed[p].Format(time.DateOnly))
		case p == phase:
			fmt.Fprintf(&b, "| %s | IN_PROGRESS | %s | -- |\n", name, g.entered[p].Format(time.DateOnly))
		default:
			fmt.Fprintf(&b, "| %s | PENDING | -- | -- |\n", name)
		}
	}
	b.WriteString("\n## Blocking Issues\n(none)\n\n## Waiting\n")
	// Two waits, started late in the run.
	total, waits := len(g.cps), 0
	for _, w := range []struct {
		from int
		text string
	}{
		{total - 40, "approval from @lead for the search index schema change (asked " + g.cps[max(0, total-41)].when.Format(time.DateOnly) + ")"},
		{total - 5, "a CI runner quota increase from infra (ticket OPS-1432)"},
	} {
		if k >= max(1, w.from) {
			b.WriteString("- " + w.text + "\n")
			waits++
		}
	}
	if waits == 0 {
		b.WriteString("(none)\n")
	}
	b.WriteString("\n## Decisions Log\n")
	if k == 0 {
		b.WriteString("(none)\n")
	}
	for j := 1; j <= k; j++ {
		b.WriteString("- " + g.logEntry(j) + "\n")
	}
	b.WriteString("\n## Settings\n- commit: branch\n- resume-budget: 2000\n- retry: test-fail=3, build-fail=2, tool-error=5\n")
	return []byte(b.String())
}

func exported(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// claudeMD is the project's agent instructions (1.3 KB).
const claudeMD = `# CLAUDE.md

Instructions for agents working on the Search API rewrite.

## Build and test

- ` + "`go build ./...`" + ` and ` + "`go test ./...`" + ` must pass before every checkpoint.
- ` + "`go vet ./...`" + ` and ` + "`gofmt -l .`" + ` must be clean.
- Integration tests need ` + "`SEARCH_TEST_DB`" + `; skip them when it is unset.

## Workflow

- The plan is TODO.md; the phase, status and decisions are in
  workflow-state.md. Read both before starting, or run ` + "`wf resume`" + `.
- Work on the item marked ` + "`<-- CURRENT`" + `. Tick it with ` + "`wf todo done N`" + `
  when its tests pass, then ` + "`wf todo next`" + `.
- Record every choice between alternatives with ` + "`wf decide`" + `; never
  re-open a decision in the log without asking @lead.
- Make a checkpoint (` + "`wf checkpoint -m ...`" + `) after every item or every
  hour, whichever comes first.
- When blocked, say so under Blocking Issues and stop.

## Code

- One package per folder under src/; no package imports a sibling's
  internals.
- Errors are wrapped with context (` + "`fmt.Errorf(\"...: %w\", err)`" + `), never
  logged and returned.
- Every exported name has a doc comment.
- Every change bumps the file's ` + "`rev`" + ` constant.
- No new dependencies without a decision in the log.

## Style

- Short functions; table-driven tests; no global state.
- Log with the ` + "`logger`" + ` package, fields in snake_case.
- Public API changes need an entry in docs/api-changes.md.
`
