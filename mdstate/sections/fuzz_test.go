package sections

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzParse checks, for any input, that Parse does not panic and that its
// result is consistent with the input (checkDoc: Src is the normalised
// input, the parts cover it in order, texts are their spans trimmed, lines
// are the lines of their offsets and lie within the file), that parsing
// Src again gives the same result (see the exception below), and that Items agrees with checkpoint's
// listItems on every section. The seeds are the inputs of the case files.
func FuzzParse(f *testing.F) {
	for _, in := range caseInputs(f) {
		f.Add(in)
	}
	for _, s := range []string{"", "\xef\xbb\xbf# T\r\n## A\r\n", "```\n## a\n````\n## b", "<!--\n## a\n-->\n## b\n", "#\n##\n###\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		d := Parse(in)
		checkDoc(t, in, d)
		// Src parses to the same result, unless it still holds a CRLF (a
		// CR before a CRLF, "\r\r\n", is text, and normalising again
		// would take it for a line ending) or starts with a BOM (of a
		// doubled BOM, normalising drops the first; again, the second).
		if again := Parse(d.Src); !bytes.Contains(d.Src, []byte("\r\n")) && !bytes.HasPrefix(d.Src, []byte("\ufeff")) && string(dump(again)) != string(dump(d)) {
			t.Fatalf("parsing Src again differs:\n%s\nvs\n%s", dump(again), dump(d))
		}
		for _, s := range d.Sections {
			lines := strings.Split(s.Text, "\n")
			got := Items(s.Text)
			want := listItems(s.Text)
			if len(got) != len(want) {
				t.Fatalf("Items(%q) has %d items, listItems %d", s.Text, len(got), len(want))
			}
			for i := range got {
				if got[i].Text != want[i] {
					t.Fatalf("Items(%q)[%d] = %q, listItems says %q", s.Text, i, got[i].Text, want[i])
				}
				line := strings.TrimSpace(lines[got[i].Line-1])
				if line == "" {
					t.Fatalf("Items(%q)[%d] on blank line %d", s.Text, i, got[i].Line)
				}
				c, ok := CutItem(line)
				if c2, ok2 := cutItem(line); c != c2 || ok != ok2 {
					t.Fatalf("CutItem(%q) = %q, %v; cutItem says %q, %v", line, c, ok, c2, ok2)
				}
			}
		}
	})
}

// listItems is checkpoint's listItems (checkpoint/file.go at 8bfd058), the
// behaviour Items keeps; it is quadratic in a long item and only for tests.
func listItems(md string) []string {
	var out []string
	for _, line := range strings.Split(md, "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		if s, ok := cutItem(t); ok && !strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "\t") {
			out = append(out, s)
		} else if len(out) > 0 {
			out[len(out)-1] += " " + t
		} else {
			out = append(out, t)
		}
	}
	return out
}

// cutItem is checkpoint's cutItem (same commit), which CutItem keeps.
func cutItem(t string) (string, bool) {
	for _, p := range []string{"- ", "* ", "+ "} {
		if s, ok := strings.CutPrefix(t, p); ok {
			return strings.TrimSpace(s), true
		}
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && t[i+1] == ' ' {
		return strings.TrimSpace(t[i+2:]), true
	}
	return t, false
}

// caseInputs returns the input.md of every case file.
func caseInputs(t testing.TB) [][]byte {
	files, err := filepath.Glob(filepath.Join("testdata", "cases", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, fl := range ar.Files {
			if fl.Name == "input.md" {
				out = append(out, fl.Data)
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("no case inputs")
	}
	return out
}
