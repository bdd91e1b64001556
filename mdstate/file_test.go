package mdstate

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFile creates a file for a test and fails the test on error.
func writeFile(t *testing.T, path string, data []byte, perm os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, data, perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil { // not subject to umask
		t.Fatal(err)
	}
}

// noTemps fails the test if dir holds a temp file left by a write.
func noTemps(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.Contains(e.Name(), ".wf-tmp-") {
			t.Errorf("temp file left behind: %s", filepath.Join(dir, e.Name()))
		}
	}
}

func mustContent(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s = %q, want %q", path, got, want)
	}
}

func TestReadFileRefuses(t *testing.T) {
	tests := []struct {
		name string
		// setup makes the file to read in root; outside is a folder
		// outside root.
		setup    func(t *testing.T, path, outside string)
		line     int
		msg      string // a piece of the message
		hint     string // a piece of the hint
		is       error  // if set, errors.Is(err, is) must hold
		checkErr func(t *testing.T, err *FileError)
	}{
		{
			name:  "missing",
			setup: func(t *testing.T, path, outside string) {},
			msg:   "no such file", hint: "wf init", is: fs.ErrNotExist,
		},
		{
			name: "folder",
			setup: func(t *testing.T, path, outside string) {
				if err := os.Mkdir(path, 0o755); err != nil {
					t.Fatal(err)
				}
			},
			msg: "is a folder, not a file", hint: "move the folder",
		},
		{
			name: "named pipe",
			setup: func(t *testing.T, path, outside string) {
				if err := mkfifo(path); err != nil {
					t.Skip("cannot make a named pipe:", err)
				}
			},
			msg: "not a regular file (a named pipe)", hint: "Markdown text file",
		},
		{
			name: "symlink out of root",
			setup: func(t *testing.T, path, outside string) {
				target := filepath.Join(outside, "secret.md")
				writeFile(t, target, []byte("# secret\n"), 0o644)
				if err := os.Symlink(target, path); err != nil {
					t.Fatal(err)
				}
			},
			msg: "outside", hint: "replace the link",
		},
		{
			name: "relative symlink climbing out of root",
			setup: func(t *testing.T, path, outside string) {
				writeFile(t, filepath.Join(outside, "secret.md"), []byte("# secret\n"), 0o644)
				rel, err := filepath.Rel(filepath.Dir(path), filepath.Join(outside, "secret.md"))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(rel, path); err != nil {
					t.Fatal(err)
				}
			},
			msg: "outside", hint: "replace the link",
		},
		{
			name: "dangling symlink",
			setup: func(t *testing.T, path, outside string) {
				if err := os.Symlink("nowhere.md", path); err != nil {
					t.Fatal(err)
				}
			},
			msg: "symbolic link to a file that does not exist", is: fs.ErrNotExist,
		},
		{
			name: "too large",
			setup: func(t *testing.T, path, outside string) {
				f, err := os.Create(path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if err := f.Truncate(50 << 20); err != nil { // sparse: fast
					t.Fatal(err)
				}
			},
			msg: "file is 50.0 MB; wf reads state files up to 10 MB", hint: "split it",
		},
		{
			name: "one byte over the limit",
			setup: func(t *testing.T, path, outside string) {
				f, err := os.Create(path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if err := f.Truncate(MaxFileSize + 1); err != nil {
					t.Fatal(err)
				}
			},
			msg: "up to 10 MB",
		},
		{
			name: "NUL byte",
			setup: func(t *testing.T, path, outside string) {
				writeFile(t, path, []byte("# TODO\n\n- [ ] a\x00b\n"), 0o644)
			},
			line: 3, msg: "NUL byte", hint: "git restore",
		},
		{
			name: "invalid UTF-8",
			setup: func(t *testing.T, path, outside string) {
				writeFile(t, path, []byte("# TODO\n- [ ] caf\xe9 au lait\n"), 0o644)
			},
			line: 2, msg: "invalid UTF-8 at byte column 10 (0xe9)", hint: "UTF-8",
		},
		{
			name: "invalid UTF-8 after multi-byte text, CRLF",
			setup: func(t *testing.T, path, outside string) {
				writeFile(t, path, []byte("# TODO\r\n\r\n- ü \xff\r\n"), 0o644)
			},
			line: 3, msg: "byte column 6 (0xff)",
		},
		{
			name: "truncated sequence at end of file",
			setup: func(t *testing.T, path, outside string) {
				writeFile(t, path, []byte("# TODO\n\xc3"), 0o644)
			},
			line: 2, msg: "byte column 1 (0xc3)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, outside := t.TempDir(), t.TempDir()
			path := filepath.Join(root, "TODO.md")
			tt.setup(t, path, outside)
			data, fi, err := ReadFile(root, path)
			if err == nil {
				t.Fatalf("ReadFile succeeded (%d bytes, %v), want an error", len(data), fi)
			}
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T) is not a *FileError", err, err)
			}
			if fe.Path != path {
				t.Errorf("Path = %q, want %q", fe.Path, path)
			}
			if fe.Line != tt.line {
				t.Errorf("Line = %d, want %d (error %q)", fe.Line, tt.line, err)
			}
			if !strings.Contains(fe.Msg, tt.msg) {
				t.Errorf("Msg = %q, want it to contain %q", fe.Msg, tt.msg)
			}
			if !strings.Contains(fe.Hint(), tt.hint) {
				t.Errorf("Hint() = %q, want it to contain %q", fe.Hint(), tt.hint)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
			if m := fe.Msg; m != strings.ToLower(m[:1])+m[1:] || strings.HasSuffix(m, ".") {
				t.Errorf("Msg %q: want lower-case start, no period", m)
			}
		})
	}
}

