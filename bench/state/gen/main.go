// Command gen writes the benchmark state files of package benchdata:
//
//	go run ./bench/state/gen [-items 5000] [-decisions 200] [-rich] DIR
//
// It writes DIR/TODO.md and DIR/workflow-state.md, replacing them.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wf-tool/wf/bench/state/benchdata"
)

func main() {
	items := flag.Int("items", 5000, "number of TODO items")
	decisions := flag.Int("decisions", 200, "number of decisions in workflow-state.md")
	rich := flag.Bool("rich", false, "put inline code and a link on every item (benchdata.TodoRich)")
	flag.Parse()
	if flag.NArg() != 1 || *items < 10 {
		fmt.Fprintln(os.Stderr, "usage: gen [-items N (>= 10)] [-decisions N] [-rich] DIR")
		os.Exit(2)
	}
	dir := flag.Arg(0)
	todo := benchdata.Todo
	if *rich {
		todo = benchdata.TodoRich
	}
	for name, data := range map[string][]byte{
		"TODO.md":           todo(*items),
		"workflow-state.md": benchdata.State(*decisions),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}
