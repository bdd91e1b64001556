// Package index reads and writes git's index file (.git/index, the
// "dircache"), versions 2, 3 and 4, as specified in git's
// Documentation/gitformat-index.txt (https://git-scm.com/docs/index-format).
//
// It owns the byte layout: the header, entries with their stat data,
// flags and extended flags (skip-worktree, intent-to-add), the version 4
// prefix-compressed names, the extension framing and the trailing SHA-1
// (a zero trailer, written with index.skipHash, is accepted unchecked), and
// the serialisation of one cache-tree ("TREE" extension) node. [Decode]
// keeps optional extensions (upper-case signature) out of the result, so a
// rewrite drops them, decodes the split index's "link" extension ([Link];
// [Merge] applies it to the shared index, split.go) and the sparse index's
// "sdir" ([File].Sparse: its folder entries are expanded by gitcp, which
// reads trees), and refuses every other mandatory extension with a
// [FormatError].
//
// It must not touch the work tree, the object database or any lock: the
// caller (gitcp) decides what an entry means, takes index.lock and writes
// through it. Decoders return an error on any input, never panic, and
// allocate only in proportion to the input's length.
//
// Entry names returned by [Decode] point into the decoded buffer (version
// 2 and 3) or into one arena allocated for the whole file (version 4): no
// per-entry allocation.
package index