func TestReadFileAccepts(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", []byte{}},
		{"plain", []byte("# TODO\n\n- [ ] a\n")},
		{"BOM", []byte("\xef\xbb\xbf# TODO\r\n- [ ] ü\r\n")},
		{"no final newline", []byte("# TODO")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			path := filepath.Join(root, "TODO.md")
			writeFile(t, path, tt.data, 0o640)
			data, fi, err := ReadFile(root, path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, tt.data) {
				t.Errorf("data = %q, want %q", data, tt.data)
			}
			if fi.Size() != int64(len(tt.data)) || fi.Mode().Perm() != 0o640 || fi.ModTime().IsZero() {
				t.Errorf("FileInfo: size %d mode %v mtime %v", fi.Size(), fi.Mode(), fi.ModTime())
			}
		})
	}
}

func TestFileErrorFormat(t *testing.T) {
	tests := []struct {
		err  *FileError
		want string
	}{
		{&FileError{Path: "TODO.md", Msg: "no such file"}, "TODO.md: no such file"},
		{&FileError{Path: "TODO.md", Line: 7, Msg: "contains a NUL byte"}, "TODO.md:7: contains a NUL byte"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

// TestSymlinkInsideRoot reads through a link that stays in the root, and
// writes through it: the target changes, the link stays a link.
func TestSymlinkInsideRootReadWrite(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "notes"), 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(root, "notes", "real-todo.md")
	writeFile(t, target, []byte("# TODO\n"), 0o600)
	link := filepath.Join(root, "TODO.md")
	if err := os.Symlink(filepath.Join("notes", "real-todo.md"), link); err != nil {
		t.Fatal(err)
	}

	data, _, err := ReadFile(root, link)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(link, []byte("# TODO\n- [ ] new\n"), data); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("%s is no longer a symbolic link (mode %v)", link, fi.Mode())
	}
	mustContent(t, target, []byte("# TODO\n- [ ] new\n"))
	if fi, err := os.Stat(target); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("target mode: %v, %v; want 0600", fi.Mode(), err)
	}
	noTemps(t, root)
	noTemps(t, filepath.Join(root, "notes"))
}

func TestWriteFileAtomic(t *testing.T) {
	tests := []struct {
		name     string
		old      []byte // nil: no file before the write
		perm     os.FileMode
		wantPerm os.FileMode
	}{
		{"replace keeps 0600", []byte("old\n"), 0o600, 0o600},
		{"replace keeps 0640", []byte("old\n"), 0o640, 0o640},
		{"replace keeps 0755", []byte("old\n"), 0o755, 0o755},
		{"new file is 0644", nil, 0, 0o644},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "workflow-state.md")
			if tt.old != nil {
				writeFile(t, path, tt.old, tt.perm)
			}
			want := []byte("# Workflow State: new\n")
			if err := WriteFileAtomic(path, want, tt.old); err != nil {
				t.Fatal(err)
			}
			mustContent(t, path, want)
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != tt.wantPerm {
				t.Errorf("mode = %v, want %v", fi.Mode().Perm(), tt.wantPerm)
			}
			noTemps(t, dir)
		})
	}
}

