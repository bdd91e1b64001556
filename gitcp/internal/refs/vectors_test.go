package refs

import (
	"bytes"
	"encoding/hex"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

//go:generate go test -run ^TestGenerateVectors$ -update

var update = flag.Bool("update", false, "rewrite testdata/good_* and testdata/bad_* from the git CLI")

// probe is a ref name no vector holds: looking it up reads a whole
// packed-refs file.
const probe = "refs/vector-probe/missing"

// decodeVector decodes a vector by its extension: a loose ref file
// (.ref), a packed-refs file (.packed-refs, looked up in full) or a
// reflog (.reflog, every line).
func decodeVector(name string, data []byte) error {
	switch filepath.Ext(name) {
	case ".ref":
		_, err := ParseLoose("vector", data)
		return err
	case ".packed-refs":
		if _, found, err := LookupPacked(data, probe); err != nil || found {
			return err
		}
		// Every ref line resolves to its id (the first line of a name wins).
		seen := map[string]bool{}
		for _, line := range strings.Split(string(data), "\n") {
			if len(line) < 42 || line[0] == '#' || line[0] == '^' || seen[line[41:]] {
				continue
			}
			seen[line[41:]] = true
			id, found, err := LookupPacked(data, line[41:])
			if err != nil || !found || hex.EncodeToString(id[:]) != line[:40] {
				return errors.New(line[41:] + ": not found with its id")
			}
		}
		return nil
	case ".reflog":
		for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
			if line == "" && len(data) == 0 {
				continue
			}
			if _, err := ParseLogLine(line); err != nil {
				return err
			}
		}
		return nil
	}
	return errors.New("unknown vector kind " + name)
}

// TestVectors decodes every file in testdata: good_* must decode, bad_*
// must return a *FormatError. Neither may panic.
func TestVectors(t *testing.T) {
	checkVectors(t, "testdata", true)
}

func checkVectors(t *testing.T, dir string, wantAll bool) {
	count := map[string]int{}
	gittest.Vectors(t, dir, 0, 0, func(t *testing.T, name string, data []byte, good bool) {
		err := decodeVector(name, data)
		if good {
			count["good"+filepath.Ext(name)]++
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			return
		}
		count["bad"+filepath.Ext(name)]++
		t.Logf("%s: %v", name, err)
		var fe *FormatError
		if err == nil {
			t.Errorf("%s: decoded without error", name)
		} else if !errors.As(err, &fe) {
			t.Errorf("%s: %T %v, want *FormatError", name, err, err)
		}
	})
	if wantAll {
		for _, k := range []string{"good.ref", "bad.ref", "good.packed-refs", "bad.packed-refs", "good.reflog", "bad.reflog"} {
			if count[k] < 2 {
				t.Errorf("%s: %d %s vectors; run go generate", dir, count[k], k)
			}
		}
	}
}

