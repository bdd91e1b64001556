package gitcp

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotRepository is returned (wrapped) by [Discover] when no git work tree
// encloses the folder.
var ErrNotRepository = errors.New("not a git repository (or any of the parent directories)")

// ErrBareRepository is returned (wrapped) by [Discover] for a bare repository:
// wf needs a work tree.
var ErrBareRepository = errors.New("bare repository has no work tree")

// ErrNothingToCommit is returned by [Repo.Commit] when the tree to commit
// equals the parent's tree.
var ErrNothingToCommit = errors.New("nothing to commit")

// UnsupportedRepoError reports a repository format this package refuses to
// touch: an unknown repository format version or extension.
type UnsupportedRepoError struct {
	Setting string // e.g. "extensions.refstorage" or "core.repositoryformatversion"
	Value   string
}

func (e *UnsupportedRepoError) Error() string {
	return fmt.Sprintf("unsupported repository setting %s = %s", e.Setting, e.Value)
}

// Hint says what the user can do.
func (e *UnsupportedRepoError) Hint() string {
	return "wf does not know this git repository format; use git directly for this repository"
}

// UnsafeStateError is returned when a branch-mode commit is attempted while
// git is in the middle of an operation (merge, rebase, ...).
type UnsafeStateError struct {
	Op   string // merge, rebase, cherry-pick, revert, bisect
	Hint string // the way forward
}

func (e *UnsafeStateError) Error() string {
	return fmt.Sprintf("a git %s is in progress", e.Op)
}

// LockBusyError is returned when a git lock file stays in place longer than
// the wait allows.
type LockBusyError struct {
	Path string // the lock file
}

func (e *LockBusyError) Error() string {
	return fmt.Sprintf("another git process holds %s", e.Path)
}

// Hint says what the user can do. wf never removes such a lock itself: it
// cannot prove the file is its own.
func (e *LockBusyError) Hint() string {
	return fmt.Sprintf("wait for that git command to finish and retry; only if no git process is running (one was killed), remove %s", e.Path)
}

// RefChangedError is returned when a ref did not hold the expected value at
// update time (someone else moved it).
type RefChangedError struct {
	Ref           string
	Expected, Got string
}

func (e *RefChangedError) Error() string {
	return fmt.Sprintf("ref %s changed concurrently: expected %s, found %s", e.Ref, short(e.Expected), short(e.Got))
}

// IndexFormatError is returned when the index uses a format that cannot be
// rewritten safely (split index, sparse index, unknown version or mandatory
// extension).
type IndexFormatError struct {
	Reason string
}

func (e *IndexFormatError) Error() string {
	return "cannot rewrite the git index: " + e.Reason
}

// Hint says what the user can do.
func (e *IndexFormatError) Hint() string {
	return "use the ref commit mode (Settings: commit: ref), which leaves the index untouched"
}

// IdentityError is returned when no author or committer identity is
// configured.
type IdentityError struct {
	Missing string // "name" or "email"
}

func (e *IdentityError) Error() string {
	return "no git identity: user." + e.Missing + " is not set"
}

// Hint says what the user can do.
func (e *IdentityError) Hint() string {
	return `git config --global user.name "Your Name" && git config --global user.email you@example.com`
}

// RefusedFile is one file a commit refused to include.
type RefusedFile struct {
	Path   string
	Reason string // human readable: the rule's description, or the size
	Large  bool   // refused for its size (allow with AllowLarge), else as a secret (AllowSecret)
	// For a secret: the rule that matched first, its line (0: the file's
	// name), the blob id of the content, and the blob accepted earlier
	// through CommitOptions.AcceptedSecrets (zero if none).
	Rule           string
	Line           int
	Blob, Accepted Hash
}

// RefusedFilesError lists files that look like secrets or are too large.
type RefusedFilesError struct {
	Files []RefusedFile
}

func (e *RefusedFilesError) Error() string {
	var b strings.Builder
	if len(e.Files) == 1 {
		b.WriteString("refusing to commit 1 file:")
	} else {
		fmt.Fprintf(&b, "refusing to commit %d files:", len(e.Files))
	}
	for _, f := range e.Files {
		switch {
		case f.Large:
			fmt.Fprintf(&b, " %s (%s);", f.Path, f.Reason)
		case f.Line > 0:
			fmt.Fprintf(&b, " %s line %d looks like a secret (rule %s)", f.Path, f.Line, f.Rule)
		default:
			fmt.Fprintf(&b, " %s looks like a secret by its name (rule %s)", f.Path, f.Rule)
		}
		if !f.Large {
			if !f.Accepted.IsZero() {
				fmt.Fprintf(&b, ", changed since its content %s was accepted", short(f.Accepted.String()))
			}
			b.WriteString(";")
		}
	}
	return strings.TrimSuffix(b.String(), ";")
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	if h == "" {
		return "(none)"
	}
	return h
}
