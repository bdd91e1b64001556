package mdstate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxFileSize is the largest state file wf reads (10 MiB).
const MaxFileSize = 10 << 20

// ErrChanged is returned by [WriteFileAtomic] when the file on disk no longer
// holds the content the caller parsed: someone (usually a person in an
// editor, who takes no lock) changed it meanwhile. The caller re-reads and
// redoes its change. Test for it with errors.Is.
var ErrChanged = errors.New("file changed on disk while wf was editing it")

// FileError is a problem with a state file.
type FileError struct {
	Path string // the file as the caller named it
	Line int    // 1-based; 0 if the problem is not on one line
	Col  int    // 1-based byte column on Line; 0 if not known
	Msg  string // lower-case, no period
	Fix  string // a command or action that fixes it; may be ""
	Err  error  // the underlying error, if any (see Unwrap)
}

// Error returns "path:line:col: msg", "path:line: msg" when there is no
// column, or "path: msg" when there is no line: the form editors jump to.
func (e *FileError) Error() string {
	if e.Line > 0 && e.Col > 0 {
		return e.Path + ":" + strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Col) + ": " + e.Msg
	}
	if e.Line > 0 {
		return e.Path + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Hint says how to fix the problem ("" if there is nothing to suggest).
func (e *FileError) Hint() string { return e.Fix }

// Unwrap returns the underlying error, so that errors.Is(err,
// fs.ErrNotExist) and the like see through a FileError.
func (e *FileError) Unwrap() error { return e.Err }

// ReadFile reads the state file at path for parsing and returns its bytes and
// a snapshot of its metadata (size, modification time, mode) taken from the
// open file.
//
// root is the state root. When path is a symbolic link whose target resolves
// outside root, ReadFile refuses it; an empty root skips this check.
//
// Every refusal is a [*FileError] with a hint: a missing file (which still
// matches fs.ErrNotExist), a directory or other non-regular file, a file
// larger than [MaxFileSize], a binary file (a NUL byte; the error names its
// line) and invalid UTF-8 (the error names the line and byte column of the
// first bad byte). A UTF-8 byte order mark is accepted and returned as is.
func ReadFile(root, path string) ([]byte, os.FileInfo, error) {
	lfi, err := os.Lstat(path)
	if err != nil {
		return nil, nil, statError(path, err)
	}
	if lfi.Mode()&fs.ModeSymlink != 0 {
		if err := checkLinkInside(root, path); err != nil {
			return nil, nil, err
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		if lfi.Mode()&fs.ModeSymlink != 0 && errors.Is(err, fs.ErrNotExist) {
			return nil, nil, &FileError{Path: path, Msg: "is a symbolic link to a file that does not exist",
				Fix: "point the link at an existing file, or remove it (rm " + path + ")", Err: err}
		}
		return nil, nil, statError(path, err)
	}
	if err := checkRegular(path, fi); err != nil {
		return nil, nil, err
	}

	// openNoBlock: should the file be swapped for a FIFO after the Stat
	// above, opening it must not hang.
	f, err := openNoBlock(path)
	if err != nil {
		return nil, nil, statError(path, err)
	}
	defer f.Close()
	fi, err = f.Stat()
	if err != nil {
		return nil, nil, statError(path, err)
	}
	if err := checkRegular(path, fi); err != nil {
		return nil, nil, err
	}
	// Read at most one byte past the limit, so a file that grew after the
	// Stat is still refused without reading all of it. An editor that
	// saves in place (truncate, then write) can be caught halfway: the
	// file is read again until two reads agree.
	data, err := readLimited(f, fi.Size())
	for i := 0; err == nil && len(data) <= MaxFileSize; i++ {
		var again []byte
		if _, err = f.Seek(0, io.SeekStart); err != nil {
			break
		}
		if again, err = readLimited(f, int64(len(data))); err != nil || bytes.Equal(again, data) {
			break
		}
		if i == 8 {
			return nil, nil, &FileError{Path: path, Msg: "keeps changing while wf reads it",
				Fix: "retry once the program writing it is done", Err: ErrChanged}
		}
		data = again
	}
	if err != nil {
		return nil, nil, &FileError{Path: path, Msg: "cannot read: " + errText(err), Err: err}
	}
	if len(data) > MaxFileSize {
		return nil, nil, tooLarge(path, max(fi.Size(), int64(len(data))))
	}
	if err := checkText(path, data); err != nil {
		return nil, nil, err
	}
	return data, fi, nil
}

// readLimited reads f from its offset to its end, at most one byte past
// [MaxFileSize].
// size is the file's size as Stat saw it: the buffer starts one byte
// larger, so that reading a file that has not changed takes one
// allocation and the read that sees its end, where io.ReadAll would grow
// its buffer (and copy) about twenty times for 500 KB.
func readLimited(f *os.File, size int64) ([]byte, error) {
	r := io.LimitReader(f, MaxFileSize+1)
	buf := make([]byte, 0, min(max(size, 0), MaxFileSize)+1)
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grow: the file grew since Stat
		}
	}
}

