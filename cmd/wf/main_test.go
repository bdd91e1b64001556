package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain registers wf as an in-process command for the scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"wf": func() { os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end stories in testdata/script. Each script
// starts in a fresh git repository with an explicit identity.
func TestScripts(t *testing.T) {
	corpus, _ := filepath.Abs("../../../shared/corpus")
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(e *testscript.Env) error {
			e.Setenv("HOME", e.WorkDir)
			e.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			e.Setenv("GIT_AUTHOR_NAME", "Test Agent")
			e.Setenv("GIT_AUTHOR_EMAIL", "agent@example.com")
			e.Setenv("GIT_COMMITTER_NAME", "Test Agent")
			e.Setenv("GIT_COMMITTER_EMAIL", "agent@example.com")
			e.Setenv("TZ", "UTC")
			e.Setenv("WF_LOCK_WAIT", "300ms")
			e.Setenv("CORPUS", corpus)
			return nil
		},
	})
}
