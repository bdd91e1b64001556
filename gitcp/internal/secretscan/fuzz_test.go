package secretscan

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzScan: any content under any name scans without a panic or an error,
// and every finding's line is inside the (decoded) text.
func FuzzScan(f *testing.F) {
	f.Add("a.txt", []byte("password = "+pw+"\n"))
	f.Add(".env", []byte("X=1\n"))
	f.Add("k.pem", []byte("-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n"))
	f.Add("u.txt", []byte("postgres://app:"+pw+"@db/app https://x:y@z"))
	f.Add("n", []byte("machine h login u password p\ndefault password x"))
	f.Add("j", []byte("Authorization: Bearer "+jwt))
	f.Add("w16", utf16Bytes("token = "+pw, true, false))
	f.Add("b", []byte{0xFF, 0xFE, 0x00})
	f.Add("c", []byte("curl -H 'Authorization: Bearer abcdefgh12345' \\\n -u a:b https://x"))
	s, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, path string, data []byte) {
		fs, err := s.Scan(path, data)
		if err != nil {
			t.Fatal(err)
		}
		text, _ := asText(data)
		lines := bytes.Count(text, []byte{'\n'}) + 1
		for _, x := range fs {
			if x.Rule == "" || x.Line < 0 || x.Line > lines {
				t.Fatalf("finding %+v outside %d lines", x, lines)
			}
		}
	})
}

// TestLongLines scans one-line inputs of 256 KB built to be worst cases
// (a keyword or a candidate match every few bytes). The scan is linear, so
// they take a second or two in all; quadratic work (finding a match's line
// from the start of the text, an allowlist reading the whole line for
// each match) makes this test run for many minutes and time out.
func TestLongLines(t *testing.T) {
	if testing.Short() {
		t.Skip("long inputs")
	}
	s := scanner(t)
	for _, unit := range []string{
		"key=",
		"api_key = 'q8Zr2LxV9tYp4WmB7nKc3HdF' ",
		"-----BEGIN PRIVATE KEY-----",
		"http://u:p@h ",
		"ey",
		"machine a password ",
		"curl -H ",
		"a",
	} {
		data := []byte(strings.Repeat(unit, (256<<10)/len(unit)))
		fs, err := s.Scan("long.txt", data)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.Line != 1 {
				t.Errorf("%q: finding on line %d of a one-line input", unit, f.Line)
			}
		}
	}
}
