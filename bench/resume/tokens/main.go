// Command tokens prints wf's token estimate (tokens.EstimateTokens)
// of its standard input, for comparing the size of `wf resume`'s output
// with other ways of giving an agent the same state:
//
//	cat workflow-state.md TODO.md | go run ./bench/resume/tokens
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/wf-tool/wf/checkpoint/tokens"
)

func main() {
	b, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tokens:", err)
		os.Exit(1)
	}
	fmt.Println(tokens.EstimateTokens(string(b)))
}
