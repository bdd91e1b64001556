// Command demo runs the README's tour (package tour) with a wf binary on
// a scratch git repository and prints each command, ready to copy, with
// the ids this run made in place of the README's, then its output. It is
// what scripts/demo.sh runs:
//
//	demo -wf ./wf -readme README.md
//
// It stops at the first command whose exit code is not the README's, and
// notes (on stderr) where an output differs from the README's beyond
// ids, hashes and times. It leaves the scratch repository for you to look
// at and prints its path.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/wf-tool/wf/internal/tour"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	wfBin := fs.String("wf", "./wf", "the wf binary to run")
	readme := fs.String("readme", "README.md", "the README holding the tour")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "demo: "+format+"\n", a...)
		return 1
	}
	src, err := os.ReadFile(*readme)
	if err != nil {
		return fail("%v", err)
	}
	doc, err := tour.Parse(src)
	if err != nil {
		return fail("%v", err)
	}
	bin, err := filepath.Abs(*wfBin)
	if err != nil {
		return fail("%v", err)
	}
	root, err := os.MkdirTemp("", "wf-demo.")
	if err != nil {
		return fail("%v", err)
	}
	// The wf binary is found as "wf", as the README's commands name it.
	binDir := filepath.Join(root, "bin")
	repo := filepath.Join(root, "search-api")
	for _, d := range []string{binDir, repo} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fail("%v", err)
		}
	}
	if err := os.Symlink(bin, filepath.Join(binDir, "wf")); err != nil {
		return fail("%v", err)
	}
	env := append(os.Environ(), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	for _, c := range [][]string{
		{"git", "init", "-q", "-b", "main", "."},
		{"git", "config", "user.name", "wf demo"},
		{"git", "config", "user.email", "demo@example.invalid"},
	} {
		cmd := exec.Command(c[0], c[1:]...)
		cmd.Dir, cmd.Env = repo, env
		if out, err := cmd.CombinedOutput(); err != nil {
			return fail("%v: %v\n%s", c, err, out)
		}
	}
	r := &tour.Runner{Dir: repo, Env: env}
	for _, st := range doc.Steps {
		res, err := r.Run(st)
		if err != nil {
			return fail("README.md:%d: %v", st.Line, err)
		}
		for _, c := range st.Comments {
			fmt.Fprintf(stdout, "\n# %s", c)
		}
		fmt.Fprintf(stdout, "\n$ %s\n%s", res.Cmd, res.Out)
		if res.Exit != st.Exit {
			return fail("README.md:%d: %s exited with %d, the README says %d", st.Line, res.Cmd, res.Exit, st.Exit)
		}
		// The README shows the scratch folder as the reader's home.
		shown := strings.ReplaceAll(res.Out, root+string(filepath.Separator), "~/")
		if d := r.Bind.Match(st.Want, shown); d != "" {
			fmt.Fprintf(stderr, "demo: note: README.md:%d: the README shows another output (%s)\n", st.Line, d)
		}
	}
	fmt.Fprintf(stdout, "\nThe scratch repository is %s\n", repo)
	return 0
}
