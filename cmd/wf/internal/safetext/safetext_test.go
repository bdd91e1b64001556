package safetext

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text, tabs\tand\nnewlines stay", "plain text, tabs\tand\nnewlines stay"},
		{"red \x1b[31mRED\x1b[0m", "red ^[[31mRED^[[0m"},
		{"title \x1b]0;T\a", "title ^[]0;T^G"},
		{"clip \x1b]52;c;ZXZpbA==\x1b\\", "clip ^[]52;c;ZXZpbA==^[\\"},
		{"cr\rbs\bdel\x7f nul\x00", "cr^Mbs^Hdel^? nul^@"},
		{"c1 csi \u009b2J nel \u0085", `c1 csi \u009b2J nel \u0085`},
		{"bidi \u202eevil\u202c \u2066x\u2069 ls\u2028", `bidi \u202eevil\u202c \u2066x\u2069 ls\u2028`},
		{"bad \xff\xfe utf8", `bad \xff\xfe utf8`},
		{"ünïcödé and 漢字 and emoji 🎉", "ünïcödé and 漢字 and emoji 🎉"},
	} {
		if got := String(c.in); got != c.want {
			t.Errorf("String(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestStringLeavesNoControls checks every rune below U+00A0 and the bidi
// range: nothing a terminal acts on survives.
func TestStringLeavesNoControls(t *testing.T) {
	var b strings.Builder
	for r := rune(0); r < 0xa0; r++ {
		b.WriteRune(r)
	}
	for r := rune(0x2020); r < 0x2070; r++ {
		b.WriteRune(r)
	}
	out := String(b.String())
	for _, r := range out {
		if r != '\t' && r != '\n' && unsafe(r) {
			t.Fatalf("String left %U in %q", r, out)
		}
	}
}

func TestWriterSplitRune(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	in := []byte("é\x1b[2J漢🎉")
	for i := range in { // one byte per write
		if n, err := w.Write(in[i : i+1]); n != 1 || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "é^[[2J漢🎉"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	// A truncated sequence at the end is flushed visibly.
	out.Reset()
	w.Write([]byte("x\xe6\xbc"))
	w.Flush()
	if got, want := out.String(), `x\xe6\xbc`; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestEscapeJSON(t *testing.T) {
	in := "del\x7f c1\u009b bidi\u202e ls\u2028 esc\x1b bad\xff tab\t"
	raw, err := json.Marshal(map[string]string{"text": in})
	if err != nil {
		t.Fatal(err)
	}
	out := EscapeJSON(raw)
	for _, r := range string(out) {
		if unsafe(r) {
			t.Fatalf("EscapeJSON left %U in %s", r, out)
		}
	}
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	// The string reads back as encoding/json would read its own output
	// (the invalid byte became U+FFFD there already).
	want := strings.ToValidUTF8(in, "\ufffd")
	if back["text"] != want {
		t.Fatalf("read back %q, want %q", back["text"], want)
	}
	if !utf8.Valid(out) {
		t.Fatal("invalid UTF-8")
	}
}
