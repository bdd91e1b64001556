package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
)

// env holds what a command needs from the outside world, so tests run it
// in-process with their own streams and clock.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	now            func() time.Time
	// onStep is the checkpoint write sequence's test seam: nil in the
	// shipped wf; the crash tests set it (see runWith).
	onStep func(string)
}

// run is the whole of wf: it parses args, runs the command with the given
// streams and returns the exit code (docs/exit-codes.md).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runWith(args, stdin, stdout, stderr, nil)
}

// runWith is run with a hook called at each step of a checkpoint's write
// sequence; only test binaries pass one.
func runWith(args []string, stdin io.Reader, stdout, stderr io.Writer, onStep func(string)) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now, onStep: onStep}
	app := e.newApp()
	args, err := reorderArgs(app, args)
	if err == nil {
		err = app.Run(args)
	}
	if err != nil {
		printError(stderr, err)
	}
	return exitCode(err)
}

func (e *env) newApp() *cli.App {
	app := &cli.App{
		Name:                 "wf",
		Usage:                "keep long-running agent work in Markdown state files, checkpointed with git",
		Writer:               e.stdout,
		ErrWriter:            e.stderr,
		Reader:               e.stdin,
		HideHelpCommand:      true,
		EnableBashCompletion: false,
		ExitErrHandler:       func(*cli.Context, error) {},
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "dir", Usage: "the state root: the folder holding workflow-state.md", EnvVars: []string{"WF_DIR"}},
			&cli.DurationFlag{Name: "lock-wait", Value: 5 * time.Second, Usage: "how long to wait for another wf to finish", EnvVars: []string{"WF_LOCK_WAIT"}},
		},
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return usagef("wf "+strings.TrimSpace(c.Command.FullName()+" --help"), "%s", err.Error())
		},
		CommandNotFound: func(c *cli.Context, name string) {},
		Commands: []*cli.Command{
			e.initCmd(),
			e.statusCmd(),
			e.lintCmd(),
			e.todoCmd(),
			e.decideCmd(),
			e.setupCmd(),
			e.checkpointCmd(),
			e.logCmd(),
			e.showCmd(),
			e.recoverCmd(),
			e.resumeCmd(),
			e.heartbeatCmd(),
		},
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usagef("wf --help", "unknown command %q", c.Args().First())
			}
			return cli.ShowAppHelp(c)
		},
	}
	for _, c := range app.Commands {
		setUsageHandlers(c)
	}
	return app
}

// setUsageHandlers makes every flag error a usage error naming the
// command's help.
func setUsageHandlers(c *cli.Command) {
	setUsageHandlersUnder(c, "")
}

func setUsageHandlersUnder(c *cli.Command, parent string) {
	full := strings.TrimSpace(parent + " " + c.Name)
	c.OnUsageError = func(ctx *cli.Context, err error, _ bool) error {
		return usagef("wf "+full+" --help", "%s", err.Error())
	}
	for _, s := range c.Subcommands {
		setUsageHandlersUnder(s, full)
	}
}

// verbs is the environment of a verb run from this command line: the
// process's working directory, the global flags, the streams and the
// clock. What opening the workflow did (completing or rolling back an
// interrupted checkpoint) is printed as notes on stderr.
func (e *env) verbs(c *cli.Context) (verbs.Env, error) {
	wd, err := os.Getwd()
	if err != nil {
		return verbs.Env{}, err
	}
	return verbs.Env{
		WorkDir: wd, Dir: c.String("dir"), LockWait: c.Duration("lock-wait"), Now: e.now,
		Stdin: e.stdin, OnStep: e.onStep,
		Note: func(msg string) { fmt.Fprintf(e.stderr, "wf: note: %s\n", msg) },
	}, nil
}

// printJSON writes v as indented JSON.
func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (e *env) printf(format string, args ...any) { fmt.Fprintf(e.stdout, format, args...) }

// needArgs checks the number of positional arguments.
func needArgs(c *cli.Context, min, max int, what string) error {
	n := c.Args().Len()
	if n < min || (max >= 0 && n > max) {
		name := cmdPath(c)
		return usagef("wf "+name+" --help", "wf %s takes %s (got %d arguments)", name, what, n)
	}
	return nil
}

