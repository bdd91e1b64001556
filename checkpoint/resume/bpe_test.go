package resume

import (
	"fmt"
	"sync"
	"testing"

	tiktoken "github.com/pkoukk/tiktoken-go"
	tiktokenloader "github.com/pkoukk/tiktoken-go-loader"
)

// bpeEncodings loads the real BPE tokenizers offline (test-only).
var bpeEncodings = sync.OnceValues(func() (map[string]*tiktoken.Tiktoken, error) {
	tiktoken.SetBpeLoader(tiktokenloader.NewOfflineLoader())
	m := map[string]*tiktoken.Tiktoken{}
	for _, name := range []string{"cl100k_base", "o200k_base"} {
		enc, err := tiktoken.GetEncoding(name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		m[name] = enc
	}
	return m, nil
})

// bpeCounts returns text's token count in cl100k_base and o200k_base.
func bpeCounts(t testing.TB, text string) (cl100k, o200k int) {
	t.Helper()
	encs, err := bpeEncodings()
	if err != nil {
		t.Fatalf("loading BPE ranks: %v", err)
	}
	return len(encs["cl100k_base"].Encode(text, nil, nil)), len(encs["o200k_base"].Encode(text, nil, nil))
}
