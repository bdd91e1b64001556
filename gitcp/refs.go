package gitcp

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wf-tool/wf/gitcp/internal/refs"
)

// defaultLockWait is the wait for a foreign git lock file when
// [Repo].LockWait is zero.
const defaultLockWait = 2 * time.Second

// LockClaim identifies a git lock file wf is about to create, told to
// [Repo].ClaimLock before the lock file can exist: its path, the private
// file that becomes it by link(2) (removed once linked; "" when the file
// system has no hard links), and the device and inode it will have.
type LockClaim struct {
	Path, Temp string
	Dev, Ino   uint64
}

// lockWait is r.LockWait, or the default when zero.
func (r *Repo) lockWait() time.Duration {
	if r.LockWait == 0 {
		return defaultLockWait
	}
	return r.LockWait
}

// acquireLock takes target's lock, waiting up to r.LockWait (the default
// when zero) for an existing one to go away; then [LockBusyError]. With
// r.ClaimLock set the lock is made by [refs.AcquireClaimed], so that the
// claim is recorded before the lock file exists.
func (r *Repo) acquireLock(target string) (*refs.Lock, error) {
	var l *refs.Lock
	var err error
	if r.ClaimLock != nil {
		l, err = refs.AcquireClaimed(target, r.lockWait(), r.ClaimTag(), func(c refs.Claim) error {
			return r.ClaimLock(LockClaim(c))
		})
	} else {
		l, err = refs.Acquire(target, r.lockWait())
	}
	var be *refs.BusyError
	if errors.As(err, &be) {
		return nil, &LockBusyError{Path: be.Path}
	}
	return l, err
}

// ClaimTag is what the private files of this worktree's lock claims have
// after ".wf-lock-" in their names: the worktree's name and a dash. With
// the worktree lock held, such a file in a shared folder (refs/heads) is a
// killed wf's of this worktree, never another worktree's.
func (r *Repo) ClaimTag() string { return r.WorktreeName + "-" }

