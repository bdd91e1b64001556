//go:build !unix

package mdstate

import "errors"

// mkfifo fails: only Unix puts named pipes in the file system, so the
// tests that need one skip.
func mkfifo(string) error { return errors.ErrUnsupported }
