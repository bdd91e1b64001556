package config

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/wf-tool/wf/gitcp/gittest"
)

//go:generate go test -run ^TestGenerateVectors$ -update

var update = flag.Bool("update", false, "rewrite the want sections of testdata/good_*.txtar from git config --list")

// A vector is a txtar archive: "config" (read with ReadFile), other files
// it includes, and "want", what git config --file config --includes
// --list prints ("key=value" a line, "key" alone for a key without "=").

// list returns c's keys and values in git config --list form, in file
// order within each key.
func list(data map[string][]string) []string {
	var out []string
	for k, vs := range data {
		for _, v := range vs {
			out = append(out, k+"="+v)
		}
	}
	return out
}

func readVector(t *testing.T, a *txtar.Archive) (dir string, want []string) {
	t.Helper()
	dir = t.TempDir()
	for _, f := range a.Files {
		if f.Name == "want" {
			want = strings.Split(strings.TrimSuffix(string(f.Data), "\n"), "\n")
			continue
		}
		gittest.Write(t, dir, f.Name, string(f.Data))
	}
	return dir, want
}

// gitOrder sorts lines by key, keeping the order of each key's values.
func gitOrder(lines []string) []string {
	var keys []string
	by := map[string][]string{}
	for _, l := range lines {
		if l == "" {
			continue
		}
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			v = "" // a key without "=": git prints the key alone
		}
		if _, seen := by[k]; !seen {
			keys = append(keys, k)
		}
		by[k] = append(by[k], v)
	}
	var out []string
	sortStrings(keys)
	for _, k := range keys {
		for _, v := range by[k] {
			out = append(out, k+"="+v)
		}
	}
	return out
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
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
		dir, want := readVector(t, a)
		c := New()
		c.ReadFile(filepath.Join(dir, "config"), 0)
		got := gitOrder(list(c.vals))
		if strings.Join(got, "\n") != strings.Join(gitOrder(want), "\n") {
			t.Errorf("%s:\n got %q\nwant %q", p, got, gitOrder(want))
		}
	}
}

