package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"github.com/wf-tool/wf/cmd/wf/internal/safetext"
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
	return runClock(args, stdin, stdout, stderr, onStep, time.Now)
}

// runClock is runWith on the clock now: test binaries pass a fixed one
// (WF_TEST_NOW) so that wf check's time conditions are tested without
// sleeping.
func runClock(args []string, stdin io.Reader, stdout, stderr io.Writer, onStep func(string), now func() time.Time) int {
	// Everything printed passes through the one sanitiser: text from
	// state files and command lines never reaches the terminal raw.
	out, errOut := safetext.NewWriter(stdout), safetext.NewWriter(stderr)
	defer out.Flush()
	defer errOut.Flush()
	e := &env{stdin: stdin, stdout: out, stderr: errOut, now: now, onStep: onStep}
	return e.runApp(e.newAppFor(args), args)
}

// runApp runs args with app and returns the exit code, the error printed
// on e's stderr.
func (e *env) runApp(app *cli.App, args []string) int {
	args, err := reorderArgs(app, args)
	if err == nil {
		err = app.Run(args)
	}
	if err != nil {
		printError(e.stderr, err)
	}
	return exitCode(err)
}

// newApp is the whole command line with its help: the command tree of
// newBareApp and decorateHelp's categories, examples and templates.
func (e *env) newApp() *cli.App {
	app := e.newBareApp()
	decorateHelp(app)
	return app
}

// newBareApp is the command tree, its flags (the help flag on every
// command) and usage handlers, without the help texts' decoration.
func (e *env) newBareApp() *cli.App {
	app := &cli.App{
		Name:                 "wf",
		Usage:                "keep long-running agent work in Markdown state files, checkpointed with git",
		Writer:               e.stdout,
		ErrWriter:            e.stderr,
		Reader:               e.stdin,
		HideHelpCommand:      true,
		EnableBashCompletion: true,
		ExitErrHandler:       func(*cli.Context, error) {},
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "dir", Usage: "the state root: the folder holding workflow-state.md", EnvVars: []string{"WF_DIR"}},
			&cli.DurationFlag{Name: "lock-wait", Value: 5 * time.Second, Usage: "how long to wait for another wf to finish", EnvVars: []string{"WF_LOCK_WAIT"}},
			&cli.BoolFlag{Name: "version", Usage: "print wf's version and VCS revision"},
		},
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return usagef("wf --help", "%s", err.Error())
		},
		CommandNotFound: func(c *cli.Context, name string) {},
		Before: func(c *cli.Context) error {
			if c.Bool("version") && c.Args().Present() {
				return usagef("wf --version", "--version takes no command (got %q)", c.Args().First())
			}
			if c.Duration("lock-wait") < 0 {
				return usagef("wf --lock-wait 5s ...", "--lock-wait must not be negative (got %s)", c.Duration("lock-wait"))
			}
			return nil
		},
		Commands: append([]*cli.Command{
			e.helpCmd(),
			e.versionCmd(),
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
			e.blockCmd(),
			e.unblockCmd(),
			e.watchCmd(),
			e.specCmd(),
			e.completionCmd(),
			e.mcpCmd(),
		}, e.lifecycleCmds()...),
		Action: func(c *cli.Context) error {
			if c.Bool("version") {
				return e.printVersion(false)
			}
			if c.Args().Present() {
				return unknownCommand(c.App.Commands, "", c.Args().Slice())
			}
			return cli.ShowAppHelp(c)
		},
	}
	for _, c := range app.Commands {
		setUsageHandlers(c, "")
	}
	addHelpFlags(app)
	return app
}

// setUsageHandlers makes every flag error a usage error naming the
// command's help, and makes a command with subcommands refuse a word that
// names none of them (urfave/cli would print nothing and exit 0).
func setUsageHandlers(c *cli.Command, parent string) {
	full := strings.TrimSpace(parent + " " + c.Name)
	c.OnUsageError = func(ctx *cli.Context, err error, _ bool) error {
		return usagef("wf help "+full, "%s", err.Error())
	}
	if len(c.Subcommands) > 0 {
		c.HideHelpCommand = true
		subs := c.Subcommands
		c.Action = func(ctx *cli.Context) error {
			if ctx.Args().Present() {
				return unknownCommand(subs, full, ctx.Args().Slice())
			}
			return usagef("wf help "+full, "wf %s needs a subcommand: %s", full, strings.Join(commandNames(subs), ", "))
		}
	}
	for _, s := range c.Subcommands {
		setUsageHandlers(s, full)
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
		Stdin: e.stdin, OnStep: e.onStep, Actor: os.Getenv("WF_ACTOR"), Session: os.Getenv("WF_SESSION"),
		Note: func(msg string) { fmt.Fprintf(e.stderr, "wf: note: %s\n", msg) },
	}, nil
}

