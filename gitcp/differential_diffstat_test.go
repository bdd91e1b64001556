package gitcp

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// Recipes for the diffstat: the diff attribute, and enough changes in
// nested folders for the blobs to be read by several goroutines.
var _ = addRecipes(
	recipe{name: "diff attribute forces text or binary", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "diff.hex.binary", "true")
		gitConfig(t, dir, "diff.plain.binary", "false")
		gittest.Write(t, dir, ".gitattributes", "*.txt diff\n*.hex diff=hex\n*.plain diff=plain\n*.none diff=undefined\n")
		for _, n := range []string{"a.txt", "b.hex", "c.plain", "d.none", "e.other"} {
			gittest.Write(t, dir, n, "one\x00\ntwo\n")
			gittest.Write(t, dir, "text/"+n, "one\ntwo\n")
		}
	}},
	recipe{name: "diff driver names are case-sensitive", setup: func(t *testing.T, dir, home string) {
		// git matches diff=Upper with [diff "Upper"] only, never with
		// [diff "upper"] (git-config(1): subsections are case-sensitive).
		gitConfig(t, dir, "diff.Upper.binary", "true")
		gitConfig(t, dir, "diff.upper.binary", "false")
		gittest.Write(t, dir, ".gitattributes", "*.up diff=Upper\n*.low diff=upper\n*.mixed diff=UPPER\n")
		for _, n := range []string{"a.up", "b.low", "c.mixed"} {
			gittest.Write(t, dir, n, "one\x00\ntwo\n")
			gittest.Write(t, dir, "text/"+n, "one\ntwo\n")
		}
	}},
	recipe{name: "many changes across nested folders", setup: func(t *testing.T, dir, home string) {
		for i := range 40 {
			gittest.Write(t, dir, fmt.Sprintf("pkg/p%d/q%d/f%d.go", i%5, i%3, i), strings.Repeat("line\n", i+1))
		}
		gittest.Write(t, dir, "src/main.go", "package main\n\nfunc main() { println(1) }\n// more\n")
		gittest.Write(t, dir, "docs/guide.txt", "line one\n")
		mustRemove(t, dir, "src/util")
	}},
)

