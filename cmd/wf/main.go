// Command wf keeps the state of long-running coding work in Markdown files
// inside a git repository. See the README for a tour.
//
// This package is the command-line driver: it owns flags and help, the
// reordering of flags typed after arguments, what each command prints
// (text or --json), the error voice ("wf: error:" and "wf: hint:" lines)
// and the exit codes (docs/exit-codes.md), mapped from typed errors in one
// place. What a command does is in package verbs (cmd/wf/internal/verbs);
// it holds no Markdown or git logic. main calls run, which takes the
// arguments and the streams and returns the exit code (with a CPU
// profile around it when WF_CPUPROFILE names a file).
package main

import "os"

func main() {
	stop := startProfile()
	code := run(os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
