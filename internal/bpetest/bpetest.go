// Package bpetest loads the real BPE tokenizers, cl100k_base and
// o200k_base, from the offline ranks of github.com/pkoukk/tiktoken-go-loader
// (no download, no network), once per process. It serves the tests that
// calibrate and check wf's token estimates (checkpoint/tokens,
// checkpoint/resume, the MCP server's tools/list budget) and the bench
// tools; wf itself never imports it (cmd/wf's TestLayers).
package bpetest

import (
	"fmt"
	"sync"
	"testing"

	tiktoken "github.com/pkoukk/tiktoken-go"
	tiktokenloader "github.com/pkoukk/tiktoken-go-loader"
)

// Names are the encodings [Encodings] loads.
var Names = []string{"cl100k_base", "o200k_base"}

// Encodings returns the encodings of Names by name, loaded on first use;
// the error is a failure to load the ranks.
var Encodings = sync.OnceValues(func() (map[string]*tiktoken.Tiktoken, error) {
	tiktoken.SetBpeLoader(tiktokenloader.NewOfflineLoader())
	m := map[string]*tiktoken.Tiktoken{}
	for _, name := range Names {
		enc, err := tiktoken.GetEncoding(name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		m[name] = enc
	}
	return m, nil
})

// Counts returns text's token counts in cl100k_base and o200k_base; it
// fails t when the ranks cannot be loaded.
func Counts(t testing.TB, text string) (cl100k, o200k int) {
	t.Helper()
	encs, err := Encodings()
	if err != nil {
		t.Fatalf("loading BPE ranks: %v", err)
	}
	return len(encs["cl100k_base"].Encode(text, nil, nil)), len(encs["o200k_base"].Encode(text, nil, nil))
}