// cmdPath is the command's full name, "todo add".
func cmdPath(c *cli.Context) string {
	var names []string
	for _, x := range c.Lineage() {
		if x.Command != nil && x.Command.Name != "" && x.Command.Name != c.App.Name {
			names = append([]string{x.Command.Name}, names...)
		}
	}
	return strings.Join(names, " ")
}

// reorderArgs lets flags follow positional arguments ("wf todo done 3
// --json"), which urfave/cli v2 would otherwise take as arguments: it moves
// every flag of the command being run, with its value, before the
// positional arguments. "--" ends flags as usual. A word after the command
// that looks like a flag but is not one of the command's is moved too, so
// that cli reports it instead of taking it as text.
func reorderArgs(app *cli.App, args []string) ([]string, error) {
	if len(args) < 2 {
		return args, nil
	}
	out := []string{args[0]}
	flags := app.Flags
	cmds := app.Commands
	i := 1
	// The command path, with any flags before each name.
	for i < len(args) {
		a := args[i]
		if looksLikeFlag(a) {
			out = append(out, a)
			if takesValue(flags, a) && i+1 < len(args) {
				out = append(out, args[i+1])
				i++
			}
			i++
			continue
		}
		var next *cli.Command
		for _, c := range cmds {
			if c.HasName(a) {
				next = c
			}
		}
		if next == nil {
			break
		}
		out = append(out, a)
		i++
		flags, cmds = next.Flags, next.Subcommands
		if len(cmds) == 0 {
			break
		}
	}
	var pos, global []string
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i:]...)
			break
		}
		if looksLikeFlag(a) {
			fs := flags
			if !hasFlag(flags, a) && hasFlag(app.Flags, a) {
				// A global flag typed after the command goes before it.
				fs = app.Flags
				global = append(global, a)
				if takesValue(fs, a) && i+1 < len(args) {
					global = append(global, args[i+1])
					i++
				}
				continue
			}
			out = append(out, a)
			if takesValue(fs, a) && !strings.Contains(a, "=") {
				if i+1 >= len(args) {
					return nil, usagef("", "flag %s needs a value", a)
				}
				out = append(out, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	if len(pos) > 0 && pos[0] != "--" {
		// Keep text that starts with "-" (e.g. "-1 item") from being read as
		// a flag once it follows flags.
		for _, p := range pos {
			if strings.HasPrefix(p, "-") {
				out = append(out, "--")
				break
			}
		}
	}
	if len(global) > 0 {
		out = append(append([]string{out[0]}, global...), out[1:]...)
	}
	return append(out, pos...), nil
}

func hasFlag(flags []cli.Flag, a string) bool {
	name := strings.TrimLeft(a, "-")
	if i := strings.IndexByte(name, '='); i >= 0 {
		name = name[:i]
	}
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				return true
			}
		}
	}
	return false
}

func looksLikeFlag(a string) bool {
	if len(a) < 2 || a[0] != '-' || a == "--" {
		return false
	}
	b := strings.TrimLeft(a, "-")
	if len(b) == 0 || strings.ContainsAny(b[:1], " \t") {
		return false
	}
	c := b[0]
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func takesValue(flags []cli.Flag, a string) bool {
	name := strings.TrimLeft(a, "-")
	if i := strings.IndexByte(name, '='); i >= 0 {
		return false
	}
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				if tv, ok := f.(interface{ TakesValue() bool }); ok {
					return tv.TakesValue()
				}
				return false
			}
		}
	}
	return false
}

// act makes a command's action: it checks the number of positional
// arguments (at least min, at most max, no limit when max < 0; what
// names them in the usage error), builds the verbs environment and calls
// fn with it.
func (e *env) act(min, max int, what string, fn func(c *cli.Context, ve verbs.Env) error) cli.ActionFunc {
	return func(c *cli.Context) error {
		if err := needArgs(c, min, max, what); err != nil {
			return err
		}
		ve, err := e.verbs(c)
		if err != nil {
			return err
		}
		return fn(c, ve)
	}
}
