package convert

import (
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// isUTF8 is git's is_encoding_utf8.
func isUTF8(name string) bool {
	return strings.EqualFold(name, "utf-8") || strings.EqualFold(name, "utf8")
}

// lookupEncoding finds a working-tree-encoding by the names iconv knows;
// the UTF-16 and UTF-32 families are handled as iconv handles them
// (without an LE/BE suffix a BOM decides, big-endian without one).
func lookupEncoding(name string) (encoding.Encoding, error) {
	switch strings.ToUpper(strings.ReplaceAll(name, "_", "-")) {
	case "UTF-16", "UTF16":
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), nil
	case "UTF-16LE", "UTF16LE":
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), nil
	case "UTF-16BE", "UTF16BE":
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), nil
	case "UTF-32", "UTF32":
		return utf32.UTF32(utf32.BigEndian, utf32.ExpectBOM), nil
	case "UTF-32LE", "UTF32LE":
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), nil
	case "UTF-32BE", "UTF32BE":
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), nil
	}
	e, err := ianaindex.IANA.Encoding(name)
	if err != nil || e == nil {
		return nil, fmt.Errorf("unknown encoding %q", name)
	}
	return e, nil
}

var (
	bom16BE = []byte{0xfe, 0xff}
	bom16LE = []byte{0xff, 0xfe}
	bom32BE = []byte{0, 0, 0xfe, 0xff}
	bom32LE = []byte{0xff, 0xfe, 0, 0}
)

func hasBOM(name string, b []byte) bool {
	if strings.Contains(name, "32") {
		return bytes.HasPrefix(b, bom32BE) || bytes.HasPrefix(b, bom32LE)
	}
	return bytes.HasPrefix(b, bom16BE) || bytes.HasPrefix(b, bom16LE)
}

// encodeToGit is convert.c's encode_to_git for "git add" (which dies on
// every error): validate_encoding's BOM rules, then the content decoded
// from enc to UTF-8. Content that does not round-trip (invalid in enc)
// is refused, as iconv's failure is in git.
func encodeToGit(path, enc string, src []byte) ([]byte, error) {
	if len(src) == 0 {
		return src, nil
	}
	up := strings.ToUpper(enc)
	if strings.HasPrefix(up, "UTF-16") || strings.HasPrefix(up, "UTF16") || strings.HasPrefix(up, "UTF-32") || strings.HasPrefix(up, "UTF32") {
		suffixed := strings.HasSuffix(up, "BE") || strings.HasSuffix(up, "LE")
		if suffixed && hasBOM(up, src) {
			return nil, fmt.Errorf("BOM is prohibited in '%s' if encoded as %s (use %s as working-tree-encoding)", path, enc, up[:len(up)-2])
		}
		if !suffixed && !hasBOM(up, src) {
			return nil, fmt.Errorf("BOM is required in '%s' if encoded as %s (use %sBE or %sLE as working-tree-encoding)", path, enc, up, up)
		}
	}
	e, err := lookupEncoding(enc)
	if err != nil {
		return nil, fmt.Errorf("failed to encode '%s' from %s to UTF-8: %v", path, enc, err)
	}
	dst, err := e.NewDecoder().Bytes(src)
	if err == nil && bytes.Contains(dst, []byte("\uFFFD")) {
		// The decoders replace invalid input with U+FFFD: valid input
		// only if it encodes back to itself.
		var back []byte
		back, err = e.NewEncoder().Bytes(dst)
		if err == nil && !bytes.Equal(back, src) {
			err = fmt.Errorf("the content is not valid %s", enc)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("failed to encode '%s' from %s to UTF-8: %v", path, enc, err)
	}
	return dst, nil
}
