package sections

import (
	"strings"
	"testing"
)

// adversarial returns inputs of about n bytes built to make a careless line
// scanner quadratic: many headings, long runs of "#", fences that never
// close or almost close, HTML blocks that never end, long lone tags, and a
// list item with many continuation lines.
func adversarial(n int) map[string]string {
	rep := func(s string) string { return strings.Repeat(s, n/len(s)) } // whole copies: the same shape at every n
	return map[string]string{
		"h1 lines":             rep("#\n"),
		"h2 lines":             rep("##\n"),
		"one run of hashes":    "## " + strings.Repeat("#", n),
		"hashes and spaces":    "## x" + rep(" #"),
		"fence never closes":   "````\n" + rep("```\n"),
		"fences of each size":  fencesOfEachSize(n),
		"comment never ends":   "<!--\n" + rep("## -- >\n"),
		"script never ends":    "<script>\n" + rep("</scrip\n"),
		"long lone tag":        "<a" + rep(" b='x'") + ">\n## A\n",
		"tag never closes":     "<a" + rep(" b") + "\n## A\n",
		"quote never closes":   "<a b='" + rep("x") + "\n## A\n",
		"blank lines":          "## A" + rep("\n"),
		"crlf":                 rep("## A\r\n"),
		"long item":            "## A\n- x\n" + rep("  y\n"),
		"carriage returns":     rep("\r"),
		"open tags each line":  rep("<div\n"),
		"backtick info string": rep("```a\n"),
	}
}

// fencesOfEachSize opens a fence of length k and follows it with shorter
// runs that do not close it, for falling k: nested-looking fences.
func fencesOfEachSize(n int) string {
	var b strings.Builder
	for k := 1000; b.Len() < n; k-- {
		if k < 3 {
			k = 1000
		}
		b.WriteString(strings.Repeat("`", k) + "\n")
		b.WriteString(strings.Repeat("`", k-1) + "\n## x\n")
	}
	return b.String()[:n]
}

// TestLinearWork parses 1 MB adversarial inputs and checks the work the
// scanner reports (bytes its line scans looked at) against the input size,
// and that doubling the input at most doubles the work (plus slack): a
// count of work done, not a wall-clock time, so it does not flake on a busy
// machine. It also checks that Items splits the long item in one piece.
func TestLinearWork(t *testing.T) {
	const size = 1 << 20
	small, large := adversarial(size), adversarial(2*size)
	for name, in := range small {
		t.Run(name, func(t *testing.T) {
			d, w := parse([]byte(in))
			if limit := 8 * (len(in) + 1); w > limit {
				t.Errorf("work %d for %d bytes, want at most %d", w, len(in), limit)
			}
			if w < len(d.Src) {
				t.Errorf("work %d for %d bytes: the counter misses bytes every parse reads", w, len(d.Src))
			}
			_, w2 := parse([]byte(large[name]))
			if w2 > 2*w+2*size/10 {
				t.Errorf("work %d for 1 MB but %d for 2 MB: not linear", w, w2)
			}
			for i := range d.Sections {
				_ = d.Sections[i].Items()
			}
		})
	}
	d := Parse([]byte(small["long item"]))
	if items := d.Sections[0].Items(); len(items) != 1 || len(items[0].Text) < size/2 {
		t.Errorf("long item: %d items", len(items))
	}
}
