package mdstate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/gofrs/flock"
)

// lockPoll is how often AcquireLock retries a busy lock.
const lockPoll = 15 * time.Millisecond

// Lock is the one-per-worktree state lock: an exclusive flock(2) on the file
// "lock" in the worktree's runtime folder. The kernel releases it when the
// holder exits, however it exits, so a lock file left on disk is harmless.
type Lock struct {
	fl *flock.Flock
	f  *os.File // the lock file, for writing the holder's pid
}

// LockBusyError is returned by [AcquireLock] when another process held the
// lock for the whole wait.
type LockBusyError struct {
	Path string // the lock file
	PID  int    // the holder's process id, as it wrote it; 0 if unknown
}

func (e *LockBusyError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("another wf is running (lock %s held by pid %d)", e.Path, e.PID)
	}
	return fmt.Sprintf("another wf is running (lock %s is held)", e.Path)
}

// Hint says what the user can do. It never suggests removing the lock
// file: the kernel frees the lock when its holder exits, so a leftover file
// is harmless, while removing a held one would let two wf processes run.
func (e *LockBusyError) Hint() string {
	if e.PID > 0 {
		return fmt.Sprintf("wait for it to finish, then retry; if pid %d is stuck, stop it (kill %d): "+
			"the lock is freed when its holder exits, so do not remove %s", e.PID, e.PID, e.Path)
	}
	return "wait for the other wf to finish, then retry: the lock is freed when its holder exits, " +
		"so do not remove " + e.Path
}

// AcquireLock takes the state lock dir/lock, creating dir (0755) and the
// file as needed, and waits up to wait for another holder to let go. On
// success it writes this process's id into the file. When the wait runs out
// it returns a [*LockBusyError] naming the holder's pid.
func AcquireLock(dir string, wait time.Duration) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create lock folder: %w", err)
	}
	path := filepath.Join(dir, "lock")
	fl := flock.New(path, flock.SetFlag(os.O_CREATE|os.O_RDWR), flock.SetPermissions(0o644))
	ok, err := fl.TryLock()
	if err == nil && !ok && wait > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		ok, err = fl.TryLockContext(ctx, lockPoll)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			err = nil
		}
	}
	if err != nil {
		fl.Close()
		return nil, fmt.Errorf("cannot lock %s: %w", path, err)
	}
	if !ok {
		fl.Close()
		return nil, &LockBusyError{Path: path, PID: readPID(path)}
	}

	// flock does not expose its file; a second descriptor on the same file
	// writes the pid. The lock is held, so no other wf writes it meanwhile.
	l := &Lock{fl: fl}
	if f, err := os.OpenFile(path, os.O_WRONLY, 0); err == nil {
		pid := []byte(strconv.Itoa(os.Getpid()) + "\n")
		// Write then truncate, so a reader never sees an empty file.
		if _, err := f.WriteAt(pid, 0); err == nil {
			f.Truncate(int64(len(pid)))
		}
		l.f = f
	}
	// The pid is informative only: failing to write it is not an error.
	return l, nil
}

// Release clears the pid from the lock file and lets go of the lock. It is
// safe to call more than once.
func (l *Lock) Release() error {
	if l == nil || l.fl == nil {
		return nil
	}
	if l.f != nil {
		// Clear the pid while still holding the lock: after the unlock the
		// file belongs to the next holder.
		l.f.Truncate(0)
		l.f.Close()
		l.f = nil
	}
	err := l.fl.Close()
	l.fl = nil
	return err
}

// readPID returns the pid written in the lock file at path, or 0.
func readPID(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(string(bytes.TrimSpace(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}
