// Command gen writes the benchmark state files of package benchdata:
//
//	go run ./bench/state/gen [-items 5000] [-decisions 200] DIR
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
	flag.Parse()
	if flag.NArg() != 1 || *items < 10 {
		fmt.Fprintln(os.Stderr, "usage: gen [-items N (>= 10)] [-decisions N] DIR")
		os.Exit(2)
	}
	dir := flag.Arg(0)
	for name, data := range map[string][]byte{
		"TODO.md":           benchdata.Todo(*items),
		"workflow-state.md": benchdata.State(*decisions),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}
