package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
	"github.com/wf-tool/wf/docs"
)

// This file holds what a newcomer reads: the categories and examples of
// `wf --help` and of every command's help, the help topics (`wf help
// files`, printed from the embedded docs/ pages), the suggestion for an
// unknown flag, and `wf completion bash|zsh|fish`.

// Categories of `wf --help`, in the order a newcomer meets them.
const (
	catStart      = "1 Start"
	catChecklist  = "2 The checklist (TODO.md), decisions and blockers"
	catCheckpoint = "3 Checkpoints and sessions"
	catLifecycle  = "4 Phases, signals and waits"
	catDelegate   = "5 Delegating to sub-agents"
)

// helpEntry is what wf adds to a command's help: its category in
// `wf --help` (top-level commands only) and the examples printed under
// EXAMPLES in its own help.
type helpEntry struct {
	category string
	examples []string
}

// helpCatalog maps a command path ("todo done") to its help entry; a
// fresh map each call. TestHelpExamples checks that every visible command
// has an entry with an example (or its own UsageText) and that every
// example parses with the current command line.
func helpCatalog() map[string]helpEntry {
	return map[string]helpEntry{
		"help":            {catStart, []string{"wf help todo done", "wf help files   # topics: " + strings.Join(helpTopicNames(), ", ")}},
		"version":         {catStart, []string{"wf version", "wf version --json"}},
		"completion":      {catStart, []string{"source <(wf completion bash)   # in ~/.bashrc; zsh: the same after compinit", "wf completion fish | source   # in ~/.config/fish/config.fish"}},
		"init":            {catStart, []string{`wf init --name "Search API" --phases Planning,Implementing,Testing`}},
		"setup":           {catStart, []string{"wf setup claude", "wf setup agents-md"}},
		"setup claude":    {"", []string{"wf setup claude", "wf setup claude --local   # .claude/settings.local.json, not committed", "wf setup claude --mcp   # .mcp.json: the MCP server wf mcp instead of the hook"}},
		"setup agents-md": {"", []string{"wf setup agents-md"}},
		"setup codex":     {"", []string{"wf setup codex", "wf setup codex --mcp   # .codex/config.toml, [mcp_servers.wf]"}},
		"setup gemini":    {"", []string{"wf setup gemini", "wf setup gemini --mcp   # .gemini/settings.json, mcpServers.wf"}},
		"mcp":             {catStart, []string{"wf mcp   # started by the agent host: wf setup claude --mcp", "wf mcp --tools all   # adds the spec and phase tools"}},
		"status":          {catStart, []string{"wf status", "wf status --json"}},
		"lint":            {catStart, []string{"wf lint", "wf lint --state other/workflow-state.md --todo other/TODO.md"}},

		"todo":      {catChecklist, []string{`wf todo add "API routes" --phase Implementing`, "wf todo next", "wf todo done 3"}},
		"todo list": {"", []string{"wf todo list", "wf todo list --open --phase Implementing"}},
		"todo add": {"", []string{`wf todo add "API routes" --phase Implementing`,
			`wf todo add "validate input" --under "API routes"   # a sub-item`}},
		"todo edit": {"", []string{`wf todo edit 2 "API routes: feedback only"`}},
		"todo rm":   {"", []string{"wf todo rm 4", "wf todo rm 2 --recursive   # with its sub-items"}},
		"todo done": {"", []string{"wf todo done 3", `wf todo done "API routes"   # a unique piece of the text`, "wf todo done 2 3   # all or none"}},
		"todo undo": {"", []string{"wf todo undo 3"}},
		"todo skip": {"", []string{`wf todo skip 3 --reason "the gateway does it"`}},
		"todo fail": {"", []string{`wf todo fail 3 --bucket test-fail --reason "TestRoutes: 404"`}},
		"todo next": {"", []string{"wf todo next"}},
		"decide":    {catChecklist, []string{`wf decide "Chose SQLite over Postgres: simpler, enough for our scale"`}},
		"block":     {catChecklist, []string{`wf block "CI is red on main"`}},
		"unblock":   {catChecklist, []string{"wf unblock 1"}},

		"checkpoint": {catCheckpoint, []string{`wf checkpoint -m "API routes done" --decision "Validate in middleware" --next "rate limits"`,
			"wf checkpoint --stdin < notes.md   # a Markdown body: its sections fill the file's"}},
		"log":       {catCheckpoint, []string{"wf log", "wf log -n 5 --json"}},
		"show":      {catCheckpoint, []string{"wf show latest", "wf show 20260222-1130"}},
		"recover":   {catCheckpoint, []string{`wf recover 20260222-1130 --why "the cache approach failed"`}},
		"resume":    {catCheckpoint, []string{"wf resume", "wf resume --budget 800", "wf resume --full"}},
		"heartbeat": {catCheckpoint, []string{`wf heartbeat --note "running the integration tests"`}},
		"watch":     {catCheckpoint, []string{"wf watch", "wf watch --poll --json"}},

		"phase":          {catLifecycle, []string{"wf phase start Planning", "wf phase complete"}},
		"phase start":    {"", []string{"wf phase start Implementing"}},
		"phase complete": {"", []string{"wf phase complete", `wf phase complete Testing --force --why "covered by the staging run"`}},
		"phase reopen":   {"", []string{`wf phase reopen Testing --why "a regression in the routes"`}},
		"phase add":      {"", []string{"wf phase add Review --review", "wf phase add Migrate --once"}},
		"pause":          {catLifecycle, []string{`wf pause --reason "lunch"`}},
		"continue":       {catLifecycle, []string{"wf continue"}},
		"stop":           {catLifecycle, []string{`wf stop --reason "superseded by the v2 plan"`}},
		"mode":           {catLifecycle, []string{"wf mode manual", "wf mode auto"}},
		"wait":           {catLifecycle, []string{`wf wait approval "deploy to production"`, "wf wait until 2026-12-01T09:00Z"}},
		"wait approval":  {"", []string{`wf wait approval "deploy to production"`}},
		"wait until":     {"", []string{"wf wait until 2026-12-01T09:00Z"}},
		"wait file":      {"", []string{"wf wait file specs/api.result.md"}},
		"wait signal":    {"", []string{"wf wait signal ci-green"}},
		"wait command":   {"", []string{`wf wait command "curl -fs https://staging.example/health" --every 5m`}},
		"approve":        {catLifecycle, []string{`wf approve --note "looks good"`, "wf approve w2"}},
		"reject":         {catLifecycle, []string{`wf reject --reason "the migration drops a column" --then retry`}},
		"signal":         {catLifecycle, []string{"wf signal ci-green"}},
		"check":          {catLifecycle, []string{"wf check   # from cron or CI: exit 0 when a wait woke, 7 when none did"}},
		"stats":          {catLifecycle, []string{"wf stats", "wf stats --since 24h --json"}},
		"effect":         {catLifecycle, []string{`wf effect "deployed v1.2" --key deploy-v1.2`, "wf effect check deploy-v1.2"}},

		"spec":           {catDelegate, []string{`wf spec new api --goal "rate limits" --modify "src/limit.go (new)" --item 3`, "wf spec delegate api --worktree"}},
		"spec new":       {"", []string{`wf spec new api --goal "rate limits per key" --read src/api.go --modify "src/limit.go (new)" --item 3`}},
		"spec check":     {"", []string{"wf spec check", "wf spec check api"}},
		"spec list":      {"", []string{"wf spec list"}},
		"spec show":      {"", []string{"wf spec show api"}},
		"spec prompt":    {"", []string{"wf spec prompt api"}},
		"spec result":    {"", []string{"wf spec result api < result.md", "wf spec result api --file result.md"}},
		"spec delegate":  {"", []string{"wf spec delegate api --agent s1 --worktree"}},
		"spec verify":    {"", []string{"wf spec verify api"}},
		"spec integrate": {"", []string{"wf spec integrate api   # after git merge wf/spec/api", "wf spec integrate --order"}},
		"spec redo":      {"", []string{`wf spec redo api --why "keep the old limits for internal keys"`}},
	}
}

