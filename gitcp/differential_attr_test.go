package gitcp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// Recipes for attributes, filters and the core.* settings that change
// what git add stores (issue 9 part A, DESIGN §4.1).

// lfsClean is an LFS-like clean filter: the content is replaced by a
// pointer naming its SHA-256 and size, as git-lfs stores it.
const lfsClean = `f=$(mktemp) && cat >"$f" && printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %s\n' "$(sha256sum <"$f" | cut -d' ' -f1)" "$(wc -c <"$f" | tr -d ' ')" && rm -f "$f"`

func gitConfig(t *testing.T, dir string, kv ...string) {
	t.Helper()
	for i := 0; i+1 < len(kv); i += 2 {
		gittest.Git(t, dir, "config", kv[i], kv[i+1])
	}
}

// wantGitAddFails checks, on a copy of dir, that git add -A fails with an
// error containing msg: the recipe's refusal is git's own.
func wantGitAddFails(t *testing.T, dir, msg string) {
	t.Helper()
	cp := filepath.Join(t.TempDir(), "copy")
	copyTree(t, dir, cp)
	out, err := gittest.TryGit(cp, "add", "-A")
	if err == nil || !strings.Contains(out, msg) {
		t.Fatalf("git add -A: want a failure containing %q, got %v\n%s", msg, err, out)
	}
}

func commitAll(t *testing.T, dir, msg string) {
	t.Helper()
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", msg)
}

