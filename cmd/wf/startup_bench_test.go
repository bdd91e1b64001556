package main

import "testing"

// The start-up benchmarks measure what every command pays in-process
// before it does its own work: building the command tree and its help,
// parsing the arguments, and (for --version) printing one line. Process
// start-up itself (runtime and package inits, page faults of the binary)
// is not in them; BENCHMARKS.md times it with hyperfine on the binary.

// BenchmarkRunVersion runs `wf --version` in-process.
func BenchmarkRunVersion(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		runBench(b, "--version")
	}
}

// BenchmarkNewApp builds the command tree alone, as run does first.
func BenchmarkNewApp(b *testing.B) {
	b.ReportAllocs()
	e := &env{}
	for b.Loop() {
		e.newApp()
	}
}

// BenchmarkNewAppFor builds the app for `wf status`: the command tree
// without the help texts.
func BenchmarkNewAppFor(b *testing.B) {
	b.ReportAllocs()
	e := &env{}
	for b.Loop() {
		e.newAppFor([]string{"wf", "status"})
	}
}