// statError turns an error from Lstat, Stat or Open into a *FileError.
func statError(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &FileError{Path: path, Msg: "no such file", Fix: "wf init", Err: err}
	case errors.Is(err, fs.ErrPermission):
		return &FileError{Path: path, Msg: "permission denied", Fix: "chmod u+r " + path, Err: err}
	case isNotDir(err):
		return &FileError{Path: path, Msg: "a parent of this path is a file, not a folder", Err: err}
	}
	return &FileError{Path: path, Msg: errText(err), Err: err}
}

// errText is err's message without the "op path: " prefix that os adds, for
// errors that already name the file.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return err.Error()
}

func checkRegular(path string, fi fs.FileInfo) error {
	switch {
	case fi.IsDir():
		// Not "then run wf init": when the folder is TODO.md, init refuses
		// (workflow-state.md exists) and wf todo add makes the file anyway.
		return &FileError{Path: path, Msg: "is a folder, not a file",
			Fix: "move the folder out of the way (mv " + path + " " + path + ".old); wf needs a Markdown file there"}
	case !fi.Mode().IsRegular():
		return &FileError{Path: path, Msg: "is not a regular file (" + fileKind(fi.Mode()) + ")",
			Fix: "replace it with a Markdown text file"}
	case fi.Size() > MaxFileSize:
		return tooLarge(path, fi.Size())
	}
	return nil
}

func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.Type().String()
}

func tooLarge(path string, size int64) error {
	return &FileError{Path: path,
		Msg: fmt.Sprintf("file is %.1f MB; wf reads state files up to %d MB", float64(size)/(1<<20), MaxFileSize>>20),
		Fix: "split it or move finished parts to an archive file"}
}

// checkLinkInside refuses a symbolic link at path whose target resolves
// outside root.
func checkLinkInside(root, path string) error {
	if root == "" {
		return nil
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return &FileError{Path: path, Msg: "is a symbolic link to a file that does not exist",
				Fix: "point the link at an existing file, or remove it (rm " + path + ")", Err: err}
		}
		return &FileError{Path: path, Msg: "cannot resolve symbolic link: " + errText(err), Err: err}
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return &FileError{Path: root, Msg: "cannot resolve state folder: " + errText(err), Err: err}
	}
	if !within(realRoot, target) {
		return &FileError{Path: path,
			Msg: "is a symbolic link to " + target + ", outside " + realRoot + "; wf does not follow it",
			Fix: "replace the link with the file itself"}
	}
	return nil
}

