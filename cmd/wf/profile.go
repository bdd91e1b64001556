package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfile starts a CPU profile written to the file named by the
// WF_CPUPROFILE environment variable, for the performance work of
// BENCHMARKS.md ("go tool pprof wf FILE"); it returns the function that
// stops it. WF_MEMPROFILE names a file for a heap profile of every
// allocation (runtime.MemProfileRate 1), written when it stops
// ("go tool pprof -sample_index=alloc_space wf FILE"). Without the
// variables it does nothing. A profile that cannot be started is
// reported on stderr and the command runs unprofiled.
func startProfile() (stop func()) {
	stopMem := startMemProfile()
	path := os.Getenv("WF_CPUPROFILE")
	if path == "" {
		return stopMem
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
		stopMem()
	}
}

// startMemProfile records every allocation when WF_MEMPROFILE names a
// file, and returns the function that writes the heap profile there.
func startMemProfile() (stop func()) {
	path := os.Getenv("WF_MEMPROFILE")
	if path == "" {
		return func() {}
	}
	runtime.MemProfileRate = 1
	return func() {
		// The profile is as of the last completed collection: one now
		// takes in the allocations made since.
		runtime.GC()
		f, err := os.Create(path)
		if err == nil {
			err = pprof.Lookup("allocs").WriteTo(f, 0)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "wf: WF_MEMPROFILE: %v\n", err)
		}
	}
}
