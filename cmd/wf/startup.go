package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// newAppFor is the app that runs args: the command tree, and its help
// texts only when args may print one (helpMayPrint). Building the help
// texts of every command (their categories, EXAMPLES sections and
// templates) was two thirds of the command tree's cost, paid by every
// command (issue 12); what args print is the same either way
// (TestLazyHelpSameOutput).
func (e *env) newAppFor(args []string) *cli.App {
	app := e.newBareApp()
	if helpMayPrint(app, args) {
		decorateHelp(app)
	}
	return app
}

// helpMayPrint reports whether running the command line args (args[0]
// being the program) may print a help text, erring on the side of yes:
// when no command other than help is named (urfave/cli shows the app's
// help for `wf` alone or `wf --dir x`, but prints the version for
// `wf --version`), when the word "help" appears, or
// when a help flag (-h, --help, -help, --help=…, in any of the forms
// Go's flag package accepts) comes before a "--". Otherwise urfave/cli
// has no path to a help text: every command and the app have their own
// OnUsageError, and a command with subcommands has its own Action.
func helpMayPrint(app *cli.App, args []string) bool {
	named, version := false, false
	for i := 1; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if a == "help" || isHelpFlagForm(a) {
			return true
		}
		if named {
			continue
		}
		if looksLikeFlag(a) {
			version = version || a == "--version" || a == "-version"
			if takesValue(app.Flags, a) {
				i++ // the global flag's value
			}
			continue
		}
		if app.Command(a) == nil {
			return true // no command: the app's help, or an unknown word
		}
		named = true
	}
	return !named && !version
}

// isHelpFlagForm reports whether a sets the help flag in a form Go's
// flag package parses: one or two dashes, "h" or "help", with or without
// "=value".
func isHelpFlagForm(a string) bool {
	if !strings.HasPrefix(a, "-") {
		return false
	}
	name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
	name, _, _ = strings.Cut(name, "=")
	for _, n := range cli.HelpFlag.Names() {
		if name == n {
			return true
		}
	}
	return false
}
