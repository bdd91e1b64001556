package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
	"github.com/wf-tool/wf/docs"
)

// update makes the golden-file tests rewrite their files from the
// current output: go test ./cmd/wf -run 'TestHelpGolden|TestReadmeTour' -update
var update = flag.Bool("update", false, "rewrite testdata/help/*.txt and the README tour from the current output")

// helpDir holds one golden file per command's help.
const helpDir = "testdata/help"

// visibleCommands lists every command path that help shows, parents
// before their subcommands ("todo", "todo add", …).
func visibleCommands(app *cli.App) []commandPath {
	var out []commandPath
	var walk func(cs []*cli.Command, parent string)
	walk = func(cs []*cli.Command, parent string) {
		for _, c := range cs {
			if c.Hidden {
				continue
			}
			name := strings.TrimSpace(parent + " " + c.Name)
			out = append(out, commandPath{name, c})
			walk(c.Subcommands, name)
		}
	}
	walk(app.Commands, "")
	return out
}

// runWF runs wf in-process and returns its exit code, stdout and stderr.
func runWF(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"wf"}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestHelpGolden compares `wf --help` and every command's --help with
// testdata/help/*.txt, so that a change in help is a visible diff (-update
// rewrites them), and checks that `wf help CMD` prints the same as
// `wf CMD --help` and that no golden file is left for a command that is
// gone.
func TestHelpGolden(t *testing.T) {
	want := map[string]bool{}
	check := func(file string, args ...string) {
		t.Helper()
		want[file] = true
		code, out, errOut := runWF(args...)
		if code != 0 || errOut != "" {
			t.Errorf("wf %s: exit %d, stderr %q", strings.Join(args, " "), code, errOut)
			return
		}
		path := filepath.Join(helpDir, file)
		if *update {
			if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		golden, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%v (run go test ./cmd/wf -run TestHelpGolden -update)", err)
			return
		}
		if string(golden) != out {
			t.Errorf("wf %s differs from %s (run go test ./cmd/wf -run TestHelpGolden -update and review the diff):\n%s",
				strings.Join(args, " "), path, lineDiff(string(golden), out))
		}
	}
	if *update {
		if err := os.MkdirAll(helpDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	check("wf.txt", "--help")
	_, top, _ := runWF("help")
	if _, flagged, _ := runWF("-h"); top != flagged {
		t.Errorf("wf help and wf -h differ:\n%s", lineDiff(flagged, top))
	}
	for _, c := range visibleCommands((&env{}).newApp()) {
		words := strings.Fields(c.name)
		check(strings.Join(words, "_")+".txt", append(words, "--help")...)
		_, viaHelp, _ := runWF(append([]string{"help"}, words...)...)
		_, viaFlag, _ := runWF(append(words, "--help")...)
		if viaHelp != viaFlag {
			t.Errorf("wf help %s and wf %s --help differ:\n%s", c.name, c.name, lineDiff(viaFlag, viaHelp))
		}
	}
	entries, err := os.ReadDir(helpDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] {
			if *update {
				_ = os.Remove(filepath.Join(helpDir, e.Name()))
				continue
			}
			t.Errorf("%s/%s is for no command (run -update to remove it)", helpDir, e.Name())
		}
	}
}

// lineDiff shows the lines of got that want does not have and the other
// way round, enough to see what changed in a help text.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  want " + a + "\n  got  " + c + "\n")
		}
	}
	return b.String()
}