// TestWriteFileAtomicRefuses checks that every failed write leaves the file
// byte for byte as it was and no temp file behind.
func TestWriteFileAtomicRefuses(t *testing.T) {
	old := []byte("# TODO\n- [ ] a\n")
	tests := []struct {
		name string
		// setup runs after path is created with old; it returns the
		// expect argument and the content the file must have afterwards.
		setup    func(t *testing.T, dir, path string) (expect, after []byte)
		asRoot   bool // false: skip when running as root
		is       error
		hint     string
		noFileOK bool // the file is gone afterwards, by design of the case
	}{
		{
			name: "read-only file",
			setup: func(t *testing.T, dir, path string) ([]byte, []byte) {
				if err := os.Chmod(path, 0o444); err != nil {
					t.Fatal(err)
				}
				return old, old
			},
			asRoot: true, hint: "chmod u+w " + "PATH",
		},
		{
			name: "read-only file, no expect",
			setup: func(t *testing.T, dir, path string) ([]byte, []byte) {
				if err := os.Chmod(path, 0o400); err != nil {
					t.Fatal(err)
				}
				return nil, old
			},
			asRoot: true, hint: "chmod u+w " + "PATH",
		},
		{
			name: "hand edit between read and write",
			setup: func(t *testing.T, dir, path string) ([]byte, []byte) {
				edited := []byte("# TODO\n- [ ] a\n- [ ] typed in an editor\n")
				writeFile(t, path, edited, 0o644)
				return old, edited
			},
			asRoot: true, is: ErrChanged,
		},
		{
			name: "editor saved by rename",
			setup: func(t *testing.T, dir, path string) ([]byte, []byte) {
				edited := []byte("# TODO\n- [x] a\n")
				writeFile(t, filepath.Join(dir, "save.tmp"), edited, 0o644)
				if err := os.Rename(filepath.Join(dir, "save.tmp"), path); err != nil {
					t.Fatal(err)
				}
				return old, edited
			},
			asRoot: true, is: ErrChanged,
		},
		{
			name: "deleted between read and write",
			setup: func(t *testing.T, dir, path string) ([]byte, []byte) {
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
				return old, nil
			},
			asRoot: true, is: ErrChanged, noFileOK: true,
		},
		{
			name: "read-only folder",
			setup: func(t *testing.T, dir, path string) ([]byte, []byte) {
				if err := os.Chmod(dir, 0o555); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.Chmod(dir, 0o755) })
				return old, old
			},
			asRoot: false, is: fs.ErrPermission,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.asRoot && os.Geteuid() == 0 {
				t.Skip("root ignores permissions")
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "TODO.md")
			writeFile(t, path, old, 0o644)
			expect, after := tt.setup(t, dir, path)

			err := WriteFileAtomic(path, []byte("# TODO\n- [x] a\n- [ ] b\n"), expect)
			if err == nil {
				t.Fatal("WriteFileAtomic succeeded, want an error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v: errors.Is(err, %v) = false", err, tt.is)
			}
			if tt.hint != "" {
				var fe *FileError
				want := strings.ReplaceAll(tt.hint, "PATH", path)
				if !errors.As(err, &fe) || fe.Hint() != want {
					t.Errorf("error %v (%T): want a *FileError with hint %q", err, err, want)
				}
			}
			if tt.noFileOK {
				if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("%s was recreated: %v", path, err)
				}
			} else {
				mustContent(t, path, after)
			}
			noTemps(t, dir)
		})
	}
}

func TestWriteFileAtomicNotAFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "TODO.md")
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	var fe *FileError
	if err := WriteFileAtomic(path, []byte("x"), nil); !errors.As(err, &fe) {
		t.Fatalf("error %v (%T), want a *FileError", err, err)
	}
	if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
		t.Errorf("folder %s changed: %v %v", path, fi, err)
	}
	noTemps(t, dir)
}

func TestCreateFileExclusive(t *testing.T) {
	tests := []struct {
		name     string
		existing []byte // nil: no file yet
		perm     os.FileMode
	}{
		{"new 0644", nil, 0o644},
		{"new 0600", nil, 0o600},
		{"existing file", []byte("# mine, hands off\n"), 0o644},
		{"existing empty file", []byte{}, 0o644},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "TODO.md")
			if tt.existing != nil {
				writeFile(t, path, tt.existing, 0o600)
			}
			data := []byte("# TODO\n")
			err := CreateFileExclusive(path, data, tt.perm)
			if tt.existing == nil {
				if err != nil {
					t.Fatal(err)
				}
				mustContent(t, path, data)
				if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != tt.perm {
					t.Errorf("mode %v, %v; want %v", fi.Mode().Perm(), err, tt.perm)
				}
			} else {
				var fe *FileError
				if !errors.As(err, &fe) || !errors.Is(err, fs.ErrExist) {
					t.Fatalf("error %v (%T), want a *FileError matching fs.ErrExist", err, err)
				}
				if fe.Path != path || fe.Hint() == "" {
					t.Errorf("FileError %+v: want Path %q and a hint", fe, path)
				}
				mustContent(t, path, tt.existing)
				if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
					t.Errorf("existing file's mode changed: %v, %v", fi.Mode().Perm(), err)
				}
			}
			noTemps(t, dir)
		})
	}
}

func TestCreateFileExclusiveNoFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "TODO.md")
	err := CreateFileExclusive(path, []byte("x"), 0o644)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("error %v, want fs.ErrNotExist", err)
	}
}