// within reports whether path is root or lies under it; both are absolute
// or both relative, and already free of symbolic links.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// checkText refuses binary content (a NUL byte) and invalid UTF-8.
func checkText(path string, data []byte) error {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return &FileError{Path: path, Line: lineOf(data, i), Col: colOf(data, i),
			Msg: "contains a NUL byte: this is a binary file, not Markdown text",
			Fix: "replace it with a Markdown text file (git restore " + path + " if it is committed)"}
	}
	if utf8.Valid(data) {
		return nil
	}
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			col := colOf(data, i)
			return &FileError{Path: path, Line: lineOf(data, i), Col: col,
				Msg: fmt.Sprintf("invalid UTF-8 at byte column %d (0x%02x)", col, data[i]),
				Fix: "re-save the file as UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8)"}
		}
		i += n
	}
	return nil // not reached: utf8.Valid said otherwise
}

// lineOf returns the 1-based line number of byte offset i.
func lineOf(data []byte, i int) int {
	return bytes.Count(data[:i], []byte{'\n'}) + 1
}

// colOf returns the 1-based byte column of offset i in its line.
func colOf(data []byte, i int) int {
	return i - (bytes.LastIndexByte(data[:i], '\n') + 1) + 1
}

// WriteFileAtomic replaces the file at path with data, durably: a temp file
// in the same folder (named "."+base+".wf-tmp-…") is written, synced, closed,
// given the original file's permissions (0644 for a new file) and renamed
// over the file, and then the folder is synced. On any error the temp file is
// removed and the original is left untouched.
//
// When path is a symbolic link, the link's target is replaced and the link
// stays; [ReadFile] has already checked that the target stays inside the
// state root.
//
// A file that is read-only (no owner write permission, or not writable by
// this process) is refused with a [*FileError], although a rename would
// replace it: the mode bits are checked, since root can write anything.
//
// expect, if not nil, is the content the caller read and edited. Just before
// the rename the file is read again, and if it no longer holds expect (or is
// gone), WriteFileAtomic returns [ErrChanged] and writes nothing, so a hand
// edit made meanwhile is never overwritten. On Linux the temp file is then
// swapped with the file (renameat2 RENAME_EXCHANGE) rather than renamed
// over it, and the file swapped out is compared with expect too: a save
// that landed between the check and the swap is swapped back in and
// ErrChanged returned (see settleExchange for the window that remains).
// Elsewhere a save in the instant between the check and the rename cannot
// be detected.
func WriteFileAtomic(path string, data, expect []byte) (err error) {
	target := path
	perm := fs.FileMode(0o644)
	lfi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if expect != nil {
			return ErrChanged // deleted since it was read
		}
	case err != nil:
		return statError(path, err)
	default:
		if lfi.Mode()&fs.ModeSymlink != 0 {
			if target, err = filepath.EvalSymlinks(path); err != nil {
				return &FileError{Path: path, Msg: "cannot resolve symbolic link: " + errText(err), Err: err}
			}
		}
		fi, err := os.Stat(target)
		if err != nil {
			return statError(path, err)
		}
		if fi.IsDir() || !fi.Mode().IsRegular() {
			return &FileError{Path: path, Msg: "is not a regular file; wf will not replace it"}
		}
		if fi.Mode().Perm()&0o200 == 0 {
			return readOnly(path, nil)
		}
		if err := checkWritable(path, target); err != nil {
			return err
		}
		perm = fi.Mode().Perm()
	}

	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	tmp, err := writeTemp(dir, base, data, perm)
	if err != nil {
		return &FileError{Path: path, Msg: "cannot write: " + errText(err), Err: err}
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()

	if expect != nil {
		cur, err := os.ReadFile(target)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return &FileError{Path: path, Msg: "cannot read: " + errText(err), Err: err}
		}
		if err != nil || !bytes.Equal(cur, expect) {
			return ErrChanged
		}
		// Swap instead of rename where the system can: the file swapped
		// out is exactly the one replaced, so a save that landed after
		// the check above is seen, and swapped back.
		if ok, err := exchange(tmp, target); err != nil {
			return &FileError{Path: path, Msg: "cannot replace: " + errText(err), Err: err}
		} else if ok {
			return settleExchange(path, dir, tmp, target, data, expect)
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		return &FileError{Path: path, Msg: "cannot replace: " + errText(err), Err: err}
	}
	if err := syncDir(dir); err != nil {
		// The new content is in place; only its durability is in doubt.
		return &FileError{Path: path, Msg: "cannot sync folder: " + errText(err), Err: err}
	}
	return nil
}

