package gitcp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
	"github.com/wf-tool/wf/gitcp/internal/index"
)

// TestDiffStatTrustsTheCacheTreeAsGitDoes: with a cache-tree that claims
// a folder is as HEAD has it while its index entries differ (an index
// rewritten without invalidating it), git status and git diff --cached
// trust the cache-tree below the top folder and report only the top
// folder's own file; the work-tree diffstat, which takes the ids of
// unchanged folders from the cache-tree, reports the same paths.
func TestDiffStatTrustsTheCacheTreeAsGitDoes(t *testing.T) {
	dir := newRecipeRepo(t)
	ip := filepath.Join(dir, ".git", "index")
	before, err := index.Read(ip)
	if err != nil || before.Tree == nil {
		t.Fatalf("index after git commit: %v (a cache-tree: %v)", err, before != nil && before.Tree != nil)
	}
	gittest.Write(t, dir, "docs/guide.txt", "staged\n")
	gittest.Write(t, dir, "README.md", "staged\n")
	gittest.Git(t, dir, "add", "docs/guide.txt", "README.md")
	after, err := index.Read(ip)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ip, index.Encode(after.Version, after.Entries, before.Tree), 0o644); err != nil {
		t.Fatal(err)
	}
	want := gittest.Git(t, dir, "diff", "--cached", "--name-only", "HEAD")
	if want != "README.md" {
		t.Fatalf("git diff --cached lists %q: git no longer trusts a stale cache-tree below the top; this test's premise is gone", want)
	}
	stats, err := discover(t, dir).DiffStat(NewHash(gittest.Git(t, dir, "rev-parse", "HEAD")), Hash{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range stats {
		got = append(got, s.Path)
	}
	if strings.Join(got, "\n") != want {
		t.Errorf("DiffStat lists %q, git diff --cached HEAD %q", got, want)
	}
}

// TestBuildTreeCachedTakesValidNodes: after git commit (a whole
// cache-tree) and changes in one folder, the tree built with the
// cache-tree takes every folder the work tree left alone from it
// (unexpanded) and builds the changed folders and their ancestors; fully
// expanded, it is the tree git write-tree makes of the same state.
func TestBuildTreeCachedTakesValidNodes(t *testing.T) {
	dir := newRecipeRepo(t)
	gittest.Write(t, dir, "src/util/strings.go", "package util // changed\n")
	r := discover(t, dir)
	idx, err := r.readIndexFile(indexPath(r))
	if err != nil {
		t.Fatal(err)
	}
	snap, err := r.scan(idx, false)
	if err != nil {
		t.Fatal(err)
	}
	cached := snap.cacheTree()
	if cached == nil {
		t.Fatal("no cache-tree after git commit")
	}
	root := buildTreeCached(snap.entries, cached, snap.changedDirs)
	lazy := map[string]bool{}
	var walk func(n *treeNode, prefix string)
	walk = func(n *treeNode, prefix string) {
		for _, c := range n.children {
			if c.sub == nil {
				continue
			}
			p := prefix + c.name + "/"
			lazy[p] = c.sub.lazy != nil
			if c.sub.lazy == nil {
				walk(c.sub, p)
			}
		}
	}
	walk(root, "")
	for p, want := range map[string]bool{"src/": false, "src/util/": false, "docs/": true, "bin/": true} {
		if got, ok := lazy[p]; !ok || got != want {
			t.Errorf("folder %s: from the cache-tree %v (seen %v), want %v", p, got, ok, want)
		}
	}
	var expandAll func(n *treeNode)
	expandAll = func(n *treeNode) {
		n.expand()
		for _, c := range n.children {
			if c.sub != nil {
				expandAll(c.sub)
			}
		}
	}
	expandAll(root)
	full, _ := buildTree(snap.entries, 0, "", "")
	gittest.Git(t, dir, "add", "-A")
	if want := gittest.Git(t, dir, "write-tree"); root.hash.String() != want || full.hash.String() != want {
		t.Errorf("root %s, built without the cache-tree %s, git write-tree %s", root.hash, full.hash, want)
	}
}
