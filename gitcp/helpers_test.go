package gitcp

import (
	"testing"
	"time"
)

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