// TestDiffStatDifferential compares [Repo.DiffStat] with git on every
// recipe of [TestDifferential]: the work tree against the base commit
// (with git: "git add -A" into a scratch index, then "git diff --cached"),
// and the base commit against the commit git makes of the same state
// ("git diff BASE HEAD"). Paths, kinds (--name-status) and line counts
// (--numstat; "-" for binary files) must be git's, with renames off: wf
// reports a rename as a deletion and an addition.
func TestDiffStatDifferential(t *testing.T) {
	for _, rc := range recipes {
		if rc.refuse != "" {
			continue // nothing to compare: git refuses the state
		}
		t.Run(rc.name, func(t *testing.T) {
			base := newRecipeRepo(t)
			rc.setup(t, base, os.Getenv("HOME")) // NewRepo's fresh HOME
			baseCommit := gittest.Git(t, base, "rev-parse", "HEAD")
			from := NewHash(baseCommit)

			// The work tree against the base commit.
			r := discover(t, base)
			got, err := r.DiffStat(from, Hash{})
			if err != nil {
				t.Fatalf("DiffStat(base, work tree): %v", err)
			}
			scratch := filepath.Join(t.TempDir(), "index")
			gittest.Git(t, base, "read-tree", "--index-output="+scratch, "HEAD")
			env := []string{"GIT_INDEX_FILE=" + scratch}
			if _, err := gitEnvOut(base, env, "add", "-A"); err != nil {
				t.Skipf("git add -A refuses this state: %v", err)
			}
			want := gitDiffStat(t, base, env, "--cached", baseCommit)
			if s := formatStats(got); s != want {
				t.Errorf("work tree against base:\n--- git\n%s\n--- wf\n%s", want, s)
			}
			// The same through a WorktreeScan, with history and objects
			// read beside it on the same Repo, as wf resume does (go test
			// -race checks the sharing).
			scan := discover(t, base)
			ws := scan.StartWorktreeScan()
			if _, err := scan.Log("HEAD", "", 0); err != nil {
				t.Fatal(err)
			}
			if _, err := scan.commitTree(from); err != nil {
				t.Fatal(err)
			}
			got, err = ws.DiffStat(from)
			if err != nil {
				t.Fatalf("WorktreeScan.DiffStat: %v", err)
			}
			if s := formatStats(got); s != want {
				t.Errorf("work tree against base, scanned in the background:\n--- git\n%s\n--- wf\n%s", want, s)
			}
			links, err := ws.EmbeddedGitlinks()
			if wantLinks, werr := r.EmbeddedGitlinks(); err != nil || werr != nil || !slices.Equal(links, wantLinks) {
				t.Errorf("WorktreeScan.EmbeddedGitlinks = %q, %v; Repo.EmbeddedGitlinks = %q, %v", links, err, wantLinks, werr)
			}

			// The base commit against git's commit of the same state.
			if _, err := gittest.TryGit(base, "add", "-A"); err != nil {
				t.Fatalf("git add -A: %v", err)
			}
			if out, err := gittest.TryGit(base, "commit", "-q", "-m", "git"); err != nil {
				if strings.Contains(out, "nothing to commit") {
					return
				}
				t.Fatalf("git commit: %v\n%s", err, out)
			}
			head := gittest.Git(t, base, "rev-parse", "HEAD")
			r2 := discover(t, base)
			got, err = r2.DiffStat(from, NewHash(head))
			if err != nil {
				t.Fatalf("DiffStat(base, head): %v", err)
			}
			want = gitDiffStat(t, base, nil, baseCommit, head)
			if s := formatStats(got); s != want {
				t.Errorf("base against git's commit:\n--- git\n%s\n--- wf\n%s", want, s)
			}
			// And the other way round: additions become deletions.
			got, err = r2.DiffStat(NewHash(head), from)
			if err != nil {
				t.Fatalf("DiffStat(head, base): %v", err)
			}
			want = gitDiffStat(t, base, nil, head, baseCommit)
			if s := formatStats(got); s != want {
				t.Errorf("git's commit against base:\n--- git\n%s\n--- wf\n%s", want, s)
			}
		})
	}
}

// gitEnvOut runs git in dir with extra environment variables and returns
// its standard output alone (warnings on stderr left out).
func gitEnvOut(dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(cmd.Environ(), env...)
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		err = fmt.Errorf("%v: %s", err, ee.Stderr)
	}
	return string(out), err
}

// gitDiffStat is git's view of a diff, one line per path:
// "KIND ADDED DELETED PATH", from git diff --no-renames -z --name-status
// and --numstat with args.
func gitDiffStat(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	run := func(mode string) []string {
		a := append([]string{"diff", "--no-renames", "--no-ext-diff", "--no-textconv", "-z", mode}, args...)
		out, err := gitEnvOut(dir, env, a...)
		if err != nil {
			t.Fatalf("git %s: %v", strings.Join(a, " "), err)
		}
		return strings.Split(strings.TrimSuffix(out, "\x00"), "\x00")
	}
	kinds := map[string]string{}
	if ns := run("--name-status"); len(ns) > 1 {
		for i := 0; i+1 < len(ns); i += 2 {
			kinds[ns[i+1]] = ns[i]
		}
	}
	var lines []string
	for _, rec := range run("--numstat") {
		if rec == "" {
			continue
		}
		f := strings.SplitN(rec, "\t", 3)
		if len(f) != 3 {
			t.Fatalf("numstat record %q", rec)
		}
		lines = append(lines, fmt.Sprintf("%s %s %s %s", kinds[f[2]], f[0], f[1], f[2]))
	}
	return strings.Join(lines, "\n")
}

// formatStats is wf's view in the form of gitDiffStat.
func formatStats(stats []FileStat) string {
	letter := map[ChangeKind]string{Added: "A", Modified: "M", Deleted: "D", TypeChanged: "T"}
	var lines []string
	for _, s := range stats {
		a, d := fmt.Sprint(s.Added), fmt.Sprint(s.Deleted)
		if s.Binary {
			a, d = "-", "-"
		}
		lines = append(lines, fmt.Sprintf("%s %s %s %s", letter[s.Kind], a, d, s.Path))
	}
	return strings.Join(lines, "\n")
}
