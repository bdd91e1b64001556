package checkpoint

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/wf-tool/wf/checkpoint/workspace"
)

// BenchmarkCheckpoint runs a whole checkpoint (scan, checkpoint file, state
// files, commit, index) on the repository named by
// WF_BENCH_CHECKPOINT_REPO, e.g. the 50,000-file fixture that
// bench/checkpoint/compare.sh builds; each iteration first modifies 10
// files and adds 2.
func BenchmarkCheckpoint(b *testing.B) {
	dir := os.Getenv("WF_BENCH_CHECKPOINT_REPO")
	if dir == "" {
		b.Skip("set WF_BENCH_CHECKPOINT_REPO to a repository with a workflow (bench/checkpoint/compare.sh builds one)")
	}
	ws, err := Open(workspace.Options{WorkDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for k := 0; k < 10; k++ {
			f, _ := os.OpenFile(filepath.Join(dir, fmt.Sprintf("d%03d/f0%d.txt", k*37%500, k)), os.O_APPEND|os.O_WRONLY, 0)
			fmt.Fprintf(f, "bench %d %d\n", i, k)
			f.Close()
		}
		for _, d := range []string{"d001", "d250"} {
			os.WriteFile(filepath.Join(dir, d, fmt.Sprintf("bench-%d-%d.txt", os.Getpid(), i)), []byte("new\n"), 0o644)
		}
		b.StartTimer()
		if _, err := Checkpoint(ws, CheckpointOptions{Title: fmt.Sprintf("bench %d", i)}); err != nil {
			b.Fatal(err)
		}
	}
}
