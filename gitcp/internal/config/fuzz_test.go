package config

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzParse parses arbitrary config text: no panic, every key starts with
// a section name, and section and key name are lower-case (the parse is
// lenient: a key name may hold characters git refuses, even dots).
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob("testdata/good_*.txtar")
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range a.Files {
			if file.Name != "want" {
				f.Add(file.Data)
			}
		}
	}
	f.Add([]byte("[a \"b\\\"c\"]\nk = \"x;y\" ; z\\\n"))
	f.Add([]byte("[core] bare\n\\"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := New()
		var includes []string
		c.Parse(data, func(p string) { includes = append(includes, p) })
		// includeIf: each conditional include has a non-empty value and
		// is also a key includeif.<cond>.path.
		New().parse(data, func(val, cond string, conditional bool) {
			if val == "" {
				t.Fatalf("empty include value reported")
			}
			if conditional {
				key := "includeif." + cond + ".path"
				if vs := c.GetAll(key); len(vs) == 0 {
					t.Fatalf("includeIf %q reported but %s not set", cond, key)
				}
			}
		})
		for _, k := range c.Keys() {
			dot, last := strings.IndexByte(k, '.'), strings.LastIndexByte(k, '.')
			if dot <= 0 {
				t.Fatalf("key %q", k)
			}
			if s, n := k[:dot], k[last+1:]; s != strings.ToLower(s) || n != strings.ToLower(n) {
				t.Fatalf("key %q not lower-cased", k)
			}
			c.Bool(k, false)
		}
		if v, _ := c.Get("include.path"); v != "" && len(includes) == 0 {
			t.Fatalf("include.path %q not reported", v)
		}
	})
}
