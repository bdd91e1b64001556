package attr

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/wf-tool/wf/gitcp/gittest"
)

//go:generate go test -run ^TestGitAgrees$ -update

var update = flag.Bool("update", false, "rewrite the expected sections of testdata/*.txtar from git check-attr -a")

// A vector is a txtar archive: attribute files (".gitattributes" at any
// level, "info/attributes" for $GIT_DIR/info/attributes, "global" for
// core.attributesFile), an optional "config" section ("core.ignorecase=true"),
// "paths" (one a line) and "attributes", git check-attr -a's answer for
// them, sorted. bad_* vectors also hold "warnings": the lines git drops,
// one "source:line" a line.

// stackFor builds the attribute stack of path from a vector's files, in
// git's order of priority.
func stackFor(t testing.TB, a *txtar.Archive, path string) (*Stack, []Warning) {
	var warns []Warning
	files := map[string][]byte{}
	for _, f := range a.Files {
		files[f.Name] = f.Data
	}
	push := func(s *Stack, name, base string, macros bool) *Stack {
		data, ok := files[name]
		if !ok {
			return s
		}
		f, w := Parse(data, base, name, macros)
		warns = append(warns, w...)
		return s.Push(f)
	}
	var s *Stack
	s = s.Push(Builtin)
	s = push(s, "global", "", true)
	s = push(s, ".gitattributes", "", true)
	parts := strings.Split(path, "/")
	for i := 1; i < len(parts); i++ {
		d := strings.Join(parts[:i], "/")
		s = push(s, d+"/.gitattributes", d, false)
	}
	s = push(s, "info/attributes", "", true)
	return s, warns
}

func section(a *txtar.Archive, name string) []string {
	for _, f := range a.Files {
		if f.Name == name {
			var out []string
			for _, l := range strings.Split(string(f.Data), "\n") {
				if l != "" {
					out = append(out, l)
				}
			}
			return out
		}
	}
	return nil
}

func fold(a *txtar.Archive) bool {
	for _, l := range section(a, "config") {
		if l == "core.ignorecase=true" {
			return true
		}
	}
	return false
}

// ours is the check-attr -a output the package gives for the vector.
func ours(t testing.TB, a *txtar.Archive) ([]string, []string) {
	var lines []string
	warnSet := map[string]bool{}
	for _, p := range section(a, "paths") {
		s, warns := stackFor(t, a, p)
		for _, w := range warns {
			warnSet[w.Source+":"+strconv.Itoa(w.Line)] = true
		}
		for k, v := range s.Lookup(p, fold(a)) {
			lines = append(lines, quote(p)+": "+k+": "+v.String())
		}
	}
	sort.Strings(lines)
	var warns []string
	for w := range warnSet {
		warns = append(warns, w)
	}
	sort.Strings(warns)
	return lines, warns
}

func vectors(t *testing.T) []string {
	paths, err := filepath.Glob("testdata/*_*.txtar")
	if err != nil || len(paths) < 6 {
		t.Fatalf("want at least 6 vectors in testdata, found %d (%v)", len(paths), err)
	}
	return paths
}

// TestVectors checks the package against the answers stored in the
// vectors (git's, see TestGitAgrees).
func TestVectors(t *testing.T) {
	for _, p := range vectors(t) {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got, warns := ours(t, a)
		if want := section(a, "attributes"); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: attributes\n--- want (git)\n%s\n--- got\n%s", p, strings.Join(want, "\n"), strings.Join(got, "\n"))
		}
		if want := section(a, "warnings"); strings.Join(warns, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: warnings\n--- want\n%s\n--- got\n%s", p, strings.Join(want, "\n"), strings.Join(warns, "\n"))
		}
		bad := strings.HasPrefix(filepath.Base(p), "bad_")
		if bad != (len(warns) > 0) {
			t.Errorf("%s: bad_ vectors must drop lines, good_ ones none (warnings %v)", p, warns)
		}
	}
}

// TestGitAgrees is the differential test of the reader: each vector's
// files are written into a fresh repository and git check-attr -a must
// give the vector's stored answer (rewritten with -update).
func TestGitAgrees(t *testing.T) {
	gittest.Env(t)
	for _, p := range vectors(t) {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		dir := gittest.NewRepo(t)
		args := []string{}
		for _, c := range section(a, "config") {
			args = append(args, "-c", c)
		}
		for _, f := range a.Files {
			dst := ""
			switch {
			case f.Name == "info/attributes":
				dst = filepath.Join(dir, ".git", "info", "attributes")
			case f.Name == "global":
				dst = filepath.Join(t.TempDir(), "attributes")
				args = append(args, "-c", "core.attributesFile="+dst)
			case strings.HasSuffix(f.Name, ".gitattributes"):
				dst = filepath.Join(dir, f.Name)
			default:
				continue
			}
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dst, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		args = append(args, "check-attr", "-a", "--")
		args = append(args, section(a, "paths")...)
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: git check-attr: %v", p, err)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) == 1 && lines[0] == "" {
			lines = nil
		}
		sort.Strings(lines)
		if *update {
			setSection(a, "attributes", lines)
			if err := os.WriteFile(p, txtar.Format(a), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if want := section(a, "attributes"); strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: git check-attr -a disagrees with the stored answer\n--- git\n%s\n--- stored\n%s", p, strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
	}
}

func setSection(a *txtar.Archive, name string, lines []string) {
	data := []byte(strings.Join(lines, "\n"))
	if len(lines) > 0 {
		data = append(data, '\n')
	}
	for i := range a.Files {
		if a.Files[i].Name == name {
			a.Files[i].Data = data
			return
		}
	}
	a.Files = append(a.Files, txtar.File{Name: name, Data: data})
}

func TestValueString(t *testing.T) {
	for v, want := range map[Value]string{{}: "unspecified", {State: Set}: "set", {State: Unset}: "unset", {State: Valued, Text: "lf"}: "lf"} {
		if v.String() != want {
			t.Errorf("%#v: %q, want %q", v, v.String(), want)
		}
	}
}

// quote writes a path as git's quote_c_style does when it needs quoting.
func quote(p string) string {
	if !strings.ContainsFunc(p, func(r rune) bool { return r < ' ' || r == '"' || r == '\\' || r >= 0x7f }) {
		return p
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			if c < ' ' || c >= 0x7f {
				b.WriteString(fmt.Sprintf("\\%03o", c))
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
