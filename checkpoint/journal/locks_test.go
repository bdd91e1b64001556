//go:build unix

package journal

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/wf-tool/wf/gitcp"
)

// deadPID returns the pid of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// claimOf makes a lock file at path as a killed wf left it and returns the
// claim the journal would hold for it.
func claimOf(t *testing.T, path string) gitcp.LockClaim {
	t.Helper()
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	dev, ino := fileIdentity(t, path)
	return gitcp.LockClaim{Path: path, Dev: dev, Ino: ino}
}

// An index.lock the record never claimed is another process's, however
// empty and recent: recovery leaves it (repo-states/18: a leftover intent
// made even wf status delete a live git add's lock).
func TestRecoverLeavesForeignLocks(t *testing.T) {
	ws, head := setup(t)
	in := &Intent{Version: 1, ID: "20261130-000000-abcd-x", PID: deadPID(t), Started: time.Now().Add(-time.Second), Mode: "branch", Ref: "refs/heads/main", Old: head}
	if err := Write(ws, in); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(ws.Repo.IndexLockPath(), nil, 0o644)
	os.WriteFile(ws.Repo.RefLockPath("refs/heads/main"), nil, 0o644)
	if out, err := Recover(ws); err != nil || out.Kind != RolledBack {
		t.Fatalf("Recover = %+v, %v", out, err)
	}
	for _, p := range []string{ws.Repo.IndexLockPath(), ws.Repo.RefLockPath("refs/heads/main")} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("foreign %s was removed", p)
		}
	}
}

// A claimed lock file is removed when it is still the claimed file and its
// maker is gone; one replaced since (another inode) stays, and so does the
// claimed one while its maker runs.
func TestRecoverRemovesOnlyProvenLocks(t *testing.T) {
	for _, tc := range []struct {
		name     string
		live     bool
		replaced bool
		removed  bool
	}{
		{"ours, maker gone", false, false, true},
		{"replaced by another process", false, true, false},
		{"maker still running", true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws, head := setup(t)
			pid, start := Self()
			if !tc.live {
				pid, start = deadPID(t), 0
			}
			c := claimOf(t, ws.Repo.IndexLockPath())
			rc := claimOf(t, ws.Repo.RefLockPath("refs/heads/main"))
			if tc.replaced {
				for _, cl := range []gitcp.LockClaim{c, rc} {
					os.Remove(cl.Path)
					// The file system may give the new file the freed
					// inode number, and a claim is a device and inode:
					// such a file cannot be told from ours. Make files until one has
					// another number.
					for n := 0; ; n++ {
						tmp := fmt.Sprintf("%s.other%d", cl.Path, n)
						if err := os.WriteFile(tmp, nil, 0o644); err != nil {
							t.Fatal(err)
						}
						if _, ino := fileIdentity(t, tmp); ino != cl.Ino {
							os.Rename(tmp, cl.Path)
							break
						}
						if n == 20 {
							t.Fatal("no fresh inode number in 20 tries")
						}
					}
				}
			}
			in := &Intent{Version: 1, ID: "20261130-000000-abcd-x", PID: pid, PIDStart: start, Started: time.Now(), Mode: "branch", Ref: "refs/heads/main", Old: head, Locks: []gitcp.LockClaim{c, rc}}
			if err := Write(ws, in); err != nil {
				t.Fatal(err)
			}
			out, err := Recover(ws)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range []string{c.Path, rc.Path} {
				_, err := os.Lstat(p)
				if gone := os.IsNotExist(err); gone != tc.removed {
					t.Errorf("%s removed = %v, want %v (note %q)", p, gone, tc.removed, out.Note())
				}
			}
			if tc.live && len(out.LiveLocks) != 2 {
				t.Errorf("LiveLocks = %v", out.LiveLocks)
			}
		})
	}
}
