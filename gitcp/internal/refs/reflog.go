package refs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// LogEntry is one reflog line.
type LogEntry struct {
	Old, New [20]byte
	Time     time.Time
	Message  string
}

// logTail is how much of the end of a reflog ReadLog reads.
const logTail = 1 << 20

// ReadLog returns up to limit entries (0: all it reads) of the reflog at
// path, newest first. Only the last megabyte of the file is read; a
// missing file has no entries, and lines that do not parse are skipped.
func ReadLog(path string, limit int) ([]LogEntry, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	off := max(fi.Size()-logTail, 0)
	data := make([]byte, fi.Size()-off)
	if _, err := f.ReadAt(data, off); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if off > 0 && len(lines) > 0 {
		lines = lines[1:] // cut mid-line
	}
	var out []LogEntry
	for i := len(lines) - 1; i >= 0 && (limit == 0 || len(out) < limit); i-- {
		if e, err := ParseLogLine(lines[i]); err == nil {
			out = append(out, e)
		}
	}
	return out, nil
}

// ParseLogLine reads "<old> <new> Name <email> <unix> <tz>\t<message>"
// (the line without its newline). The time zone is not kept.
func ParseLogLine(line string) (LogEntry, error) {
	bad := func(why string) (LogEntry, error) {
		return LogEntry{}, &FormatError{File: "reflog line", Reason: why}
	}
	head, msg, _ := strings.Cut(line, "\t")
	if len(head) < 83 || head[40] != ' ' || head[81] != ' ' {
		return bad("not \"<old> <new> <identity>\"")
	}
	old, ok1 := parseID([]byte(head[:40]))
	nw, ok2 := parseID([]byte(head[41:81]))
	if !ok1 || !ok2 {
		return bad("malformed object id")
	}
	gt := strings.LastIndexByte(head, '>')
	if gt < 0 {
		return bad("no \"<email>\"")
	}
	f := strings.Fields(head[gt+1:])
	if len(f) < 1 {
		return bad("no time")
	}
	ts, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return bad("malformed time")
	}
	return LogEntry{Old: old, New: nw, Time: time.Unix(ts, 0), Message: msg}, nil
}

// LogLine formats one reflog line: "<old> <new> <identity>\t<message>\n",
// identity being "Name <email> <unix time> <tz>". The message is written
// as given; it must hold no newline.
func LogLine(old, new [20]byte, identity, message string) string {
	return fmt.Sprintf("%x %x %s\t%s\n", old, new, identity, message)
}

// AppendLog appends line to the reflog at path, creating the file and
// its folders as git does for refs it logs.
func AppendLog(path, line string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
	if err != nil {
		return err
	}
	_, err = f.WriteString(line)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
