package tour

import (
	"bytes"
	"errors"
	"os/exec"
)

// Runner runs the tour's commands, each with `bash -c` in Dir with the
// environment Env (nil: the process's), and binds what they print to
// what the README shows.
type Runner struct {
	Dir  string
	Env  []string
	Bind Bindings
}

// Result is what one step did in a run.
type Result struct {
	Cmd  string // the command as run: the README's, with bound values replaced
	Out  string // stdout and stderr, in the order written
	Exit int
}

// Run runs st's command after replacing the values bound so far. An
// error is returned only when bash could not be started; a command that
// fails gives its exit code.
func (r *Runner) Run(st Step) (Result, error) {
	if r.Bind == nil {
		r.Bind = Bindings{}
	}
	res := Result{Cmd: r.Bind.Apply(st.Cmd)}
	cmd := exec.Command("bash", "-c", res.Cmd)
	cmd.Dir = r.Dir
	cmd.Env = r.Env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	res.Out = out.String()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		res.Exit = ee.ExitCode()
	case err != nil:
		return res, err
	}
	return res, nil
}
