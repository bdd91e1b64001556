package gitcp

import (
	"os"
	"testing"
)

// BenchmarkLog runs Log on the repository named by GITCP_BENCH_LOG_REPO
// (built by bench/gitcp/compare.sh: 10,000 commits, 500 checkpoints).
func BenchmarkLog(b *testing.B) {
	dir := os.Getenv("GITCP_BENCH_LOG_REPO")
	if testing.Short() || dir == "" {
		b.Skip("set GITCP_BENCH_LOG_REPO (see bench/gitcp/compare.sh)")
	}
	for b.Loop() {
		r, err := Discover(dir)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Log("HEAD", "", 0); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}

// BenchmarkCommit commits 10 modified and 2 added files in the repository
// named by GITCP_BENCH_COMMIT_REPO (50,000 files; see compare.sh).
func BenchmarkCommit(b *testing.B) {
	dir := os.Getenv("GITCP_BENCH_COMMIT_REPO")
	if testing.Short() || dir == "" {
		b.Skip("set GITCP_BENCH_COMMIT_REPO (see bench/gitcp/compare.sh)")
	}
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		for k := range 10 {
			f, _ := os.OpenFile(dir+"/d"+pad3(k*37%500)+"/f0"+string(rune('0'+k))+".txt", os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString("bench\n")
			f.Close()
		}
		os.WriteFile(dir+"/d001/bench-"+pad3(i%1000)+"-a.txt", []byte{byte(i)}, 0o644)
		os.WriteFile(dir+"/d250/bench-"+pad3(i%1000)+"-b.txt", []byte{byte(i)}, 0o644)
		b.StartTimer()
		r, err := Discover(dir)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Commit(CommitOptions{Message: "bench"}); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}

func pad3(n int) string {
	s := "00" + itoa(n)
	return s[len(s)-3:]
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
