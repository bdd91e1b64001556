package secretscan

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// binarySniff is how many leading bytes are searched for a NUL, as git does
// to call a file binary.
const binarySniff = 8000

// asText returns data as UTF-8 text to scan: UTF-16 (with or without a
// byte order mark) decoded, a UTF-8 byte order mark removed. ok is false
// for binary data.
func asText(data []byte) (text []byte, ok bool) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(data[2:], false), true
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data[2:], true), true
	default:
		if be, ok := sniffUTF16(data); ok {
			return decodeUTF16(data, be), true
		}
	}
	if bytes.IndexByte(data[:min(len(data), binarySniff)], 0) >= 0 {
		return nil, false
	}
	return data, true
}

// sniffUTF16 recognises UTF-16 without a byte order mark by its zero
// bytes: in mostly-ASCII text every other byte is zero (the odd ones in
// little-endian, the even ones in big-endian) and the others are not.
func sniffUTF16(data []byte) (bigEndian, ok bool) {
	n := min(len(data), binarySniff) &^ 1
	if n < 4 {
		return false, false
	}
	var zeroEven, zeroOdd int
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			zeroEven++
		}
		if data[i+1] == 0 {
			zeroOdd++
		}
	}
	pairs := n / 2
	switch {
	case zeroOdd*10 >= pairs*7 && zeroEven*20 <= pairs:
		return false, true
	case zeroEven*10 >= pairs*7 && zeroOdd*20 <= pairs:
		return true, true
	}
	return false, false
}

// decodeUTF16 decodes UTF-16 code units to UTF-8; an odd last byte is
// dropped and unpaired surrogates become U+FFFD.
func decodeUTF16(data []byte, bigEndian bool) []byte {
	units := make([]uint16, len(data)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			units[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	out := make([]byte, 0, len(units))
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	return out
}