// categoryExamples is the example `wf --help` prints under each category.
func categoryExamples() map[string]string {
	return map[string]string{
		catStart:      `wf init --name "Search API" --phases Planning,Implementing,Testing`,
		catChecklist:  `wf todo add "API routes" --phase Implementing && wf todo next`,
		catCheckpoint: `wf checkpoint -m "API routes done"; later, in a fresh session: wf resume`,
		catLifecycle:  `wf wait approval "deploy to production"; then a person: wf approve`,
		catDelegate:   `wf spec new api --goal "rate limits" --item 3 && wf spec delegate api --worktree`,
	}
}

// appHelpTemplate is `wf --help`: urfave/cli's AppHelpTemplate with the
// commands by category, each category with its example (ExtraInfo holds
// them), and the help topics.
const appHelpTemplate = `NAME:
   {{template "helpNameTemplate" .}}

USAGE:
   {{.HelpName}} [global options] command [command options] [arguments...]
   {{.HelpName}} help COMMAND [SUBCOMMAND]   the same as {{.HelpName}} COMMAND [SUBCOMMAND] --help
   {{.HelpName}} help TOPIC                  a page of the reference (HELP TOPICS below)

COMMANDS:{{$ex := ExtraInfo}}{{range .VisibleCategories}}{{if .Name}}
   {{.Name}}:{{range .VisibleCommands}}
     {{join .Names ", "}}{{"\t"}}{{.Usage}}{{end}}
     for example: {{index $ex .Name}}{{else}}{{template "visibleCommandTemplate" .}}{{end}}
{{end}}
GLOBAL OPTIONS:{{template "visibleFlagTemplate" .}}

HELP TOPICS:
` + "{{index ExtraInfo \"topics\"}}" + `
Exit codes: wf help exit-codes. Item numbers are those of wf todo list.
`