var _ = addRecipes(
	recipe{name: "attr autocrlf=input: new and changed CRLF files, one renamed", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "core.autocrlf", "input")
		gittest.Write(t, dir, "win.txt", "line1\r\nline2\r\n")
		gittest.Write(t, dir, "docs/guide.txt", "line one\r\nline two\r\nthree\r\n")
		mustRename(t, dir, "src/util/strings.go", "src/util/str.go")
		gittest.Write(t, dir, "src/util/str.go", "package util\r\n\r\nvar S = 1\r\n")
	}},
	recipe{name: "attr text eol=lf on *.c, the reported case", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, ".gitattributes", "*.c text eol=lf\n")
		gittest.Write(t, dir, "attr.c", "a\r\nb\r\n")
		gittest.Write(t, dir, "lone.c", "a\rb\r\n") // a lone CR stays with text (not auto)
		gittest.Write(t, dir, "keep.h", "x\r\n")
	}},
	recipe{name: "attr autocrlf=true: CRLF text, binary-looking files kept", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "core.autocrlf", "true")
		gittest.Write(t, dir, "w.md", "p\r\nq\r\n")
		gittest.Write(t, dir, "nul.dat", "a\r\n\x00b\r\n")
		gittest.Write(t, dir, "lonecr.txt", "a\rb\r\nc\r\n")
		gittest.Write(t, dir, "ctrl.txt", "\x01\x02\x03\x04\r\n")
		gittest.Write(t, dir, "mixed.txt", "lf\ncrlf\r\n")
	}},
	recipe{name: "attr core.autocrlf as a bare key is true", setup: func(t *testing.T, dir, home string) {
		// git reads "[core] autocrlf" (no "=") as true (review of
		// 9fc3f32: wf read it as false).
		f, err := os.OpenFile(filepath.Join(dir, ".git", "config"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("[core]\n\tautocrlf\n")
		f.Close()
		gittest.Write(t, dir, "w.md", "p\r\nq\r\n")
		gittest.Write(t, dir, "sub/v.txt", "a\r\nb\r\n")
	}},
	recipe{name: "attr text=auto keeps CRLF already in the index (safer autocrlf)", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, "old.txt", "a\r\nb\r\n")
		gittest.Write(t, dir, "lf.txt", "a\nb\n")
		commitAll(t, dir, "crlf in history")
		gittest.Write(t, dir, ".gitattributes", "* text=auto\n")
		gittest.Write(t, dir, "old.txt", "a\r\nb\r\nc\r\n")
		gittest.Write(t, dir, "lf.txt", "a\r\nb\r\nc\r\n")
		mustRename(t, dir, "README.md", "doc/README.md")
		gittest.Write(t, dir, "doc/README.md", "# base\r\n")
	}},
	recipe{name: "attr only line endings differ: not a change", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, ".gitattributes", "*.txt text\n*.go text eol=crlf\n")
		commitAll(t, dir, "attributes")
		gittest.Write(t, dir, "docs/guide.txt", "line one\r\nline two\r\n")
		gittest.Write(t, dir, "src/main.go", "package main\r\n\r\nfunc main() {}\r\n")
	}},
	recipe{name: "attr eol=crlf and core.eol=crlf with text store LF", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "core.eol", "crlf")
		gittest.Write(t, dir, ".gitattributes", "*.txt text eol=crlf\n*.md text\n*.cfg eol=lf\n")
		gittest.Write(t, dir, "crlf.txt", "a\r\nb\r\n")
		gittest.Write(t, dir, "notes.md", "x\r\ny\n")
		gittest.Write(t, dir, "a.cfg", "k=v\r\n")
	}},
	recipe{name: "attr -text, binary macro and legacy crlf attributes", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "core.autocrlf", "true")
		gittest.Write(t, dir, ".gitattributes", "*.raw -text\n*.dat binary\n*.old -crlf\n*.in crlf=input\n*.yes crlf\n")
		for _, n := range []string{"a.raw", "b.dat", "c.old", "d.in", "e.yes", "f.other"} {
			gittest.Write(t, dir, n, "1\r\n2\r\n")
		}
	}},
	recipe{name: "attr user macro in the top-level file, nested override", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, ".gitattributes", "[attr]crlftext text eol=crlf\n*.txt crlftext\n")
		gittest.Write(t, dir, "sub/.gitattributes", "*.txt -text\n")
		gittest.Write(t, dir, "top.txt", "a\r\nb\r\n")
		gittest.Write(t, dir, "sub/low.txt", "a\r\nb\r\n")
		gittest.Write(t, dir, "sub/deeper/low.txt", "a\r\nb\r\n")
	}},
	recipe{name: "attr nested .gitattributes with renames into and out of it", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, ".gitattributes", "*.go text\n/docs/*.txt ident\n")
		gittest.Write(t, dir, "src/.gitattributes", "*.go -text\nutil/*.go eol=lf\n")
		gittest.Write(t, dir, "src/main.go", "package main\r\n\r\nfunc main() {}\r\n")
		mustRename(t, dir, "src/util/strings.go", "lib/strings.go")
		gittest.Write(t, dir, "lib/strings.go", "package util\r\n")
		gittest.Write(t, dir, "src/util/new.go", "package util\r\n")
		gittest.Write(t, dir, "docs/guide.txt", "$Id: abc $\nline two\n")
		gittest.Write(t, dir, "docs/sub/guide.txt", "$Id: abc $\n")
	}},
	recipe{name: "attr ident collapses $Id$ and leaves near misses", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, ".gitattributes", "*.c ident\n")
		gittest.Write(t, dir, "x.c", "/* $Id: deadbeef $ */\n$Id$ $Id:\nno end $ x $Id: two $ $Id: a\nb $\n")
		gittest.Write(t, dir, "y.c", "$Id: 0123 $$Id: 4567 $\n")
	}},
	recipe{name: "attr working-tree-encoding UTF-16, UTF-16LE and ISO-8859-1", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, ".gitattributes", "*.u16 working-tree-encoding=UTF-16\n*.le working-tree-encoding=UTF-16LE text eol=crlf\n*.l1 working-tree-encoding=ISO-8859-1\n*.u8 working-tree-encoding=utf-8\n")
		gittest.Write(t, dir, "a.u16", "\xfe\xff\x00h\x00\xe9\x00\n")
		gittest.Write(t, dir, "b.le", "h\x00i\x00\r\x00\n\x00")
		gittest.Write(t, dir, "c.l1", "caf\xe9\n")
		gittest.Write(t, dir, "d.u8", "caf\xc3\xa9\n")
	}},
	recipe{name: "attr working-tree-encoding UTF-16LE with a BOM is refused", refuse: "BOM is prohibited", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, ".gitattributes", "*.le working-tree-encoding=UTF-16LE\n")
		gittest.Write(t, dir, "b.le", "\xff\xfeh\x00i\x00")
		wantGitAddFails(t, dir, "BOM is prohibited in 'b.le' if encoded as UTF-16LE")
	}},
	recipe{name: "attr core.safecrlf=true refuses an irreversible conversion", refuse: "CRLF would be replaced by LF in mixed.txt", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "core.autocrlf", "input", "core.safecrlf", "true")
		gittest.Write(t, dir, "mixed.txt", "a\r\nb\r\n")
		wantGitAddFails(t, dir, "CRLF would be replaced by LF in mixed.txt")
	}},
	recipe{name: "filter LFS-like clean filter, required, with a rename and a deletion", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "filter.lfs.clean", lfsClean, "filter.lfs.smudge", "cat", "filter.lfs.required", "true")
		gittest.Write(t, dir, ".gitattributes", "*.psd filter=lfs diff=lfs merge=lfs -text\n")
		gittest.Write(t, dir, "art.psd", "BIG\x00binary")
		gittest.Write(t, dir, "art dir/my pic.psd", "another\x00one")
		gittest.Write(t, dir, "empty.psd", "")
		mustRemove(t, dir, "docs/guide.txt")
		mustRename(t, dir, "README.md", "README.psd")
	}},
	recipe{name: "filter driver named in upper case", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "filter.UP.clean", "tr a-z A-Z", "filter.UP.required", "true")
		gittest.Write(t, dir, ".gitattributes", "*.up filter=UP\n*.low filter=up\n")
		gittest.Write(t, dir, "a.up", "shout\n")
		gittest.Write(t, dir, "b.low", "driver names are case-sensitive\n")
	}},
	recipe{name: "attr conversion with a mode change, a symlink to a matching name and a type change", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "filter.up.clean", "tr a-z A-Z")
		gittest.Write(t, dir, ".gitattributes", "*.sh text eol=lf\n*.txt filter=up\n")
		gittest.Write(t, dir, "bin/run.sh", "#!/bin/sh\r\necho run\r\n")
		mustChmod(t, dir, "bin/run.sh", 0o644)
		mustSymlink(t, dir, "bin/run.sh", "link.sh")
		mustSymlink(t, dir, "README.md", "notes.txt")
		mustRemove(t, dir, "guide-link")
		gittest.Write(t, dir, "guide-link", "now a file\r\n")
		mustRemove(t, dir, "docs/guide.txt")
		mustSymlink(t, dir, "../README.md", "docs/guide.txt")
	}},
	recipe{name: "filter clean with %f and odd names", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "filter.name.clean", "printf '%%s\\n' %f; cat")
		gittest.Write(t, dir, ".gitattributes", "*.n filter=name\n\"quoted name.q\" filter=name\n")
		gittest.Write(t, dir, "plain.n", "x\n")
		gittest.Write(t, dir, "with space.n", "x\n")
		gittest.Write(t, dir, "it's.n", "x\n")
		gittest.Write(t, dir, "dollar$HOME.n", "x\n")
		gittest.Write(t, dir, "quoted name.q", "x\n")
		gittest.Write(t, dir, "caf\u00e9/\u00fc.n", "x\n")
	}},
	recipe{name: "filter a clean filter that maps a change to the same blob is no change", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "filter.up.clean", "tr a-z A-Z")
		gittest.Write(t, dir, ".gitattributes", "*.dat filter=up\n")
		gittest.Write(t, dir, "a.dat", "hello world\n")
		commitAll(t, dir, "filtered")
		gittest.Write(t, dir, "a.dat", "HELLO world\n")
	}},
	recipe{name: "filter required with no clean command fails as git fails", refuse: "clean filter 'req' failed", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "filter.req.smudge", "cat", "filter.req.required", "true")
		gittest.Write(t, dir, ".gitattributes", "*.bin filter=req\n")
		gittest.Write(t, dir, "a.bin", "data")
		wantGitAddFails(t, dir, "a.bin: clean filter 'req' failed")
	}},
	recipe{name: "filter required and failing fails as git fails", refuse: "a.bin: clean filter 'bad' failed", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "filter.bad.clean", "cat >/dev/null; exit 3", "filter.bad.required", "true")
		gittest.Write(t, dir, ".gitattributes", "*.bin filter=bad\n")
		gittest.Write(t, dir, "a.bin", "data")
		wantGitAddFails(t, dir, "a.bin: clean filter 'bad' failed")
	}},
	recipe{name: "filter optional and failing stores the file unfiltered; a missing program too", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "filter.bad.clean", "exit 1", "filter.gone.clean", "/nonexistent/wf-filter", "filter.undefined-is-ignored.smudge", "cat")
		gittest.Write(t, dir, ".gitattributes", "*.bad filter=bad text\n*.gone filter=gone\n*.nodriver filter=nosuchdriver\n")
		gittest.Write(t, dir, "a.bad", "data\r\n")
		gittest.Write(t, dir, "b.gone", "data\n")
		gittest.Write(t, dir, "c.nodriver", "data\n")
	}},
	recipe{name: "filter process (long-running, version 2) with clean over one process", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "filter.proc.process", filterProcessCommand(t, "upper"), "filter.proc.clean", "false")
		gittest.Write(t, dir, ".gitattributes", "*.p filter=proc\n")
		gittest.Write(t, dir, "a.p", "hello\n")
		gittest.Write(t, dir, "sub/b.p", "world\n")
		gittest.Write(t, dir, "big.p", string(make([]byte, 200000))+"tail\n")
		gittest.Write(t, dir, "fail.p", "error answers leave the file unfiltered\n")
	}},
	recipe{name: "filter process required answering error fails as git fails", refuse: "fail.p: clean filter 'proc' failed", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "filter.proc.process", filterProcessCommand(t, "upper"), "filter.proc.required", "true")
		gittest.Write(t, dir, ".gitattributes", "*.p filter=proc\n")
		gittest.Write(t, dir, "a.p", "hello\n")
		gittest.Write(t, dir, "fail.p", "x\n")
		wantGitAddFails(t, dir, "fail.p: clean filter 'proc' failed")
	}},
	recipe{name: "attr info/attributes wins over .gitattributes", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, ".gitattributes", "*.txt -text\n")
		gittest.Write(t, dir, ".git/info/attributes", "*.txt text\n")
		gittest.Write(t, dir, "a.txt", "a\r\n")
		gittest.Write(t, dir, "sub/b.txt", "b\r\n")
	}},
	recipe{name: "attr core.attributesFile and the XDG default", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, home, ".config/git/attributes", "*.x text\n")
		gittest.Write(t, home, "custom-attributes", "*.y text\n")
		gittest.Write(t, dir, "a.x", "a\r\n")
		gittest.Write(t, dir, "a.y", "a\r\n")
		gittest.Write(t, dir, ".gitattributes", "*.z text\n")
		gittest.Write(t, dir, "a.z", "a\r\n")
	}},
	recipe{name: "attr core.attributesFile set explicitly", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, home, "custom-attributes", "*.y text\n*.x -text\n")
		gittest.Write(t, home, ".config/git/attributes", "*.x text\n")
		gitConfig(t, dir, "core.attributesFile", "~/custom-attributes")
		gittest.Write(t, dir, "a.x", "a\r\n")
		gittest.Write(t, dir, "a.y", "a\r\n")
	}},
	recipe{name: "attr deleted .gitattributes no longer applies", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, ".gitattributes", "*.txt text\n")
		gittest.Write(t, dir, "sub/.gitattributes", "*.md text\n")
		commitAll(t, dir, "attributes")
		mustRemove(t, dir, ".gitattributes")
		mustRemove(t, dir, "sub/.gitattributes")
		gittest.Write(t, dir, "a.txt", "a\r\n")
		gittest.Write(t, dir, "sub/b.md", "b\r\n")
	}},
	recipe{name: "attr .gitattributes that is a symlink is not followed", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, "attrs", "*.txt text\n")
		mustSymlink(t, dir, "attrs", ".gitattributes")
		gittest.Write(t, dir, "a.txt", "a\r\n")
	}},
	recipe{name: "attr odd names: spaces, unicode, leading dash, newline", setup: func(t *testing.T, dir, home string) {
		gittest.Write(t, dir, ".gitattributes", "* text=auto\n\"a\\tb.txt\" -text\n")
		gittest.Write(t, dir, "with space.txt", "a\r\n")
		gittest.Write(t, dir, "caf\u00e9.txt", "a\r\n")
		gittest.Write(t, dir, "-dash.txt", "a\r\n")
		gittest.Write(t, dir, "new\nline.txt", "a\r\n")
		gittest.Write(t, dir, "a\tb.txt", "a\r\n")
	}},
	recipe{name: "core.filemode=false: exec bits ignored, new executables stored 100644", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "core.filemode", "false")
		mustChmod(t, dir, "bin/run.sh", 0o644)
		gittest.Write(t, dir, "bin/run.sh", "#!/bin/sh\necho changed\n")
		mustChmod(t, dir, "src/main.go", 0o755)
		gittest.Write(t, dir, "bin/new.sh", "#!/bin/sh\n")
		mustChmod(t, dir, "bin/new.sh", 0o755)
		mustRename(t, dir, "docs/guide.txt", "docs/guide2.txt")
		mustChmod(t, dir, "docs/guide2.txt", 0o755)
	}},
	recipe{name: "core.symlinks=false: a symlink checked out as a file stays a symlink", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "core.symlinks", "false")
		mustRemove(t, dir, "guide-link")
		gittest.Write(t, dir, "guide-link", "docs/other.txt")
		gittest.Write(t, dir, "new-link", "README.md")
	}},
	recipe{name: "core.symlinks=false with autocrlf: file content of a symlink entry", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "core.symlinks", "false", "core.autocrlf", "true")
		mustRemove(t, dir, "guide-link")
		gittest.Write(t, dir, "guide-link", "docs/guide.txt")
		gittest.Write(t, dir, "x.txt", "a\r\n")
	}},
	recipe{name: "core.ignorecase=true: a name differing only in case is the tracked file", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "core.ignorecase", "true")
		gittest.Write(t, dir, "readme.MD", "# other case\n")
		gittest.Write(t, dir, "src/Main.go", "package main\n")
		gittest.Write(t, dir, "Fresh.txt", "new\n")
	}},
	recipe{name: "core.ignorecase=true: ignore patterns match without case", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "core.ignorecase", "true")
		gittest.Write(t, dir, ".gitignore", "*.LOG\nBuild/\n")
		gittest.Write(t, dir, "Sub/.gitignore", "TMP*\n")
		gittest.Write(t, dir, ".git/info/exclude", "SECRET.txt\n")
		gittest.Write(t, dir, "a.log", "x\n")
		gittest.Write(t, dir, "build/out.o", "x\n")
		gittest.Write(t, dir, "Sub/tmp2", "x\n")
		gittest.Write(t, dir, "Sub/Tmp3", "x\n")
		gittest.Write(t, dir, "Sub/kept", "x\n")
		gittest.Write(t, dir, "secret.TXT", "x\n")
		gittest.Write(t, dir, "kept.txt", "x\n")
	}},
	recipe{name: "core.ignorecase=true: attribute patterns match without case", setup: func(t *testing.T, dir, home string) {
		gitConfig(t, dir, "core.ignorecase", "true")
		gittest.Write(t, dir, ".gitattributes", "*.TXT text\nDOCS/** ident\n")
		gittest.Write(t, dir, "a.txt", "a\r\n")
		gittest.Write(t, dir, "docs/guide.txt", "$Id: x $\r\n")
	}},
)

