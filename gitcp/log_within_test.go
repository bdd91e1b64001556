package gitcp

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestLogWithinMatchesGit checks LogOptions.Within against git on random
// histories: side branches forked before the state file existed and merged
// after, the file deleted and added again, nested state folders, with and
// without a commit-graph. git's side is git rev-list --parents, walked from
// the ref visiting only commits where git cat-file -e COMMIT:PATH holds,
// keeping those whose message has the trailer, in git log's order.
func TestLogWithinMatchesGit(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		for _, within := range []string{"workflow-state.md", "ops/wf/workflow-state.md"} {
			t.Run(fmt.Sprintf("seed%d/%s", seed, within), func(t *testing.T) {
				dir := gittest.NewRepo(t)
				rng := rand.New(rand.NewSource(seed))
				clock := 1700000000
				commitAll := func(msg string) {
					clock += 60
					t.Setenv("GIT_COMMITTER_DATE", fmt.Sprintf("@%d +0000", clock))
					t.Setenv("GIT_AUTHOR_DATE", fmt.Sprintf("@%d +0000", clock))
					gittest.Git(t, dir, "add", "-A")
					gittest.Git(t, dir, "commit", "-q", "--allow-empty", "-m", msg)
				}
				n, prefix := 0, "f"
				step := func(withFile bool) {
					n++
					gittest.Write(t, dir, fmt.Sprintf("%s%d.txt", prefix, rng.Intn(5)), fmt.Sprint(n))
					if withFile {
						gittest.Write(t, dir, within, fmt.Sprintf("# state %d\n", n))
					}
					msg := fmt.Sprintf("work %d", n)
					if withFile && rng.Intn(2) == 0 {
						msg = fmt.Sprintf("checkpoint: %d\n\nWf-Checkpoint: id-%03d", n, n)
					}
					commitAll(msg)
				}
				for range 4 + rng.Intn(4) { // before the workflow
					step(false)
				}
				gittest.Git(t, dir, "branch", "old-side")
				for range 3 + rng.Intn(5) {
					step(true)
				}
				if rng.Intn(2) == 0 { // the workflow removed and started again
					mustRemove(t, dir, within)
					commitAll("remove the workflow")
					for range 2 + rng.Intn(3) {
						step(true)
					}
				}
				// A side branch from before the workflow, merged in.
				gittest.Git(t, dir, "checkout", "-q", "old-side")
				prefix = "side"
				for range 2 + rng.Intn(3) {
					step(false)
				}
				prefix = "f"
				gittest.Git(t, dir, "checkout", "-q", "main")
				clock += 60
				t.Setenv("GIT_COMMITTER_DATE", fmt.Sprintf("@%d +0000", clock))
				gittest.Git(t, dir, "merge", "-q", "--no-edit", "old-side")
				for range 2 + rng.Intn(3) {
					step(true)
				}
				if seed%2 == 0 {
					gittest.Git(t, dir, "commit-graph", "write", "--reachable")
				}

				want := logWithinByGit(t, dir, "HEAD", within)
				es, err := discover(t, dir).LogWith("HEAD", LogOptions{Within: within})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, e := range es {
					got = append(got, e.Hash.String())
				}
				if !slices.Equal(got, want) {
					t.Errorf("LogWith Within %s:\n got %v\nwant %v\n%s", within, got, want,
						gittest.Git(t, dir, "log", "--graph", "--oneline", "--all"))
				}
				for limit := 1; limit <= 2; limit++ {
					es, err := discover(t, dir).LogWith("HEAD", LogOptions{Within: within, Limit: limit})
					if err != nil {
						t.Fatal(err)
					}
					if len(es) != min(limit, len(want)) || (len(es) > 0 && es[0].Hash.String() != want[0]) {
						t.Errorf("limit %d: got %d entries", limit, len(es))
					}
				}
			})
		}
	}
}

// logWithinByGit is the oracle of TestLogWithinMatchesGit.
func logWithinByGit(t *testing.T, dir, ref, within string) []string {
	parents := map[string][]string{}
	for _, l := range strings.Split(gittest.Git(t, dir, "rev-list", "--parents", ref), "\n") {
		f := strings.Fields(l)
		parents[f[0]] = f[1:]
	}
	holds := func(c string) bool {
		_, err := gittest.TryGit(dir, "cat-file", "-e", c+":"+within)
		return err == nil
	}
	visited := map[string]bool{}
	queue := []string{gittest.Git(t, dir, "rev-parse", ref)}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if visited[c] || !holds(c) {
			continue
		}
		visited[c] = true
		queue = append(queue, parents[c]...)
	}
	var out []string
	log := gittest.Git(t, dir, "log", "--format=%H %(trailers:key=Wf-Checkpoint,valueonly)", ref)
	for _, l := range strings.Split(log, "\n") {
		h, tr, _ := strings.Cut(l, " ")
		if visited[h] && strings.TrimSpace(tr) != "" {
			out = append(out, h)
		}
	}
	return out
}