// TestHelpExamples checks the help catalog: every visible command has at
// least one example (in helpCatalog, or its own UsageText), every
// top-level command a category, every catalog entry names a command, and
// every example parses with the current command line.
func TestHelpExamples(t *testing.T) {
	app := (&env{}).newApp()
	catalog := helpCatalog()
	seen := map[string]bool{}
	for _, c := range visibleCommands(app) {
		seen[c.name] = true
		entry := catalog[c.name]
		if len(entry.examples) == 0 && c.cmd.UsageText == "" {
			t.Errorf("wf %s has no example: add one to helpCatalog (cmd/wf/help_cmds.go)", c.name)
		}
		if !strings.Contains(c.name, " ") && c.cmd.Category == "" {
			t.Errorf("wf %s has no category in wf --help: add it to helpCatalog", c.name)
		}
		for _, x := range entry.examples {
			for _, line := range commandLines(x) {
				if err := parseCommandLine(app, line); err != nil {
					t.Errorf("example of wf %s: %q: %v", c.name, x, err)
				}
			}
		}
		_, out, _ := runWF(append(strings.Fields(c.name), "--help")...)
		if len(entry.examples) > 0 && !strings.Contains(out, "\nEXAMPLES:\n   "+entry.examples[0]+"\n") {
			t.Errorf("wf %s --help does not print its examples:\n%s", c.name, out)
		}
	}
	for name := range catalog {
		if !seen[name] {
			t.Errorf("helpCatalog has %q, which is no command", name)
		}
	}
	for cat, x := range categoryExamples() {
		for _, line := range commandLines(x) {
			if err := parseCommandLine(app, line); err != nil {
				t.Errorf("example of category %s: %q: %v", cat, x, err)
			}
		}
	}
}

// TestHelpTopics checks `wf help TOPIC`: each prints its page of docs/
// (or its section) byte for byte, no topic shadows a command, and an
// unknown word is still a usage error naming the closest command.
func TestHelpTopics(t *testing.T) {
	app := (&env{}).newApp()
	for name, topic := range helpTopics() {
		if app.Command(name) != nil {
			t.Errorf("topic %s has the name of a command", name)
		}
		code, out, errOut := runWF("help", name)
		if code != 0 || errOut != "" {
			t.Errorf("wf help %s: exit %d, stderr %q", name, code, errOut)
			continue
		}
		page, err := os.ReadFile(filepath.Join("../../docs", topic.page))
		if err != nil {
			t.Fatal(err)
		}
		if topic.section == "" {
			if out != string(page) {
				t.Errorf("wf help %s is not docs/%s", name, topic.page)
			}
			continue
		}
		if !strings.HasPrefix(out, topic.section+"\n") || !strings.Contains(string(page), out) {
			t.Errorf("wf help %s is not the section %q of docs/%s:\n%s", name, topic.section, topic.page, out)
		}
	}
	_, out, _ := runWF("help", "settings")
	for _, key := range []string{"`commit`", "`resume-budget`", "`retry`", "`watch`"} {
		if !strings.Contains(out, key) {
			t.Errorf("wf help settings does not name %s:\n%s", key, out)
		}
	}
	if strings.Contains(out, "## TODO.md") {
		t.Errorf("wf help settings runs past its section:\n%s", out)
	}
	for _, p := range docs.Pages() {
		if _, err := os.Stat(filepath.Join("../../docs", p)); err != nil {
			t.Errorf("embedded page %s: %v", p, err)
		}
	}
	for word, hint := range map[string]string{"setings": "wf help settings\n", "exit-code": "wf help exit-codes\n", "chekpoint": "wf help checkpoint\n", "zzzzzzzz": "wf help\n"} {
		code, out, errOut := runWF("help", word)
		if code != 2 || out != "" || !strings.Contains(errOut, "wf: error: unknown command \""+word+"\" for wf (it has ") || !strings.Contains(errOut, "; help topics: exit-codes, files, git, json, settings, specs)") || !strings.HasSuffix(errOut, "wf: hint: "+hint) {
			t.Errorf("wf help %s: exit %d, stdout %q, stderr %q; want hint %q", word, code, out, errOut, hint)
		}
	}
	// A far word gets the list, not a guess.
	code, _, errOut := runWF("nonexist")
	if code != 2 || !strings.HasSuffix(errOut, "wf: hint: wf help\n") {
		t.Errorf("wf nonexist: exit %d, %q", code, errOut)
	}
}

