// Package soak holds the randomized soak of wf (issue 16, docs/soak.md):
// a test that builds the real wf binary once per run and drives it, the
// git CLI, hand edits, kills, concurrent processes and wf watch through
// long seeded random sequences against a real repository, checking
// invariants after every step with oracles independent of wf (git fsck,
// git status and git add -A on a copy, the files as written by hand, git
// log for every checkpoint wf reported).
//
// The package has no code besides its test: go test ./cmd/wf/soak runs
// the short mode (a few seeds of a few dozen steps, well under 3 minutes
// on two cores); the flags -soak.seed, -soak.seeds and -soak.steps run
// it long or replay one seed exactly. It must not be imported. Its test
// files build on Linux only: they use Pdeathsig, flock(2) and signals to
// kill and watch wf, and the cross-builds of CI vet the rest.
package soak
