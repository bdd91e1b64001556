package main

import (
	"os"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestCompletion runs testdata/completion: each script loads the output
// of `wf completion SHELL` in that shell and checks what a TAB offers;
// request.txtar checks the completion request itself. A script skips
// when its shell is not installed, except under CI=true (condition
// [ci]), where .ci/run installs zsh and fish and a missing shell fails.
func TestCompletion(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/completion",
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"exitcode": cmdExitcode},
		RequireExplicitExec: true,
		Condition: func(cond string) (bool, error) {
			if cond == "ci" {
				return os.Getenv("CI") == "true", nil
			}
			return false, &unknownConditionError{cond}
		},
		Setup: func(e *testscript.Env) error {
			e.Setenv("TZ", "UTC")
			// A shell's own start-up files stay out of the test.
			e.Setenv("XDG_CONFIG_HOME", e.WorkDir+"/.config")
			e.Setenv("XDG_DATA_HOME", e.WorkDir+"/.local/share")
			return nil
		},
	})
}

type unknownConditionError struct{ cond string }

func (e *unknownConditionError) Error() string {
	return "unknown condition " + strings.TrimSpace(e.cond)
}