// TestMarkdownSection pins the section cut: to the next heading of the
// same or a higher level, headings inside code fences ignored.
func TestMarkdownSection(t *testing.T) {
	page := "# T\n\n## A\n\n### S\nx\n```\n## not a heading\n```\n#### deeper\ny\n### Next\nz\n"
	got, ok := markdownSection([]byte(page), "### S")
	want := "### S\nx\n```\n## not a heading\n```\n#### deeper\ny\n"
	if !ok || got != want {
		t.Errorf("markdownSection = %q, %v; want %q", got, ok, want)
	}
	if _, ok := markdownSection([]byte(page), "### None"); ok {
		t.Errorf("markdownSection found a missing heading")
	}
}

// TestUnknownFlag checks the suggestion for a mistyped flag, at the top
// and in a command, with a value glued on, and none for a far one.
func TestUnknownFlag(t *testing.T) {
	cases := []struct {
		args []string
		hint string
	}{
		{[]string{"checkpoint", "--mesage", "x"}, "wf: hint: wf checkpoint --message x   (the closest flag; wf help checkpoint lists them)\n"},
		{[]string{"todo", "done", "3", "--chekpoint=abc"}, "wf: hint: wf todo done 3 --checkpoint=abc   (the closest flag"},
		{[]string{"--verison"}, "wf: hint: wf --version   (the closest flag; wf --help lists them)\n"},
		{[]string{"todo", "add", "API", "--phse", "Testing"}, "wf: hint: wf todo add API --phase Testing "},
		{[]string{"resume", "--ful"}, "wf: hint: wf resume --full "},
		{[]string{"todo", "add", "-x y"}, "wf: hint: wf help todo add   (lists the flags of wf todo add; text that starts with \"-\" goes after \"--\")\n"},
		{[]string{"status", "--zzzzzz"}, "wf: hint: wf help status   (lists the flags"},
	}
	for _, c := range cases {
		code, out, errOut := runWF(c.args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, c.hint) {
			t.Errorf("wf %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", strings.Join(c.args, " "), code, out, errOut, c.hint)
		}
	}
}

// TestHelpFlagRuns checks that --help and -h work at the top (urfave/cli
// adds no help flag to an app with its own help command) and after a
// command's arguments.
func TestHelpFlagRuns(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"todo", "done", "3", "--help"}, {"todo", "-h"}} {
		code, out, errOut := runWF(args...)
		if code != 0 || errOut != "" || !strings.HasPrefix(out, "NAME:\n") {
			t.Errorf("wf %s: exit %d, stderr %q, stdout %.80q", strings.Join(args, " "), code, errOut, out)
		}
	}
	_, out, _ := runWF("todo", "done", "3", "--help")
	if !strings.HasPrefix(out, "NAME:\n   wf todo done - ") {
		t.Errorf("wf todo done 3 --help shows another command's help:\n%s", out)
	}
}

// commandLines returns the wf command lines in one line of shell text:
// a comment is cut off, and the line is split at &&, ||, ;, | and
// redirections; each part that starts with "wf" is returned as words.
func commandLines(text string) [][]string {
	var out [][]string
	var words []string
	var cur strings.Builder
	inWord := false
	skipNext := false // the word after a redirection is a file
	flush := func() {
		if inWord {
			if !skipNext {
				words = append(words, cur.String())
			}
			skipNext = false
			cur.Reset()
			inWord = false
		}
	}
	end := func() {
		flush()
		if len(words) > 0 && words[0] == "wf" {
			out = append(out, words)
		}
		words = nil
	}
	rs := []rune(text)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\'' || r == '"':
			inWord = true
			j := i + 1
			for j < len(rs) && rs[j] != r {
				if r == '"' && rs[j] == '\\' && j+1 < len(rs) {
					j++
				}
				cur.WriteRune(rs[j])
				j++
			}
			i = j
		case r == ' ' || r == '\t':
			flush()
		case r == '#' && !inWord:
			end()
			return out
		case r == '&' || r == '|' || r == ';':
			end()
		case r == '<' || r == '>':
			flush()
			skipNext = true
		case r == '\\' && i+1 < len(rs):
			inWord = true
			i++
			cur.WriteRune(rs[i])
		default:
			inWord = true
			cur.WriteRune(r)
		}
	}
	end()
	return out
}

