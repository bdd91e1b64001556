package refs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// BusyError is returned by [Acquire] when the lock file stayed in place
// for the whole wait.
type BusyError struct {
	Path string // the lock file
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("lock file %s exists", e.Path)
}

// Lock is a git-style lock: "<target>.lock" created with O_EXCL, written,
// then renamed over the target ([Lock.Commit]) or removed
// ([Lock.Rollback]).
type Lock struct {
	target string
	path   string
	f      *os.File
	done   bool
}

// Acquire takes target's lock, waiting up to wait for an existing one to
// go away; then it returns a [*BusyError].
func Acquire(target string, wait time.Duration) (*Lock, error) {
	lp := target + ".lock"
	deadline := time.Now().Add(wait)
	for {
		f, err := os.OpenFile(lp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if err == nil {
			return &Lock{target: target, path: lp, f: f}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		if time.Now().After(deadline) {
			return nil, &BusyError{Path: lp}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Path is the lock file's path, "<target>.lock".
func (l *Lock) Path() string { return l.path }

// Write writes to the lock file, which is not yet visible under the
// target's name.
func (l *Lock) Write(p []byte) (int, error) { return l.f.Write(p) }

// Sync flushes what was written to stable storage.
func (l *Lock) Sync() error { return l.f.Sync() }

// Commit renames the lock file over the target. On failure the lock file
// is removed.
func (l *Lock) Commit() error {
	if err := l.f.Close(); err != nil {
		l.Rollback()
		return err
	}
	if err := os.Rename(l.path, l.target); err != nil {
		l.Rollback()
		return err
	}
	l.done = true
	return nil
}

// Rollback removes the lock file unless committed; it is safe to call
// twice, after Commit and on a nil Lock.
func (l *Lock) Rollback() {
	if l == nil || l.done {
		return
	}
	l.done = true
	l.f.Close()
	os.Remove(l.path)
}