// TestFilterProcessStartsOnce: one checkpoint starts the process filter
// once, and a checkpoint with nothing to filter does not start it.
func TestFilterProcessStartsOnce(t *testing.T) {
	gittest.Env(t)
	dir := newRecipeRepo(t)
	log := filepath.Join(t.TempDir(), "starts")
	t.Setenv("WF_TEST_FILTER_LOG", log)
	gitConfig(t, dir, "filter.proc.process", filterProcessCommand(t, "upper"))
	gittest.Write(t, dir, ".gitattributes", "*.p filter=proc\n")
	commitAll(t, dir, "attributes")
	r, err := Discover(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	gittest.Write(t, dir, "unfiltered.txt", "x\n")
	if _, err := r.Commit(CommitOptions{Message: "no filter"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(log); err == nil {
		t.Fatal("the filter process started for a commit with no filtered file")
	}
	for _, n := range []string{"a.p", "b.p", "sub/c.p"} {
		gittest.Write(t, dir, n, n+"\n")
	}
	if _, err := r.Commit(CommitOptions{Message: "filtered"}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(log)
	if err != nil || string(data) != "start upper\n" {
		t.Fatalf("starts: %q, %v (want one)", data, err)
	}
	if got := gittest.Git(t, dir, "show", "HEAD:sub/c.p"); got != "SUB/C.P" {
		t.Fatalf("sub/c.p committed as %q", got)
	}
}