// examplesSection is the EXAMPLES part of a command's help, as template
// text: each example a quoted string constant, so nothing in it is read
// as template syntax.
func examplesSection(examples []string) string {
	if len(examples) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\nEXAMPLES:\n")
	for _, x := range examples {
		b.WriteString("   {{" + strconv.Quote(x) + "}}\n")
	}
	return b.String()
}

// addHelpFlags puts the help flag at the top (urfave/cli adds it only
// when the app has no command named help) and on every command (so that
// reorderArgs knows it as the command's own).
func addHelpFlags(app *cli.App) {
	app.Flags = append(app.Flags, cli.HelpFlag)
	var walk func(cmds []*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, c := range cmds {
			if !hasFlagValue(c.Flags, cli.HelpFlag) {
				c.Flags = append(c.Flags, cli.HelpFlag)
			}
			walk(c.Subcommands)
		}
	}
	walk(app.Commands)
}

// decorateHelp gives app and its commands their help texts: the
// categories and examples of helpCatalog, and the template of `wf --help`
// with its help topics. Only a run that may print a help text needs them
// (helpMayPrint): they cost more than the rest of the command tree.
func decorateHelp(app *cli.App) {
	catalog := helpCatalog()
	app.CustomAppHelpTemplate = appHelpTemplate
	app.ExtraInfo = func() map[string]string {
		m := categoryExamples()
		m["topics"] = topicList()
		return m
	}
	// The category's number is for ordering wf --help only.
	const category = "{{if .Category}}\n\nCATEGORY:\n   {{.Category}}{{end}}"
	commandBase := strings.Replace(cli.CommandHelpTemplate, category, "", 1)
	subcommandBase := strings.Replace(cli.SubcommandHelpTemplate, category, "", 1)
	var walk func(cmds []*cli.Command, parent string)
	walk = func(cmds []*cli.Command, parent string) {
		for _, c := range cmds {
			path := strings.TrimSpace(parent + " " + c.Name)
			entry := catalog[path]
			if parent == "" && c.Category == "" {
				c.Category = entry.category
			}
			if c.CustomHelpTemplate == "" {
				base := commandBase
				if len(c.Subcommands) > 0 {
					base = subcommandBase
				}
				c.CustomHelpTemplate = base + examplesSection(entry.examples)
			}
			walk(c.Subcommands, path)
		}
	}
	walk(app.Commands, "")
}

