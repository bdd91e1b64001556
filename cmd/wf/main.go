// Command wf keeps the state of long-running coding work in Markdown files
// inside a git repository. See the README for a tour.
package main

import "os"

func main() { os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr)) }
