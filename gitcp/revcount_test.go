package gitcp

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// revTopology builds a commit DAG with git commit-tree: linear runs,
// merges, criss-cross merges and octopus merges, with committer dates
// that go back by skew seconds now and then, and returns the commits
// in creation order.
func revTopology(t *testing.T, dir string, rng *rand.Rand, n, skew int) []string {
	t.Helper()
	tree := gittest.Git(t, dir, "hash-object", "-t", "tree", "-w", os.DevNull)
	var commits []string
	date := 1_700_000_000
	for i := 0; i < n; i++ {
		var parents []string
		switch k := rng.Intn(10); {
		case i == 0:
		case i >= 4 && k == 0: // octopus: three to five parents
			for _, j := range rng.Perm(len(commits))[:3+rng.Intn(min(3, len(commits)-2))] {
				parents = append(parents, commits[j])
			}
		case i >= 2 && k <= 2: // a merge of two older commits
			a, b := rng.Intn(len(commits)), rng.Intn(len(commits))
			parents = append(parents, commits[a])
			if b != a {
				parents = append(parents, commits[b])
			}
		case i >= 4 && k == 3: // criss-cross: two merges of the same pair, crossed
			a, b := commits[len(commits)-1], commits[len(commits)-2]
			x := revCommitTree(t, dir, tree, date, i, a, b)
			y := revCommitTree(t, dir, tree, date+1, i, b, a)
			commits = append(commits, x, y)
			date += 2
			continue
		default: // a child of a recent commit
			parents = append(parents, commits[len(commits)-1-rng.Intn(min(3, len(commits)))])
		}
		d := date + rng.Intn(100)
		if skew > 0 && rng.Intn(8) == 0 {
			d -= skew // older than its parents
		}
		commits = append(commits, revCommitTree(t, dir, tree, d, i, parents...))
		date += 60
	}
	return commits
}

func revCommitTree(t *testing.T, dir, tree string, date, i int, parents ...string) string {
	t.Helper()
	args := []string{"commit-tree", tree, "-m", "c" + strconv.Itoa(i)}
	for _, p := range parents {
		args = append(args, "-p", p)
	}
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), fmt.Sprintf("GIT_COMMITTER_DATE=%d +0000", date), fmt.Sprintf("GIT_AUTHOR_DATE=%d +0000", date))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git commit-tree: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

// revListDiff counts the commits of git rev-list from that git rev-list
// base does not list: what rev-list --count base..from means. The range
// form walks by date and can stop early when committer dates go
// backwards; the full lists are exact.
func revListDiff(t *testing.T, dir, from, base string) int {
	t.Helper()
	excl := map[string]bool{}
	for _, h := range strings.Fields(gittest.Git(t, dir, "rev-list", base)) {
		excl[h] = true
	}
	n := 0
	for _, h := range strings.Fields(gittest.Git(t, dir, "rev-list", from)) {
		if !excl[h] {
			n++
		}
	}
	return n
}

// TestRevCountMatchesGit: for merges, criss-cross merges and octopus
// merges, with and without a commit-graph (and with one that lacks the
// newest commits), with and without clock skew, RevCount agrees with git
// (rev-list --count base..from, and git merge-base --is-ancestor) for
// many pairs.
func TestRevCountMatchesGit(t *testing.T) {
	for _, graph := range []string{"none", "full", "partial"} {
		for _, skew := range []int{0, 5000} {
			t.Run(fmt.Sprintf("graph=%s,skew=%d", graph, skew), func(t *testing.T) {
				dir := gittest.NewRepo(t)
				rng := rand.New(rand.NewSource(int64(len(graph) + skew)))
				commits := revTopology(t, dir, rng, 90, skew)
				gittest.Git(t, dir, "update-ref", "refs/heads/main", commits[60])
				switch graph {
				case "full":
					gittest.Git(t, dir, "update-ref", "refs/heads/main", commits[len(commits)-1])
					gittest.Git(t, dir, "commit-graph", "write", "--reachable", "--no-progress")
				case "partial":
					gittest.Git(t, dir, "commit-graph", "write", "--reachable", "--no-progress")
				}
				gittest.Git(t, dir, "update-ref", "refs/heads/main", commits[len(commits)-1])
				r, err := Discover(dir)
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				if g := r.openCommitGraph(); (g != nil) != (graph != "none") {
					t.Fatalf("commit-graph in use: %v", g != nil)
				} else {
					g.close()
				}
				pairs := [][2]string{{commits[len(commits)-1], commits[0]}, {commits[0], commits[len(commits)-1]}}
				for i := 0; i < 25; i++ {
					pairs = append(pairs, [2]string{commits[rng.Intn(len(commits))], commits[rng.Intn(len(commits))]})
				}
				for _, p := range pairs {
					from, base := p[0], p[1]
					want := revListDiff(t, dir, from, base)
					if skew == 0 {
						if c, _ := strconv.Atoi(gittest.Git(t, dir, "rev-list", "--count", base+".."+from)); c != want {
							t.Fatalf("git rev-list --count %.7s..%.7s = %d, its full lists differ by %d", base, from, c, want)
						}
					}
					_, err := gittest.TryGit(dir, "merge-base", "--is-ancestor", base, from)
					wantAnc := err == nil
					n, anc, err := r.RevCount(NewHash(from), NewHash(base))
					if err != nil {
						t.Fatal(err)
					}
					if n != want || anc != wantAnc {
						t.Errorf("RevCount(%.7s, %.7s) = %d, ancestor %v; git: %d, ancestor %v", from, base, n, anc, want, wantAnc)
					}
				}
			})
		}
	}
}

// TestRevCountLongHistory: a checkpoint that is HEAD's first parent after
// a merge, under 1,200 commits (the old walk stopped at 1,000) of shared history, is 2 commits behind and
// an ancestor (no depth limit).
func TestRevCountLongHistory(t *testing.T) {
	dir := gittest.NewRepo(t)
	tree := gittest.Git(t, dir, "hash-object", "-t", "tree", "-w", os.DevNull)
	prev := revCommitTree(t, dir, tree, 1_700_000_000, 0)
	for i := 1; i < 1200; i++ {
		prev = revCommitTree(t, dir, tree, 1_700_000_000+i, i, prev)
	}
	ckpt := revCommitTree(t, dir, tree, 1_800_000_000, 1200, prev)
	side := revCommitTree(t, dir, tree, 1_800_000_001, 1201, prev)
	merge := revCommitTree(t, dir, tree, 1_800_000_002, 1202, ckpt, side)
	r, err := Discover(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n, anc, err := r.RevCount(NewHash(merge), NewHash(ckpt))
	if err != nil || n != 2 || !anc {
		t.Fatalf("RevCount = %d, %v, %v; want 2, true", n, anc, err)
	}
	if want := gittest.Git(t, dir, "rev-list", "--count", ckpt+".."+merge); want != "2" {
		t.Fatalf("git says %s", want)
	}
}