// parseCommandLine checks words ("wf", …) against the command line
// without running it: each word before the command's arguments names a
// command or subcommand, each flag is one of the command's or a global
// one, and a flag that takes a value has one. Text after "--" is not
// checked.
func parseCommandLine(app *cli.App, words []string) error {
	flags := app.Flags
	cmds := app.Commands
	path := []string{}
	leaf := false
	for i := 1; i < len(words); i++ {
		w := words[i]
		if w == "--" {
			return nil
		}
		if looksLikeFlag(w) {
			f := findFlag(flags, w)
			if f == nil {
				f = findFlag(app.Flags, w)
			}
			if f == nil {
				return unknownFlag(words, i, strings.Join(path, " "), flags, app.Flags)
			}
			if tv, ok := f.(interface{ TakesValue() bool }); ok && tv.TakesValue() && !strings.Contains(w, "=") {
				if _, optional := f.(*cli.GenericFlag); optional && strings.HasPrefix(w, "-S") {
					continue
				}
				if i+1 >= len(words) {
					return usagef("", "flag %s needs a value", w)
				}
				i++
			}
			continue
		}
		if leaf {
			continue
		}
		var next *cli.Command
		for _, c := range cmds {
			if c.HasName(w) {
				next = c
			}
		}
		if next == nil {
			if len(path) == 0 || len(cmds) > 0 {
				return unknownCommand(cmds, strings.Join(path, " "), words[i:])
			}
			leaf = true
			continue
		}
		path = append(path, next.Name)
		flags, cmds = next.Flags, next.Subcommands
		if len(cmds) == 0 {
			leaf = true
		}
	}
	if len(path) > 0 && len(cmds) > 0 && !leaf {
		return usagef("", "wf %s needs a subcommand", strings.Join(path, " "))
	}
	return nil
}

