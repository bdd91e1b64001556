package tokens

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	tiktoken "github.com/pkoukk/tiktoken-go"
	"github.com/wf-tool/wf/gitcp/gittest"
	"github.com/wf-tool/wf/internal/bpetest"
)

// The calibration below uses github.com/pkoukk/tiktoken-go with the
// offline BPE ranks of github.com/pkoukk/tiktoken-go-loader, loaded by
// internal/bpetest: test-only dependencies (no download, no network); wf
// itself never imports them.

func encodingsFor(t testing.TB) (names []string, encs map[string]*tiktoken.Tiktoken) {
	t.Helper()
	encs, err := bpetest.Encodings()
	if err != nil {
		t.Fatalf("loading BPE ranks: %v", err)
	}
	return bpetest.Names, encs
}

type sample struct{ name, text string }

// corpusSamples returns every file of the corpus.
func corpusSamples(t testing.TB) []sample {
	t.Helper()
	var out []sample
	corpusDir := gittest.Shared(t, "corpus") // real state files; see its SOURCES.md
	err := filepath.WalkDir(corpusDir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(corpusDir, p)
		out = append(out, sample{rel, string(b)})
		return nil
	})
	if err != nil {
		t.Fatalf("reading the corpus: %v", err)
	}
	if len(out) == 0 {
		t.Fatalf("the corpus %s is empty", corpusDir)
	}
	return out
}

