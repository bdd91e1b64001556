package gitcp

import (
	"fmt"
	"testing"
)

func TestLogTrailersNewestFirst(t *testing.T) {
	dir := baseRepo(t)
	for i := 1; i <= 5; i++ {
		write(t, dir, "f.txt", fmt.Sprint(i))
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
	if want := git(t, dir, "log", "--grep=Wf-Checkpoint", "--format=%H"); want != fmt.Sprintf("%s\n%s\n%s", got[0].Hash, got[1].Hash, got[2].Hash) {
		t.Errorf("git log disagrees:\n%s", want)
	}
	lim, _ := r.Log("main", "", 1)
	if len(lim) != 1 {
		t.Errorf("limit")
	}
}

func TestWildmatch(t *testing.T) {
	cases := []struct {
		pat, s string
		want   bool
	}{
		{"*.log", "a.log", true}, {"*.log", "a/b.log", false}, {"a/**/b", "a/b", true},
		{"a/**/b", "a/x/y/b", true}, {"**/foo", "x/foo", true}, {"**/foo", "foo", true},
		{"foo/**", "foo/x/y", true}, {"foo/**", "foo", false}, {"[a-c]x", "bx", true},
		{"[!a-c]x", "bx", false}, {"?", "/", false}, {"a*b", "a/b", false}, {`\*`, "*", true},
	}
	for _, c := range cases {
		if got := wildmatch(c.pat, 0, c.s, 0); got != c.want {
			t.Errorf("wildmatch(%q, %q) = %v", c.pat, c.s, got)
		}
	}
}
