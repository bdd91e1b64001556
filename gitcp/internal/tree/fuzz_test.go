package tree

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, and that what it accepts
// encodes to bytes that parse to the same entries.
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.tree")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
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