// TestGenerateVectors builds the vectors with the git CLI: into testdata
// with -update (go generate), else into a temporary folder, and checks
// them, so the decoders are also tried on the installed git's output.
func TestGenerateVectors(t *testing.T) {
	out := t.TempDir()
	if *update {
		out = "testdata"
	}
	dir := gittest.NewRepo(t)
	g := func(args ...string) string { return gittest.Git(t, dir, args...) }
	gitDir := filepath.Join(dir, ".git")
	read := func(rel string) []byte {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(gitDir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	save := func(name string, data []byte) { gittest.SaveVector(t, out, name, data) }
	gittest.Write(t, dir, "a.txt", "a\n")
	g("add", "-A")
	g("commit", "-q", "-m", "one")
	gittest.Write(t, dir, "a.txt", "b\n")
	g("commit", "-q", "-am", "two\n\nwith a body")
	g("branch", "topic")
	g("tag", "light")
	g("tag", "-a", "-m", "annotated", "v1")
	g("switch", "-q", "topic")
	g("commit", "-q", "--amend", "-m", "amended")
	g("switch", "-q", "main")
	g("symbolic-ref", "refs/remotes/origin/HEAD", "refs/heads/main")

	// Loose refs.
	save("good_branch.ref", read("refs/heads/main"))
	save("good_symbolic_head.ref", read("HEAD"))
	save("good_symbolic_remote_head.ref", read("refs/remotes/origin/HEAD"))
	g("switch", "-q", "--detach", "HEAD")
	save("good_detached_head.ref", read("HEAD"))
	g("switch", "-q", "main")
	branch := read("refs/heads/main")
	save("bad_truncated_id.ref", branch[:20])
	save("bad_symbolic_no_target.ref", []byte("ref: \n"))
	save("bad_not_hex.ref", append([]byte("g"), branch[1:]...))
	save("bad_empty.ref", nil)

	// Reflogs: HEAD's holds commits, an amend, checkouts; main's the
	// commits; a new branch's the creation.
	head := read("logs/HEAD")
	save("good_head.reflog", head)
	save("good_branch.reflog", read("logs/refs/heads/main"))
	save("good_created_branch.reflog", read("logs/refs/heads/topic"))
	save("good_empty.reflog", nil)
	first, _, _ := strings.Cut(string(head), "\n")
	save("bad_truncated_line.reflog", []byte(first[:60]+"\n"))
	save("bad_id_not_hex.reflog", []byte(strings.Replace(first, first[:1], "z", 1)+"\n"))
	save("bad_no_email.reflog", []byte(strings.ReplaceAll(first, ">", "")+"\n"))
	gt := strings.LastIndexByte(first, '>')
	save("bad_time_not_number.reflog", []byte(first[:gt+1]+" soon +0000\tcommit\n"))
	save("bad_no_time.reflog", []byte(first[:gt+1]+"\tcommit\n"))
	save("bad_second_line_corrupt.reflog", []byte(first+"\n"+first[:50]+"\n"))

	// packed-refs, as git pack-refs writes it (header, peeled tag line).
	g("pack-refs", "--all")
	packed := read("packed-refs")
	save("good_peeled.packed-refs", packed)
	hdr, body, _ := bytes.Cut(packed, []byte("\n"))
	save("good_no_header.packed-refs", body)
	save("good_no_final_newline.packed-refs", bytes.TrimSuffix(packed, []byte("\n")))
	save("good_header_only.packed-refs", append(append([]byte{}, hdr...), '\n'))
	save("bad_header.packed-refs", append([]byte("# packed refs, with peeled\n"), body...))
	save("bad_truncated_id.packed-refs", append(append(append([]byte{}, hdr...), '\n'), body[:30]...))
	save("bad_peeled_first.packed-refs", append(append([]byte{}, hdr...), "\n^"+string(branch[:40])+"\n"+string(body)...))
	peel := bytes.Index(packed, []byte("\n^"))
	if peel < 0 {
		t.Fatalf("no peeled line in packed-refs:\n%s", packed)
	}
	save("bad_peeled_not_hex.packed-refs", append(append(append([]byte{}, packed[:peel+2]...), 'x'), packed[peel+3:]...))
	save("bad_id_not_hex.packed-refs", append(append(append([]byte{}, hdr...), "\nx"...), body[1:]...))
	save("bad_empty_line.packed-refs", append(append(append([]byte{}, hdr...), "\n\n"...), body...))
	save("bad_no_space.packed-refs", append(append(append([]byte{}, hdr...), '\n'), bytes.Replace(body, []byte(" "), []byte("\t"), 1)...))
	checkVectors(t, out, true)

	// The packed refs are the ones git lists, with the same ids (pack-refs
	// leaves symbolic refs loose).
	for _, line := range strings.Split(g("for-each-ref", "--format=%(objectname) %(refname) %(symref)"), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		id, name := f[0], f[1]
		got, found, err := LookupPacked(packed, name)
		if err != nil || !found || hex.EncodeToString(got[:]) != id {
			t.Errorf("%s: %x %v %v, git show-ref says %s", name, got, found, err, id)
		}
	}
	// The reflog entries are the ones git lists, newest first.
	ents, err := ReadLog(filepath.Join(gitDir, "logs", "HEAD"), 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range ents {
		ids = append(ids, hex.EncodeToString(e.New[:]))
	}
	if want := g("reflog", "show", "--format=%H", "HEAD"); strings.Join(ids, "\n") != want {
		t.Errorf("reflog ids:\n%s\ngit reflog:\n%s", strings.Join(ids, "\n"), want)
	}
}
