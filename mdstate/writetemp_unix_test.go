//go:build unix

package mdstate

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A write that fails midway (here the file size limit, as a full disk
// would) leaves no temp file behind, for either writer (repo-states/12:
// writeTemp's "return "", err" cleared the name its deferred cleanup
// removed). The limit is set in a child process: it applies to the whole
// process.
func TestFailedWriteLeavesNoTemp(t *testing.T) {
	if dir := os.Getenv("WF_TEST_FSIZE_DIR"); dir != "" {
		lim := syscall.Rlimit{Cur: 1024, Max: 1024}
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			os.Exit(2)
		}
		big := []byte(strings.Repeat("- [ ] an item\n", 1000))
		if WriteFileAtomic(filepath.Join(dir, "TODO.md"), big, nil) == nil {
			os.Exit(3)
		}
		if CreateFileExclusive(filepath.Join(dir, "new.md"), big, 0o644) == nil {
			os.Exit(4)
		}
		os.Exit(0)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "TODO.md"), []byte("# TODO\n"), 0o644)
	cmd := exec.Command(os.Args[0], "-test.run=^TestFailedWriteLeavesNoTemp$")
	cmd.Env = append(os.Environ(), "WF_TEST_FSIZE_DIR="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if e.Name() != "TODO.md" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "TODO.md")); string(b) != "# TODO\n" {
		t.Errorf("TODO.md changed: %q", b)
	}
}
