package sections

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the want section of case files from the current output")

// TestCases runs the case files in testdata/cases (goldmark's
// extension/_test idea): each is a txtar archive with an input.md and a
// want section holding [dump] of its parse, compared byte for byte.
func TestCases(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "cases", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no case files")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var input, want []byte
			wantAt := -1
			for i, f := range ar.Files {
				switch f.Name {
				case "input.md":
					input = f.Data
				case "want":
					want, wantAt = f.Data, i
				}
			}
			if input == nil || (wantAt < 0 && !*update) {
				t.Fatalf("%s: needs an input.md and a want section", file)
			}
			d := Parse(input)
			checkDoc(t, input, d)
			got := dump(d)
			if *update {
				if wantAt < 0 {
					ar.Files = append(ar.Files, txtar.File{Name: "want"})
					wantAt = len(ar.Files) - 1
				}
				ar.Files[wantAt].Data = got
				if err := os.WriteFile(file, txtar.Format(ar), 0o666); err != nil {
					t.Fatal(err)
				}
				return
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: got\n%s\nwant\n%s", file, got, want)
			}
		})
	}
}

// dump writes a parse one fact a line: the title, the preamble, and each
// section with its text and items, each with its line.
func dump(d *Doc) []byte {
	var b bytes.Buffer
	if d.TitleLine > 0 {
		fmt.Fprintf(&b, "title %d %q\n", d.TitleLine, d.Title)
	}
	if d.Preamble != "" {
		fmt.Fprintf(&b, "preamble %d %q\n", d.PreambleLine, d.Preamble)
	}
	for i := range d.Sections {
		s := &d.Sections[i]
		fmt.Fprintf(&b, "section %d %q\n", s.Line, s.Title)
		if s.Text != "" {
			fmt.Fprintf(&b, "  text %d %q\n", s.TextLine, s.Text)
		}
		for _, it := range s.Items() {
			fmt.Fprintf(&b, "  item %d %q\n", it.Line, it.Text)
		}
	}
	return b.Bytes()
}

// checkDoc checks the invariants of a parse of input that hold for every
// input: Src is input normalised; the title, the preamble and the sections
// cover Src in order without gaps; each text is its span trimmed; each line
// number is the line of the offset it belongs to. It looks at the whole of
// Src for every section, so it is for tests, not for large inputs.
func checkDoc(t testing.TB, input []byte, d *Doc) {
	t.Helper()
	src := bytes.ReplaceAll(bytes.TrimPrefix(input, []byte("\xef\xbb\xbf")), []byte("\r\n"), []byte("\n"))
	if !bytes.Equal(d.Src, src) {
		t.Fatalf("Src = %q, want %q", d.Src, src)
	}
	lines := bytes.Count(src, []byte("\n"))
	if len(src) > 0 && src[len(src)-1] != '\n' {
		lines++
	}
	lineOf := func(off int) int { return bytes.Count(src[:off], []byte("\n")) + 1 }
	checkText := func(what, text string, line int, raw []byte, rawLine int) {
		t.Helper()
		if want := string(bytes.Trim(raw, "\n")); text != want {
			t.Fatalf("%s text = %q, want %q", what, text, want)
		}
		lead := len(raw) - len(bytes.TrimLeft(raw, "\n"))
		if want := rawLine + lead; text != "" && line != want || text == "" && line != 0 {
			t.Fatalf("%s text line = %d, want %d (text %q)", what, line, want, text)
		}
		if line < 0 || line > lines {
			t.Fatalf("%s text line %d outside 1..%d", what, line, lines)
		}
	}

	preEnd := len(src)
	if len(d.Sections) > 0 {
		preEnd = d.Sections[0].Span.Start
	}
	if d.TitleLine == 0 {
		if d.Title != "" || d.TitleSpan != (Span{}) {
			t.Fatalf("no title line but title %q span %v", d.Title, d.TitleSpan)
		}
		checkText("preamble", d.Preamble, d.PreambleLine, src[:preEnd], 1)
	} else {
		ts := d.TitleSpan
		if ts.Start < 0 || ts.Start >= ts.End || ts.End > preEnd || (ts.Start > 0 && src[ts.Start-1] != '\n') {
			t.Fatalf("title span %v not a line before the first section (%d)", ts, preEnd)
		}
		if d.TitleLine != lineOf(ts.Start) {
			t.Fatalf("title line %d, its span starts on line %d", d.TitleLine, lineOf(ts.Start))
		}
		hl := bytes.TrimSuffix(src[ts.Start:ts.End], []byte("\n"))
		if bytes.IndexByte(hl, '\n') >= 0 || !bytes.HasPrefix(hl, []byte("#")) || bytes.HasPrefix(hl, []byte("##")) {
			t.Fatalf("title span %q is not one H1 line", hl)
		}
		if !strings.Contains(string(hl), d.Title) {
			t.Fatalf("title %q not in its line %q", d.Title, hl)
		}
		before, after := src[:ts.Start], src[ts.End:preEnd]
		if len(bytes.Trim(before, "\n")) == 0 {
			checkText("preamble", d.Preamble, d.PreambleLine, after, d.TitleLine+1)
		} else {
			checkText("preamble", d.Preamble, d.PreambleLine, append(append([]byte{}, before...), after...), 1)
		}
	}
	for i := range d.Sections {
		s := &d.Sections[i]
		end := len(src)
		if i+1 < len(d.Sections) {
			end = d.Sections[i+1].Span.Start
		}
		if s.Span.End != end || s.Body.End != end || s.Span.Start >= s.Body.Start || s.Body.Start > end+1 {
			t.Fatalf("section %d %q: span %v body %v, want them to end at %d", i, s.Title, s.Span, s.Body, end)
		}
		if s.Span.Start > 0 && src[s.Span.Start-1] != '\n' {
			t.Fatalf("section %d %q does not start a line", i, s.Title)
		}
		hl := src[s.Span.Start:min(s.Body.Start, len(src))]
		hl = bytes.TrimSuffix(hl, []byte("\n"))
		if bytes.IndexByte(hl, '\n') >= 0 || !bytes.HasPrefix(hl, []byte("##")) || bytes.HasPrefix(hl, []byte("###")) {
			t.Fatalf("section %d heading %q is not one H2 line", i, hl)
		}
		if !strings.Contains(string(hl), s.Title) {
			t.Fatalf("section %d title %q not in its line %q", i, s.Title, hl)
		}
		if s.Line != lineOf(s.Span.Start) || s.Line > lines {
			t.Fatalf("section %d %q: line %d, its span starts on line %d of %d", i, s.Title, s.Line, lineOf(s.Span.Start), lines)
		}
		body := src[min(s.Body.Start, end):end]
		checkText(fmt.Sprintf("section %d %q", i, s.Title), s.Text, s.TextLine, body, s.Line+1)
		for _, it := range s.Items() {
			if it.Line < s.TextLine || it.Line > lines {
				t.Fatalf("section %d %q: item %q on line %d, outside %d..%d", i, s.Title, it.Text, it.Line, s.TextLine, lines)
			}
		}
	}
}
