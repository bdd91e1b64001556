package linediff

import (
	"fmt"
	"hash/maphash"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestCountAgainstGit writes pairs of files into a repository, the old
// side committed and the new side in the work tree, and compares Count
// and IsBinary with "git diff --numstat". Besides made-up edits, the
// pairs include real files of this module set against each other, as
// copies kept in testdata/src, so that the inputs do not change with every
// edit of the module (TestCountRandomAgainstGit varies them on purpose).
func TestCountAgainstGit(t *testing.T) {
	src := func(rel string) string {
		data, err := os.ReadFile(filepath.Join("testdata", "src", rel+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	code := src("diffstat.go")
	lines := strings.SplitAfter(code, "\n")
	var moved strings.Builder
	for i := len(lines) - 1; i >= 0; i -= 7 {
		moved.WriteString(lines[i])
	}
	pairs := []struct{ name, old, new string }{
		{"insert", "a\nb\nc\n", "a\nb\nx\nc\n"},
		{"delete", "a\nb\nc\nd\n", "a\nd\n"},
		{"replace", "a\nb\nc\n", "a\nB\nc\n"},
		{"from_empty", "", "one\ntwo\n"},
		{"to_empty", "one\ntwo\n", ""},
		{"no_final_newline", "a\nb", "a\nb\n"},
		{"crlf", "a\r\nb\r\n", "a\nb\n"},
		{"repeated_lines", strings.Repeat("x\n", 50) + "y\n", "y\n" + strings.Repeat("x\n", 49)},
		{"swapped_blocks", "1\n2\n3\n4\n5\n6\n", "4\n5\n6\n1\n2\n3\n"},
		{"binary", "a\x00b\n", "a\x00c\n"},
		{"binary_late_nul", strings.Repeat("t\n", 5000) + "\x00", strings.Repeat("t\n", 5001)},
		{"code_edited", code, strings.Replace(strings.Replace(code, "return out, nil", "return out, errNone", 1), "// diffStoredTrees", "// diffStoredTrees (edited)\n// and longer", 1)},
		{"code_sampled", code, moved.String()},
		{"code_vs_other_file", code, src("commit.go")},
		{"log_vs_walk", src("log.go"), src("walk.go")},
		{"refs_vs_reflog", src("refs.go"), src("reflog.go")},
	}
	dir := gittest.NewRepo(t)
	for _, p := range pairs {
		gittest.Write(t, dir, p.name, p.old)
	}
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "old")
	for _, p := range pairs {
		gittest.Write(t, dir, p.name, p.new)
	}
	want := map[string]string{}
	for _, line := range strings.Split(gittest.Git(t, dir, "diff", "--numstat"), "\n") {
		f := strings.Split(line, "\t")
		want[f[2]] = f[0] + " " + f[1]
	}
	for _, p := range pairs {
		got := "-" + " " + "-"
		if !IsBinary([]byte(p.old)) && !IsBinary([]byte(p.new)) {
			a, d := Count([]byte(p.old), []byte(p.new))
			got = fmt.Sprint(a, " ", d)
		}
		if got != want[p.name] {
			t.Errorf("%s: added deleted %s, git diff --numstat %s", p.name, got, want[p.name])
		}
	}
}

// TestCountGivesUp checks the bound: differing middles of more than
// 40,000 kept lines together are counted as rewritten whole, smaller ones
// are diffed.
func TestCountGivesUp(t *testing.T) {
	// n lines "0".."n-1" against the same reversed: every line has one
	// match, so xdiff's cleanup keeps them all.
	files := func(n int) (a, b []byte) {
		var sa, sb strings.Builder
		for i := range n {
			fmt.Fprintf(&sa, "%d\n", i)
			fmt.Fprintf(&sb, "%d\n", n-1-i)
		}
		return []byte(sa.String()), []byte(sb.String())
	}
	a, b := files(20001)
	if added, deleted := Count(a, b); added != 20001 || deleted != 20001 {
		t.Errorf("over the bound: +%d -%d, want +20001 -20001", added, deleted)
	}
	a, b = files(2001)
	if added, deleted := Count(a, b); added != 2000 || deleted != 2000 {
		t.Errorf("under the bound: +%d -%d, want +2000 -2000", added, deleted)
	}
}

// FuzzCount compares Count with a longest-common-subsequence count on
// small inputs: added is the new lines outside the LCS, deleted the old.
func FuzzCount(f *testing.F) {
	f.Add([]byte("a\nb\nc\n"), []byte("a\nx\nc\n"))
	f.Add([]byte("a\nb"), []byte("a\nb\n"))
	f.Add([]byte(""), []byte("x\n"))
	f.Add([]byte("1\n2\n3\n4\n"), []byte("4\n3\n2\n1\n"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if len(a) > 4000 || len(b) > 4000 {
			return
		}
		la, lb := strings.SplitAfter(string(a), "\n"), strings.SplitAfter(string(b), "\n")
		la, lb = la[:len(la)-boolInt(la[len(la)-1] == "")], lb[:len(lb)-boolInt(lb[len(lb)-1] == "")]
		if len(la)+len(lb) > 600 {
			return
		}
		lcs := make([][]int, len(la)+1)
		for i := range lcs {
			lcs[i] = make([]int, len(lb)+1)
		}
		for i := len(la) - 1; i >= 0; i-- {
			for j := len(lb) - 1; j >= 0; j-- {
				if la[i] == lb[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		seed := maphash.MakeSeed()
		added, deleted := shortestEdit(hashLines(a, seed), hashLines(b, seed))
		if added != len(lb)-lcs[0][0] || deleted != len(la)-lcs[0][0] {
			t.Fatalf("shortestEdit = +%d -%d, LCS %d of %d and %d lines", added, deleted, lcs[0][0], len(la), len(lb))
		}
		// Count adds git's cleanup, which may count more, never less,
		// and never changes the difference in line counts.
		added, deleted = Count(a, b)
		if added < len(lb)-lcs[0][0] || added-deleted != len(lb)-len(la) {
			t.Fatalf("Count = +%d -%d, LCS %d of %d and %d lines", added, deleted, lcs[0][0], len(la), len(lb))
		}
	})
}

// TestCountRandomAgainstGit compares Count with git diff --numstat on
// random pairs of files built from a small vocabulary with frequent
// lines ("}", blank), where git's cleanup of many-match lines makes its
// counts differ from a minimal diff's.
func TestCountRandomAgainstGit(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	vocab := []string{"}\n", "\n", "\treturn nil\n", "\t}\n", "if err != nil {\n"}
	line := func() string {
		if rng.Intn(3) == 0 {
			return vocab[rng.Intn(len(vocab))]
		}
		return fmt.Sprintf("line %d\n", rng.Intn(400))
	}
	fresh := 0
	newLine := func() string { // a line without a match, or a frequent one
		if rng.Intn(3) == 0 {
			return vocab[rng.Intn(len(vocab))]
		}
		fresh++
		return fmt.Sprintf("new %d\n", fresh)
	}
	dir := gittest.NewRepo(t)
	pairs := map[string][2]string{}
	for i := range 60 {
		var a, b strings.Builder
		n := 20 + rng.Intn(600)
		for range n {
			l := line()
			a.WriteString(l)
			switch rng.Intn(6) {
			case 0: // deleted
			case 1: // replaced by a run of new and frequent lines
				for range 1 + rng.Intn(12) {
					b.WriteString(newLine())
				}
			case 2: // inserted before
				b.WriteString(line())
				b.WriteString(l)
			default:
				b.WriteString(l)
			}
		}
		name := fmt.Sprintf("f%02d", i)
		pairs[name] = [2]string{a.String(), b.String()}
		gittest.Write(t, dir, name, a.String())
	}
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "old")
	for name, p := range pairs {
		gittest.Write(t, dir, name, p[1])
	}
	for _, l := range strings.Split(gittest.Git(t, dir, "diff", "--numstat"), "\n") {
		f := strings.Split(l, "\t")
		p := pairs[f[2]]
		a, d := Count([]byte(p[0]), []byte(p[1]))
		if got := fmt.Sprint(a, " ", d); got != f[0]+" "+f[1] {
			t.Errorf("%s: added deleted %s, git diff --numstat %s %s", f[2], got, f[0], f[1])
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
