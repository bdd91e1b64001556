// Package gitcp is wf's git layer: repository discovery, change detection,
// tree and commit writing, ref updates and history queries. It uses go-git
// only for its object layer (reading objects that the fast paths below do
// not cover); loose objects are written here as git writes them (loose.go);
// refs, reflogs, the
// index, ignore rules and config are handled here, following git's on-disk
// formats and lock protocol. It never calls go-git's worktree porcelain and
// never runs the git CLI. The only programs it runs are the ones git commit
// itself would run: the repository's commit hooks (hooks.go) and the
// signing program of gpg.format (sign.go).
//
// # Layout
//
// gitcp is the facade: [Repo] and its verbs (scan, plan, commit, refs,
// reflogs, switch, the log walker) and the exported types. Each on-disk
// format it reads or writes is an internal package that owns only bytes and
// the format's rules, with its git documentation in its doc.go, fuzz
// targets and good_/bad_ test vectors in testdata:
//
//   - internal/index: the index file (versions 2 to 4, cache-tree node,
//     the split index's link extension, the sparse index's sdir)
//   - internal/odb: packs and their v1 and v2 indexes, deltas, loose
//     objects, alternates, object ids
//   - internal/commitgraph: commit-graph files and split chains
//   - internal/refs: loose refs and symbolic refs, packed-refs, reflog
//     lines, and git's lock-file protocol (also used for the index)
//   - internal/tree: tree object entries and git's tree order
//   - internal/config: git-config syntax, include.path and includeIf
//     (the conditions are decided here, in includeif.go)
//   - internal/ignore: gitignore syntax
//   - internal/attr: gitattributes syntax, macros and lookup
//   - internal/wildmatch: git's path patterns, shared by ignore and attr
//   - internal/mmap: read-only file mapping for odb and commitgraph
//
// internal/convert is not a format either: it is git add's conversion of
// work-tree content into blobs (convert.c: filters, encodings, line
// endings, ident), including the filter processes it runs.
//
// internal/linediff is not a format: it is the line counting of
// [Repo.DiffStat], pure functions checked against git diff --numstat.
//
// gitcp itself stays near 3,900 lines (3,700 plus the generation-number
// walk of [Repo.RevCount]), above the 2,500 the architecture
// aims at, because what is left is the facade's own work on [Repo] state:
// discovery and config layering, the work-tree scan, the commit planner
// and writer, building trees in memory from the index and diffing them
// against stored trees, switch and repair, the log walker. Each reads the
// lazily opened object database, the config, the lock wait and the git
// dirs, and they share the unexported snapshot, plan and tree-node types;
// splitting them would export those internals. The one format still
// inside is the commit object (parseRawCommit and ParseTrailers in
// log.go, the encoder in commit.go, about 100 lines), whose parser is the
// log walker's hot path; it is the next candidate for an internal package.
//
// Only gitcp and these packages import go-git; no go-git type appears in
// gitcp's exported API. Unix stat data comes from stat_unix.go; elsewhere
// stat_other.go fills what os.Lstat gives and leaves the rest zero, so
// files are hashed again rather than trusted. Package
// [github.com/wf-tool/wf/gitcp/gittest]
// builds git repositories for tests of gitcp and the packages above it.
//
// # Discovery
//
// [Discover] walks up to the first ".git" (folder or "gitdir:" file),
// follows "commondir" for linked worktrees and checks
// core.repositoryformatversion and extensions.* against an allow-list
// (worktreeConfig, objectFormat=sha1, preciousObjects, partialClone, noop).
// The object database is opened on first use.
//
// # Commit
//
// [Repo.Commit] snapshots the work tree: it compares the work tree with the
// index by stat data (hashing only files whose stat differs, or that are
// racily clean), collects untracked files honouring every ignore source,
// builds the trees in memory from the resulting entries and reads only the
// parent's subtrees that differ. Branch mode gives the tree and index that
// "git add -A && git commit" would give: files are converted as git add
// converts them (.gitattributes at every level, info/attributes,
// core.attributesFile; text, eol, core.autocrlf, ident,
// working-tree-encoding, clean and process filters), so a file whose only
// difference is its line endings is no change, and core.filemode,
// core.symlinks and core.ignorecase decide modes and names as in git. A
// repository with no attribute file and no core.autocrlf takes no
// attribute lookup at all. A required filter that fails is a
// [FilterError]; content git add refuses is a [ConversionError]. A filter
// process is started at most once per scan, when a path needs it.
// A [CommitOptions.Stage] callback
// sees the planned changes and may write more files (wf writes the
// checkpoint and the state files there); only the folders holding the
// paths it returns are planned again, every other subtree is reused.
//
// In branch mode the commit hooks run as git commit runs them
// (pre-commit once the new index is in index.lock, which is what
// GIT_INDEX_FILE names, then prepare-commit-msg and commit-msg on
// COMMIT_EDITMSG, and post-commit once the index is in place;
// [CommitOptions].NoVerify skips pre-commit and commit-msg), and the
// commit is signed when commit.gpgSign or [CommitOptions].Sign asks. A
// hook or signature that fails aborts before any ref moves. Submodule
// gitlinks follow the submodule's HEAD and embedded repositories are added
// as gitlinks ([CommitResult].Embedded, [EmbeddedWarning]), as git add -A
// does. docs/git.md lists each behaviour and its test.
//
// # History
//
// [Repo.Log] walks commits newest first as git log does, taking parents
// and dates from the commit-graph when there is one, and inflates commit
// objects itself from mmapped packs (own .idx lookup, deltas resolved) or
// loose files (internal/odb, alternates included), in parallel batches;
// only commits whose message holds the wanted trailer key are parsed.
// Objects it cannot find that way (packs it could not map) are read
// through go-git.
//
// # Crash safety
//
// Writes happen in this order; a process killed at any point leaves a
// repository that passes git fsck:
//
//  1. index.lock is taken (branch mode). Killed here: a stale index.lock
//     stays, and git refuses to touch the index until it is removed, exactly
//     as after a killed git command. Nothing else changed.
//  2. Blobs and trees are written as loose objects (temporary
//     file, then rename). Killed here: unreferenced objects, which git gc
//     prunes; the stale index.lock as above.
//  3. The new index is written into index.lock (not yet visible), the
//     pre-commit and message hooks run (a failing one aborts here: the
//     lock is removed, nothing else changed), the commit object is written
//     (signed when asked), then CommitOptions.BeforeRefUpdate runs (the
//     caller journals the commit id).
//  4. The ref moves: HEAD.lock when HEAD points to the branch (as git
//     commit holds it), then <ref>.lock once no packed-refs.lock is held,
//     compare-and-swap against the value
//     read at the start, fsync, rename; then the reflog lines. Killed just
//     after the rename: the branch points at the new commit but the index is
//     the old one, so git status would show the commit's changes reversed as
//     staged: not truthful. The journal then sees the ref equal to the
//     journaled commit, removes the stale index.lock and calls
//     [Repo.RepairIndex], which rebuilds the index from HEAD keeping the stat
//     data of unchanged entries. If the ref did not move, removing the stale
//     lock is the whole rollback.
//  5. index.lock is renamed over the index. Done.
//
// Ref mode skips steps 1, 3 and 5.
//
// Every lock file is made exclusively (O_EXCL, or link(2) of a private
// file when [Repo].ClaimLock is set: the caller records the lock's device
// and inode before the lock exists). A lock file this package did not make
// is never removed: [LockBusyError] names it. [RemoveClaimedLock] removes a
// lock only when it is still the claimed file.
package gitcp
