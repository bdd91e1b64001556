// Package linediff counts the lines added and deleted between two versions
// of a file, as "git diff --numstat" (https://git-scm.com/docs/git-diff)
// reports them, and tells binary content apart the way git's
// buffer_is_binary does (a NUL byte in the first 8000 bytes). It is not an
// on-disk format: it is gitcp's diffstat arithmetic, pure functions over
// bytes, kept apart so that it is fuzzed against a reference and tested
// against git itself.
//
// [Count] follows git's xdiff (xdiff/xprepare.c, xdiffi.c): it trims the
// common prefix and suffix, then, as xdl_cleanup_records does, leaves out
// of the search every line with no match in the other file and every line
// with many matches (a lone "}" or a blank line, at least
// xdl_bogosqrt(lines) of them) that sits in a run of unmatched lines
// (xdl_clean_mmatch), counting both as changed; the lines kept are
// diffed with Myers' O(ND) shortest edit script ("An O(ND) Difference
// Algorithm and Its Variations", 1986). Without that cleanup the counts
// would be a minimal diff's, which on real files is a few lines lower than
// what git reports. xdiff's cost cut-off for very large edits is not
// reproduced: when the kept middles of the two files hold more than 40,000
// lines together, Count does not search and counts the whole middle as
// rewritten, which bounds its memory and time (git would report a diff
// there). TestCountAgainstGit and TestCountRandomAgainstGit compare it
// with git diff --numstat.
package linediff
