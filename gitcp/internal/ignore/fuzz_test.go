package ignore

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzParseMatch parses an ignore file and matches a path against it: no
// panic, and a rule list that ignores a path stops doing so when a
// negation of the same path is appended (git's last-match-wins).
func FuzzParseMatch(f *testing.F) {
	paths, _ := filepath.Glob("testdata/good_*.txtar")
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range a.Files {
			if strings.HasSuffix(file.Name, ".gitignore") || file.Name == "info/exclude" {
				for _, q := range section(a, "paths") {
					f.Add(string(file.Data), strings.TrimSuffix(q, "/"), strings.HasSuffix(q, "/"))
				}
			}
		}
	}
	f.Add("[", "[", false)
	f.Add("a/**/b\\", "a/x/b", false)
	f.Add("[[:alpha:]-z]*\n!x", "x", true)
	f.Fuzz(func(t *testing.T, data, rel string, isDir bool) {
		if len(data) > 4096 || len(rel) > 1024 {
			return // wildmatch backtracks like git's: keep inputs small
		}
		l := &List{Rules: Parse([]byte(data), "")}
		if !l.Ignored(rel, isDir) || rel == "" || strings.HasSuffix(rel, "/") || strings.ContainsAny(rel, "\n\r*?[\\!# ") {
			return
		}
		neg := &List{Parent: l, Rules: Parse([]byte("!/"+rel), "")}
		if neg.Ignored(rel, isDir) {
			t.Fatalf("%q still ignored after !/%s", rel, rel)
		}
	})
}
