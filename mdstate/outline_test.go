package mdstate

import (
	"bytes"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// TestOutlineParserWrapped checks that newParser's two savings are in
// place: were goldmark to hand out a new list parser or link reference
// transformer value, the wrappers would silently not be installed and the
// outline would be as right as before but slower.
func TestOutlineParserWrapped(t *testing.T) {
	lists := 0
	for _, b := range outlineBlockParsers() {
		if _, ok := b.Value.(rawListParser); ok {
			lists++
		}
	}
	refs := 0
	for _, p := range outlineParagraphTransformers() {
		if _, ok := p.Value.(skipBoxParagraphs); ok {
			refs++
		}
	}
	if lists != 1 || refs != 1 {
		t.Fatalf("%d wrapped list parsers and %d wrapped link reference transformers, want 1 and 1", lists, refs)
	}
}

// TestListParagraphsRaw: after a parse, the paragraphs of list items, in
// tight and loose lists and nested ones, are rawText nodes with no inline
// children (goldmark's inline pass skipped them), and keep their lines;
// paragraphs outside lists are goldmark's own.
func TestListParagraphsRaw(t *testing.T) {
	src := []byte("# T\n\nfree *text*\n\n- [ ] a `c`\n  - [x] b [l](u)\n- c\n\n  second para\n\n1. [ ] d\n")
	doc := newParser().Parse(text.NewReader(src))
	var raws []string
	var other int
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case kindRawText:
			if n.ChildCount() != 0 {
				t.Errorf("raw paragraph %q has %d children", n.Lines().Value(src), n.ChildCount())
			}
			raws = append(raws, string(n.Lines().Value(src)))
		case ast.KindParagraph, ast.KindTextBlock:
			other++
		}
		return ast.WalkContinue, nil
	})
	want := []string{"[ ] a `c`", "[x] b [l](u)", "c", "second para", "[ ] d"}
	if len(raws) != len(want) {
		t.Fatalf("raw paragraphs %q, want %q", raws, want)
	}
	for i := range want {
		if raws[i] != want[i] {
			t.Fatalf("raw paragraphs %q, want %q", raws, want)
		}
	}
	if other != 1 {
		t.Fatalf("%d goldmark paragraphs, want 1 (the one outside the lists)", other)
	}
}

// TestReadBoxMatchesRegexp compares readBox with the regular expression it
// replaced, `^\[([ xX-])\](?:[ \t]|$)`, on every string of up to six bytes
// over the bytes that matter.
func TestReadBoxMatchesRegexp(t *testing.T) {
	re := regexp.MustCompile(`^\[([ xX-])\](?:[ \t]|$)`)
	alphabet := []byte("[] xX-\t:a\\")
	var try func(b []byte)
	try = func(b []byte) {
		mark, n, ok := readBox(b)
		m := re.FindSubmatchIndex(b)
		if ok != (m != nil) {
			t.Fatalf("readBox(%q) ok=%t, regexp %v", b, ok, m)
		}
		if ok {
			want := Mark(b[1])
			if want == 'X' {
				want = Done
			}
			if n != m[1] || mark != want {
				t.Fatalf("readBox(%q) = %q, %d; regexp: %q, %d", b, mark, n, want, m[1])
			}
		}
		if len(b) == 6 {
			return
		}
		for _, c := range alphabet {
			try(append(b, c))
		}
	}
	try(nil)
}

// TestBoxNotLabel: the lines skipBoxParagraphs lets through to goldmark's
// link reference transformer, and those it keeps from it.
func TestBoxNotLabel(t *testing.T) {
	for line, want := range map[string]bool{
		"[ ] a": true, "[x] a": true, "[X]": true, "  [-]\tb": true, "[x]\r": true, "[ ]:": false,
		"[x]: /url": false, "[-]:": false, "[ab]: /u": false, "[x": false, "x [ ] a": false, "[\\]] a": false,
	} {
		if got := boxNotLabel([]byte(line)); got != want {
			t.Errorf("boxNotLabel(%q) = %t, want %t", line, got, want)
		}
	}
}

// FuzzOutlineMatchesFull checks, on any input, that the outline of wf's
// block-only parser (raw list paragraphs, link reference definitions not
// tried on task boxes) is the one goldmark's full parser with the table
// extension gives.
func FuzzOutlineMatchesFull(f *testing.F) {
	for _, seed := range []string{"- [ ] a\n- [x] b\n", "- [x]: /u\n", "[x]: /u\n[ ] a\n", "- a\n\n  b\n",
		"1. [ ] a\n   | x |\n   |---|\n", "> - [ ] q\n", "- [ ] a\n  ===\n", "- [-]\tx\n  [r]: /u\n",
		"---\nk: v\n- a\n---\n- [ ] x\n", "\xef\xbb\xbf- [ ] bom\n", strings.Repeat("- ", MaxNesting+1) + "[ ] deep\n- [ ] x\n",
		"\xef\xbb\xbf" + strings.Repeat("> ", MaxNesting+2) + "x\n"} {
		f.Add([]byte(seed))
	}
	full := goldmark.New(goldmark.WithExtensions(extension.Table))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		orig := bytes.Clone(data)
		s := newSource("TODO.md", data)
		want := outlineWith(full.Parser(), s)
		if got := buildOutline(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: block-only outline\n%+v\nfull parser\n%+v", data, got, want)
		}
		// goldmark parses the caller's bytes in place when nothing needs
		// blanking: they must come back as they were.
		ParseTodo("TODO.md", data)
		ParseState("workflow-state.md", data)
		if !bytes.Equal(data, orig) {
			t.Fatalf("%q: parsing changed the input to %q", orig, data)
		}
	})
}

// TestIsNoneMatchesLowerCase compares isNoneText with the allocating
// definition it replaced on placeholders, near misses and strings with
// the Unicode letters whose case mappings change their length.
func TestIsNoneMatchesLowerCase(t *testing.T) {
	old := func(s string) bool {
		t := strings.ToLower(strings.Trim(strings.TrimSpace(s), "()_*.- "))
		return t == "none" || t == "nothing" || t == "n/a"
	}
	parts := []string{"", " ", "(", ")", "_", "*", ".", "-", "\t", "\u00a0", "none", "NONE", "NoThInG", "n/a", "N/A",
		"nonE", "no ne", "nothings", "\u212a", "\u017f", "\u0130", "o", "n", "\u023a"}
	for _, a := range parts {
		for _, b := range parts {
			for _, c := range parts {
				s := a + b + c
				if got, want := isNoneText(s), old(s); got != want {
					t.Fatalf("isNoneText(%q) = %t, want %t", s, got, want)
				}
			}
		}
	}
}
