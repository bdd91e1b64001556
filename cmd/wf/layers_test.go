package main

import (
	"bufio"
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// module is this module's path.
const module = "github.com/wf-tool/wf"

// layers ranks every package of the module (docs/architecture.md draws
// them): a package may import only packages of a strictly lower rank.
// Levels, bottom up: core (0–3), rules (4), use cases (5), read models
// (6–7), drivers (8–10). A package missing from this table fails the test,
// so that a new package is placed on purpose.
var layers = map[string]int{
	// core
	"gitcp/internal/mmap":  0,
	"gitcp/internal/rawio": 0,
	"gitcp/internal/...":   1,
	"mdstate/sections":     0,
	"templates":            0,
	"checkpoint/tokens":    0,
	"docs":                 0,  // the reference pages, embedded for wf help TOPIC
	"internal/tour":        0,  // the README's tour: parsing, normalising, running
	"internal/bpetest":     0,  // the real BPE tokenizers for tests and bench tools
	"internal/tour/demo":   11, // scripts/demo.sh's runner of the tour
	"gitcp":                2,
	"mdstate":              2,
	"gitcp/gittest":        3, // test helpers; imported by tests only
	"checkpoint/workspace": 3,

	// git's path pattern matcher, shared by ignore and attr
	"gitcp/internal/wildmatch": 0,
	// rules
	"checkpoint/lifecycle": 4,
	"checkpoint/history":   4,
	"checkpoint/journal":   4,
	// use cases
	"checkpoint": 5,
	"spec":       5,
	// read models
	"checkpoint/lint":       6,
	"checkpoint/agentsetup": 6,
	"checkpoint/resume":     7,
	// drivers
	"cmd/wf/internal/verbs":    8,
	"cmd/wf/internal/safetext": 8, // the output sanitiser of the drivers
	"checkpoint/watch":         9,
	"cmd/wf/internal/mcp":      9,
	"cmd/wf":                   10,
	// benchmark tools: above everything; their shared fixture code below
	// the programs
	"bench/state/benchdata": 11,
	"bench/...":             12,
	// the soak: a test that drives the built wf binary
	"cmd/wf/soak": 11,
}

// rank returns the rank of a package path inside the module ("" prefix
// stripped), and whether the table places it.
func rank(rel string) (int, bool) {
	if r, ok := layers[rel]; ok {
		return r, true
	}
	for k, r := range layers {
		if p, ok := strings.CutSuffix(k, "/..."); ok && strings.HasPrefix(rel, p+"/") {
			return r, true
		}
	}
	return 0, false
}

// TestLayers checks the import graph with go list: nothing imports
// upward or sideways within a level, only gitcp and its internal packages
// import go-git (in tests too), and gitcp/gittest is imported by tests
// only.
func TestLayers(t *testing.T) {
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}|{{join .TestImports \" \"}} {{join .XTestImports \" \"}}", module+"/...")
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	n := 0
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), "|", 3)
		if len(parts) != 3 {
			t.Fatalf("go list line %q", sc.Text())
		}
		n++
		pkg := strings.TrimPrefix(strings.TrimPrefix(parts[0], module), "/")
		if pkg == "" {
			pkg = "."
		}
		r, ok := rank(pkg)
		if !ok {
			t.Errorf("package %s has no level: add it to the layers table and to docs/architecture.md", pkg)
			continue
		}
		inGitcp := pkg == "gitcp" || strings.HasPrefix(pkg, "gitcp/")
		for _, imp := range strings.Fields(parts[1]) {
			if strings.HasPrefix(imp, "github.com/go-git/") && !inGitcp {
				t.Errorf("%s imports %s: only gitcp and gitcp/internal/... may use go-git", pkg, imp)
			}
			dep, ok := strings.CutPrefix(imp, module+"/")
			if !ok {
				continue
			}
			if dep == "gitcp/gittest" {
				t.Errorf("%s imports gitcp/gittest, which is for tests only", pkg)
				continue
			}
			if dep == "internal/bpetest" && !strings.HasPrefix(pkg, "bench/") {
				t.Errorf("%s imports internal/bpetest, which is for tests and bench tools only", pkg)
				continue
			}
			dr, ok := rank(dep)
			if ok && dr >= r {
				t.Errorf("%s (level %d) imports %s (level %d): a package imports only lower levels", pkg, r, dep, dr)
			}
		}
		for _, imp := range strings.Fields(parts[2]) {
			if strings.HasPrefix(imp, "github.com/go-git/") && !inGitcp {
				t.Errorf("tests of %s import %s: only gitcp's tests may use go-git", pkg, imp)
			}
		}
	}
	if n < 10 {
		t.Fatalf("go list listed %d packages: the module was not found", n)
	}
}
