package gitcp

import (
	"cmp"
	"errors"
	"fmt"
	"runtime/debug"
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

// ChangedDuringScanError is returned when a work-tree file that the scan
// lstat'ed as a regular file is a symbolic link by the time it is read:
// something replaced it meanwhile, and wf reads neither through the link
// nor a state it did not scan.
type ChangedDuringScanError struct {
	Path string // from the top level, slash-separated; "." for the top folder
	// How it changed; "" means it is now a symbolic link.
	How string
}

func (e *ChangedDuringScanError) Error() string {
	return e.Path + " changed while wf was reading the work tree (" + cmp.Or(e.How, "it is now a symbolic link") + ")"
}

// Hint says what the user can do.
func (e *ChangedDuringScanError) Hint() string {
	return "run the command again once nothing is replacing " + e.Path
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

// HeadMovedError is returned by a commit on a branch when HEAD, read
// under its lock just before the branch moves, no longer names that
// branch: another process (git checkout, git switch) moved it meanwhile.
// Nothing was committed to either branch.
type HeadMovedError struct {
	Branch string // the branch the commit was for, "refs/heads/main"
	Now    string // what HEAD names now: a branch, or "HEAD" when detached
}

func (e *HeadMovedError) Error() string {
	now := strings.TrimPrefix(e.Now, "refs/heads/")
	if e.Now == "HEAD" {
		now = "a detached commit"
	}
	return fmt.Sprintf("HEAD moved from %s to %s while the commit was being made: nothing was committed", strings.TrimPrefix(e.Branch, "refs/heads/"), now)
}

// Hint says what the user can do.
func (e *HeadMovedError) Hint() string {
	return "wait for the git checkout or switch to finish, then run the command again on the branch you mean"
}

// IndexFormatError is returned when the index uses a format that cannot be
// read or rewritten safely (a split index whose shared index is missing,
// an unknown version or mandatory extension).
type IndexFormatError struct {
	Path   string // the index file
	Reason string
	// Extension is "link" for a split index (its shared index missing),
	// "" for other faults.
	Extension string
}

func (e *IndexFormatError) Error() string {
	return "cannot read the git index " + e.Path + ": " + e.Reason
}

// Hint says what the user can do: for a split index whose shared index is
// gone, the git command that rebuilds the index.
func (e *IndexFormatError) Hint() string {
	switch e.Extension {
	case "link":
		return "git fails on this split index too (git status); git read-tree HEAD rebuilds the index from HEAD (what was staged is unstaged, the work tree is kept), then checkpoint again"
	}
	return "check it with git status; if git reads it, it uses a format wf does not know yet"
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

// EmbeddedRepoError is an embedded repository (a folder with its own .git,
// not a submodule) whose HEAD has no commit: git add -A fails on it too
// ("does not have a commit checked out"). Nothing was written.
type EmbeddedRepoError struct {
	Paths []string // from the top level
}

func (e *EmbeddedRepoError) Error() string {
	return fmt.Sprintf("'%s/' does not have a commit checked out: it is a git repository inside this one, which git add -A would add as a gitlink, and git add -A fails on it too", strings.Join(e.Paths, "/', '"))
}

// Hint says what the user can do.
func (e *EmbeddedRepoError) Hint() string {
	return fmt.Sprintf("commit in it (git -C %s commit), ignore it (add /%s/ to .gitignore), or move it out of the work tree", e.Paths[0], e.Paths[0])
}

// EmbeddedWarning is git's warning for embedded repositories that
// git add -A adds as gitlinks (advice.addEmbeddedRepo), "" for none:
// "adding embedded git repository: PATH" for each, then git's hint once.
func EmbeddedWarning(paths []string) string {
	if len(paths) == 0 {
		return ""
	}
	var b strings.Builder
	for i, p := range paths {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("adding embedded git repository: " + p)
	}
	p := paths[0]
	for _, l := range []string{
		"You've added another git repository inside your current repository.",
		"Clones of the outer repository will not contain the contents of",
		"the embedded repository and will not know how to obtain it.",
		"If you meant to add a submodule, use:",
		"",
		"\tgit submodule add <url> " + p,
		"",
		"If you added this path by mistake, you can remove it from the",
		"index with:",
		"",
		"\tgit rm --cached " + p,
		"",
		`See "git help submodule" for more information.`,
	} {
		b.WriteString("\nhint: " + l)
	}
	return b.String()
}

// SparseOutsideError lists untracked paths outside the sparse checkout:
// git add -A leaves them out of the index and fails ("will not be updated
// in the index"), so git add -A && git commit commits nothing; wf refuses
// too. Nothing was written.
type SparseOutsideError struct {
	Paths []string // from the top level
}

func (e *SparseOutsideError) Error() string {
	const max = 10
	ps := e.Paths
	more := ""
	if len(ps) > max {
		more = fmt.Sprintf(" and %d more", len(ps)-max)
		ps = ps[:max]
	}
	return fmt.Sprintf("%d untracked %s outside the sparse-checkout definition, which git add -A does not add and fails on: %s%s",
		len(e.Paths), map[bool]string{true: "path", false: "paths"}[len(e.Paths) == 1], strings.Join(ps, ", "), more)
}

// Hint says what the user can do.
func (e *SparseOutsideError) Hint() string {
	return fmt.Sprintf("stage them with git add --sparse %s (then checkpoint again), widen the sparse checkout (git sparse-checkout add DIR), or remove them", e.Paths[0])
}

// PanicError is a panic recovered in one of this package's own
// goroutines (the work-tree walk's workers, a [WorktreeScan], the reads
// they start), returned as an error so that the caller, not the whole
// process, fails: a panic in a goroutine cannot be recovered by the
// caller, and the MCP server promises to go on after one. It is a bug;
// Stack is where it happened, for the report.
type PanicError struct {
	What  string // what was being done: "walking the work tree at src/"
	Value any    // what panic was given
	Stack []byte // runtime/debug.Stack at the recovery
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("internal error while %s: %v (a bug in wf: please report it)", e.What, e.Value)
}

// recoverInto, deferred in a goroutine, turns a panic into a
// [PanicError] stored in *err (when *err is not already set) and calls
// then, if not nil, so that whoever waits for the goroutine is released.
func recoverInto(err *error, what string, then func()) {
	if p := recover(); p != nil {
		if *err == nil {
			*err = &PanicError{What: what, Value: p, Stack: debug.Stack()}
		}
		if then != nil {
			then()
		}
	}
}
