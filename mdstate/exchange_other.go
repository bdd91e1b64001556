//go:build !linux

package mdstate

// exchange is not available here: the caller renames.
func exchange(a, b string) (ok bool, err error) { return false, nil }
