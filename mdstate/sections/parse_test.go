package sections

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseShapes(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // dump of the parse
	}{
		{"empty", "", ""},
		{"only newlines", "\n\n\n", ""},
		{"bom and crlf", "\xef\xbb\xbf# T\r\n\r\nIntro.\r\n## A\r\n- x\r\n  y\r\n",
			"title 1 \"T\"\npreamble 3 \"Intro.\"\nsection 4 \"A\"\n  text 5 \"- x\\n  y\"\n  item 5 \"x y\"\n"},
		{"lone cr is a byte", "## A\rB\n", "section 1 \"A\\rB\"\n"},
		{"cr before crlf is a byte", "## A\r\r\nx\r\r\n", "section 1 \"A\\r\"\n  text 2 \"x\\r\"\n  item 2 \"x\"\n"},
		{"heading on the last line without newline", "x\n## End", "preamble 1 \"x\"\nsection 2 \"End\"\n"},
		{"tab after the marks", "#\tT\n##\tA\n", "title 1 \"T\"\nsection 2 \"A\"\n"},
		{"empty title", "#\n## A\n", "title 1 \"\"\nsection 2 \"A\"\n"},
		{"only blank lines before the title", "\n\n# T\n\n\nx\n", "title 3 \"T\"\npreamble 6 \"x\"\n"},
		{"title then nothing", "# T\n", "title 1 \"T\"\n"},
		{"spaces are kept, newlines trimmed", "## A\n\n  x  \n\n", "section 1 \"A\"\n  text 3 \"  x  \"\n  item 3 \"x\"\n"},
		{"repeated titles kept", "## A\n1\n## a\n2\n", "section 1 \"A\"\n  text 2 \"1\"\n  item 2 \"1\"\nsection 3 \"a\"\n  text 4 \"2\"\n  item 4 \"2\"\n"},
		{"crlf fence", "## A\r\n```\r\n## no\r\n```\r\n## B\r\n",
			"section 1 \"A\"\n  text 2 \"```\\n## no\\n```\"\n  item 2 \"``` ## no ```\"\nsection 5 \"B\"\n"},
		{"closing fence longer", "~~~\n## no\n~~~~~~ \t\n## B\n", "preamble 1 \"~~~\\n## no\\n~~~~~~ \\t\"\nsection 4 \"B\"\n"},
		{"fence of two is not a fence", "``\n## A\n", "preamble 1 \"``\"\nsection 2 \"A\"\n"},
		{"html kind 6 closing tag starts a block", "</div>\n## no\n\n## A\n", "preamble 1 \"</div>\\n## no\"\nsection 4 \"A\"\n"},
		{"html kind 6 needs a tag boundary", "<divx>\n\n<divx\n## A\n", "preamble 1 \"<divx>\\n\\n<divx\"\nsection 4 \"A\"\n"},
		{"html kind 7 with quoted > in attribute", "<a title='>'>\n## no\n", "preamble 1 \"<a title='>'>\\n## no\"\n"},
		{"html kind 7 must be alone on its line", "<a> text\n## A\n", "preamble 1 \"<a> text\"\nsection 2 \"A\"\n"},
		{"html kind 7 attribute needs space", "<a b=\"1\"c>\n## A\n", "preamble 1 \"<a b=\\\"1\\\"c>\"\nsection 2 \"A\"\n"},
		{"html kind 7 self-closing", "<x-y/>\n## no\n", "preamble 1 \"<x-y/>\\n## no\"\n"},
		{"html kind 7 not script", "<pre-x>\n## no\n", "preamble 1 \"<pre-x>\\n## no\"\n"},
		{"html comment after a paragraph", "text\n<!--\n## no\n-->\n## A\n", "preamble 1 \"text\\n<!--\\n## no\\n-->\"\nsection 5 \"A\"\n"},
		{"html inside a fence is code", "```\n<!--\n```\n## A\n", "preamble 1 \"```\\n<!--\\n```\"\nsection 4 \"A\"\n"},
		{"fence inside html is html", "<div>\n```\n\n## A\n", "preamble 1 \"<div>\\n```\"\nsection 4 \"A\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse([]byte(tt.in))
			checkDoc(t, []byte(tt.in), d)
			if got := string(dump(d)); got != tt.want {
				t.Errorf("Parse(%q):\n%s\nwant\n%s", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseCopiesInput(t *testing.T) {
	in := []byte("## A\nx\n")
	d := Parse(in)
	in[3] = 'Z'
	if string(d.Src) != "## A\nx\n" || d.Sections[0].Title != "A" {
		t.Errorf("Doc changed with its input: Src %q, title %q", d.Src, d.Sections[0].Title)
	}
}

func TestLookup(t *testing.T) {
	d := Parse([]byte("# Spec\n## Goal\ng\n## Files to Read\n- a\n## goal\nsecond\n## Key Decisions (do not re-evaluate)\n- d\n"))
	if s := d.Section("GOAL"); s == nil || s.Text != "g" || s.Line != 2 {
		t.Errorf("Section(GOAL) = %+v, want the first Goal, on line 2", s)
	}
	if s := d.Section("files to read"); s == nil || s.Text != "- a" {
		t.Errorf("Section(files to read) = %+v", s)
	}
	if s := d.Section("Spec"); s != nil {
		t.Errorf("Section(Spec) = %+v, want nil: the title is not a section", s)
	}
	if s := d.Section("Goal "); s != nil {
		t.Errorf("Section(\"Goal \") = %+v, want nil: titles match whole", s)
	}
	s := d.SectionFunc(func(t string) bool { return strings.Contains(strings.ToLower(t), "decision") })
	if s == nil || s.Line != 8 {
		t.Fatalf("SectionFunc(decision) = %+v, want the section on line 8", s)
	}
	if items := s.Items(); len(items) != 1 || items[0] != (Item{Text: "d", Line: 9}) {
		t.Errorf("Items = %+v, want d on line 9", items)
	}
	if s := d.SectionFunc(func(string) bool { return false }); s != nil {
		t.Errorf("SectionFunc(never) = %+v, want nil", s)
	}
	// The pointer is into the Doc, so a caller sees the same section.
	if d.Section("goal") != &d.Sections[0] {
		t.Error("Section does not return a pointer into Doc.Sections")
	}
}

func TestItems(t *testing.T) {
	tests := []struct {
		in   string
		want []Item
	}{
		{"", nil},
		{"\n\n", nil},
		{"- a\n- b", []Item{{"a", 1}, {"b", 2}}},
		{"\n\n1. a\n\n2. b\n", []Item{{"a", 3}, {"b", 5}}},
		{"  - indented first", []Item{{"- indented first", 1}}},
		{"- a\n  - b\n\t* c\n   d", []Item{{"a - b * c d", 1}}},
		{" - one space starts an item\n- b", []Item{{"one space starts an item", 1}, {"b", 2}}},
		{"-a\n-  b  ", []Item{{"-a", 1}, {"b", 2}}},
		{"1.a\n12) x\n3.\n4. ", []Item{{"1.a", 1}, {"x 3. 4.", 2}}},
		{"(none)", []Item{{"(none)", 1}}},
	}
	for _, tt := range tests {
		got := Items(tt.in)
		if len(got) != len(tt.want) {
			t.Errorf("Items(%q) = %+v, want %+v", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("Items(%q)[%d] = %+v, want %+v", tt.in, i, got[i], tt.want[i])
			}
		}
	}
}

func TestCutItem(t *testing.T) {
	tests := []struct {
		in, text string
		ok       bool
	}{
		{"- a", "a", true},
		{"* a ", "a", true},
		{"+  a", "a", true},
		{"1. a", "a", true},
		{"123) a", "a", true},
		{"-", "-", false},
		{"- ", "", true},
		{"1.", "1.", false},
		{"1. ", "", true},
		{"a. b", "a. b", false},
		{"-a", "-a", false},
	}
	for _, tt := range tests {
		if text, ok := CutItem(tt.in); text != tt.text || ok != tt.ok {
			t.Errorf("CutItem(%q) = %q, %v; want %q, %v", tt.in, text, ok, tt.text, tt.ok)
		}
	}
}

// TestSectionItemsLines checks that item lines are file lines also when the
// section's text starts after blank lines.
func TestSectionItemsLines(t *testing.T) {
	src := "# T\n\n## Next\n\n\n1. a\n   more\n2. b\n"
	d := Parse([]byte(src))
	lines := strings.Split(src, "\n")
	for _, it := range d.Sections[0].Items() {
		if l := lines[it.Line-1]; !strings.Contains(l, strings.Fields(it.Text)[0]) {
			t.Errorf("item %q on line %d, which is %q", it.Text, it.Line, l)
		}
	}
	if got := d.Sections[0].Items(); len(got) != 2 || got[0].Line != 6 || got[1].Line != 8 {
		t.Errorf("items = %+v, want lines 6 and 8", got)
	}
}

func TestContainsFold(t *testing.T) {
	tests := []struct {
		l, sub string
		want   bool
	}{
		{"x</SCRIPT>", "</script>", true},
		{"</scrip>", "</script>", false},
		{"\x1c/script>", "</script>", false}, // 0x1c|0x20 is '<': not a letter, so no folding
		{"</pre", "</pre>", false},
		{"", "</pre>", false},
	}
	for _, tt := range tests {
		if got := containsFold([]byte(tt.l), tt.sub); got != tt.want {
			t.Errorf("containsFold(%q, %q) = %v", tt.l, tt.sub, got)
		}
	}
	if !bytes.Equal([]byte(lowerASCII([]byte("DiV\xff"))), []byte("div\xff")) {
		t.Errorf("lowerASCII changed a non-ASCII byte: %q", lowerASCII([]byte("DiV\xff")))
	}
}