// TestCommandLines pins the splitting of shell text into wf command
// lines.
func TestCommandLines(t *testing.T) {
	got := commandLines(`wf spec verify api && git merge wf/spec/api && wf spec integrate api   # then
`)
	want := [][]string{{"wf", "spec", "verify", "api"}, {"wf", "spec", "integrate", "api"}}
	if !equalLines(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	got = commandLines(`wf spec result api < result.md`)
	want = [][]string{{"wf", "spec", "result", "api"}}
	if !equalLines(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	got = commandLines(`wf decide "a # b" 'c d' e\ f`)
	want = [][]string{{"wf", "decide", "a # b", "c d", "e f"}}
	if !equalLines(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	app := (&env{}).newApp()
	for _, bad := range []string{"wf todo complete 1", "wf todo add x --phaze P", "wf todo", "wf checkpoint -m", "wf nosuch"} {
		if err := parseCommandLine(app, commandLines(bad)[0]); err == nil {
			t.Errorf("%s parses", bad)
		}
	}
	for _, good := range []string{"wf todo add -- -1 --phase", "wf --dir x todo list --open", "wf checkpoint -S -m t", "wf help todo done", "wf help files"} {
		if err := parseCommandLine(app, commandLines(good)[0]); err != nil {
			t.Errorf("%s: %v", good, err)
		}
	}
}

func equalLines(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if strings.Join(a[i], "\x00") != strings.Join(b[i], "\x00") {
			return false
		}
	}
	return true
}

// TestDocsCommandsParse checks every wf command line in the code blocks
// of docs/*.md and README.md (lines that start with "wf " or "$ wf ",
// with their "\" continuations), and in their code spans (`wf …`), with
// parseCommandLine: the commands exist and so do their flags. Nothing is
// run. A code span may name a command group or a flag alone; the wrong
// command lines the docs show on purpose are listed in wrongOnPurpose.
func TestDocsCommandsParse(t *testing.T) {
	app := (&env{}).newApp()
	files, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../../README.md")
	sort.Strings(files)
	total := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, cl := range codeBlockCommands(string(data)) {
			for _, words := range commandLines(cl.text) {
				total++
				if err := parseCommandLine(app, words); err != nil {
					msg := err.Error()
					if h, ok := err.(interface{ Hint() string }); ok && h.Hint() != "" {
						msg += " (" + h.Hint() + ")"
					}
					t.Errorf("%s:%d: %s: %s", strings.TrimPrefix(f, "../../"), cl.line, strings.Join(words, " "), msg)
				}
			}
		}
	}
	if total < 50 {
		t.Errorf("found %d command lines in the docs: the scan is broken", total)
	}
	inline := 0
	wrong := wrongOnPurpose()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range inlineCommand.FindAllStringSubmatch(string(data), -1) {
			text := strings.Join(strings.Fields(optionalValue.ReplaceAllString(m[1], "")), " ")
			for _, words := range commandLines(text) {
				inline++
				err := parseCommandLine(app, words)
				line := strings.Join(words, " ")
				switch {
				case wrong[line]:
					if err == nil {
						t.Errorf("%s: %s is shown as a wrong command line, but it parses: take it out of wrongOnPurpose", strings.TrimPrefix(f, "../../"), line)
					}
				case err != nil && !nameOnly(err):
					t.Errorf("%s: `%s`: %v", strings.TrimPrefix(f, "../../"), line, err)
				}
			}
		}
	}
	if inline < 100 {
		t.Errorf("found %d inline command lines in the docs: the scan is broken", inline)
	}
}

// inlineCommand is a code span holding a wf command line; optionalValue
// is the "[=KEY]" of a flag whose value is optional.
var (
	inlineCommand = regexp.MustCompile("`(wf [^`]+)`")
	optionalValue = regexp.MustCompile(`\[=[A-Z]+\]`)
)

// wrongOnPurpose are the command lines the docs show as mistakes (in
// docs/exit-codes.md and the README's paragraph on the strict command
// line); each must keep failing to parse.
func wrongOnPurpose() map[string]bool {
	return map[string]bool{
		"wf todo complete 1":       true,
		"wf todo dne 1":            true,
		"wf setup nope":            true,
		"wf checkpoint --mesage x": true,
		"wf help --json":           true,
		"wf --version --json":      true,
	}
}

// nameOnly reports whether err only says that a code span names a
// command group or a flag without the rest of a command line (`wf spec`,
// `wf resume --budget`), as prose does.
func nameOnly(err error) bool {
	msg := err.Error()
	return strings.HasSuffix(msg, "needs a subcommand") || strings.HasSuffix(msg, "needs a value")
}

// docCommand is one command line found in a code block, with its line.
type docCommand struct {
	text string
	line int
}

// codeBlockCommands returns the lines inside fenced code blocks of a
// Markdown page that start with "wf " or "$ wf ", joined with the lines a
// trailing backslash continues.
func codeBlockCommands(page string) []docCommand {
	var out []docCommand
	fence := false
	lines := strings.Split(page, "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fence = !fence
			continue
		}
		if !fence {
			continue
		}
		text := strings.TrimPrefix(strings.TrimSpace(line), "$ ")
		if !strings.HasPrefix(text, "wf ") {
			continue
		}
		start := i + 1
		for strings.HasSuffix(text, "\\") && i+1 < len(lines) {
			i++
			text = strings.TrimSuffix(text, "\\") + " " + strings.TrimSpace(lines[i])
		}
		out = append(out, docCommand{text, start})
	}
	return out
}
