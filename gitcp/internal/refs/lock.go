package refs

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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

// Lock is a git-style lock: "<target>.lock" created exclusively (O_EXCL,
// or link(2), which fails the same way when the name exists), written,
// then renamed over the target ([Lock.Commit]) or removed
// ([Lock.Rollback]).
type Lock struct {
	target string
	path   string
	f      *os.File
	done   bool
}

// lockPoll is how often a busy lock is tried again.
const lockPoll = 20 * time.Millisecond

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
		time.Sleep(lockPoll)
	}
}

// Claim identifies a lock file by what only its maker can know before it
// exists: the device and inode of a private file that then takes the
// lock's name with link(2). A lock file with that device and inode is the
// claimant's; any other file under the name is not.
type Claim struct {
	Path string // the lock file, "<target>.lock"
	// Temp is the private file (".wf-lock-<tag><random>" beside the lock: git
	// skips dot files in refs/ and ignores unknown files in the git dir);
	// it is removed as soon as the lock file is linked. "" when the lock
	// was created directly (see [AcquireClaimed]).
	Temp     string
	Dev, Ino uint64
}

// AcquireClaimed takes target's lock like [Acquire], but record learns
// the lock file's identity before the lock file can exist: it creates a
// private file beside the lock, calls record with its [Claim], then links
// it to "<target>.lock" (link(2) fails when the name exists, as O_EXCL
// does, so git's protocol holds) and removes the private name. A crash at
// any instant leaves either no lock file of ours or one whose device and
// inode record was told. When record fails nothing is taken and its error
// is returned.
//
// Where the file system has no hard links or no inode numbers, it falls
// back to [Acquire] and calls record just after (Temp ""): a crash in
// between leaves a lock file record never heard of, which is then treated
// as foreign.
//
// tag goes into the private file's name after ".wf-lock-", so that a
// caller can find the ones it left ("" for none).
func AcquireClaimed(target string, wait time.Duration, tag string, record func(Claim) error) (*Lock, error) {
	lp := target + ".lock"
	tmp, f, err := createPrivate(filepath.Dir(lp), tag)
	if err != nil {
		return nil, err
	}
	dev, ino, ok := fileID(f)
	if !ok {
		f.Close()
		os.Remove(tmp)
		return acquireThenRecord(target, wait, record)
	}
	c := Claim{Path: lp, Temp: tmp, Dev: dev, Ino: ino}
	if err := record(c); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, err
	}
	deadline := time.Now().Add(wait)
	for {
		err := os.Link(tmp, lp)
		if err == nil {
			os.Remove(tmp)
			return &Lock{target: target, path: lp, f: f}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			f.Close()
			os.Remove(tmp)
			if linkUnsupported(err) {
				return acquireThenRecord(target, wait, record)
			}
			return nil, err
		}
		if time.Now().After(deadline) {
			f.Close()
			os.Remove(tmp)
			return nil, &BusyError{Path: lp}
		}
		time.Sleep(lockPoll)
	}
}

// acquireThenRecord is [AcquireClaimed]'s fallback: O_EXCL, then record.
func acquireThenRecord(target string, wait time.Duration, record func(Claim) error) (*Lock, error) {
	l, err := Acquire(target, wait)
	if err != nil {
		return nil, err
	}
	c := Claim{Path: l.path}
	c.Dev, c.Ino, _ = fileID(l.f)
	if err := record(c); err != nil {
		l.Rollback()
		return nil, err
	}
	return l, nil
}

// createPrivate creates dir/.wf-lock-<tag><random> exclusively, mode
// 0666 before the umask as git creates lock files.
func createPrivate(dir, tag string) (string, *os.File, error) {
	for i := 0; ; i++ {
		var b [8]byte
		rand.Read(b[:])
		p := filepath.Join(dir, ".wf-lock-"+tag+hex.EncodeToString(b[:]))
		f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if err == nil {
			return p, f, nil
		}
		if !errors.Is(err, fs.ErrExist) || i == 3 {
			return "", nil, err
		}
	}
}

// Owns reports whether the file at c.Path is the one c claimed: same
// device and inode. A zero inode (not known) never owns anything.
func Owns(c Claim, fi fs.FileInfo) bool {
	if c.Ino == 0 || fi == nil {
		return false
	}
	dev, ino, ok := infoID(fi)
	return ok && dev == c.Dev && ino == c.Ino
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
