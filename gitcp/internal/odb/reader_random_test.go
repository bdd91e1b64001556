package odb

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

type gitObject struct {
	typ  string
	data []byte
}

// catAll returns every object of the repository dir, from git cat-file
// --batch-all-objects --batch.
func catAll(t *testing.T, dir string) map[[20]byte]gitObject {
	t.Helper()
	out, err := exec.Command("git", "-C", dir, "cat-file", "--batch-all-objects", "--batch").Output()
	if err != nil {
		t.Fatal(err)
	}
	all := map[[20]byte]gitObject{}
	br := bufio.NewReader(bytes.NewReader(out))
	for {
		line, err := br.ReadString('\n')
		if err == io.EOF {
			return all
		}
		f := strings.Fields(line)
		n, _ := strconv.Atoi(f[2])
		data := make([]byte, n+1) // the content and its newline
		if _, err := io.ReadFull(br, data); err != nil {
			t.Fatal(err)
		}
		var h [20]byte
		hex.Decode(h[:], []byte(f[0]))
		all[h] = gitObject{f[1], data[:n]}
	}
}

// TestReaderRandomOrderMatchesGit reads every object of a history of four
// files of very different sizes (40 B to 60 KB, so evicted bases' buffers
// are reused for bases of other sizes), packed with offset deltas and
// then with reference deltas, plus loose objects, in random orders and
// with cache limits from none to the default, and compares each read with
// git cat-file. Each result is overwritten after it is checked: a read
// that still depended on the previous result's bytes (a cached base or
// the spare buffer aliasing it) would then go wrong.
func TestReaderRandomOrderMatchesGit(t *testing.T) {
	for _, ofs := range []bool{true, false} {
		dir := gittest.NewRepo(t)
		rng := rand.New(rand.NewSource(1))
		sizes := []int{40, 900, 7000, 60000}
		content := make([][]string, len(sizes))
		for i, n := range sizes {
			for j := 0; j < n/30+1; j++ {
				content[i] = append(content[i], fmt.Sprintf("file %d line %d %d", i, j, rng.Intn(1000)))
			}
		}
		for v := 0; v < 60; v++ {
			for i := range sizes {
				if rng.Intn(3) == 0 {
					continue
				}
				for k := 0; k < 3; k++ {
					content[i][rng.Intn(len(content[i]))] = fmt.Sprintf("file %d changed in %d %d", i, v, k)
				}
				gittest.Write(t, dir, fmt.Sprintf("d%d/f%d.txt", i%2, i), strings.Join(content[i], "\n")+"\n")
			}
			gittest.Git(t, dir, "add", "-A")
			gittest.Git(t, dir, "commit", "-q", "--allow-empty", "-m", fmt.Sprint("v", v))
		}
		gittest.Git(t, dir, "-c", fmt.Sprint("repack.useDeltaBaseOffset=", ofs), "repack", "-q", "-a", "-d", "-f", "--depth=40", "--window=50")
		gittest.Write(t, dir, "loose.txt", fmt.Sprint("loose ", ofs, "\n"))
		gittest.Git(t, dir, "add", "-A")
		gittest.Git(t, dir, "commit", "-q", "-m", "loose")
		want := catAll(t, dir)
		var ids [][20]byte
		for h := range want {
			ids = append(ids, h)
		}
		db := Open(filepath.Join(dir, ".git", "objects"))
		defer db.Close()
		for _, limit := range []int{200, 5000, 70000, 200000, 0} {
			r := NewReader(db)
			r.baseLimit = limit
			for range 3 {
				rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
				for _, h := range ids {
					typ, data, err := r.Read(h)
					if err != nil {
						t.Fatalf("offset deltas %v, limit %d: Read(%x): %v", ofs, limit, h, err)
					}
					if w := want[h]; typ.String() != w.typ || !bytes.Equal(data, w.data) {
						t.Fatalf("offset deltas %v, limit %d: Read(%x) = %s of %d bytes, git: %s of %d bytes", ofs, limit, h, typ, len(data), w.typ, len(w.data))
					}
					for i := range data {
						data[i] = 0xAA
					}
				}
			}
		}
	}
}
