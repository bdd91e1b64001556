//go:build unix

package mdstate

import "golang.org/x/sys/unix"

// mkfifo makes a named pipe at path for a test.
func mkfifo(path string) error { return unix.Mkfifo(path, 0o644) }
