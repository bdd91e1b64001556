package gitcp

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// setupEnv gives git (and this package) an explicit, isolated identity and
// configuration.
func setupEnv(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", "")
	t.Setenv("GIT_AUTHOR_NAME", "Ann Author")
	t.Setenv("GIT_AUTHOR_EMAIL", "ann@example.com")
	t.Setenv("GIT_COMMITTER_NAME", "Carl Committer")
	t.Setenv("GIT_COMMITTER_EMAIL", "carl@example.com")
	t.Setenv("GIT_AUTHOR_DATE", "")
	t.Setenv("GIT_COMMITTER_DATE", "")
	t.Setenv("EMAIL", "")
	for _, k := range []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	os.Unsetenv("GIT_CONFIG_GLOBAL")
	return home
}

// newRepo creates a repository with branch main.
func newRepo(t testing.TB) string {
	t.Helper()
	setupEnv(t)
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	return dir
}

func git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimRight(string(out), "\n")
}

// gitMay runs git and returns output and error without failing.
func gitMay(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return strings.TrimRight(string(out), "\n"), err
}

func write(t testing.TB, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func discover(t testing.TB, dir string) *Repo {
	t.Helper()
	r, err := Discover(dir)
	if err != nil {
		t.Fatalf("Discover(%s): %v", dir, err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func commit(t testing.TB, dir string, opts CommitOptions) *CommitResult {
	t.Helper()
	r := discover(t, dir)
	if opts.Message == "" {
		opts.Message = "checkpoint\n\nWf-Checkpoint: 1"
	}
	res, err := r.Commit(opts)
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	return res
}

func fixedNow() time.Time { return time.Unix(1700000000, 0).In(time.FixedZone("", 3600)) }
