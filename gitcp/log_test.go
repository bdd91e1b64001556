package gitcp

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
	"github.com/wf-tool/wf/gitcp/internal/odb"

	"github.com/go-git/go-git/v5/plumbing"
)

func TestLogTrailersNewestFirst(t *testing.T) {
	dir := baseRepo(t)
	for i := 1; i <= 5; i++ {
		gittest.Write(t, dir, "f.txt", fmt.Sprint(i))
		msg := "plain commit"
		if i%2 == 1 {
			msg = fmt.Sprintf("Checkpoint %d\n\nBody text.\n\nWf-Checkpoint: cp-%d\nWf-Phase: Implementing\nWf-Status: running", i, i)
		}
		t.Setenv("GIT_COMMITTER_DATE", fmt.Sprintf("@%d +0000", 1700000000+i*60))
		t.Setenv("GIT_AUTHOR_DATE", fmt.Sprintf("@%d +0000", 1700000000+i*60))
		commit(t, dir, CommitOptions{Message: msg})
	}
	r := discover(t, dir)
	got, err := r.Log("HEAD", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d entries", len(got))
	}
	for k, want := range []string{"cp-5", "cp-3", "cp-1"} {
		e := got[k]
		if e.Trailers["Wf-Checkpoint"] != want || e.Trailers["Wf-Phase"] != "Implementing" || e.Trailers["Wf-Status"] != "running" {
			t.Errorf("%d: %+v", k, e.Trailers)
		}
	}
	if got[0].Subject != "Checkpoint 5" || got[0].Time.Unix() != 1700000300 || got[0].Author != "Ann Author <ann@example.com>" {
		t.Errorf("entry %+v", got[0])
	}
	if want := gittest.Git(t, dir, "log", "--grep=Wf-Checkpoint", "--format=%H"); want != fmt.Sprintf("%s\n%s\n%s", got[0].Hash, got[1].Hash, got[2].Hash) {
		t.Errorf("git log disagrees:\n%s", want)
	}
	lim, _ := r.Log("main", "", 1)
	if len(lim) != 1 {
		t.Errorf("limit")
	}
}

// logFixture is a generated history: branches, merges (two parents and
// octopus), equal and skewed committer dates, checkpoint commits, and
// commits that mention Wf-Checkpoint only in prose (git log --grep lists
// them, Log must not).
type logFixture struct {
	stream string
	prose  map[int]bool // marks of prose-only commits
	n      int
}

func genLogFixture(seed int64, n int) logFixture {
	rng := rand.New(rand.NewSource(seed))
	f := logFixture{prose: map[int]bool{}, n: n}
	var sb strings.Builder
	const branches = 4
	heads := make([]int, branches) // mark of each branch head, 0: none
	date := int64(1700000000)
	for i := 1; i <= n; i++ {
		br := rng.Intn(branches)
		if i == n {
			br = 0
		}
		switch rng.Intn(10) {
		case 0: // same date as the previous commit
		case 1: // clock skew: older than its parent
			date -= int64(rng.Intn(5000))
		default:
			date += int64(1 + rng.Intn(100))
		}
		var msg string
		switch {
		case i%5 == 0:
			msg = fmt.Sprintf("Checkpoint %d\n\nBody %d.\n\nWf-Checkpoint: cp-%d\nWf-Phase: Implementing\nWf-Status: running\n", i, i, i)
			if i%3 == 0 { // long, similar messages: candidates for deltas
				msg = fmt.Sprintf("Checkpoint %d\n\n%s\n\nWf-Checkpoint: cp-%d\nWf-Phase: Reviewing\n", i, strings.Repeat("The same long body paragraph, again and again. ", 20), i)
			}
		case i%7 == 0:
			f.prose[i] = true
			msg = fmt.Sprintf("Explain %d\n\nThe Wf-Checkpoint trailer is described here.\n", i)
		case i%11 == 0:
			f.prose[i] = true
			msg = fmt.Sprintf("Quote %d\n\nWf-Checkpoint: in a middle paragraph\n\nSigned-off-by: x <x@example.com>\n", i)
		default:
			msg = fmt.Sprintf("commit %d\n", i)
		}
		fmt.Fprintf(&sb, "commit refs/heads/b%d\nmark :%d\n", br, i)
		fmt.Fprintf(&sb, "author A U Thor <a@example.com> %d +0130\n", date-int64(rng.Intn(100)))
		fmt.Fprintf(&sb, "committer C O Mitter <c@example.com> %d +0000\n", date)
		fmt.Fprintf(&sb, "data %d\n%s\n", len(msg), msg)
		var parents []int
		if heads[br] != 0 {
			parents = append(parents, heads[br])
		}
		merge := rng.Intn(8) == 0
		if i == n {
			merge = true // the last commit merges every branch
		}
		if merge {
			for o := range branches {
				if o != br && heads[o] != 0 && (i == n || rng.Intn(2) == 0) {
					parents = append(parents, heads[o])
				}
			}
		}
		for k, p := range parents {
			if k == 0 {
				fmt.Fprintf(&sb, "from :%d\n", p)
			} else {
				fmt.Fprintf(&sb, "merge :%d\n", p)
			}
		}
		fmt.Fprintf(&sb, "M 100644 inline f%d.txt\ndata <<EOT\ncontent %d\nEOT\n\n", i%13, i)
		heads[br] = i
	}
	f.stream = sb.String()
	return f
}

