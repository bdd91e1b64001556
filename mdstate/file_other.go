//go:build !unix

package mdstate

import (
	"errors"
	"io/fs"
	"os"
	"runtime"
)

// openNoBlock opens path for reading. Outside Unix a named pipe cannot take
// the place of a file in the file system (Windows keeps pipes under
// \\.\pipe\), so a plain open cannot hang; the caller still checks that
// what it opened is a regular file.
func openNoBlock(path string) (*os.File, error) {
	return os.Open(path)
}

// isNotDir reports whether err says that a parent of the path is not a
// folder. Windows reports that case as "path not found", which the caller
// already treats as a missing file, and other systems have no portable
// error for it, so this is always false: the caller then reports the
// system's own message.
func isNotDir(error) bool { return false }

// checkWritable returns a [*FileError] when this process may not write the
// file target, which path names. There is no portable access(2), so the file
// is opened for writing (without O_TRUNC, which leaves its content and
// modification time alone) and closed: a permission error is a read-only
// file ([readOnly]); any other error (on Windows, a sharing violation while
// another program holds the file) is a refusal that names the error, since
// it does not show that the file may be replaced.
func checkWritable(path, target string) error {
	f, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return readOnly(path, err)
		}
		return &FileError{Path: path, Msg: "cannot open for writing: " + errText(err) + "; wf will not replace it", Err: err}
	}
	if err := f.Close(); err != nil {
		return &FileError{Path: path, Msg: "cannot close after opening for writing: " + errText(err), Err: err}
	}
	return nil
}

// syncDir makes a rename or link in dir durable where the system can.
// Windows cannot flush a folder handle (FlushFileBuffers needs write access,
// which a folder handle opened by os.Open lacks), so there it does nothing
// and the rename is as durable as the file system makes it. Elsewhere the
// folder is synced, and an error saying that the system does not support
// that (errors.ErrUnsupported, fs.ErrInvalid) is not an error.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	return syncFolder(dir, func(err error) bool {
		return errors.Is(err, errors.ErrUnsupported) || errors.Is(err, fs.ErrInvalid)
	})
}
