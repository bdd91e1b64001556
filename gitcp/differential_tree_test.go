package gitcp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// Recipes of plain work-tree changes: edits, additions, deletions,
// renames, mode and type changes, ignore rules and odd names.
var _ = addRecipes(
	recipe{name: "modify one file", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, "src/main.go", "package main\n\nfunc main() { println() }\n")
	}},
	recipe{name: "add nested files", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, "new/deep/er/a.txt", "a\n")
		gittest.Write(t, dir, "src/util/new.go", "package util\n")
	}},
	recipe{name: "delete a file", setup: func(t *testing.T, dir, home string) {
		mustRemove(t, dir, "docs/guide.txt")
	}},
	recipe{name: "delete a folder", setup: func(t *testing.T, dir, home string) {
		mustRemove(t, dir, "src")
	}},
	recipe{name: "rename a file", setup: func(t *testing.T, dir, home string) {
		mustRename(t, dir, "README.md", "docs/README.md")
	}},
	recipe{name: "rename a folder", setup: func(t *testing.T, dir, home string) {
		mustRename(t, dir, "src", "lib")
	}},
	recipe{name: "make executable", setup: func(t *testing.T, dir, home string) {
		mustChmod(t, dir, "README.md", 0o755)
	}},
	recipe{name: "drop executable bit", setup: func(t *testing.T, dir, home string) {
		mustChmod(t, dir, "bin/run.sh", 0o644)
	}},
	recipe{name: "file becomes symlink", setup: func(t *testing.T, dir, home string) {
		mustRemove(t, dir, "README.md")
		mustSymlink(t, dir, "docs/guide.txt", "README.md")
	}},
	recipe{name: "symlink becomes file", setup: func(t *testing.T, dir, home string) {
		mustRemove(t, dir, "guide-link")
		gittest.Write(t, dir, "guide-link", "now a file\n")
	}},
	recipe{name: "symlink retargeted", setup: func(t *testing.T, dir, home string) {
		mustRemove(t, dir, "guide-link")
		mustSymlink(t, dir, "../outside/nowhere", "guide-link")
	}},
	recipe{name: "file becomes folder", setup: func(t *testing.T, dir, home string) {
		mustRemove(t, dir, "README.md")
		gittest.Write(t, dir, "README.md/index.md", "inside\n")
	}},
	recipe{name: "folder becomes file", setup: func(t *testing.T, dir, home string) {
		mustRemove(t, dir, "src/util")
		gittest.Write(t, dir, "src/util", "a file now\n")
	}},
	recipe{name: "tree order edge names", setup: func(t *testing.T, dir, home string) {
		for _, n := range []string{"a.b", "a-b", "a/b", "a0", "a_", "ab/c"} {
			gittest.Write(t, dir, n, n+"\n")
		}
	}},
	recipe{name: "nested gitignore with negation", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, "src/.gitignore", "*.log\n!keep.log\nbuild/\n")
		gittest.Write(t, dir, "src/debug.log", "x\n")
		gittest.Write(t, dir, "src/keep.log", "kept\n")
		gittest.Write(t, dir, "src/build/out.o", "obj\n")
		gittest.Write(t, dir, "src/util/build/x.o", "obj\n")
	}},
	recipe{name: "tracked folder that is now ignored", setup: func(t *testing.T, dir, home string) {
		// Only tracked entries of an ignored folder count, at any depth,
		// and a .gitignore inside it cannot re-include a file (git's
		// gitignore(5): not if a parent folder is excluded).
		gittest.Write(t, dir, ".gitignore", "src/\n")
		gittest.Write(t, dir, "src/main.go", "package main // changed\n")
		gittest.Write(t, dir, "src/util/strings.go", "package util // changed\n")
		gittest.Write(t, dir, "src/new.go", "untracked\n")
		gittest.Write(t, dir, "src/util/.gitignore", "!deep.go\n")
		gittest.Write(t, dir, "src/util/deep.go", "untracked\n")
		gittest.Write(t, dir, "src/fresh/x.go", "untracked folder\n")
	}},
	recipe{name: "info/exclude and global excludes", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, ".git/info/exclude", "*.tmp\n")
		gittest.Write(t, home, ".config/git/ignore", "secret/\n")
		gittest.Write(t, dir, "a.tmp", "t\n")
		gittest.Write(t, dir, "secret/key", "k\n")
		gittest.Write(t, dir, "visible", "v\n")
	}},
	recipe{name: "tracked file that is now ignored", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, ".gitignore", "*.md\n")
		gittest.Write(t, dir, "README.md", "# changed but ignored\n")
		gittest.Write(t, dir, "NEW.md", "untracked and ignored\n")
	}},
	recipe{name: "names with spaces and quotes", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, "my notes/a file.txt", "a\n")
		gittest.Write(t, dir, "it's \"quoted\".txt", "q\n")
		gittest.Write(t, dir, "tab\there.txt", "t\n")
	}},
	recipe{name: "name with a newline", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, "line\nbreak.txt", "n\n")
	}},
	recipe{name: "NFD and NFC names", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, "caf\u00e9.txt", "nfc\n")
		gittest.Write(t, dir, "cafe\u0301-d.txt", "nfd\n")
		gittest.Write(t, dir, "日本/語.txt", "ja\n")
	}},
	recipe{name: "empty file and empty folder", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, "empty.txt", "")
		if err := os.MkdirAll(filepath.Join(dir, "hollow/inner"), 0o755); err != nil {
			t.Fatal(err)
		}
	}},
	recipe{name: "binary content", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, "blob.bin", "\x00\x01\x02\xff\r\n\x00tail")
		gittest.Write(t, dir, "big.txt", strings.Repeat("0123456789abcdef\n", 1<<16))
	}},
	recipe{name: "removed from the index but still on disk", setup: func(t *testing.T, dir, home string) {
		gittest.Git(t, dir, "rm", "-q", "--cached", "docs/guide.txt")
	}},
	recipe{name: "staged then changed again", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, "README.md", "# staged\n")
		gittest.Git(t, dir, "add", "README.md")
		gittest.Write(t, dir, "README.md", "# changed after staging\n")
	}},
	recipe{name: "intent to add", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, "later.txt", "later\n")
		gittest.Git(t, dir, "add", "-N", "later.txt")
	}},
	recipe{name: "staged deletion with the file restored", setup: func(t *testing.T, dir, home string) {
		gittest.Git(t, dir, "rm", "-q", "README.md")
		gittest.Write(t, dir, "README.md", "# back\n")
	}},
	recipe{name: "racily clean same-size edit", setup: func(t *testing.T, dir, home string) {
		// Same size, written within the index's timestamp: only
		// hashing finds the change.
		gittest.Write(t, dir, "docs/guide.txt", "line ONE\nline two\n")
	}},
	recipe{name: "many changes at once", setup: func(t *testing.T, dir, home string) {
		mustRename(t, dir, "src/util", "pkg/util")
		mustRemove(t, dir, "bin")
		mustChmod(t, dir, "docs/guide.txt", 0o755)
		gittest.Write(t, dir, "README.md", "# many\n")
		gittest.Write(t, dir, "pkg/util/extra.go", "package util\n")
		mustSymlink(t, dir, "pkg", "pkg-link")
	}},
)
