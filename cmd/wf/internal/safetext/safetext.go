// Package safetext neutralises what must not reach a terminal as it is:
// the one sanitiser for wf's human-facing output. Text that came from a
// state file or a command line (item text, decisions, titles, blockers,
// waits, paths, error messages) can hold control characters and escape
// sequences: ESC starts CSI and OSC sequences that clear the screen,
// retitle the window or write the clipboard (OSC 52); BEL, BS and CR
// rewrite what was printed; C1 controls (U+0080–U+009F) act as ESC
// sequences on some terminals; bidirectional overrides (U+202A–U+202E,
// U+2066–U+2069) reorder what is shown. [String] and [Writer] print each
// of them visibly instead: C0 controls and DEL in caret notation ("^[" for
// ESC, "^G" for BEL, "^?" for DEL), the others as "\u009b", and bytes that
// are not UTF-8 as "\xff". Tab and newline stay.
//
// [EscapeJSON] does the same for encoding/json's output, which already
// escapes C0 controls, U+2028 and U+2029, but writes DEL, C1 controls and
// bidirectional overrides raw: it writes them as \u escapes, which read
// back as the same string.
//
// It owns no state and never prints.
package safetext

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// unsafe reports whether r must not be printed as it is.
func unsafe(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// visible is how an unsafe rune is printed.
func visible(r rune) string {
	switch {
	case r < 0x20:
		return "^" + string(rune(r+0x40))
	case r == 0x7f:
		return "^?"
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// String returns s with every control character other than tab and
// newline, every escape sequence introducer and every byte that is not
// UTF-8 made visible.
func String(s string) string {
	clean := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 || unsafe(r) {
			clean = false
			break
		}
		i += n
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafe(r):
			b.WriteString(visible(r))
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// Writer passes what is written to it on through [String]. A UTF-8
// sequence split across two writes is held back until it is complete;
// Flush writes what is held back.
type Writer struct {
	w    io.Writer
	tail []byte
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write sanitises p and writes it; it reports len(p) when the underlying
// write succeeds.
func (w *Writer) Write(p []byte) (int, error) {
	buf := append(w.tail, p...)
	w.tail = nil
	// Hold back an incomplete sequence at the end.
	cut := len(buf)
	for k := 1; k <= utf8.UTFMax-1 && k <= len(buf); k++ {
		c := buf[len(buf)-k]
		if c < 0x80 {
			break
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(buf[len(buf)-k:]) {
				cut = len(buf) - k
			}
			break
		}
	}
	w.tail = append([]byte(nil), buf[cut:]...)
	if _, err := io.WriteString(w.w, String(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Unwrap returns the writer w writes to, for a stream that is a protocol
// rather than text for a person: wf mcp's JSON-RPC messages on stdout,
// where the sanitising would change the bytes of a JSON string (its
// tool results are escaped with [EscapeJSON] instead).
func (w *Writer) Unwrap() io.Writer { return w.w }

// Flush writes a held-back incomplete sequence, made visible.
func (w *Writer) Flush() error {
	if len(w.tail) == 0 {
		return nil
	}
	t := w.tail
	w.tail = nil
	_, err := io.WriteString(w.w, String(string(t)))
	return err
}

// EscapeJSON rewrites encoding/json output so that DEL, C1 controls,
// bidirectional overrides and invalid bytes (which encoding/json turns
// into U+FFFD already) appear as \u escapes. These can only occur inside
// JSON strings, where the escape means the same character.
func EscapeJSON(b []byte) []byte {
	clean := true
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r != '\t' && r != '\n' && unsafe(r) {
			clean = false
			break
		}
		i += n
	}
	if clean {
		return b
	}
	var out bytes.Buffer
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r != '\t' && r != '\n' && unsafe(r) {
			fmt.Fprintf(&out, `\u%04x`, r)
		} else {
			out.Write(b[i : i+n])
		}
		i += n
	}
	return out.Bytes()
}
