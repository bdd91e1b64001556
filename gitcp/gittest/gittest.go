// Package gittest builds git repositories for tests with the real git CLI,
// as net/http/httptest builds servers: an isolated environment with an
// explicit identity ([Env]), a fresh repository ([NewRepo]), git commands
// whose output is returned trimmed ([Git], [TryGit], [GitStdin]) and a file
// writer ([Write]).
//
// It is for tests only: its functions take a [testing.TB], change the
// process environment through [testing.T.Setenv] (so tests using it cannot
// run in parallel) and fail the test on error. It must not import gitcp,
// so that gitcp's own tests and the tests of every package above it can use
// it. Without a git binary on PATH a test is skipped, or fails when the CI
// environment variable is "true", so CI never passes by skipping.
package gittest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The identity [Env] gives git (and any program reading the same
// variables, gitcp included).
const (
	AuthorName     = "Ann Author"
	AuthorEmail    = "ann@example.com"
	CommitterName  = "Carl Committer"
	CommitterEmail = "carl@example.com"
)

// Environ returns the variables that isolate git from the user's and the
// machine's configuration, as KEY=VALUE: HOME is home, the system config
// is not read, XDG_CONFIG_HOME and the date variables are empty, and the
// author and committer are [AuthorName] and [CommitterName]. For
// subprocesses and testscript, whose environments are not the test's;
// append it to os.Environ and unset GIT_DIR, GIT_WORK_TREE,
// GIT_INDEX_FILE and GIT_CONFIG_GLOBAL there too.
func Environ(home string) []string {
	return []string{
		"HOME=" + home,
		"XDG_CONFIG_HOME=",
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=" + AuthorName,
		"GIT_AUTHOR_EMAIL=" + AuthorEmail,
		"GIT_COMMITTER_NAME=" + CommitterName,
		"GIT_COMMITTER_EMAIL=" + CommitterEmail,
		"GIT_AUTHOR_DATE=",
		"GIT_COMMITTER_DATE=",
		"EMAIL=",
	}
}

// Unset are the variables [Env] removes from the environment: set, they
// would point git at another repository, index or global config.
func Unset() []string {
	return []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG_GLOBAL"}
}

// Env isolates git from the user's and the machine's configuration for the
// rest of the test: HOME becomes a fresh temporary folder (returned), the
// variables of [Environ] are set and those of [Unset] removed. It skips
// the test when git is not installed (fails under CI=true).
func Env(t testing.TB) (home string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("git not installed: %v", err)
		}
		t.Skip("git not installed")
	}
	home = t.TempDir()
	for _, kv := range Environ(home) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	// Set first so that t restores them, then unset: git treats an empty
	// GIT_DIR or GIT_CONFIG_GLOBAL differently from an unset one.
	for _, k := range Unset() {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	return home
}

// Shared returns the path of a folder of the project's shared test data,
// ../shared/NAME beside the module (the corpus of real state files, the
// failing cases): found by walking up from the test's working directory
// to go.mod. When it is missing the test is skipped, or fails when the CI
// environment variable is "true", so that CI never passes by skipping.
func Shared(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above the test's folder")
		}
		dir = parent
	}
	p := filepath.Join(filepath.Dir(dir), "shared", name)
	if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared test data %s is missing (CI=true: it must be there)", p)
		}
		t.Skipf("shared test data %s is missing", p)
	}
	return p
}

// NewRepo calls [Env] and creates an empty repository whose HEAD is the
// unborn branch main in a fresh temporary folder, which it returns.
func NewRepo(t testing.TB) string {
	t.Helper()
	Env(t)
	dir := t.TempDir()
	Git(t, dir, "init", "-q", "-b", "main")
	return dir
}

// Git runs git with args in dir and returns its combined output without
// trailing newlines. It fails the test when git exits non-zero.
func Git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := TryGit(dir, args...)
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// TryGit runs git with args in dir and returns its combined output without
// trailing newlines and the error of a failed run (an [*exec.ExitError]
// when git exits non-zero); it does not fail the test.
func TryGit(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return strings.TrimRight(string(out), "\n"), err
}

// GitStdout is [Git] for output that is compared: only git's standard
// output, without trailing newlines, so that what git says on stderr
// (warnings, a failing filter's message when it re-reads a racily clean
// entry) is not part of it. It fails the test when git exits non-zero,
// with stderr in the message.
func GitStdout(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimRight(string(out), "\n")
}

// GitStdin is [Git] with stdin as git's standard input (git fast-import,
// git hash-object --stdin).
func GitStdin(t testing.TB, dir, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimRight(string(out), "\n")
}

// Write writes content to the slash-separated path rel under dir with mode
// 0644, creating the folders it needs. It fails the test on error.
func Write(t testing.TB, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Vectors runs check on every file of dir whose name starts with good_ or
// bad_, with good set for good_ files, and fails the test when dir holds
// fewer than minGood good_ or minBad bad_ files: the outcome-named test
// vectors of gitcp's format packages (as FiloSottile/age keeps its
// testkit). Folders, such as the fuzzer's testdata/fuzz, are skipped.
func Vectors(t *testing.T, dir string, minGood, minBad int, check func(t *testing.T, name string, data []byte, good bool)) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var good, bad int
	for _, de := range ents {
		name := de.Name()
		isGood, isBad := strings.HasPrefix(name, "good_"), strings.HasPrefix(name, "bad_")
		if de.IsDir() || !isGood && !isBad {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if isGood {
			good++
		} else {
			bad++
		}
		check(t, name, data, isGood)
	}
	if good < minGood || bad < minBad {
		t.Fatalf("%s: %d good and %d bad vectors, want at least %d and %d; run go generate", dir, good, bad, minGood, minBad)
	}
}

// SaveVector writes a generated test vector to dir/name, failing the test
// when it is over 10 KiB: vectors are committed, so they stay small.
func SaveVector(t testing.TB, dir, name string, data []byte) {
	t.Helper()
	if len(data) > 10<<10 {
		t.Fatalf("%s: %d bytes, keep vectors under 10 KiB", name, len(data))
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}
