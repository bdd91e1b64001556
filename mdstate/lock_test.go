package mdstate

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// lockHelperEnv, when set to a folder, makes TestLockHelperProcess take the
// lock in that folder, say so on stdout and hold it until killed.
const lockHelperEnv = "WF_TEST_LOCK_HELPER_DIR"

// TestLockHelperProcess is not a test: it is the child process of
// TestLockHeldByAnotherProcess (the os/exec helper-process pattern, which
// unlike TestMain cannot clash with other test files of the package).
func TestLockHelperProcess(t *testing.T) {
	dir := os.Getenv(lockHelperEnv)
	if dir == "" {
		t.Skip("helper process for TestLockHeldByAnotherProcess")
	}
	if _, err := AcquireLock(dir, 10*time.Second); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("locked")
	time.Sleep(time.Hour) // hold the lock until killed
}

func TestLockBusyInSameProcess(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "git", "wf") // created by AcquireLock
	l1, err := AcquireLock(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Errorf("lock folder: %v, %v", fi, err)
	}
	path := filepath.Join(dir, "lock")
	if got := readPID(path); got != os.Getpid() {
		t.Errorf("pid in lock file = %d, want %d", got, os.Getpid())
	}

	for _, wait := range []time.Duration{0, 30 * time.Millisecond} {
		_, err = AcquireLock(dir, wait) // another open file: flock conflicts
		var busy *LockBusyError
		if !errors.As(err, &busy) {
			t.Fatalf("wait %v: error %v (%T), want *LockBusyError", wait, err, err)
		}
		if busy.Path != path || busy.PID != os.Getpid() {
			t.Errorf("wait %v: got %+v, want Path %s PID %d", wait, busy, path, os.Getpid())
		}
		want := fmt.Sprintf("another wf is running (lock %s held by pid %d)", path, os.Getpid())
		if err.Error() != want {
			t.Errorf("Error() = %q, want %q", err.Error(), want)
		}
		if h := busy.Hint(); !strings.Contains(h, "wait for it to finish") || !strings.Contains(h, path) {
			t.Errorf("Hint() = %q", h)
		}
	}

	if err := l1.Release(); err != nil {
		t.Fatal(err)
	}
	if err := l1.Release(); err != nil { // twice is fine
		t.Fatal(err)
	}
	if got := readPID(path); got != 0 {
		t.Errorf("pid %d left in lock file after Release", got)
	}
	l2, err := AcquireLock(dir, 0)
	if err != nil {
		t.Fatalf("after Release: %v", err)
	}
	if err := l2.Release(); err != nil {
		t.Fatal(err)
	}
}

func TestLockWaitsForRelease(t *testing.T) {
	dir := t.TempDir()
	l1, err := AcquireLock(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(50 * time.Millisecond)
		l1.Release()
	}()
	l2, err := AcquireLock(dir, time.Minute) // generous: not a timing test
	if err != nil {
		t.Fatal(err)
	}
	l2.Release()
}

func TestLockBusyErrorUnknownPID(t *testing.T) {
	e := &LockBusyError{Path: "/r/.git/wf/lock"}
	if got, want := e.Error(), "another wf is running (lock /r/.git/wf/lock is held)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !strings.Contains(e.Hint(), "/r/.git/wf/lock") {
		t.Errorf("Hint() = %q", e.Hint())
	}
}

func TestLockHeldByAnotherProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), lockHelperEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	t.Cleanup(func() {
		if !killed {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		t.Fatalf("helper said %q, %v", line, err)
	}

	_, err = AcquireLock(dir, 30*time.Millisecond)
	var busy *LockBusyError
	if !errors.As(err, &busy) {
		t.Fatalf("error %v (%T), want *LockBusyError", err, err)
	}
	if busy.PID != cmd.Process.Pid {
		t.Errorf("PID = %d, want the child's %d", busy.PID, cmd.Process.Pid)
	}
	if !strings.Contains(err.Error(), "held by pid "+strconv.Itoa(cmd.Process.Pid)) {
		t.Errorf("Error() = %q", err)
	}

	// The kernel frees an flock when its holder dies, however it dies:
	// the lock file stays behind, still naming the dead pid, and is harmless.
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	killed = true
	l, err := AcquireLock(dir, time.Minute)
	if err != nil {
		t.Fatalf("after the holder was killed: %v", err)
	}
	defer l.Release()
	if got := readPID(filepath.Join(dir, "lock")); got != os.Getpid() {
		t.Errorf("pid in lock file = %d, want ours %d", got, os.Getpid())
	}
}
