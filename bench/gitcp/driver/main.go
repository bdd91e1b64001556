// Command driver commits the work tree of the repository in the current
// folder with gitcp (branch mode, like "git add -A && git commit"), or runs
// gitcp's Log ("driver log"), or only discovers the repository ("driver
// noop", the process start floor). It is the gitcp side of
// bench/gitcp/compare.sh.
package main

import (
	"bufio"
	"fmt"
	"os"

	"github.com/wf-tool/wf/gitcp"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "driver:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	r, err := gitcp.Discover(".")
	if err != nil {
		return err
	}
	defer r.Close()
	if len(args) > 0 && args[0] == "noop" {
		return nil
	}
	if len(args) > 0 && args[0] == "log" {
		entries, err := r.Log("HEAD", "", 0)
		if err != nil {
			return err
		}
		w := bufio.NewWriter(os.Stdout)
		for _, e := range entries {
			fmt.Fprintln(w, e.Hash)
		}
		return w.Flush()
	}
	_, err = r.Commit(gitcp.CommitOptions{Message: "x"})
	return err
}
