package tree

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, and that what it accepts
// encodes to bytes that parse to the same entries.
func FuzzParse(f *testing.F) {
	addTreeSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := Parse(data)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("%T %v, want *FormatError", err, err)
			}
			return
		}
		again, err := Parse(encode(entries))
		if err != nil || !slices.Equal(again, entries) {
			t.Fatalf("%q: %v; encoded and parsed again: %v %v", data, entries, again, err)
		}
	})
}

// FuzzCompare checks Compare against git's rule spelled out: the name
// followed by "/" for a tree and by its end (a NUL) otherwise, compared
// byte-wise. Tree entry names hold neither "/" nor NUL.
func FuzzCompare(f *testing.F) {
	f.Add("a", false, "a.b", true)
	f.Add("a", true, "a-b", false)
	f.Add("a", true, "a0", false)
	f.Add("ab", true, "ab", false)
	f.Fuzz(func(t *testing.T, a string, aTree bool, b string, bTree bool) {
		if strings.ContainsAny(a+b, "/\x00") {
			return
		}
		key := func(s string, tree bool) string {
			if tree {
				return s + "/"
			}
			return s + "\x00"
		}
		want := strings.Compare(key(a, aTree), key(b, bTree))
		if got := Compare(a, aTree, b, bTree); got != want {
			t.Fatalf("Compare(%q, %v, %q, %v) = %d, want %d", a, aTree, b, bTree, got, want)
		}
	})
}

// parseReference is Parse as it was written first, one allocation per
// name and strconv for the mode: FuzzParseReference holds Parse to it.
func parseReference(data []byte) ([]Entry, error) {
	var out []Entry
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp < 0 {
			return nil, &FormatError{Reason: "entry without a space after its mode"}
		}
		mode, err := strconv.ParseUint(string(data[:sp]), 8, 32)
		if err != nil {
			return nil, &FormatError{Reason: "mode " + strconv.Quote(string(data[:sp])) + " is not octal"}
		}
		data = data[sp+1:]
		nul := bytes.IndexByte(data, 0)
		if nul < 0 || len(data) < nul+21 {
			return nil, &FormatError{Reason: "entry cut short"}
		}
		e := Entry{Mode: uint32(mode), Name: string(data[:nul])}
		copy(e.ID[:], data[nul+1:nul+21])
		data = data[nul+21:]
		out = append(out, e)
	}
	return out, nil
}

// FuzzParseReference checks that Parse returns what parseReference does,
// entries and error alike, and that the entries do not change when the
// input bytes are overwritten afterwards (the object reader reuses its
// buffer).
func FuzzParseReference(f *testing.F) {
	addTreeSeeds(f)
	f.Add([]byte("40000000000 x\x00aaaaaaaaaaaaaaaaaaaa"))
	f.Add([]byte("37777777777 x\x00aaaaaaaaaaaaaaaaaaaa"))
	f.Add([]byte("0100644 x\x00aaaaaaaaaaaaaaaaaaaa"))
	f.Add([]byte(" x\x00aaaaaaaaaaaaaaaaaaaa"))
	f.Add([]byte("+1 x\x00aaaaaaaaaaaaaaaaaaaa"))
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantErr := parseReference(data)
		buf := bytes.Clone(data)
		got, err := Parse(buf)
		for i := range buf {
			buf[i] = 'z'
		}
		if fmt.Sprint(err) != fmt.Sprint(wantErr) || !slices.Equal(got, want) {
			t.Fatalf("%q: Parse %v %v, reference %v %v", data, got, err, want, wantErr)
		}
	})
}

// addTreeSeeds adds the tree vectors of testdata to f's corpus.
func addTreeSeeds(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.tree")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}
