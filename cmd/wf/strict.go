package main

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
)

// This file holds what makes the command line strict: an unknown command
// or subcommand names the closest one, `wf help [CMD [SUB]]`,
// `wf version`, and the checks every command's flags and arguments pass
// before it runs (act calls checkInput).

// commandNames lists the visible names of cmds.
func commandNames(cmds []*cli.Command) []string {
	var out []string
	for _, c := range cmds {
		if !c.Hidden {
			out = append(out, c.Name)
		}
	}
	return out
}

// synonyms maps words agents guess for a subcommand to wf's word; a fresh
// map each call.
func synonyms() map[string]string {
	return map[string]string{
		"complete": "done", "completed": "done", "check": "done", "tick": "done", "finish": "done", "close": "done",
		"uncheck": "undo", "untick": "undo", "reopen": "undo",
		"delete": "rm", "remove": "rm", "del": "rm",
		"new": "add", "create": "add", "append": "add",
		"ls": "list", "show": "list",
		"change": "edit", "rename": "edit",
		"start": "next",
	}
}

// closest returns the name in names nearest to word: a known synonym, or
// the smallest edit distance (ties: the first). It returns "" when names
// is empty.
func closest(word string, names []string) string {
	w := strings.ToLower(word)
	if s, ok := synonyms()[w]; ok {
		for _, n := range names {
			if n == s {
				return n
			}
		}
	}
	best, bestD := "", -1
	for _, n := range names {
		if d := editDistance(w, n); bestD < 0 || d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, by rune.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// unknownCommand is the usage error for args[0], which names none of cmds
// under the command path parent ("" at the top); its hint is the command
// line with the closest match in its place.
func unknownCommand(cmds []*cli.Command, parent string, args []string) error {
	return unknownCommandIn("wf", cmds, parent, args)
}

// unknownCommandIn is unknownCommand for a command line that starts with
// lead ("wf", or "wf help").
func unknownCommandIn(lead string, cmds []*cli.Command, parent string, args []string) error {
	names := commandNames(cmds)
	where := "wf"
	if parent != "" {
		where = "wf " + parent
	}
	msg := fmt.Sprintf("unknown command %q for %s (it has %s)", args[0], where, strings.Join(names, ", "))
	if args[0] == "help" && parent != "" {
		return usagef("wf help "+parent, "%s", msg)
	}
	best := closest(args[0], names)
	if !closeEnough(args[0], best) {
		return usagef(strings.TrimSpace("wf help "+parent), "%s", msg)
	}
	line := []string{strings.TrimSpace(lead + " " + parent), best}
	for _, a := range args[1:] {
		line = append(line, verbs.QuoteArg(a))
	}
	hint := strings.Join(line, " ")
	if lead == "wf" {
		hint += "   (the closest match; wf help " + strings.TrimSpace(parent+" "+best) + " says what it does)"
	}
	return usagef(hint, "%s", msg)
}

// findCommand follows path down from cmds; it returns the command, or a
// usage error naming the first word that matches nothing.
func findCommand(cmds []*cli.Command, path []string) (*cli.Command, error) {
	var cur *cli.Command
	var done []string
	for _, name := range path {
		var next *cli.Command
		for _, c := range cmds {
			if c.HasName(name) {
				next = c
			}
		}
		if next == nil {
			if cur != nil && len(cmds) == 0 {
				return nil, usagef("wf help "+strings.Join(done, " "), "wf %s has no subcommands (got %q)", strings.Join(done, " "), name)
			}
			return nil, unknownCommandIn("wf help", cmds, strings.Join(done, " "), []string{name})
		}
		cur, cmds = next, next.Subcommands
		done = append(done, next.Name)
	}
	return cur, nil
}

// helpCmd is `wf help [CMD [SUB]]`: the same text as --help.
func (e *env) helpCmd() *cli.Command {
	return &cli.Command{
		Name:      "help",
		Usage:     "show the commands, one command's flags and subcommands, or a topic (wf help files)",
		ArgsUsage: "[COMMAND [SUBCOMMAND] | TOPIC]",
		Action: func(c *cli.Context) error {
			path := c.Args().Slice()
			if len(path) == 0 {
				return cli.ShowAppHelp(c)
			}
			if len(path) == 1 {
				if text, ok, err := topicText(path[0]); ok {
					if err != nil {
						return err
					}
					e.printf("%s", text)
					return nil
				}
				if c.App.Command(path[0]) == nil {
					return unknownHelpWord(c.App.Commands, path[0])
				}
			}
			if _, err := findCommand(c.App.Commands, path); err != nil {
				return err
			}
			if path[0] == "help" {
				return cli.ShowCommandHelp(c, "help")
			}
			return e.newApp().Run(append(append([]string{"wf"}, path...), "--help"))
		},
	}
}

// versionCmd is `wf version`, the same as `wf --version`.
func (e *env) versionCmd() *cli.Command {
	return &cli.Command{
		Name:      "version",
		Usage:     "print wf's module version and VCS revision",
		ArgsUsage: " ",
		Flags:     []cli.Flag{jsonFlag()},
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 0, 0, "no arguments"); err != nil {
				return err
			}
			return e.printVersion(c.Bool("json"))
		},
	}
}

