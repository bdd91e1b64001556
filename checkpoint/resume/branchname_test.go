package resume

import (
	"os/exec"
	"testing"
)

// TestPlainBranchNameMatchesGit: every name plainBranchName accepts, git
// check-ref-format --branch accepts too (it may refuse more than git
// does: the names are looked up only to improve a hint).
func TestPlainBranchNameMatchesGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not found")
	}
	names := []string{"main", "side", "feature/x", "a.b", "a_b-c", "v1.2/rc", "-x", ".x", "x.", "x/", "/x",
		"a..b", "a//b", "a/.b", "x.lock", "a b", "a~b", "a^b", "a:b", "a?b", "a*b", "a[b", "a\\\\b", "@", "a@{b",
		"HEAD", "refs/heads/x", "é", "a\tb", ""}
	for _, n := range names {
		ok := plainBranchName(n)
		err := exec.Command("git", "check-ref-format", "--branch", n).Run()
		if ok && err != nil {
			t.Errorf("%q: plainBranchName accepts it, git check-ref-format --branch refuses it", n)
		}
	}
	for _, n := range []string{"main", "feature/x", "v1.2/rc", "a_b-c"} {
		if !plainBranchName(n) {
			t.Errorf("%q: refused, but it is a plain branch name", n)
		}
	}
}
