package ignore

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/wf-tool/wf/gitcp/gittest"
)

//go:generate go test -run ^TestGenerateVectors$ -update

var update = flag.Bool("update", false, "rewrite testdata/good_*.txtar from git check-ignore")

// A vector is a txtar archive: the files of a work tree (".gitignore" at
// any level, "info/exclude" for .git/info/exclude), then "-- paths --"
// (one path a line, a trailing "/" for a folder) and "-- ignored --", the
// paths git check-ignore reports. good_* vectors must give git's answer.

// The sources of a vector's work tree, as gitcp chains them.
func vectorList(a *txtar.Archive) func(rel string, isDir bool) bool {
	lists := map[string]*List{} // folder -> its .gitignore chained to the parents
	var base *List
	for _, f := range a.Files {
		if f.Name == "info/exclude" {
			base = &List{Rules: Parse(f.Data, "")}
		}
	}
	var chain func(dir string) *List
	chain = func(dir string) *List {
		if l, ok := lists[dir]; ok {
			return l
		}
		parent := base
		if dir != "" {
			parent = chain(dirOf(dir))
		}
		l := parent
		name := ".gitignore"
		if dir != "" {
			name = dir + "/.gitignore"
		}
		for _, f := range a.Files {
			if f.Name == name {
				l = &List{Parent: parent, Rules: Parse(f.Data, dir)}
			}
		}
		lists[dir] = l
		return l
	}
	// A path is ignored when one of its folders is (git does not descend
	// into it) or it is.
	return func(rel string, isDir bool) bool {
		parts := strings.Split(rel, "/")
		for i := 1; i <= len(parts); i++ {
			p := strings.Join(parts[:i], "/")
			if chain(dirOf(p)).Ignored(p, isDir || i < len(parts)) {
				return true
			}
		}
		return false
	}
}

func dirOf(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}

func section(a *txtar.Archive, name string) []string {
	for _, f := range a.Files {
		if f.Name == name {
			return strings.Fields(string(f.Data))
		}
	}
	return nil
}

func TestVectors(t *testing.T) {
	paths, _ := filepath.Glob("testdata/good_*.txtar")
	if len(paths) < 3 {
		t.Fatalf("%d vectors; run go generate", len(paths))
	}
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		checkVector(t, filepath.Base(p), a)
	}
}

func checkVector(t *testing.T, name string, a *txtar.Archive) {
	t.Helper()
	ignored := vectorList(a)
	want := map[string]bool{}
	for _, p := range section(a, "ignored") {
		want[p] = true
	}
	for _, p := range section(a, "paths") {
		if got := ignored(strings.TrimSuffix(p, "/"), strings.HasSuffix(p, "/")); got != want[p] {
			t.Errorf("%s: %s ignored = %v, git says %v", name, p, got, want[p])
		}
	}
}

// TestGenerateVectors asks git check-ignore about each vector's paths: it
// rewrites the "ignored" sections with -update (go generate), else checks
// that the installed git still gives the recorded answers.
func TestGenerateVectors(t *testing.T) {
	paths, _ := filepath.Glob("testdata/good_*.txtar")
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		dir := gittest.NewRepo(t)
		for _, f := range a.Files {
			switch f.Name {
			case "paths", "ignored":
			case "info/exclude":
				gittest.Write(t, dir, ".git/info/exclude", string(f.Data))
			default:
				gittest.Write(t, dir, f.Name, string(f.Data))
			}
		}
		args := append([]string{"check-ignore", "--no-index", "--"}, section(a, "paths")...)
		out, err := gittest.TryGit(dir, args...)
		if err != nil && out != "" && !strings.Contains(err.Error(), "exit status 1") {
			t.Fatalf("%s: git check-ignore: %v\n%s", p, err, out)
		}
		got := strings.Fields(out)
		sort.Strings(got)
		want := section(a, "ignored")
		sort.Strings(want)
		if strings.Join(got, "\n") == strings.Join(want, "\n") {
			continue
		}
		if !*update {
			t.Errorf("%s: git check-ignore says %q, the vector %q", p, got, want)
			continue
		}
		for i := range a.Files {
			if a.Files[i].Name == "ignored" {
				a.Files[i].Data = []byte(strings.Join(got, "\n") + "\n")
			}
		}
		if err := os.WriteFile(p, txtar.Format(a), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestParseFold(t *testing.T) {
	l := &List{Rules: ParseFold([]byte("*.LOG\nBuild/\n"), "Sub", true)}
	for rel, want := range map[string]bool{"sub/a.log": true, "SUB/x/A.Log": true, "other/a.log": false} {
		if got := l.Ignored(rel, false); got != want {
			t.Errorf("fold: Ignored(%q) = %v, want %v", rel, got, want)
		}
	}
	if !l.Ignored("sub/BUILD", true) {
		t.Error("fold: sub/BUILD/ not ignored")
	}
	if (&List{Rules: Parse([]byte("*.LOG\n"), "")}).Ignored("a.log", false) {
		t.Error("Parse folds case")
	}
}