// syntheticSamples are the shapes wf itself prints, and the worst cases
// for a byte count: ids, hashes, paths, URLs, tables, JSON, code, CJK,
// emoji.
func syntheticSamples() []sample {
	var hex strings.Builder
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&hex, "%016x%016x%08x\n", r.Uint64(), r.Uint64(), r.Uint32())
	}
	var table strings.Builder
	table.WriteString("| Phase | Status | Entered | Completed |\n|---|---|---|---|\n")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&table, "| Phase %d | IN_PROGRESS | 2026-02-%02d 09:%02d | -- |\n", i, i%28+1, i%60)
	}
	var ids strings.Builder
	for i := 0; i < 80; i++ {
		fmt.Fprintf(&ids, "- [x] item %d (2026%04d-%04d-api-route-%x)\n", i, 100+i, 900+i*7, r.Uint32())
	}
	var paths strings.Builder
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&paths, "internal/pkg%d/sub_dir/file_name%d_test.go:%d:%d  +%d -%d\n", i, i*3, i*17, i%80, i*5, i*2)
	}
	var urls strings.Builder
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&urls, "See https://github.com/example-org/repo%d/blob/%x/docs/README.md?plain=1#L%d\n", i, r.Uint64(), i*11)
	}
	var b64 strings.Builder
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < 40; i++ {
		for k := 0; k < 76; k++ {
			b64.WriteByte(alpha[r.IntN(len(alpha))])
		}
		b64.WriteByte('\n')
	}
	return []sample{
		{"synthetic/checkpoint.md", `# Checkpoint: API routes — 2026-02-22 11:30 +01:00

## Context Required to Resume
1. Read CLAUDE.md (conventions)
2. Read workflow-state.md
3. Read checkpoints/20260222-1130-api-routes.md
4. Read TODO.md

## State Summary
Phase **Implementing** (IN_PROGRESS), status running. Progress 14/37 done.
Current item: ` + "`API routes: feedback, suggestions`" + ` <-- CURRENT

## Key Decisions (do not re-evaluate)
- 2026-02-22 09:15: Chose D1 over Postgres (simpler, sufficient for our scale)
- 2026-02-22 10:02: Rate limiting in middleware, not per route; 100 req/min/IP

## Current File State
| file | change |
|---|---|
| src/routes/feedback.ts | +120 -4 |
| src/routes/suggestions.ts | +88 -0 |
| migrations/0003_feedback.sql | +31 -0 |

## Next Actions (in order)
1. Validate feedback_type against the enum in src/types.ts:42
2. Add tests in test/routes/feedback.test.ts
3. wf checkpoint -m "feedback route done"
`},
		{"synthetic/json.json", `{"schema":1,"project":"Search API","phase":"Implementing","status":"running","progress":{"done":14,"total":37,"skipped":0},"current":{"n":15,"text":"API routes: feedback, suggestions"},"waits":[{"kind":"approval","since":"2026-02-22T11:30:00+01:00","who":"@alice"}],"decisions":["Chose D1 over Postgres","Rate limiting in middleware"],"checkpoint":{"id":"20260222-1130-api-routes","commit":"3f9a2c1e8b7d6f5a4c3b2a1908f7e6d5c4b3a291","age_seconds":5400}}`},
		{"synthetic/table.md", table.String()},
		{"synthetic/hex.txt", hex.String()},
		{"synthetic/ids.md", ids.String()},
		{"synthetic/paths.txt", paths.String()},
		{"synthetic/urls.md", urls.String()},
		{"synthetic/base64.txt", b64.String()},
		{"synthetic/code.go", `func (w *Workspace) Update(change Change) (*Snapshot, error) {
	lock, err := mdstate.AcquireLock(w.lockDir(), w.LockWait)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	for attempt := 0; ; attempt++ {
		sn, err := w.Read()
		if err != nil {
			return nil, err
		}
		state, todo, err := change(sn)
		if errors.Is(err, mdstate.ErrChanged) && attempt < 2 {
			continue
		}
		return w.Read()
	}
}
`},
		{"synthetic/emoji.md", strings.Repeat("- ✅ done 🚀 shipped 🔥 hot ⚠️ warn 👍🏽 ok → next ★★★ — ✔︎\n", 20)},
		{"synthetic/zh.md", strings.Repeat("## 当前阶段\n实现搜索接口：反馈与建议路由。已完成数据库模式设计，下一步是速率限制中间件。决定使用 D1 而不是 Postgres（更简单，足够我们的规模）。\n", 10)},
		{"synthetic/ja.md", strings.Repeat("## 現在のフェーズ\n検索APIを実装中です。フィードバックと提案のルートを作成しています。次はレート制限のミドルウェアです。\n", 10)},
		{"synthetic/ko.md", strings.Repeat("## 현재 단계\n검색 API를 구현하는 중입니다. 피드백과 제안 라우트를 만들고 있습니다. 다음은 속도 제한 미들웨어입니다.\n", 10)},
		{"synthetic/ru-de.md", strings.Repeat("Текущий этап: реализация поискового API. Следующий шаг — промежуточное ПО для ограничения скорости. Größenänderungsübersicht für Straßenverkehrsordnung, naïve café façade.\n", 10)},
		{"synthetic/caps.md", strings.Repeat("IMPLEMENTING PENDING COMPLETE IN_PROGRESS BLOCKED TODO FIXME XMLHttpRequest getElementById WfCheckpointTrailer\n", 15)},
	}
}

type ratioStats struct {
	n              int
	sum, min, maxv float64
	minName        string
	maxName        string
}

func (s *ratioStats) add(name string, r float64) {
	if s.n == 0 || r < s.min {
		s.min, s.minName = r, name
	}
	if s.n == 0 || r > s.maxv {
		s.maxv, s.maxName = r, name
	}
	s.n++
	s.sum += r
}

func (s *ratioStats) mean() float64 { return s.sum / float64(s.n) }

// Bounds on the overestimate, set from what TestEstimateTokensCalibration
// measures (see its t.Logf table) with a little room. The estimate must
// be at least the count of both encodings, which disagree by up to 45% on
// CJK text (o200k_base has far more CJK tokens), so the overestimate is
// bounded against the larger of the two counts; the mean against each
// encoding is bounded too.
const (
	maxMeanRatio    = 1.40 // mean over samples, against the larger count
	maxFileRatio    = 1.75 // any one sample, against the larger count
	maxEncodingMean = 1.50 // mean over samples, against each encoding
)

