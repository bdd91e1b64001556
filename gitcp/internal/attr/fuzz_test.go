package attr

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzParseLookup parses an attribute file and looks a path up: no panic,
// and a last line naming the path literally decides its attribute (git's
// last-match-wins), whatever came before.
func FuzzParseLookup(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.txtar")
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range a.Files {
			if strings.HasSuffix(file.Name, "attributes") || file.Name == "global" {
				for _, q := range section(a, "paths") {
					f.Add(string(file.Data), q, false)
				}
			}
		}
	}
	f.Add("[attr]a b\n* a\n[attr]b a", "x", false)
	f.Add("\"\\", "x", true)
	f.Fuzz(func(t *testing.T, data, rel string, fold bool) {
		if len(data) > 4096 || len(rel) > 256 {
			return // wildmatch backtracks like git's: keep inputs small
		}
		file, _ := Parse([]byte(data), "", "fuzz", true)
		var s *Stack
		s = s.Push(Builtin).Push(file)
		_ = s.Lookup(rel, fold)
		if rel == "" || strings.ContainsAny(rel, " \t\r\n\"*?[\\!#") || strings.HasPrefix(rel, "/") || strings.HasSuffix(rel, "/") || strings.HasPrefix(rel, "[attr]") {
			return
		}
		last, _ := Parse([]byte(data+"\n/"+rel+" zz-fuzz=1 -binary\n"), "", "fuzz", true)
		got := s.Push(last).Lookup(rel, fold)
		if v := got.Get("zz-fuzz"); v != (Value{State: Valued, Text: "1"}) {
			t.Fatalf("last line /%s zz-fuzz=1 gives %v", rel, v)
		}
	})
}
