package gittest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestNewRepoCommitsWithTheFixedIdentity(t *testing.T) {
	dir := NewRepo(t)
	Write(t, dir, "a/b/c.txt", "hello\n")
	if data, err := os.ReadFile(filepath.Join(dir, "a", "b", "c.txt")); err != nil || string(data) != "hello\n" {
		t.Fatalf("Write: %q, %v", data, err)
	}
	Git(t, dir, "add", "-A")
	Git(t, dir, "commit", "-q", "-m", "one")
	if got, want := Git(t, dir, "log", "-1", "--format=%an <%ae> %cn <%ce>"),
		AuthorName+" <"+AuthorEmail+"> "+CommitterName+" <"+CommitterEmail+">"; got != want {
		t.Errorf("identity %q, want %q", got, want)
	}
	if got := Git(t, dir, "symbolic-ref", "HEAD"); got != "refs/heads/main" {
		t.Errorf("HEAD %q", got)
	}
	if _, err := TryGit(dir, "rev-parse", "--verify", "-q", "nope"); err == nil {
		t.Error("TryGit: no error for a failing command")
	}
	if got := GitStdin(t, dir, "x\n", "hash-object", "--stdin"); got != "587be6b4c3f93f93c489c0111bba5596147a26cb" {
		t.Errorf("GitStdin: %q", got)
	}
}
