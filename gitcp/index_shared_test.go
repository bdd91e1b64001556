package gitcp

import (
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// TestIndexSharedIsTakenOnceAndOnlyWhileUnchanged checks the hand-over
// of an index decoded by readIndexShared to the next readIndexFile: the
// same index while the file is unchanged, taken once (a second reader
// decodes its own, since the first may modify it), and never after git
// wrote the index again.
func TestIndexSharedIsTakenOnceAndOnlyWhileUnchanged(t *testing.T) {
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, "a.txt", "a\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "a")
	r := discover(t, dir)
	path := indexPath(r)

	shared, err := r.readIndexShared(path)
	if err != nil {
		t.Fatal(err)
	}
	first, err := r.readIndexFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if first != shared {
		t.Errorf("the unchanged index was decoded again")
	}
	second, err := r.readIndexFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if second == first {
		t.Errorf("the kept index was handed out twice")
	}

	if _, err := r.readIndexShared(path); err != nil {
		t.Fatal(err)
	}
	gittest.Write(t, dir, "b.txt", "b\n")
	gittest.Git(t, dir, "add", "b.txt")
	after, err := r.readIndexFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Entries) != 2 {
		t.Errorf("after git add: %d entries, want 2 (the kept index was used)", len(after.Entries))
	}
}
