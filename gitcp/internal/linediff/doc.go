// Package linediff counts the lines added and deleted between two versions
// of a file, as "git diff --numstat" (https://git-scm.com/docs/git-diff)
// reports them, and tells binary content apart the way git's
// buffer_is_binary does (a NUL byte in the first 8000 bytes). It is not an
// on-disk format: it is gitcp's diffstat arithmetic, pure functions over
// bytes, kept apart so that it is fuzzed against a reference and tested
// against git itself.
//
// [Count] computes a shortest edit script over lines (Myers, "An O(ND)
// Difference Algorithm and Its Variations", 1986) after trimming the
// common prefix and suffix, so its counts are those of a minimal diff;
// git's xdiff finds the same counts on ordinary files. When the
// differing middles of the two files hold more than 40,000 lines together
// it does not search and counts the whole middle as rewritten, which
// bounds its memory and time.
package linediff
