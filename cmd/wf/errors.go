package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/watch"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
	"github.com/wf-tool/wf/gitcp"
	"github.com/wf-tool/wf/mdstate"
)

// Exit codes, documented in docs/exit-codes.md.
const (
	exitOK        = 0
	exitError     = 1
	exitUsage     = 2
	exitLockBusy  = 3
	exitUnsafeGit = 4
	exitProblems  = 5 // wf lint found errors
	exitNoState   = 6 // no workflow here: run wf init
	exitNoWake    = 7 // wf check: no wait woke
)

// usagef is a command line that cannot be run as typed, with the
// corrected one as its hint.
func usagef(hint, format string, args ...any) error { return verbs.Usagef(hint, format, args...) }

// problemsError says a check found problems it already printed.
type problemsError struct{ n int }

func (e *problemsError) Error() string {
	return lifecycle.Plural(e.n, "problem", "problems") + " found"
}

// exitCode maps an error to the documented exit code: the one place this
// happens.
func exitCode(err error) int {
	var (
		usage    *verbs.UsageError
		lock     *mdstate.LockBusyError
		gitLock  *gitcp.LockBusyError
		unsafe   *gitcp.UnsafeStateError
		problems *problemsError
		watching *watch.BusyError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &usage):
		return exitUsage
	case errors.As(err, &lock), errors.As(err, &gitLock), errors.As(err, &watching):
		return exitLockBusy
	case errors.As(err, &unsafe):
		return exitUnsafeGit
	case errors.As(err, &problems):
		return exitProblems
	case errors.Is(err, workspace.ErrNoWorkflow):
		return exitNoState
	case errors.As(err, new(nothingWokeError)), errors.As(err, new(notFiredError)):
		return exitNoWake
	}
	return exitError
}

// printError writes err in wf's one voice: "wf: error: …" then a
// "wf: hint: …" line for every hint found along the error chain.
func printError(w io.Writer, err error) {
	var problems *problemsError
	if errors.As(err, &problems) || errors.As(err, new(nothingWokeError)) || errors.As(err, new(notFiredError)) {
		return // already reported
	}
	msg := err.Error()
	fmt.Fprintf(w, "wf: error: %s\n", strings.TrimSuffix(msg, "."))
	seen := map[string]bool{}
	for e := err; e != nil; e = errors.Unwrap(e) {
		if h, ok := e.(interface{ Hint() string }); ok {
			if hint := h.Hint(); hint != "" && !seen[hint] {
				seen[hint] = true
				fmt.Fprintf(w, "wf: hint: %s\n", hint)
			}
		}
	}
}