// VersionInfo is what `wf version` reports, from the binary's build
// information.
type VersionInfo struct {
	Schema   int    `json:"schema"`
	Module   string `json:"module"`
	Version  string `json:"version"`            // "(devel)" when built from a checkout
	Revision string `json:"revision,omitempty"` // the VCS revision, when the build recorded it
	Time     string `json:"time,omitempty"`     // the revision's commit time
	Modified bool   `json:"modified"`           // the checkout had uncommitted changes
	Go       string `json:"go"`
}

// versionInfo reads the build information.
func versionInfo() VersionInfo {
	v := VersionInfo{Schema: workspace.SchemaVersion, Module: "github.com/wf-tool/wf", Version: "(unknown)"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	v.Go = bi.GoVersion
	if bi.Main.Path != "" {
		v.Module = bi.Main.Path
	}
	if bi.Main.Version != "" {
		v.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

func (e *env) printVersion(asJSON bool) error {
	v := versionInfo()
	if asJSON {
		return e.printJSON(v)
	}
	e.printf("wf %s", v.Version)
	if v.Revision != "" {
		e.printf(" (revision %s", v.Revision)
		if v.Time != "" {
			e.printf(", %s", v.Time)
		}
		if v.Modified {
			e.printf(", modified")
		}
		e.printf(")")
	} else {
		e.printf(" (no VCS revision recorded in this build)")
	}
	e.printf(" %s %s\n", v.Module, v.Go)
	return nil
}

// checkInput refuses, before a command runs, what urfave/cli would take
// silently: an empty positional argument or flag value (text is never
// empty), a count or budget below 1.
func checkInput(c *cli.Context) error {
	name := cmdPath(c)
	for i, a := range c.Args().Slice() {
		if strings.TrimSpace(a) == "" {
			return usagef("wf help "+name, "argument %d of wf %s is empty", i+1, name)
		}
	}
	for _, f := range c.Command.Flags {
		fname := f.Names()[0]
		if !c.IsSet(fname) {
			continue
		}
		switch f := f.(type) {
		case *cli.StringFlag:
			if strings.TrimSpace(c.String(fname)) == "" {
				return usagef("wf help "+name, "--%s is empty", fname)
			}
		case *cli.GenericFlag:
			if m, ok := f.Value.(*multiFlag); ok {
				for _, v := range m.vals {
					if strings.TrimSpace(v) == "" {
						return usagef("wf help "+name, "--%s is empty", fname)
					}
				}
			}
		case *cli.IntFlag:
			if n := c.Int(fname); n < 1 {
				return usagef("wf help "+name, "--%s must be at least 1 (got %d)", fname, n)
			}
		}
	}
	return nil
}