// hasFlagValue reports whether flags holds f itself.
func hasFlagValue(flags []cli.Flag, f cli.Flag) bool {
	for _, x := range flags {
		if x == f {
			return true
		}
	}
	return false
}

// helpTopic is a page `wf help TOPIC` prints: a docs/ page, or one
// section of it (from its heading to the next heading of the same or a
// higher level).
type helpTopic struct {
	page, section, about string
}

// helpTopics maps a topic name to its page; a fresh map each call.
func helpTopics() map[string]helpTopic {
	return map[string]helpTopic{
		"files":      {"files.md", "", "the state files' formats: workflow-state.md, TODO.md, checkpoints, specs, runtime files"},
		"settings":   {"files.md", "### Settings", "the settings under ## Settings in workflow-state.md"},
		"exit-codes": {"exit-codes.md", "", "what each exit code means, and the usage errors"},
		"git":        {"git.md", "", "how a checkpoint commit matches git's: hooks, signing, config, submodules"},
		"specs":      {"specs.md", "", "delegating to sub-agents with wf spec"},
		"json":       {"json.md", "", "the --json documents"},
	}
}

// topicList is the HELP TOPICS section of `wf --help`: one line per
// topic, its name and what it is about, aligned.
func topicList() string {
	topics := helpTopics()
	width := 0
	for _, n := range helpTopicNames() {
		width = max(width, len(n))
	}
	var b strings.Builder
	for _, n := range helpTopicNames() {
		fmt.Fprintf(&b, "   %-*s  %s (docs/%s)\n", width, n, topics[n].about, topics[n].page)
	}
	return b.String()
}