// TestGenerateVectors runs git config --list on each vector: with -update
// (go generate) it rewrites the want sections, else it checks that the
// installed git still agrees with them.
func TestGenerateVectors(t *testing.T) {
	gittest.Env(t)
	paths, _ := filepath.Glob("testdata/good_*.txtar")
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		dir, want := readVector(t, a)
		out := gittest.Git(t, dir, "config", "--file", "config", "--includes", "--list")
		got := strings.Split(out, "\n")
		if strings.Join(gitOrder(got), "\n") == strings.Join(gitOrder(want), "\n") {
			continue
		}
		if !*update {
			t.Errorf("%s: git config --list gives %q, the vector %q", p, got, want)
			continue
		}
		for i := range a.Files {
			if a.Files[i].Name == "want" {
				a.Files[i].Data = []byte(out + "\n")
			}
		}
		if err := os.WriteFile(p, txtar.Format(a), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBool(t *testing.T) {
	a, err := txtar.ParseFile("testdata/good_booleans.txtar")
	if err != nil {
		t.Fatal(err)
	}
	c := New()
	c.Parse(a.Files[0].Data, nil)
	for _, k := range c.Keys() {
		if got, want := c.Bool(k, k[2] == 'f'), k[2] == 't'; got != want {
			t.Errorf("Bool(%s) = %v", k, got)
		}
	}
	if !c.Bool("b.unset", true) || c.Bool("B.F1", true) {
		t.Error("default or case-insensitive lookup")
	}
	// git is the oracle for the names' t and f.
	file := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(file, a.Files[0].Data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, k := range c.Keys() {
		out, err := exec.Command("git", "config", "--file", file, "--type=bool", "--get", k).Output()
		if err != nil {
			t.Fatalf("git config --type=bool --get %s: %v", k, err)
		}
		if got, want := c.Bool(k, false), strings.TrimSpace(string(out)) == "true"; got != want {
			t.Errorf("Bool(%s) = %v, git config --type=bool: %s", k, got, out)
		}
	}
}

func TestGetKeyKeepsSubsectionCase(t *testing.T) {
	c := New()
	c.Parse([]byte("[filter \"LFS\"]\n\tClean = git-lfs clean -- %f\n[Core]\n\tAutoCRLF = input\n"), nil)
	if v, ok := c.GetKey("filter.LFS.clean"); !ok || v != "git-lfs clean -- %f" {
		t.Fatalf("GetKey(filter.LFS.clean) = %q, %v", v, ok)
	}
	if _, ok := c.GetKey("filter.lfs.clean"); ok {
		t.Fatal("subsections are case-sensitive")
	}
	if v, ok := c.GetKey("core.autocrlf"); !ok || v != "input" {
		t.Fatalf("GetKey(core.autocrlf) = %q, %v", v, ok)
	}
}

func TestIncludeIfAsksCond(t *testing.T) {
	dir := t.TempDir()
	main := filepath.Join(dir, "main")
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(main, "[user]\n\tname = a\n[includeIf \"gitdir:~/Work/\"]\n\tpath = yes.inc\n[IncludeIf \"onbranch:x\"]\n\tpath = no.inc\n[core]\n\tx = 1\n")
	write(filepath.Join(dir, "yes.inc"), "[user]\n\tname = b\n[core]\n\tx = 2\n")
	write(filepath.Join(dir, "no.inc"), "[user]\n\tname = c\n")
	var asked []string
	c := New()
	c.Cond = func(cond, file string) bool {
		asked = append(asked, cond+" in "+filepath.Base(file))
		return strings.HasPrefix(cond, "gitdir:")
	}
	c.ReadFile(main, 0)
	if got := strings.Join(asked, "; "); got != "gitdir:~/Work/ in main; onbranch:x in main" {
		t.Errorf("asked %q", got)
	}
	if v, _ := c.Get("user.name"); v != "b" {
		t.Errorf("user.name %q, want b (the included file, at its place)", v)
	}
	if v, _ := c.Get("core.x"); v != "1" {
		t.Errorf("core.x %q, want 1 (set after the include)", v)
	}
	// Without Cond no includeIf is followed.
	c = New()
	c.ReadFile(main, 0)
	if v, _ := c.Get("user.name"); v != "a" {
		t.Errorf("user.name %q without Cond", v)
	}
}

// TestGetMatchesSubsectionExactly checks Get against git config --get on
// the same file: section and name in any case, the subsection exactly
// (lower-cased by the deprecated "[section.subsection]" header).
func TestGetMatchesSubsectionExactly(t *testing.T) {
	file := filepath.Join(t.TempDir(), "config")
	data := "[diff \"Hex\"]\n\tbinary = true\n[diff \"hex\"]\n\tbinary = false\n[Diff \"a.B\"]\n\tBinary = yes\n[core]\n\tbare = no\n[Foo.BAR]\n\tX = 1\n"
	if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	c := New()
	c.Parse([]byte(data), nil)
	for _, key := range []string{"diff.Hex.binary", "DIFF.Hex.BINARY", "diff.hex.binary", "diff.HEX.binary", "diff.a.B.binary", "diff.a.b.binary", "Core.Bare", "core.bare", "foo.BAR.x", "foo.bar.x"} {
		want, err := exec.Command("git", "config", "--file", file, "--get", key).Output()
		wantOK := err == nil
		if err != nil {
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Fatalf("git config --get %s: %v", key, err)
			}
		}
		got, ok := c.Get(key)
		if ok != wantOK || got != strings.TrimSuffix(string(want), "\n") {
			t.Errorf("Get(%q) = %q, %v; git config --get: %q, %v", key, got, ok, want, wantOK)
		}
		if all := c.GetAll(key); (len(all) > 0) != wantOK {
			t.Errorf("GetAll(%q) = %q; git config --get found it: %v", key, all, wantOK)
		}
	}
}

func TestGetAllKeepsSubsectionCase(t *testing.T) {
	c := New()
	c.Parse([]byte("[remote \"Origin\"]\n\turl = a\n\turl = b\n"), nil)
	if got := strings.Join(c.GetAll("remote.Origin.url"), ","); got != "a,b" {
		t.Errorf("GetAll %q", got)
	}
}

// TestReadEnvMatchesGit gives git and ReadEnv the same environment and
// compares what each reads, key by key, with git config --get-all: git -c
// passes GIT_CONFIG_PARAMETERS to the processes it starts (a hook, an
// alias), and GIT_CONFIG_COUNT is read before it.
func TestReadEnvMatchesGit(t *testing.T) {
	for _, env := range [][]string{
		{"GIT_CONFIG_PARAMETERS='core.autocrlf'='true'"},
		{"GIT_CONFIG_PARAMETERS='core.autocrlf' 'Diff.Upper.Binary'='yes'"},
		{"GIT_CONFIG_PARAMETERS='x.y=z' 'p.q'='it'\\''s' 'a.b'='!'\\!''"},
		{"GIT_CONFIG_COUNT=2", "GIT_CONFIG_KEY_0=a.b", "GIT_CONFIG_VALUE_0=1", "GIT_CONFIG_KEY_1=Filter.LFS.clean", "GIT_CONFIG_VALUE_1=git-lfs clean -- %f", "GIT_CONFIG_PARAMETERS='a.b'='2'"},
	} {
		vars := map[string]string{}
		for _, kv := range env {
			k, v, _ := strings.Cut(kv, "=")
			vars[k] = v
		}
		c := New()
		if err := c.ReadEnv(func(k string) string { return vars[k] }); err != nil {
			t.Fatalf("%v: %v", env, err)
		}
		for _, k := range c.Keys() {
			cmd := exec.Command("git", "config", "--get-all", k)
			cmd.Env = append(os.Environ(), env...)
			cmd.Env = append(cmd.Env, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME="+t.TempDir())
			cmd.Dir = t.TempDir()
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%v: git config --get-all %s: %v", env, k, err)
			}
			if got, want := strings.Join(c.GetAll(k), "\n")+"\n", string(out); got != want {
				t.Errorf("%v: %s = %q, git: %q", env, k, got, want)
			}
		}
		if len(c.Keys()) == 0 {
			t.Errorf("%v: nothing read", env)
		}
	}
	for _, bad := range []map[string]string{
		{"GIT_CONFIG_PARAMETERS": "'unclosed"},
		{"GIT_CONFIG_PARAMETERS": "'nosection'='x'"},
		{"GIT_CONFIG_COUNT": "1"},
		{"GIT_CONFIG_COUNT": "x"},
	} {
		if err := New().ReadEnv(func(k string) string { return bad[k] }); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

func FuzzReadEnv(f *testing.F) {
	f.Add("'a.b'='c' 'd.e' 'f.g=h'")
	f.Add("'p.q'='it'\\''s'")
	f.Fuzz(func(t *testing.T, params string) {
		c := New()
		if err := c.ReadEnv(func(k string) string {
			if k == "GIT_CONFIG_PARAMETERS" {
				return params
			}
			return ""
		}); err != nil {
			return
		}
		for _, k := range c.Keys() {
			if !strings.Contains(k, ".") {
				t.Fatalf("key %q without a section", k)
			}
		}
	})
}
