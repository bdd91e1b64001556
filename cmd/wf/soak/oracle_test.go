//go:build linux

package soak

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// oracleFailure is what onFail panics with, so that the oracles' test
// sees the first failure and stops there as a real run does.
type oracleFailure string

// TestOraclesCatch breaks a healthy soak repository in the ways the
// invariants exist for, one at a time, and checks that check() fails
// with the right message: an oracle that cannot fail proves nothing.
func TestOraclesCatch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs wf; not with -short")
	}
	bin := buildWF(t)
	cases := []struct {
		name    string
		breakIt func(w *world)
		want    string
	}{
		{"foreign lock removed", func(w *world) { os.Remove(w.foreign[0].path) }, "foreign lock"},
		{"hand edit lost", func(w *world) {
			w.hands = append(w.hands, hand{file: filepath.Join(w.top, "TODO.md"), marker: "<!-- never written -->"})
		}, "hand edit"},
		{"reported checkpoint missing", func(w *world) {
			w.reported = append(w.reported, reported{id: "20260101-000000-dead-x", commit: strings.Repeat("d", 40)})
		}, "not in git log"},
		{"temp file left", func(w *world) { w.write(".TODO.md.wf-tmp-123", "x") }, "temp file"},
		{"git lock left", func(w *world) { w.write(".git/HEAD.lock", "x") }, "lock file"},
		{"lint error", func(w *world) {
			w.write("TODO.md", w.read(w.top, "TODO.md")+"<<<<<<< HEAD\n- [ ] a\n=======\n- [ ] b\n>>>>>>> x\n")
		}, "wf lint"},
		{"corrupt object", func(w *world) {
			w.write(".git/objects/00/"+strings.Repeat("1", 38), "not zlib")
		}, "git fsck"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, bin, 1)
			c.breakIt(w)
			var got string
			w.onFail = func(msg string) { panic(oracleFailure(msg)) }
			func() {
				defer func() {
					if r := recover(); r != nil {
						f, ok := r.(oracleFailure)
						if !ok {
							panic(r)
						}
						got = string(f)
					}
				}()
				w.check()
			}()
			if !strings.Contains(got, c.want) {
				t.Fatalf("check() after %q: failure %q, want one about %q", c.name, got, c.want)
			}
		})
	}
}
