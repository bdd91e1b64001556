package gitcp

import (
	"errors"
	"testing"
	"time"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestPanicsInScanGoroutinesBecomeErrors: a panic in a walk worker or
// in a WorktreeScan's own goroutine fails the call that waits for it
// with a PanicError, and releases every waiter, instead of ending the
// process (which a wf mcp serving other requests must survive).
func TestPanicsInScanGoroutinesBecomeErrors(t *testing.T) {
	dir := newRecipeRepo(t)
	head := gitHead(t, dir)
	defer func() { testHook = nil }()
	for _, point := range []string{"walk src", "walk ", "scan"} {
		testHook = func(p string) {
			if p == point {
				panic("test panic at " + p)
			}
		}
		r := discover(t, dir)
		_, err := r.DiffStat(head, Hash{})
		var pe *PanicError
		if point != "scan" && !errors.As(err, &pe) {
			t.Errorf("%s: DiffStat returned %v, want a PanicError", point, err)
		}
		s := r.StartWorktreeScan()
		done := make(chan error, 2)
		go func() { _, err := s.EmbeddedGitlinks(); done <- err }()
		go func() { _, err := s.DiffStat(head); done <- err }()
		for range 2 {
			select {
			case err := <-done:
				if point == "scan" && !errors.As(err, &pe) {
					t.Errorf("%s: a waiter got %v, want a PanicError", point, err)
				}
				if point != "scan" && err != nil && !errors.As(err, &pe) {
					t.Errorf("%s: a waiter got %v", point, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s: a waiter of the scan was never released", point)
			}
		}
	}
}

// TestWorktreeScanStop: a scan stopped before its walk began ends with
// errScanStopped, and a stop after DiffStat returned changes nothing.
func TestWorktreeScanStop(t *testing.T) {
	dir := newRecipeRepo(t)
	head := gitHead(t, dir)
	gittest.Write(t, dir, "src/new.go", "package main\n")
	release := make(chan struct{})
	testHook = func(p string) {
		if p == "scan" {
			<-release
		}
	}
	defer func() { testHook = nil }()
	s := discover(t, dir).StartWorktreeScan()
	s.Stop()
	close(release)
	if _, err := s.DiffStat(head); !errors.Is(err, errScanStopped) {
		t.Errorf("stopped scan: DiffStat = %v, want errScanStopped", err)
	}
	testHook = nil
	s = discover(t, dir).StartWorktreeScan()
	stats, err := s.DiffStat(head)
	s.Stop()
	again, err2 := s.DiffStat(head)
	if err != nil || err2 != nil || len(stats) != 1 || len(again) != 1 || stats[0].Path != "src/new.go" {
		t.Errorf("DiffStat %v %v, after Stop %v %v", stats, err, again, err2)
	}
}
