//go:build linux

package journal

import (
	"bytes"
	"os"
	"strconv"
)

// processStart returns the start time of process pid (field 22 of
// /proc/PID/stat, in clock ticks since boot: see proc(5)), which tells a
// process from a later one that reuses its pid; ok is false when there is
// no such process.
func processStart(pid int) (start uint64, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	return parseStatStart(b)
}

// parseStatStart reads the start time out of a /proc/PID/stat line. The
// command name (field 2) is in parentheses and may hold spaces and
// parentheses itself, so the fields are counted after the last ')'.
func parseStatStart(b []byte) (uint64, bool) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, false
	}
	f := bytes.Fields(b[i+1:])
	const startField = 22 - 3 // fields after ')' start with field 3 (state)
	if len(f) <= startField {
		return 0, false
	}
	n, err := strconv.ParseUint(string(f[startField]), 10, 64)
	return n, err == nil
}

// processAlive reports whether the process pid that started at start (0:
// not recorded) is still running.
func processAlive(pid int, start uint64) bool {
	if pid <= 0 {
		return false
	}
	got, ok := processStart(pid)
	if !ok {
		return false
	}
	return start == 0 || got == start
}