// settleExchange finishes a [WriteFileAtomic] that swapped its temp file
// (holding data) with target: tmp now holds the file it replaced. When
// that is what the caller read (expect), the temp name is removed and the
// folder synced. When it is not (a save landed between the check and the
// swap), the swap is undone and [ErrChanged] returned, so the caller
// redoes its edit on the save; but if target no longer holds data either
// (a second save landed meanwhile, made from wf's content), nothing is
// swapped back and that newest save stays: the one window left, two saves
// within microseconds of each other and of wf's swap.
func settleExchange(path, dir, tmp, target string, data, expect []byte) error {
	old, err := os.ReadFile(tmp)
	if err == nil && bytes.Equal(old, expect) {
		os.Remove(tmp)
		if err := syncDir(dir); err != nil {
			return &FileError{Path: path, Msg: "cannot sync folder: " + errText(err), Err: err}
		}
		return nil
	}
	if cur, err := os.ReadFile(target); err == nil && bytes.Equal(cur, data) {
		if ok, _ := exchange(tmp, target); ok {
			os.Remove(tmp) // wf's content, swapped back out
		}
	}
	return ErrChanged
}

// CreateFileExclusive creates the file at path with data and permissions perm,
// atomically and durably, and fails if path already exists: the content is
// written to a temp file in the same folder, which is then hard-linked to path
// (a link never replaces an existing name) and removed. An existing path gives
// a [*FileError] matching fs.ErrExist, and is left untouched.
func CreateFileExclusive(path string, data []byte, perm os.FileMode) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := writeTemp(dir, base, data, perm)
	if err != nil {
		return &FileError{Path: path, Msg: "cannot write: " + errText(err), Err: err}
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &FileError{Path: path, Msg: "already exists",
				Fix: "wf refuses to overwrite an existing file; move it away first if it should be replaced",
				Err: err}
		}
		return &FileError{Path: path, Msg: "cannot create: " + errText(err), Err: err}
	}
	if err := os.Remove(tmp); err != nil {
		return &FileError{Path: path, Msg: "cannot remove temp file: " + errText(err), Err: err}
	}
	if err := syncDir(dir); err != nil {
		return &FileError{Path: path, Msg: "cannot sync folder: " + errText(err), Err: err}
	}
	return nil
}

// writeTemp writes data to a new temp file in dir named after base, syncs and
// closes it, and returns its path. On error nothing is left behind: the
// cleanup works on its own copy of the path, as a "return "", err" clears
// the named result before a deferred function reads it.
func writeTemp(dir, base string, data []byte, perm fs.FileMode) (string, error) {
	f, err := os.CreateTemp(dir, tempPattern(base))
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(tmp)
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	// Chmod before the sync, so the mode is as durable as the content
	// (CreateTemp makes the file 0600).
	if err := f.Chmod(perm); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// readOnly is the refusal of [WriteFileAtomic] for a file it may not write;
// err is the check's error, if any.
func readOnly(path string, err error) error {
	return &FileError{Path: path, Msg: "file is read-only; wf will not replace it",
		Fix: "chmod u+w " + path, Err: err}
}

// syncFolder opens dir, syncs it and closes it. ignore reports the sync
// errors that mean the file system cannot sync a folder (the rename or link
// still happened); [syncDir] passes its system's list.
func syncFolder(dir string, ignore func(error) bool) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil && ignore(err) {
		return nil
	}
	return err
}
