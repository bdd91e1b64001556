package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"
	"github.com/wf-tool/wf/cmd/wf/internal/safetext"
)

// runEagerly runs args as run does, but with the help texts always
// built (newApp), as wf did before newAppFor.
func runEagerly(args []string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	out, errOut := safetext.NewWriter(&stdout), safetext.NewWriter(&stderr)
	e := &env{stdin: strings.NewReader(""), stdout: out, stderr: errOut, now: time.Now}
	code := e.runApp(e.newApp(), args)
	out.Flush()
	errOut.Flush()
	return code, stdout.String(), stderr.String()
}

// TestLazyHelpSameOutput runs command lines that print help, that look
// like they might, and that fail before any command runs, once as wf runs
// them (the help texts built only when helpMayPrint says so) and once
// with the help texts always built: output and exit code must be the
// same. Every command path is asked for help in every form the flag
// package accepts, by the help command, with the flag between the names
// of a path, and with arguments around the flag.
func TestLazyHelpSameOutput(t *testing.T) {
	dir := t.TempDir() // for the lines that would run a command
	lines := [][]string{
		{}, {"-h"}, {"--help"}, {"-help"}, {"--h"}, {"--help=true"}, {"-h=1"}, {"help"}, {"help", "--help"},
		{"--dir", dir}, {"--dir=" + dir}, {"--lock-wait", "1s"}, {"--dir", "status"}, {"--dir", "help"},
		{"--version"}, {"-version"}, {"--version=false"}, {"--version=true"}, {"--dir", dir, "--version"}, {"version"}, {"--version", "status"}, {"--version", "--"}, {"-v"},
		{"help", "files"}, {"help", "nonexistent"}, {"nonexistent"}, {"nonexistent", "--help"},
		{"--dir", dir, "--", "status"}, {"--dir", dir, "status", "--", "--help"}, {"--dir", dir, "todo", "--", "--help"},
		{"--dir", dir, "todo"}, {"--dir", dir, "todo", "bogus"}, {"--dir", dir, "todo", "--bogus"}, {"--bogus"},
		{"--dir", dir, "status", "--bogus"}, {"--dir", dir, "status", "extra"}, {"--dir", dir, "status", "-x"},
		{"--generate-bash-completion"}, {"todo", "--generate-bash-completion"}, {"todo", "done", "--generate-bash-completion"},
		{"--dir", dir, "status", "--help=false"},
		{"completion", "bash"}, {"completion", "zsh"}, {"completion", "fish"},
	}
	var walk func(cs []*cli.Command, parent []string)
	walk = func(cs []*cli.Command, parent []string) {
		for _, c := range cs {
			path := append(append([]string(nil), parent...), c.Name)
			for _, form := range []string{"--help", "-h", "-help", "--h", "--help=true", "-h=true"} {
				lines = append(lines, append(append([]string(nil), path...), form))
			}
			lines = append(lines,
				append([]string{"help"}, path...),
				append([]string{"help"}, append(path, "--help")...),
				append([]string{"--help"}, path...),
				append(append([]string{"--dir", dir}, path...), "--help"),
				append(append(append([]string(nil), path...), "--help"), "an argument"),
				append(append([]string{"--dir", dir}, path...), "--bogus-flag"),
			)
			if len(path) > 1 {
				lines = append(lines, append([]string{path[0], "--help"}, path[1:]...))
			}
			walk(c.Subcommands, path)
		}
	}
	walk((&env{}).newApp().Commands, nil)
	for _, line := range lines {
		args := append([]string{"wf"}, line...)
		wantCode, wantOut, wantErr := runEagerly(args)
		code, out, errOut := runWF(line...)
		if code != wantCode || out != wantOut || errOut != wantErr {
			t.Errorf("wf %s: exit %d, stdout %q, stderr %q; with the help texts always built: exit %d, stdout %q, stderr %q",
				strings.Join(line, " "), code, out, errOut, wantCode, wantOut, wantErr)
		}
	}
}

func TestHelpMayPrint(t *testing.T) {
	app := (&env{}).newBareApp()
	for _, tc := range []struct {
		line []string
		want bool
	}{
		{nil, true},
		{[]string{"--dir", "x"}, true},
		{[]string{"--dir", "status"}, true}, // status is --dir's value: no command
		{[]string{"--dir=x", "status"}, false},
		{[]string{"--dir", "x", "status"}, false},
		{[]string{"status"}, false},
		{[]string{"todo", "done", "3"}, false},
		{[]string{"status", "--help"}, true},
		{[]string{"status", "-h=true"}, true},
		{[]string{"status", "---help"}, false}, // not a form the flag package parses
		{[]string{"status", "--helpful"}, false},
		{[]string{"todo", "add", "--", "--help"}, false},
		{[]string{"--", "status"}, true},
		{[]string{"help", "status"}, true},
		{[]string{"todo", "add", "help"}, true}, // erring on the side of yes
		{[]string{"nonexistent"}, true},
		{[]string{"--version"}, false},
		{[]string{"--version=false"}, true}, // wf --help, then
		{[]string{"--version", "--dir", "x"}, false},
		{[]string{"--version", "-h"}, true},
	} {
		if got := helpMayPrint(app, append([]string{"wf"}, tc.line...)); got != tc.want {
			t.Errorf("helpMayPrint(wf %s) = %v, want %v", strings.Join(tc.line, " "), got, tc.want)
		}
	}
}
