package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startProfile starts a CPU profile written to the file named by the
// WF_CPUPROFILE environment variable, for the performance work of
// BENCHMARKS.md ("go tool pprof wf FILE"); it returns the function that
// stops it. Without the variable it does nothing. A profile that cannot
// be started is reported on stderr and the command runs unprofiled.
func startProfile() (stop func()) {
	path := os.Getenv("WF_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "wf: WF_CPUPROFILE: %v\n", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