// TestEstimateTokensCalibration compares EstimateTokens with the true count
// of cl100k_base and o200k_base on every corpus file and every synthetic
// sample: never below it, and on average not far above it.
func TestEstimateTokensCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("calibration tokenizes the whole corpus")
	}
	names, encs := encodingsFor(t)
	samples := append(corpusSamples(t), syntheticSamples()...)
	stats := map[string]*ratioStats{}
	var safety ratioStats // against the larger of the two counts
	var rows []string
	for _, s := range samples {
		est := EstimateTokens(s.text)
		row := fmt.Sprintf("%-70.70s %7d B %6d est", s.name, len(s.text), est)
		most := 0
		for _, name := range names {
			n := len(encs[name].EncodeOrdinary(s.text))
			most = max(most, n)
			r := float64(est) / float64(max(n, 1))
			row += fmt.Sprintf(" | %s %6d %.2f", name[:6], n, r)
			if stats[name] == nil {
				stats[name] = &ratioStats{}
			}
			stats[name].add(s.name, r)
			if est < n {
				t.Errorf("%s: estimate %d < %s count %d (ratio %.3f)", s.name, est, name, n, r)
			}
		}
		r := float64(est) / float64(max(most, 1))
		safety.add(s.name, r)
		if r > maxFileRatio {
			t.Errorf("%s: estimate %d is %.2f× the larger true count %d (bound %.2f)", s.name, est, r, most, maxFileRatio)
		}
		rows = append(rows, row)
	}
	t.Logf("file%67s bytes  estimate | encoding count ratio (estimate/true)", "")
	for _, r := range rows {
		t.Log(r)
	}
	for _, name := range names {
		s := stats[name]
		t.Logf("%s over %d samples: ratio min %.3f (%s) mean %.3f max %.3f (%s)",
			name, s.n, s.min, s.minName, s.mean(), s.maxv, s.maxName)
		if s.mean() > maxEncodingMean {
			t.Errorf("%s: mean ratio %.3f > %.2f: the estimate is too pessimistic", name, s.mean(), maxEncodingMean)
		}
	}
	t.Logf("against the larger count: ratio min %.3f (%s) mean %.3f max %.3f (%s)",
		safety.min, safety.minName, safety.mean(), safety.maxv, safety.maxName)
	if safety.mean() > maxMeanRatio {
		t.Errorf("mean ratio against the larger count %.3f > %.2f: the estimate is too pessimistic", safety.mean(), maxMeanRatio)
	}
}

// TestEstimateTokensSlices is the property test: random slices of 50–5000
// bytes of the corpus and the synthetic samples, cut anywhere (at rune
// boundaries), are never under-estimated.
func TestEstimateTokensSlices(t *testing.T) {
	if testing.Short() {
		t.Skip("tokenizes thousands of slices")
	}
	names, encs := encodingsFor(t)
	samples := append(corpusSamples(t), syntheticSamples()...)
	r := rand.New(rand.NewPCG(4, 2026))
	const n = 5000
	stats := map[string]*ratioStats{}
	for i := 0; i < n; i++ {
		s := samples[r.IntN(len(samples))]
		if len(s.text) < 50 {
			continue
		}
		size := 50 + r.IntN(min(5000, len(s.text))-50+1)
		start := r.IntN(len(s.text) - size + 1)
		end := start + size
		for start > 0 && !utf8.RuneStart(s.text[start]) {
			start--
		}
		for end < len(s.text) && !utf8.RuneStart(s.text[end]) {
			end++
		}
		text := s.text[start:end]
		est := EstimateTokens(text)
		for _, name := range names {
			tn := len(encs[name].EncodeOrdinary(text))
			ratio := float64(est) / float64(max(tn, 1))
			if stats[name] == nil {
				stats[name] = &ratioStats{}
			}
			where := fmt.Sprintf("%s[%d:%d]", s.name, start, end)
			stats[name].add(where, ratio)
			if est < tn {
				t.Errorf("%s: estimate %d < %s count %d: %.120q", where, est, name, tn, text)
			}
		}
	}
	for _, name := range names {
		s := stats[name]
		t.Logf("%s over %d slices: ratio min %.3f (%s) mean %.3f max %.3f (%s)",
			name, s.n, s.min, s.minName, s.mean(), s.maxv, s.maxName)
	}
}

