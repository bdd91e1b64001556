package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestMain registers wf as an in-process command for the scripts. The
// test binary's wf also honours WF_TEST_CRASH_AT (see crashHook); the
// shipped wf has no such hook.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"wf": func() { os.Exit(runClock(os.Args, os.Stdin, os.Stdout, os.Stderr, crashHook(), testClock())) },
	})
}

// crashHook makes wf kill itself with SIGKILL at the named step of a
// checkpoint when WF_TEST_CRASH_AT names it: the crash-safety tests use
// it. It is compiled into test binaries only.
func crashHook() func(string) {
	at := os.Getenv("WF_TEST_CRASH_AT")
	if at == "" {
		return nil
	}
	return func(step string) {
		if step == at {
			p, _ := os.FindProcess(os.Getpid())
			p.Kill() // SIGKILL on Unix: no deferred cleanup runs
			select {}
		}
	}
}

// testClock is the clock of the test binary's wf: WF_TEST_NOW (RFC 3339)
// when set, so that scripts test time conditions without sleeping;
// time.Now otherwise.
func testClock() func() time.Time {
	v := os.Getenv("WF_TEST_NOW")
	if v == "" {
		return time.Now
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		panic("WF_TEST_NOW: " + err.Error())
	}
	return func() time.Time { return t }
}

// TestScripts runs the end-to-end stories in testdata/script. Each script
// starts in a fresh git repository with an explicit identity.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"mkfile": cmdMkfile, "exitcode": cmdExitcode, "replace": cmdReplace},
		Setup: func(e *testscript.Env) error {
			for _, kv := range gittest.Environ(e.WorkDir) {
				k, v, _ := strings.Cut(kv, "=")
				e.Setenv(k, v)
			}
			// testscript starts from an environment of its own, which
			// holds none of gittest.Unset().
			e.Setenv("TZ", "UTC")
			e.Setenv("WF_LOCK_WAIT", "300ms")
			return nil
		},
	})
}

// cmdMkfile is "mkfile SIZE PATH [LINE]": write a file of exactly SIZE
// bytes (a suffix k, M for KiB, MiB) made of LINE and a newline repeated
// (default "- [ ] item"), cut at SIZE. For big-file scripts, where a
// testscript archive cannot hold the file.
func cmdMkfile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: mkfile SIZE PATH [LINE]")
	}
	mult := 1
	n := args[0]
	switch {
	case len(n) > 1 && n[len(n)-1] == 'k':
		mult, n = 1<<10, n[:len(n)-1]
	case len(n) > 1 && n[len(n)-1] == 'M':
		mult, n = 1<<20, n[:len(n)-1]
	}
	size, err := strconv.Atoi(n)
	ts.Check(err)
	line := "- [ ] item"
	if len(args) == 3 {
		line = args[2]
	}
	data := bytes.Repeat([]byte(line+"\n"), size*mult/(len(line)+1)+1)[:size*mult]
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), data, 0o644))
}

// cmdExitcode is "exitcode N PROG ARGS...": run PROG like exec and check
// that it exits with code N; stdout and stderr are kept for the next
// commands, as after exec.
func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N PROG ARGS...")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("%s: %v", args[1], err)
	}
	if got != want {
		ts.Fatalf("%s exited with code %d, want %d", args[1], got, want)
	}
}

// cmdReplace is "replace PATH OLD NEW": replace every match of the regular
// expression OLD (multi-line mode: ^ and $ match at line breaks) in PATH
// with NEW, in which $1 names a group and \n is a line break. It fails
// when OLD does not match, so that a script never goes on with an edit
// that did not happen. For hand edits of the state files.
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace PATH OLD NEW")
	}
	re, err := regexp.Compile("(?m)" + args[1])
	ts.Check(err)
	path := ts.MkAbs(args[0])
	data, err := os.ReadFile(path)
	ts.Check(err)
	if !re.Match(data) {
		ts.Fatalf("replace: %q does not match in %s", args[1], args[0])
	}
	out := re.ReplaceAll(data, []byte(strings.ReplaceAll(args[2], `\n`, "\n")))
	ts.Check(os.WriteFile(path, out, 0o644))
}