// waitNoLock waits up to r.LockWait for the lock file path (one wf does
// not take, such as packed-refs.lock) to go away; then [LockBusyError].
func (r *Repo) waitNoLock(path string) error {
	deadline := time.Now().Add(r.lockWait())
	for {
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if time.Now().After(deadline) {
			return &LockBusyError{Path: path}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// OwnsLock reports whether the lock file c names is the one c claimed
// (same device and inode). A claim without an inode owns nothing.
func OwnsLock(c LockClaim) bool {
	fi, err := os.Lstat(c.Path)
	if err != nil {
		return false
	}
	return refs.Owns(refs.Claim(c), fi)
}

// RemoveClaimedLock removes what a claim left after its maker died: the
// private file (when it is still the claimed one) and the lock file when
// [OwnsLock] proves it the claimant's. It reports whether the lock file
// was removed. Only call it once the claimant is gone: a live process's
// lock is its own. (Between the check and the removal another process
// could replace the file; POSIX offers no compare-and-remove, and the
// window is one system call.)
func RemoveClaimedLock(c LockClaim) bool {
	if c.Temp != "" && filepath.Dir(c.Temp) == filepath.Dir(c.Path) && strings.HasPrefix(filepath.Base(c.Temp), ".wf-lock-") {
		if fi, err := os.Lstat(c.Temp); err == nil && refs.Owns(refs.Claim(c), fi) {
			os.Remove(c.Temp)
		}
	}
	if !OwnsLock(c) {
		return false
	}
	return os.Remove(c.Path) == nil
}

// Signature is an author or committer identity with a time.
type Signature struct {
	Name  string
	Email string
	When  time.Time
}

func (s Signature) String() string {
	return fmt.Sprintf("%s <%s> %s", s.Name, s.Email, s.date())
}

// date is the time as git writes it in objects: "<unix seconds> +hhmm".
func (s Signature) date() string {
	_, off := s.When.Zone()
	sign := '+'
	if off < 0 {
		sign = '-'
		off = -off
	}
	return fmt.Sprintf("%d %c%02d%02d", s.When.Unix(), sign, off/3600, (off%3600)/60)
}

// identity returns the author or committer ("author"/"committer") from
// GIT_<KIND>_NAME/EMAIL/DATE, then <kind>.name/email, then user.name/email
// (repository config over global and XDG config), then $EMAIL.
func (r *Repo) identity(kind string, now time.Time) (Signature, error) {
	up := strings.ToUpper(kind)
	pick := func(env, key string) string {
		if v := os.Getenv("GIT_" + up + "_" + env); v != "" {
			return v
		}
		if v, ok := r.cfg.Get(kind + "." + key); ok && v != "" {
			return v
		}
		if v, ok := r.cfg.Get("user." + key); ok && v != "" {
			return v
		}
		if env == "EMAIL" {
			return os.Getenv("EMAIL")
		}
		return ""
	}
	s := Signature{Name: pick("NAME", "name"), Email: pick("EMAIL", "email"), When: now}
	if strings.TrimSpace(s.Name) == "" {
		return s, &IdentityError{Missing: "name"}
	}
	if strings.TrimSpace(s.Email) == "" {
		return s, &IdentityError{Missing: "email"}
	}
	if d := os.Getenv("GIT_" + up + "_DATE"); d != "" {
		t, err := parseGitDate(d)
		if err != nil {
			return s, fmt.Errorf("GIT_%s_DATE: %w", up, err)
		}
		s.When = t
	}
	return s, nil
}

// parseGitDate accepts git's internal format ("@1700000000 +0100",
// "1700000000 +0100"), RFC 2822 and ISO 8601 / RFC 3339.
func parseGitDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	f := strings.Fields(strings.TrimPrefix(s, "@"))
	if len(f) >= 1 && len(f) <= 2 {
		if sec, err := strconv.ParseInt(f[0], 10, 64); err == nil {
			loc := time.UTC
			if len(f) == 2 {
				tz, err := time.Parse("-0700", f[1])
				if err != nil {
					return time.Time{}, err
				}
				loc = tz.Location()
			}
			return time.Unix(sec, 0).In(loc), nil
		}
	}
	for _, layout := range []string{time.RFC1123Z, time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05", "Mon Jan 2 15:04:05 2006 -0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unsupported date %q", s)
}

// lockRef takes the lock of a ref ("HEAD" for a detached HEAD) and checks
// its current value equals old (zero: must not exist).
func (r *Repo) lockRef(name string, old Hash) (*refs.Lock, error) {
	file := r.refStore().File(name)
	if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
		return nil, err
	}
	// git pack-refs and ref deletions rewrite packed-refs under this lock
	// and prune loose refs: wait for them, as a ref write meanwhile could
	// be pruned.
	if err := r.waitNoLock(filepath.Join(r.CommonDir, "packed-refs.lock")); err != nil {
		return nil, err
	}
	l, err := r.acquireLock(file)
	if err != nil {
		return nil, err
	}
	// The compare reads packed-refs afresh, never this Repo's kept copy:
	// under the lock is where another writer's change must be seen.
	cur, _, err := refs.Store{GitDir: r.GitDir, CommonDir: r.CommonDir}.Resolve(name)
	if err != nil {
		l.Rollback()
		return nil, err
	}
	if cur != old {
		l.Rollback()
		return nil, &RefChangedError{Ref: name, Expected: hexOrEmpty(old), Got: hexOrEmpty(cur)}
	}
	return l, nil
}

func hexOrEmpty(h Hash) string {
	if h.IsZero() {
		return ""
	}
	return h.String()
}

// updateRef moves a ref from old to new under its lock (compare-and-swap)
// and appends reflog lines to logs/<ref>, to the logs of the symbolic
// refs in via, and, when headToo, to logs/HEAD.
func (r *Repo) updateRef(name string, old, new Hash, who Signature, msg string, headToo bool, via ...string) error {
	if headToo && name != "HEAD" {
		// git commit moves the branch through HEAD and holds HEAD.lock
		// meanwhile (its reflog is written under it); another process
		// holding it may be switching HEAD to another branch.
		hl, err := r.acquireLock(filepath.Join(r.GitDir, "HEAD"))
		if err != nil {
			return err
		}
		defer hl.Rollback()
		// HEAD must still name the branch the commit was made for: git
		// checkout writes the new branch's index before it moves HEAD,
		// and a commit that read HEAD in between would put the new
		// branch's files on the old branch. git commit refuses there too
		// ("cannot lock ref 'HEAD': is at X but expected Y").
		now, _, err := refs.Store{GitDir: r.GitDir, CommonDir: r.CommonDir}.Chain("HEAD")
		if err != nil {
			return err
		}
		if now != name {
			return &HeadMovedError{Branch: name, Now: now}
		}
	}
	l, err := r.lockRef(name, old)
	if err != nil {
		return err
	}
	if err := writeSync(l, []byte(new.String()+"\n")); err != nil {
		l.Rollback()
		return err
	}
	// git writes the reflog lines while it holds the ref's lock, before
	// renaming the lock into place (refs/files-backend.c,
	// files_transaction_finish: files_log_ref_write, then commit_ref):
	// concurrent writers then cannot interleave their lines, and a crash
	// leaves no ref move without its reflog line. A reflog that cannot be
	// written fails the update, with the ref unchanged, as it fails git's.
	line := refs.LogLine(old, new, who.String(), oneLine(msg))
	logs := append([]string{name}, via...)
	if headToo && name != "HEAD" {
		logs = append(logs, "HEAD")
	}
	for _, ref := range logs {
		if err := refs.AppendLog(r.refStore().LogFile(ref), line); err != nil {
			l.Rollback()
			return fmt.Errorf("ref %s not updated: the reflog of %s cannot be written: %w", name, ref, err)
		}
	}
	return l.Commit()
}

func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// writeSync writes data into the lock file and fsyncs it.
func writeSync(l *refs.Lock, data []byte) error {
	if _, err := l.Write(data); err != nil {
		return err
	}
	return l.Sync()
}
