package main

import (
	"os"
	"os/exec"
	"strconv"
	"testing"
)

// BenchmarkStats300 runs `wf stats` in-process on a history of 300
// checkpoints made as bench/stats/run.sh makes it: `wf init`, then
// `wf pause`, `wf continue` and `wf checkpoint` 150 times over (each pause
// checkpoints too). WF_BENCH_STATS_REPO names a repository made already
// (bench/stats/run.sh leaves one in /tmp/wf-stats-bench/repo) to skip the
// making, which takes tens of seconds. bench/stats/run.sh times the
// binary against `git log -p -- workflow-state.md`.
func BenchmarkStats300(b *testing.B) {
	dir := os.Getenv("WF_BENCH_STATS_REPO")
	if dir == "" {
		dir = b.TempDir()
		for k, v := range map[string]string{"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
			"GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com"} {
			b.Setenv(k, v)
		}
		if out, err := exec.Command("git", "init", "-q", "-b", "main", dir).CombinedOutput(); err != nil {
			b.Skipf("git init: %v\n%s", err, out)
		}
		runBench(b, "--dir", dir, "init", "--name", "Stats bench")
		git := exec.Command("git", "add", "-A")
		git.Dir = dir
		if out, err := git.CombinedOutput(); err != nil {
			b.Fatalf("git add: %v\n%s", err, out)
		}
		git = exec.Command("git", "commit", "-q", "-m", "base")
		git.Dir = dir
		if out, err := git.CombinedOutput(); err != nil {
			b.Fatalf("git commit: %v\n%s", err, out)
		}
		for i := 1; i <= 150; i++ {
			n := strconv.Itoa(i)
			runBench(b, "--dir", dir, "pause", "--reason", "break "+n)
			runBench(b, "--dir", dir, "continue", "--reason", "back "+n)
			runBench(b, "--dir", dir, "checkpoint", "-m", "step "+n)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		runBench(b, "--dir", dir, "stats")
	}
}
