package main

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestArchitectureDoc keeps docs/architecture.md true: every package
// `go list ./...` lists is named in its table (exactly, or by a pattern
// such as `gitcp/internal/<format>` or `bench/...`), and every package
// the table names exactly exists.
func TestArchitectureDoc(t *testing.T) {
	doc, err := os.ReadFile("../../docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "list", "./...")
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []string
	exists := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		rel := strings.TrimPrefix(strings.TrimPrefix(p, module), "/")
		pkgs = append(pkgs, rel)
		exists[rel] = true
	}
	// The table's rows: "| level | `package` | owns | must not |".
	row := regexp.MustCompile("(?m)^\\| [a-z ]+ \\| `([^`]+)` \\|")
	var exact []string
	var patterns []*regexp.Regexp
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		name := m[1]
		switch {
		case strings.HasSuffix(name, "/..."):
			patterns = append(patterns, regexp.MustCompile("^"+regexp.QuoteMeta(strings.TrimSuffix(name, "..."))+".+$"))
		case strings.Contains(name, "<"):
			patterns = append(patterns, regexp.MustCompile("^"+regexp.MustCompile(`<[^>]+>`).ReplaceAllString(regexp.QuoteMeta(name), "[^/]+")+"$"))
		default:
			exact = append(exact, name)
		}
	}
	if len(exact) < 10 {
		t.Fatalf("docs/architecture.md: found %d package rows; the table's shape changed", len(exact))
	}
	named := map[string]bool{}
	for _, n := range exact {
		named[n] = true
		if !exists[n] {
			t.Errorf("docs/architecture.md names package %s, which go list does not list", n)
		}
	}
	for _, p := range pkgs {
		if named[p] {
			continue
		}
		ok := false
		for _, re := range patterns {
			ok = ok || re.MatchString(p)
		}
		if !ok {
			t.Errorf("package %s is not in the table of docs/architecture.md: add a row saying what it owns", p)
		}
	}
}