// helpTopicNames lists the topic names, sorted.
func helpTopicNames() []string {
	var out []string
	for k := range helpTopics() {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// topicText returns the text of topic name, and whether there is such a
// topic. A topic whose page or section is missing is an error: the test
// of every topic catches it before a user does.
func topicText(name string) (string, bool, error) {
	t, ok := helpTopics()[name]
	if !ok {
		return "", false, nil
	}
	page, err := docs.Page(t.page)
	if err != nil {
		return "", true, err
	}
	if t.section == "" {
		return string(page), true, nil
	}
	sec, ok := markdownSection(page, t.section)
	if !ok {
		return "", true, fmt.Errorf("docs/%s has no section %q", t.page, t.section)
	}
	return sec, true, nil
}

// markdownSection returns the lines of page from the heading line (given
// whole, "### Settings") to the next heading of the same or a higher
// level, skipping lines inside code fences; ok is false when there is no
// such heading.
func markdownSection(page []byte, heading string) (string, bool) {
	level := len(heading) - len(strings.TrimLeft(heading, "#"))
	var out []string
	in, fence := false, false
	for _, line := range strings.SplitAfter(string(page), "\n") {
		trimmed := strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(trimmed, "```") {
			fence = !fence
		}
		if !fence && strings.HasPrefix(trimmed, "#") {
			l := len(trimmed) - len(strings.TrimLeft(trimmed, "#"))
			if in && l <= level {
				break
			}
			if trimmed == heading {
				in = true
			}
		}
		if in {
			out = append(out, line)
		}
	}
	if !in {
		return "", false
	}
	return strings.TrimRight(strings.Join(out, ""), "\n") + "\n", true
}

// unknownFlag is the usage error for a flag-like word a of the command
// line args (its index i) that is neither a flag of the command path nor
// a global flag: the hint is the command line with the closest flag in
// its place, or the command's help when no flag is close.
func unknownFlag(args []string, i int, path string, flags, global []cli.Flag) error {
	a := args[i]
	name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
	where := strings.TrimSpace("wf " + path)
	help := strings.TrimSpace("wf help " + path)
	if path == "" {
		help = "wf --help"
	}
	msg := fmt.Sprintf("unknown flag %s for %s", a, where)
	best := closestFlag(name, append(append([]cli.Flag(nil), flags...), global...))
	if best == "" {
		return usagef(help+"   (lists the flags of "+where+"; text that starts with \"-\" goes after \"--\")", "%s", msg)
	}
	fixed := "--" + best
	if len(best) == 1 {
		fixed = "-" + best
	}
	if hasValue {
		fixed += "=" + value
	}
	line := []string{"wf"}
	for j, x := range args[1:] {
		if j+1 == i {
			line = append(line, fixed)
			continue
		}
		line = append(line, quoteWord(x))
	}
	return usagef(strings.Join(line, " ")+"   (the closest flag; "+help+" lists them)", "%s", msg)
}

// quoteWord quotes a word of a command line for the shell when it needs
// it; flags stay as typed.
func quoteWord(x string) string {
	if strings.HasPrefix(x, "-") && !strings.ContainsAny(x, " \t'\"") {
		return x
	}
	return verbs.QuoteArg(x)
}

// closestFlag returns the name of the flag in flags nearest to name by
// edit distance, if it is close enough to be what was meant (at most a
// third of the name's length, at least 1, apart; or a prefix of three
// letters or more); "" otherwise. Single-letter names are never guessed.
func closestFlag(name string, flags []cli.Flag) string {
	if len(name) < 2 {
		return ""
	}
	best, bestD := "", -1
	for _, f := range flags {
		for _, n := range f.Names() {
			if len(n) < 2 || n == "generate-bash-completion" {
				continue
			}
			d := editDistance(strings.ToLower(name), n)
			if len(name) >= 3 && strings.HasPrefix(n, strings.ToLower(name)) {
				d = min(d, 1)
			}
			if bestD < 0 || d < bestD {
				best, bestD = n, d
			}
		}
	}
	if bestD < 0 || bestD > max(1, len(name)/3) {
		return ""
	}
	return best
}

// completionCmd is `wf completion bash|zsh|fish`: it prints a script the
// shell loads. Each script asks wf itself for the words that can follow
// (urfave/cli's --generate-bash-completion), so the completions are the
// commands and flags of the wf that runs, never a stale list; fish's is
// urfave/cli's own static script (App.ToFishCompletion).
func (e *env) completionCmd() *cli.Command {
	return &cli.Command{
		Name:            "completion",
		HideHelpCommand: true,
		Usage:           "print the shell completion script for bash, zsh or fish",
		ArgsUsage:       "bash|zsh|fish",
		Description: "bash: add  source <(wf completion bash)  to ~/.bashrc\n" +
			"zsh:  add  source <(wf completion zsh)  to ~/.zshrc, after compinit\n" +
			"fish: add  wf completion fish | source  to ~/.config/fish/config.fish\n" +
			"Open a new shell; then wf <TAB> lists the commands and wf todo --<TAB> a command's flags.",
		Action: func(c *cli.Context) error {
			if err := needArgs(c, 1, 1, "one shell: bash, zsh or fish"); err != nil {
				return err
			}
			switch shell := c.Args().First(); shell {
			case "bash":
				e.printf("%s", bashCompletion)
			case "zsh":
				e.printf("%s", zshCompletion)
			case "fish":
				script, err := c.App.ToFishCompletion()
				if err != nil {
					return err
				}
				e.printf("%s", script)
			default:
				best := closest(shell, []string{"bash", "zsh", "fish"})
				return usagef("wf completion "+best, "wf completion knows bash, zsh and fish (got %q)", shell)
			}
			return nil
		},
	}
}

// bashCompletion is urfave/cli v2's autocomplete/bash_autocomplete for
// wf, changed in three ways: it is printed for `source <(…)` rather than
// named after its file; it runs the words typed as an argument list
// instead of through eval (so a TAB never runs a $(…) typed on the line);
// and it adds a space after a completed word.
const bashCompletion = `# bash completion for wf: add this line to ~/.bashrc
#   source <(wf completion bash)
_wf_bash_autocomplete() {
  local cur words cword opts
  COMPREPLY=()
  if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
    _get_comp_words_by_ref -n "=:" cur words cword
  else
    cur="${COMP_WORDS[COMP_CWORD]}"
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  fi
  local -a request=("${words[@]:0:cword}")
  if [[ "${request[0]}" == "~/"* ]]; then
    request[0]="$HOME/${request[0]#\~/}"
  fi
  if [[ "$cur" == "-"* ]]; then
    request+=("$cur")
  fi
  opts=$("${request[@]}" --generate-bash-completion 2>/dev/null)
  COMPREPLY=($(compgen -W "${opts}" -- "${cur}"))
  return 0
}
complete -o bashdefault -o default -F _wf_bash_autocomplete wf
`

// zshCompletion is urfave/cli v2's autocomplete/zsh_autocomplete for wf,
// printed for `source <(…)` after compinit.
const zshCompletion = `#compdef wf
# zsh completion for wf: add this line to ~/.zshrc, after compinit
#   source <(wf completion zsh)
_wf_zsh_autocomplete() {
  local -a opts
  local cur
  cur=${words[-1]}
  if [[ "$cur" == "-"* ]]; then
    opts=("${(@f)$(${words[@]:0:#words[@]-1} ${cur} --generate-bash-completion 2>/dev/null)}")
  else
    opts=("${(@f)$(${words[@]:0:#words[@]-1} --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ "${opts[1]}" != "" ]]; then
    _describe 'values' opts
  else
    _files
  fi
}
compdef _wf_zsh_autocomplete wf
`

// completionFlag is the word urfave/cli's completion adds at the end of
// a command line to ask for the words that may follow.
const completionFlag = "--generate-bash-completion"

// trimCompletion splits off the completion request at the end of args.
func trimCompletion(args []string) ([]string, bool) {
	if len(args) > 1 && args[len(args)-1] == completionFlag {
		return args[:len(args)-1], true
	}
	return args, false
}

// isHelpFlag reports whether a is urfave/cli's help flag.
func isHelpFlag(a string) bool { return a == "--help" || a == "-h" }

// helpArgs rewrites `wf help [PATH] --help` (args[1] is "help"): the help
// flag goes, so that `wf help todo -h` is `wf help todo`, and
// `wf help --help` is `wf help help` (urfave/cli would show the app's
// help for it, taking our help command for its own).
func helpArgs(args []string) []string {
	out := []string{}
	asked := false
	for _, a := range args {
		if a == "--" {
			break
		}
		if isHelpFlag(a) {
			asked = true
			continue
		}
		out = append(out, a)
	}
	if !asked {
		return args
	}
	if len(out) == 2 {
		out = append(out, "help")
	}
	return out
}

// closeEnough reports whether best, the closest name to word, is close
// enough to offer as what was meant: a synonym agents guess, or at most
// max(2, a third of word's length) edits away. "wf nonexist" is better
// answered with the list of commands than with "wf init".
func closeEnough(word, best string) bool {
	if best == "" {
		return false
	}
	w := strings.ToLower(word)
	if s, ok := synonyms()[w]; ok && s == best {
		return true
	}
	return editDistance(w, best) <= max(2, len([]rune(w))/3)
}

// unknownHelpWord is the usage error of `wf help WORD` when WORD names
// neither a command nor a topic: the hint is the closest of both.
func unknownHelpWord(cmds []*cli.Command, word string) error {
	names := commandNames(cmds)
	topics := helpTopicNames()
	msg := fmt.Sprintf("unknown command %q for wf (it has %s; help topics: %s)", word, strings.Join(names, ", "), strings.Join(topics, ", "))
	best := closest(word, append(append([]string(nil), names...), topics...))
	if !closeEnough(word, best) {
		return usagef("wf help", "%s", msg)
	}
	return usagef("wf help "+best, "%s", msg)
}
