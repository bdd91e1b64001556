package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wf-tool/wf/bench/state/benchdata"
)

// The command benchmarks run wf's commands in-process, as `run` does for
// the binary, on the 5,000-item TODO.md of package benchdata (about 400
// KB) in a git repository: the whole command (finding the workflow, the
// lock, reading, parsing, editing, verifying, the durable write) except
// process start-up. bench/state/run.sh times the binary, start-up
// included.

// benchRepo makes a git repository holding the benchmark state files.
func benchRepo(b *testing.B) string {
	b.Helper()
	return benchRepoWith(b, benchdata.Todo(5000))
}

// benchRepoWith is benchRepo with todo as TODO.md.
func benchRepoWith(b *testing.B, todo []byte) string {
	b.Helper()
	dir := b.TempDir()
	if out, err := exec.Command("git", "init", "-q", "-b", "main", dir).CombinedOutput(); err != nil {
		b.Skipf("git init: %v\n%s", err, out)
	}
	for name, data := range map[string][]byte{
		"TODO.md":           todo,
		"workflow-state.md": benchdata.State(200),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// runBench runs one wf command line in-process and fails on a non-zero
// exit.
func runBench(b *testing.B, args ...string) {
	var stderr strings.Builder
	if code := run(append([]string{"wf"}, args...), strings.NewReader(""), io.Discard, &stderr); code != 0 {
		b.Fatalf("wf %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
	}
}

func BenchmarkStatus5000(b *testing.B) {
	dir := benchRepo(b)
	b.ReportAllocs()
	for b.Loop() {
		runBench(b, "--dir", dir, "status")
	}
}

// BenchmarkTodoDone5000 ticks and unticks item 2500 in turn, so that every
// run writes the file.
func BenchmarkTodoDone5000(b *testing.B) {
	dir := benchRepo(b)
	verbs := []string{"done", "undo"}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		runBench(b, "--dir", dir, "todo", verbs[i%2], "2500")
		i++
	}
}

// BenchmarkStatusRich5000 and BenchmarkTodoDoneRich5000 run on
// benchdata.TodoRich (inline code and a link on every item, 525 KB).
func BenchmarkStatusRich5000(b *testing.B) {
	dir := benchRepoWith(b, benchdata.TodoRich(5000))
	b.ReportAllocs()
	for b.Loop() {
		runBench(b, "--dir", dir, "status")
	}
}

func BenchmarkTodoDoneRich5000(b *testing.B) {
	dir := benchRepoWith(b, benchdata.TodoRich(5000))
	verbs := []string{"done", "undo"}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		runBench(b, "--dir", dir, "todo", verbs[i%2], "2500")
		i++
	}
}

func BenchmarkTodoList5000(b *testing.B) {
	dir := benchRepo(b)
	b.ReportAllocs()
	for b.Loop() {
		runBench(b, "--dir", dir, "todo", "list")
	}
}

func BenchmarkLint5000(b *testing.B) {
	dir := benchRepo(b)
	b.ReportAllocs()
	for b.Loop() {
		runBench(b, "--dir", dir, "lint", "--quiet")
	}
}

// BenchmarkTodoAdd5000 adds an item to a phase in the middle of the file;
// the file grows by one item per run.
func BenchmarkTodoAdd5000(b *testing.B) {
	dir := benchRepo(b)
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		n++
		runBench(b, "--dir", dir, "todo", "add", "--phase", "Implementing", "benchmark item "+strconv.Itoa(n))
	}
}

// BenchmarkResumeLarge runs wf resume in-process on the repository named
// by WF_BENCH_RESUME_REPO: the large project bench/resume/run.sh makes
// (5,000 TODO items, 500 checkpoints among 10,000 commits, 500 decisions,
// uncommitted work). The working directory is the repository, as for an
// agent.
func BenchmarkResumeLarge(b *testing.B) {
	dir := os.Getenv("WF_BENCH_RESUME_REPO")
	if dir == "" {
		b.Skip("set WF_BENCH_RESUME_REPO to the repository bench/resume/run.sh makes")
	}
	b.Chdir(dir)
	b.ReportAllocs()
	for b.Loop() {
		runBench(b, "resume")
	}
}