// importFixture builds a repository from f with git fast-import and
// returns its folder and the hash of every mark.
func importFixture(t *testing.T, f logFixture) (string, map[int]string) {
	t.Helper()
	dir := gittest.NewRepo(t)
	gittest.Git(t, dir, "config", "gc.auto", "0")
	marks := filepath.Join(t.TempDir(), "marks")
	gittest.GitStdin(t, dir, f.stream, "fast-import", "--quiet", "--export-marks="+marks)
	gittest.Git(t, dir, "symbolic-ref", "HEAD", "refs/heads/b0")
	data, err := os.ReadFile(marks)
	if err != nil {
		t.Fatal(err)
	}
	m := map[int]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var k int
		var h string
		fmt.Sscanf(line, ":%d %s", &k, &h)
		m[k] = h
	}
	return dir, m
}

// checkLogMatchesGit compares Log with git log --grep (minus prose-only
// commits), checks each entry against a go-git read of the commit, and
// checks limits.
func checkLogMatchesGit(t *testing.T, dir string, prose map[string]bool, wantGraph bool) {
	t.Helper()
	r, err := Discover(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if g := r.openCommitGraph(); (g != nil) != wantGraph {
		t.Fatalf("commit-graph in use: %v, want %v", g != nil, wantGraph)
	} else {
		g.close()
	}
	var want []string
	for _, h := range strings.Fields(gittest.Git(t, dir, "log", "--grep=Wf-Checkpoint", "--format=%H")) {
		if !prose[h] {
			want = append(want, h)
		}
	}
	got, err := r.Log("HEAD", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var gotH []string
	for _, e := range got {
		gotH = append(gotH, e.Hash.String())
	}
	if strings.Join(gotH, "\n") != strings.Join(want, "\n") {
		t.Fatalf("Log (%d entries) differs from git log --grep (%d):\ngot  %v\nwant %v", len(gotH), len(want), gotH, want)
	}
	if len(want) < 10 {
		t.Fatalf("fixture too small: %d checkpoints", len(want))
	}
	for _, e := range got {
		data, err := r.readObject(plumbing.CommitObject, e.Hash)
		if err != nil {
			t.Fatal(err)
		}
		ref, ok := parseLogEntry(parseRawCommit(e.Hash, data), CheckpointTrailer)
		if !ok || !reflect.DeepEqual(ref, e) {
			t.Fatalf("entry %s:\ngot  %+v\nwant %+v", e.Hash, e, ref)
		}
	}
	for _, k := range []int{1, 2, 17, 100, len(got), len(got) + 5} {
		lim, err := r.Log("refs/heads/b0", "", k)
		if err != nil {
			t.Fatal(err)
		}
		if n := min(k, len(got)); len(lim) != n || !reflect.DeepEqual(lim, got[:n]) {
			t.Fatalf("limit %d: got %d entries", k, len(lim))
		}
	}
}

func TestLogMatchesGitAcrossStorage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds several repositories")
	}
	f := genLogFixture(1, 1500)
	base, marks := importFixture(t, f)
	prose := map[string]bool{}
	for k := range f.prose {
		prose[marks[k]] = true
	}
	// clone copies base's objects and refs into a fresh repository.
	clone := func(t *testing.T) string {
		dir := gittest.NewRepo(t)
		gittest.Git(t, dir, "config", "gc.auto", "0")
		gittest.Git(t, base, "push", "-q", dir, "refs/heads/*:refs/heads/*")
		gittest.Git(t, dir, "symbolic-ref", "HEAD", "refs/heads/b0")
		return dir
	}
	// more adds commits on top as loose objects, including a merge with an
	// old commit and a checkpoint, then returns the new checkpoint's hash.
	more := func(t *testing.T, dir string) {
		t.Setenv("GIT_COMMITTER_DATE", "@1800000000 +0000")
		t.Setenv("GIT_AUTHOR_DATE", "@1800000000 +0000")
		old := gittest.Git(t, dir, "rev-parse", "HEAD~40")
		gittest.Git(t, dir, "commit", "-q", "--allow-empty", "-m", "loose checkpoint\n\nWf-Checkpoint: loose-1")
		gittest.Git(t, dir, "commit", "-q", "--allow-empty", "-m", "loose prose: Wf-Checkpoint mentioned")
		prose[gittest.Git(t, dir, "rev-parse", "HEAD")] = true
		gittest.Git(t, dir, "merge", "-q", "--no-ff", "-s", "ours", "-m", "merge old\n\nWf-Checkpoint: merge-1", old)
		t.Setenv("GIT_COMMITTER_DATE", "@1800000000 +0000") // equal dates
		gittest.Git(t, dir, "commit", "-q", "--allow-empty", "-m", "same date\n\nWf-Checkpoint: loose-2")
	}
	t.Run("fast-import pack", func(t *testing.T) {
		checkLogMatchesGit(t, base, prose, false)
	})
	t.Run("gc with commit-graph", func(t *testing.T) {
		dir := clone(t)
		gittest.Git(t, dir, "gc", "-q")
		if _, err := os.Stat(filepath.Join(dir, ".git/objects/info/commit-graph")); err != nil {
			t.Fatal("git gc wrote no commit-graph")
		}
		checkLogMatchesGit(t, dir, prose, true)
	})
	t.Run("deltified commits, no commit-graph", func(t *testing.T) {
		dir := clone(t)
		gittest.Git(t, dir, "repack", "-q", "-adf", "--window=250", "--depth=50")
		n := 0
		for _, l := range strings.Split(gittest.Git(t, dir, "verify-pack", "-v", packIdx(t, dir)), "\n") {
			if f := strings.Fields(l); len(f) >= 7 && f[1] == "commit" {
				n++
			}
		}
		if n == 0 {
			t.Fatal("no deltified commit in the fixture")
		}
		checkLogMatchesGit(t, dir, prose, false)
	})
	t.Run("loose objects only", func(t *testing.T) {
		dir := gittest.NewRepo(t)
		pack, err := os.ReadFile(strings.TrimSuffix(packIdx(t, base), ".idx") + ".pack")
		if err != nil {
			t.Fatal(err)
		}
		gittest.GitStdin(t, dir, string(pack), "unpack-objects", "-q")
		gittest.Git(t, dir, "update-ref", "refs/heads/b0", gittest.Git(t, base, "rev-parse", "refs/heads/b0"))
		gittest.Git(t, dir, "symbolic-ref", "HEAD", "refs/heads/b0")
		checkLogMatchesGit(t, dir, prose, false)
	})
	t.Run("mixed: commit-graph, pack and newer loose commits", func(t *testing.T) {
		dir := clone(t)
		gittest.Git(t, dir, "gc", "-q")
		more(t, dir)
		checkLogMatchesGit(t, dir, prose, true)
	})
	t.Run("split commit-graph chain", func(t *testing.T) {
		dir := clone(t)
		gittest.Git(t, dir, "repack", "-q", "-ad")
		gittest.Git(t, dir, "commit-graph", "write", "--reachable", "--split")
		more(t, dir)
		gittest.Git(t, dir, "commit-graph", "write", "--reachable", "--split=no-merge")
		gittest.Git(t, dir, "commit", "-q", "--allow-empty", "-m", "after chain\n\nWf-Checkpoint: loose-3")
		if _, err := os.Stat(filepath.Join(dir, ".git/objects/info/commit-graphs/commit-graph-chain")); err != nil {
			t.Fatal("no commit-graph chain")
		}
		if n := len(strings.Fields(readFile(t, filepath.Join(dir, ".git/objects/info/commit-graphs/commit-graph-chain")))); n < 2 {
			t.Fatalf("chain has %d layers", n)
		}
		checkLogMatchesGit(t, dir, prose, true)
	})
	t.Run("core.commitGraph=false ignores a corrupt graph", func(t *testing.T) {
		dir := clone(t)
		gittest.Git(t, dir, "gc", "-q")
		cg := filepath.Join(dir, ".git/objects/info/commit-graph")
		data := []byte(readFile(t, cg))
		for i := 2000; i < len(data)-100; i += 36 { // scramble parents and dates
			data[i] ^= 0x5a
		}
		os.Chmod(cg, 0o644)
		if err := os.WriteFile(cg, data, 0o644); err != nil {
			t.Fatal(err)
		}
		gittest.Git(t, dir, "config", "core.commitGraph", "false")
		checkLogMatchesGit(t, dir, prose, false)
	})
}

