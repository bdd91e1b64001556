//go:build !linux

package journal

import (
	"errors"
	"os"
	"syscall"
)

// processStart is not known here; ok reports whether pid runs.
func processStart(pid int) (uint64, bool) {
	return 0, processAlive(pid, 0)
}

// processAlive reports whether a process pid runs (signal 0). Without
// start times a reused pid counts as alive: recovery then leaves the lock
// files alone, the safe side.
func processAlive(pid int, _ uint64) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EPERM)
}
