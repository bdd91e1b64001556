// Package refs reads and writes git's ref storage in the "files" backend,
// as gitrepository-layout describes it
// (https://git-scm.com/docs/gitrepository-layout):
//
//   - loose refs: one file per ref under refs/ (and HEAD and the other
//     pseudo-refs), holding a 40-digit object id or a symbolic ref
//     "ref: <target>", each ended by a newline. Per-worktree refs (HEAD,
//     refs/bisect/, refs/worktree/, refs/rewritten/) live in the worktree's
//     git dir, every other ref in the common dir ([Store]).
//   - packed-refs: the file git pack-refs writes
//     (https://git-scm.com/docs/git-pack-refs): an optional first line
//     "# pack-refs with: <traits>", then one "<id> <refname>" line per ref,
//     each optionally followed by a peeled line "^<id>" giving the object
//     an annotated tag points to. A loose ref hides the packed one of the
//     same name ([LookupPacked], [Store.Resolve]).
//   - reflogs: logs/<ref>, one line per update,
//     "<old> <new> <name> <<email>> <unix time> <tz>\t<message>\n", as
//     described under LOGGING in https://git-scm.com/docs/git-update-ref
//     ([ParseLogLine], [LogLine], [ReadLog], [AppendLog]).
//   - git's lock-file protocol (Documentation/technical/api-lockfile.txt,
//     now lockfile.h in git's sources): "<file>.lock" is created with
//     O_EXCL, written, fsynced, then renamed over <file> (commit) or
//     removed (rollback) ([Acquire], [Lock]). gitcp uses it for refs, HEAD
//     and the index.
//
// It owns bytes, paths and the lock; what a ref update means (the
// compare-and-swap against an expected value, which reflogs to append,
// the messages) is gitcp's. Decoders return an error on any input, never
// panic, and do not allocate in proportion to a length read from the
// input. Object ids are plain [20]byte values so that the package does not
// depend on gitcp.
package refs
