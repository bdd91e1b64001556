package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentSpecResults starts 8 processes at once, each recording the
// result of its own spec, and 6 more racing to record a result for one
// shared spec: every own result lands byte for byte with its spec marked
// returned, exactly one of the racers wins (the others are refused with
// "has a result already"), and no temp file is left in specs/.
func TestConcurrentSpecResults(t *testing.T) {
	const own, racers = 8, 6
	dir := initRepo(t)
	for i := range own + 1 {
		name := fmt.Sprintf("s%d", i)
		if out, err := wfCmd(t, dir, "spec", "new", name, "--goal", "g", "--modify", name+".go (new)").CombinedOutput(); err != nil {
			t.Fatalf("spec new: %v\n%s", err, out)
		}
	}
	result := func(name, who string) string {
		return fmt.Sprintf("## Status\ncomplete\n## Changes\n- %s.go (+1 -0) by %s\n## Decisions\n- %s\n## Tests needed\n(none)\n## Issues\n(none)\n", name, who, who)
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	wins := 0
	run := func(name, who string, shared bool) {
		defer wg.Done()
		cmd := wfCmd(t, dir, "--lock-wait", "30s", "spec", "result", name)
		cmd.Stdin = strings.NewReader(result(name, who))
		<-start
		out, err := cmd.CombinedOutput()
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil && shared:
			wins++
		case err != nil && shared && strings.Contains(string(out), "has a result already"):
		case err != nil:
			failures = append(failures, fmt.Sprintf("%s by %s: %v\n%s", name, who, err, out))
		}
	}
	for i := range own {
		wg.Add(1)
		go run(fmt.Sprintf("s%d", i), fmt.Sprintf("p%d", i), false)
	}
	shared := fmt.Sprintf("s%d", own)
	for r := range racers {
		wg.Add(1)
		go run(shared, fmt.Sprintf("racer%d", r), true)
	}
	close(start)
	wg.Wait()
	for _, f := range failures {
		t.Error(f)
	}
	if wins != 1 {
		t.Errorf("%d racers recorded a result for %s, want exactly 1", wins, shared)
	}
	for i := range own {
		name := fmt.Sprintf("s%d", i)
		got, err := os.ReadFile(filepath.Join(dir, "specs", name+".result.md"))
		if err != nil || string(got) != result(name, fmt.Sprintf("p%d", i)) {
			t.Errorf("%s.result.md: %q, %v", name, got, err)
		}
		spec, _ := os.ReadFile(filepath.Join(dir, "specs", name+".md"))
		if !strings.Contains(string(spec), "**Status**: returned\n") {
			t.Errorf("%s.md is not returned:\n%s", name, spec)
		}
	}
	got, _ := os.ReadFile(filepath.Join(dir, "specs", shared+".result.md"))
	if !strings.Contains(string(got), "by racer") {
		t.Errorf("%s.result.md: %q", shared, got)
	}
	noTempFiles(t, filepath.Join(dir, "specs"))
}
