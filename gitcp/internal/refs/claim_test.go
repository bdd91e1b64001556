//go:build unix

package refs

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// AcquireClaimed tells record the lock's identity before the lock file
// exists, and the lock file then has exactly that identity.
func TestAcquireClaimed(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "index")
	var got Claim
	l, err := AcquireClaimed(target, 0, "", func(c Claim) error {
		if _, err := os.Lstat(target + ".lock"); err == nil {
			t.Error("the lock file exists before the claim is recorded")
		}
		if _, err := os.Lstat(c.Temp); err != nil {
			t.Errorf("the private file is missing: %v", err)
		}
		got = c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(target + ".lock")
	if err != nil || !Owns(got, fi) {
		t.Fatalf("the lock file is not the claimed one: %v", err)
	}
	if _, err := os.Lstat(got.Temp); err == nil {
		t.Errorf("the private file %s is left", got.Temp)
	}
	l.Write([]byte("x"))
	if err := l.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(target); string(b) != "x" {
		t.Fatalf("target = %q", b)
	}
}

// A lock file someone else holds: busy after the wait, the foreign file
// untouched and not owned, no private file left; a failing record takes
// nothing.
func TestAcquireClaimedBusyAndRecordError(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "HEAD")
	os.WriteFile(target+".lock", []byte("ref: refs/heads/x\n"), 0o644)
	var claim Claim
	_, err := AcquireClaimed(target, 0, "", func(c Claim) error { claim = c; return nil })
	var be *BusyError
	if !errors.As(err, &be) || be.Path != target+".lock" {
		t.Fatalf("err = %v, want BusyError", err)
	}
	fi, _ := os.Lstat(target + ".lock")
	if Owns(claim, fi) {
		t.Fatal("a foreign lock file counts as owned")
	}
	if b, _ := os.ReadFile(target + ".lock"); string(b) != "ref: refs/heads/x\n" {
		t.Fatalf("foreign lock changed: %q", b)
	}
	os.Remove(target + ".lock")
	boom := errors.New("journal full")
	if _, err := AcquireClaimed(target, 0, "", func(Claim) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 0 {
		t.Fatalf("left behind: %v", ents)
	}
}