// printJSON writes v as indented JSON, with the characters a terminal
// acts on that encoding/json leaves raw (DEL, C1 controls, bidirectional
// overrides) written as \u escapes.
func (e *env) printJSON(v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(append(safetext.EscapeJSON(b), '\n'))
	return err
}

func (e *env) printf(format string, args ...any) { fmt.Fprintf(e.stdout, format, args...) }

// needArgs checks the number of positional arguments.
func needArgs(c *cli.Context, min, max int, what string) error {
	n := c.Args().Len()
	if n < min || (max >= 0 && n > max) {
		name := cmdPath(c)
		return usagef("wf "+name+" --help", "wf %s takes %s (got %s)", name, what, plural(n, "argument", "arguments"))
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
	if rest, ok := trimCompletion(args); ok {
		// A completion request: urfave/cli wants it last, and completes
		// what it can even of a line that is not finished.
		out, err := reorderArgs(app, rest)
		if err != nil {
			return args, nil
		}
		return append(out, completionFlag), nil
	}
	if args[1] == "help" {
		args = helpArgs(args)
	}
	out := []string{args[0]}
	var names []string // the command path
	helpAsked := false // --help after the command: its arguments do not matter
	flags := app.Flags
	cmds := app.Commands
	seen := map[cli.Flag]bool{}
	i := 1
	// The command path, with any flags before each name.
	for i < len(args) {
		a := args[i]
		if looksLikeFlag(a) {
			if !hasFlag(flags, a) && !hasFlag(app.Flags, a) {
				return nil, unknownFlag(args, i, strings.Join(names, " "), flags, app.Flags)
			}
			if err := once(seen, flags, a); err != nil {
				return nil, err
			}
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
		names = append(names, next.Name)
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
			if err := flagsAfterDashes(out, append(append([]cli.Flag(nil), flags...), app.Flags...), pos, args[i+1:]); err != nil {
				return nil, err
			}
			pos = append(pos, args[i:]...)
			break
		}
		if looksLikeFlag(a) {
			if !hasFlag(flags, a) && !hasFlag(app.Flags, a) {
				return nil, unknownFlag(args, i, strings.Join(names, " "), flags, app.Flags)
			}
			helpAsked = helpAsked || isHelpFlag(a)
			fs := flags
			if !hasFlag(flags, a) && hasFlag(app.Flags, a) {
				fs = app.Flags
			}
			if err := once(seen, fs, a); err != nil {
				return nil, err
			}
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
	if helpAsked {
		pos = nil
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

// once refuses a second use of a flag that takes one value: urfave/cli
// would keep the last silently. Flags that collect values (--decision)
// and switches may repeat.
func once(seen map[cli.Flag]bool, flags []cli.Flag, a string) error {
	f := findFlag(flags, a)
	if f == nil {
		return nil
	}
	if g, ok := f.(*cli.GenericFlag); ok {
		if _, multi := g.Value.(*multiFlag); multi {
			return nil
		}
	}
	if tv, ok := f.(interface{ TakesValue() bool }); !ok || !tv.TakesValue() {
		return nil
	}
	if seen[f] {
		return usagef("give --"+f.Names()[0]+" once", "--%s is given twice; it takes one value (the second would silently replace the first)", f.Names()[0])
	}
	seen[f] = true
	return nil
}

// flagsAfterDashes refuses one of the command's flags typed after "--",
// where it would be taken as text; the hint moves it before "--". (Text
// that is exactly a flag's name cannot be given after "--"; it can as
// part of a longer argument.)
func flagsAfterDashes(before []string, flags []cli.Flag, pos, rest []string) error {
	var moved, text []string
	for j := 0; j < len(rest); j++ {
		a := rest[j]
		if looksLikeFlag(a) && hasFlag(flags, a) {
			moved = append(moved, a)
			if takesValue(flags, a) && j+1 < len(rest) {
				moved = append(moved, verbs.QuoteArg(rest[j+1]))
				j++
			}
			continue
		}
		text = append(text, verbs.QuoteArg(a))
	}
	if len(moved) == 0 {
		return nil
	}
	line := append([]string{"wf"}, before[1:]...)
	line = append(line, moved...)
	for _, p := range pos {
		line = append(line, verbs.QuoteArg(p))
	}
	line = append(append(line, "--"), text...)
	return usagef(strings.Join(line, " "), "%s after \"--\" would be taken as text; flags go before \"--\"", moved[0])
}

// findFlag returns the flag of flags that a names ("--phase",
// "--phase=x", "-n"), or nil.
func findFlag(flags []cli.Flag, a string) cli.Flag {
	name := strings.TrimLeft(a, "-")
	if i := strings.IndexByte(name, '='); i >= 0 {
		name = name[:i]
	}
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
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
		if err := checkInput(c); err != nil {
			return err
		}
		ve, err := e.verbs(c)
		if err != nil {
			return err
		}
		return fn(c, ve)
	}
}