func packIdx(t *testing.T, dir string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, ".git/objects/pack/*.idx"))
	if len(m) != 1 {
		t.Fatalf("want one pack in %s, have %v", dir, m)
	}
	return m[0]
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestPackReaderMatchesGoGit reads every object of a deltified pack (and
// the loose objects next to it) with odb.Reader and with go-git.
func TestPackReaderMatchesGoGit(t *testing.T) {
	f := genLogFixture(2, 300)
	dir, _ := importFixture(t, f)
	gittest.Git(t, dir, "repack", "-q", "-adf", "--window=250", "--depth=20")
	gittest.Git(t, dir, "commit", "-q", "--allow-empty", "-m", "loose")
	r := discover(t, dir)
	db := odb.Open(filepath.Join(dir, ".git", "objects"))
	defer db.Close()
	if db.Packs() != 1 {
		t.Fatalf("%d packs mapped", db.Packs())
	}
	rd := odb.NewReader(db)
	deltas := 0
	for _, l := range strings.Split(gittest.Git(t, dir, "verify-pack", "-v", packIdx(t, dir)), "\n") {
		if f := strings.Fields(l); len(f) >= 7 && IsHash(f[0]) {
			deltas++
		}
	}
	if deltas < 50 {
		t.Fatalf("only %d deltas", deltas)
	}
	list := gittest.Git(t, dir, "cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype)")
	for _, line := range strings.Split(list, "\n") {
		hs, ts, _ := strings.Cut(line, " ")
		h := NewHash(hs)
		typ, _ := plumbing.ParseObjectType(ts)
		gotT, got, err := rd.Read(h)
		if err != nil {
			t.Fatalf("%s: %v", hs, err)
		}
		want, err := r.readObject(typ, h)
		if err != nil {
			t.Fatal(err)
		}
		if gotT != typ || !bytes.Equal(got, want) {
			t.Fatalf("%s: got %s %q, want %s %q", hs, gotT, got, typ, want)
		}
	}
	if _, _, err := rd.Read(NewHash("0123456789012345678901234567890123456789")); !errors.Is(err, odb.ErrNotHere) {
		t.Fatalf("missing object: %v", err)
	}
}
