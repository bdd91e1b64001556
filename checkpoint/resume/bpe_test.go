package resume

import (
	"testing"

	"github.com/wf-tool/wf/internal/bpetest"
)

// bpeCounts returns text's token count in cl100k_base and o200k_base.
func bpeCounts(t testing.TB, text string) (cl100k, o200k int) {
	t.Helper()
	return bpetest.Counts(t, text)
}
