// Package rawio reads whole files with the fewest system calls, for the
// hot paths of gitcp: loose objects read by the object database, and the
// work-tree files a checkpoint hashes.
//
// On Linux, os.Open makes a regular file ready for the runtime's network
// poller: besides openat(2) it calls fcntl(2) four times and
// epoll_ctl(2) once, which fails for a regular file, and os.File.Stat
// and Close add fstat(2) and close(2). [ReadFile] reads a file with
// openat(2), fstat(2), read(2) until end of file, and close(2) only: a
// checkpoint that hashes 600 files, or a diffstat that reads 300 loose
// objects, makes thousands of system calls fewer (BENCHMARKS.md, issue
// 12). The same calls serve every Unix system (build tag unix); Windows
// uses the os package.
//
// It imports nothing of the module (rank 0, below the other gitcp/internal
// packages that use it).
package rawio