func TestEstimateTokensBasics(t *testing.T) {
	if got := EstimateTokens(""); got != 0 {
		t.Errorf("EstimateTokens(\"\") = %d, want 0", got)
	}
	for _, s := range []string{"a", "\n", "é", "中", "🚀", "\xff", "12345", "   "} {
		if got := EstimateTokens(s); got < 1 {
			t.Errorf("EstimateTokens(%q) = %d, want ≥ 1", s, got)
		}
	}
	// Appending text never lowers the estimate of line-aligned prefixes
	// (TruncateToTokens relies on it).
	for _, s := range append(syntheticSamples(), sample{"mixed", "a\nbb ccc\n\n  - [ ] x\nABCdef\n"}) {
		prev := 0
		for i := 0; i <= len(s.text); i++ {
			if i != 0 && i != len(s.text) && s.text[i-1] != '\n' {
				continue
			}
			e := EstimateTokens(s.text[:i])
			if e < prev {
				t.Errorf("%s: estimate of prefix [:%d] = %d < %d of a shorter prefix", s.name, i, e, prev)
			}
			prev = e
		}
	}
}

func TestTruncateToTokens(t *testing.T) {
	var doc strings.Builder
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&doc, "- [ ] item %d: wire the %s route to the handler\n", i, strings.Repeat("x", i%7))
	}
	s := doc.String()
	full := EstimateTokens(s)
	if got, cut := TruncateToTokens(s, full); got != s || cut {
		t.Errorf("budget = estimate: cut %v, %d bytes of %d", cut, len(got), len(s))
	}
	for _, budget := range []int{-1, 0, 1, 5, 20, 100, 500, full - 1} {
		got, cut := TruncateToTokens(s, budget)
		if !cut {
			t.Errorf("budget %d < %d: not cut", budget, full)
		}
		if e := EstimateTokens(got); e > budget && got != "" {
			t.Errorf("budget %d: estimate of result %d", budget, e)
		}
		if !strings.HasPrefix(s, got) || (got != "" && !strings.HasSuffix(got, "\n")) {
			t.Errorf("budget %d: result is not a line-aligned prefix: %q", budget, got[max(0, len(got)-20):])
		}
		// Maximal: one more line would not fit.
		if next := s[len(got):]; next != "" {
			line := next[:strings.IndexByte(next, '\n')+1]
			if e := EstimateTokens(got + line); e <= budget {
				t.Errorf("budget %d: stopped early; %d tokens with the next line", budget, e)
			}
		}
	}
	if got, cut := TruncateToTokens("one line without newline but long enough", 2); got != "" || !cut {
		t.Errorf("single long line: %q %v", got, cut)
	}
	if got, cut := TruncateToTokens("", 0); got != "" || cut {
		t.Errorf("empty: %q %v", got, cut)
	}
}

// BenchmarkEstimateTokens measures an 8 KB Markdown document (the target is
// well under 1 ms).
func BenchmarkEstimateTokens(b *testing.B) {
	var doc strings.Builder
	for _, s := range syntheticSamples() {
		doc.WriteString(s.text)
	}
	text := doc.String()
	text = text[:8<<10]
	for !utf8.ValidString(text) {
		text = text[:len(text)-1]
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		EstimateTokens(text)
	}
}

func BenchmarkTruncateToTokens(b *testing.B) {
	var doc strings.Builder
	for doc.Len() < 64<<10 {
		for _, s := range syntheticSamples() {
			doc.WriteString(s.text)
		}
	}
	text := doc.String()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		TruncateToTokens(text, 2000)
	}
}
