package gitcp

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// Signing is checked by its side effect: git verify-commit accepts the
// commit, and the commit object has the shape git's own signed commit has.

// needProgram skips the test when prog is missing (fails under CI=true,
// where .ci/run installs it).
func needProgram(t *testing.T, prog string) {
	t.Helper()
	if _, err := exec.LookPath(prog); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not installed: %v", prog, err)
		}
		t.Skipf("%s not installed", prog)
	}
}

// throwawayGPGKey makes a signing key for the committer in a fresh
// GNUPGHOME (set for the rest of the test) and returns its fingerprint.
func throwawayGPGKey(t *testing.T) string {
	t.Helper()
	needProgram(t, "gpg")
	home, err := os.MkdirTemp("", "gpg") // short: gpg-agent's socket path is limited
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(home, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GNUPGHOME", home)
	t.Cleanup(func() {
		exec.Command("gpgconf", "--kill", "gpg-agent").Run()
		os.RemoveAll(home)
	})
	uid := gittest.CommitterName + " <" + gittest.CommitterEmail + ">"
	if out, err := exec.Command("gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", "never").CombinedOutput(); err != nil {
		t.Fatalf("gpg --quick-gen-key: %v\n%s", err, out)
	}
	out, err := exec.Command("gpg", "--batch", "--with-colons", "--list-secret-keys").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "fpr:") {
			return strings.Split(l, ":")[9]
		}
	}
	t.Fatalf("no key listed:\n%s", out)
	return ""
}

// headerNames lists the header field names of the commit object at HEAD.
func headerNames(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	for _, l := range strings.Split(gittest.Git(t, dir, "cat-file", "commit", "HEAD"), "\n") {
		if l == "" {
			break
		}
		if !strings.HasPrefix(l, " ") {
			names = append(names, strings.Fields(l)[0])
		}
	}
	return names
}

func TestSignOpenPGPAsGitDoes(t *testing.T) {
	gitSide, wfSide := hookPair(t, func(dir string) {
		gittest.Write(t, dir, "README.md", "# signed\n")
	})
	throwawayGPGKey(t)
	for _, side := range []string{gitSide, wfSide} {
		gittest.Git(t, side, "config", "commit.gpgSign", "true") // key: the committer's identity
	}
	gittest.Git(t, gitSide, "commit", "-q", "-a", "-m", "signed")
	r, err := Discover(wfSide)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Commit(CommitOptions{Message: "signed"}); err != nil {
		t.Fatal(err)
	}
	if out, err := gittest.TryGit(wfSide, "verify-commit", "HEAD"); err != nil {
		t.Fatalf("git verify-commit: %v\n%s", err, out)
	}
	if g, w := strings.Join(headerNames(t, gitSide), " "), strings.Join(headerNames(t, wfSide), " "); g != w {
		t.Errorf("headers: git %q, wf %q", g, w)
	}
	// --no-gpg-sign wins over the config.
	gittest.Write(t, wfSide, "README.md", "# unsigned\n")
	if _, err := r.Commit(CommitOptions{Message: "unsigned", Sign: &SignOptions{}}); err != nil {
		t.Fatal(err)
	}
	if _, err := gittest.TryGit(wfSide, "verify-commit", "HEAD"); err == nil {
		t.Error("Sign: &SignOptions{} signed the commit")
	}
}

func TestSignFailureRefusesAsGitDoes(t *testing.T) {
	_, dir := hookPair(t, func(dir string) {
		gittest.Write(t, dir, "README.md", "# x\n")
		gittest.Git(t, dir, "config", "commit.gpgSign", "true")
		gittest.Git(t, dir, "config", "gpg.program", "false")
	})
	if _, err := gittest.TryGit(dir, "commit", "--dry-run", "-q", "-a", "-m", "x"); err != nil {
		t.Fatal(err)
	}
	before := viewOf(t, dir)
	r, err := Discover(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, err = r.Commit(CommitOptions{Message: "x"})
	var se *SignError
	if !errors.As(err, &se) || se.Program != "false" || se.Format != "openpgp" {
		t.Fatalf("want a SignError naming gpg.program, got %v", err)
	}
	if after := viewOf(t, dir); after != before {
		t.Errorf("a failed signature changed the repository:\nbefore %+v\nafter  %+v", before, after)
	}
	// git refuses the same state.
	if out, err := gittest.TryGit(dir, "commit", "-q", "-a", "-m", "x"); err == nil || !strings.Contains(out, "gpg failed to sign") {
		t.Errorf("git commit: %v %s", err, out)
	}
	// An ssh format without a key is refused before anything runs.
	gittest.Git(t, dir, "config", "gpg.format", "ssh")
	r2, err := Discover(dir) // config is read at discovery
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if _, err = r2.Commit(CommitOptions{Message: "x"}); !errors.As(err, &se) || !strings.Contains(err.Error(), "user.signingKey") {
		t.Errorf("ssh without a key: %v", err)
	}
}

func TestSignSSHAsGitDoes(t *testing.T) {
	needProgram(t, "ssh-keygen")
	keys := t.TempDir()
	key := filepath.Join(keys, "id")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "wf-test", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	allowed := filepath.Join(keys, "allowed")
	if err := os.WriteFile(allowed, []byte(gittest.CommitterEmail+" namespaces=\"git\" "+string(pub)), 0o600); err != nil {
		t.Fatal(err)
	}
	gitSide, wfSide := hookPair(t, func(dir string) {
		gittest.Write(t, dir, "README.md", "# ssh\n")
		gittest.Git(t, dir, "config", "gpg.format", "ssh")
		gittest.Git(t, dir, "config", "user.signingKey", key)
		gittest.Git(t, dir, "config", "gpg.ssh.allowedSignersFile", allowed)
	})
	gittest.Git(t, gitSide, "commit", "-q", "-S", "-a", "-m", "signed")
	r, err := Discover(wfSide)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Commit(CommitOptions{Message: "signed", Sign: &SignOptions{Sign: true}}); err != nil {
		t.Fatal(err)
	}
	for _, side := range []string{gitSide, wfSide} {
		if out, err := gittest.TryGit(side, "verify-commit", "HEAD"); err != nil {
			t.Fatalf("%s: git verify-commit: %v\n%s", side, err, out)
		}
	}
	if g, w := strings.Join(headerNames(t, gitSide), " "), strings.Join(headerNames(t, wfSide), " "); g != w {
		t.Errorf("headers: git %q, wf %q", g, w)
	}
}

func TestAddSignatureHeader(t *testing.T) {
	payload := "tree t\nauthor a\ncommitter c\n\nmsg\n"
	got := addSignatureHeader(payload, []byte("-----BEGIN X-----\n\nabc\n-----END X-----\n"))
	want := "tree t\nauthor a\ncommitter c\ngpgsig -----BEGIN X-----\n \n abc\n -----END X-----\n\nmsg\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
