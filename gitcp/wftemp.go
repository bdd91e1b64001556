package gitcp

import "strings"

// IsWfTemp reports whether a file name is one of wf's temp files, which
// the work-tree scan never commits: an atomic write's ".NAME.wf-tmp-…"
// (package mdstate, and the checkout's ".NAME.wf-tmp-checkout") and a
// lock claim's ".wf-lock-…" ([LockClaim]). A user file with such a name
// is not committed either; the names are wf's own.
func IsWfTemp(name string) bool {
	if !strings.HasPrefix(name, ".") {
		return false
	}
	return strings.Contains(name, ".wf-tmp-") || strings.HasPrefix(name, ".wf-lock-")
}
