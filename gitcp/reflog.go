package gitcp

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// ReflogEntry is one line of a reflog.
type ReflogEntry struct {
	Old, New Hash
	Time     time.Time
	Message  string
}

// reflogTail is how much of the end of a reflog Reflog reads.
const reflogTail = 1 << 20

// Reflog returns up to limit entries (0: all it reads) of the reflog of ref
// ("HEAD" is this worktree's), newest first. Only the last megabyte of
// the file is read; a missing reflog has no entries, and lines that do not
// parse are skipped.
func (r *Repo) Reflog(ref string, limit int) ([]ReflogEntry, error) {
	f, err := os.Open(r.logFile(ref))
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
	off := max(fi.Size()-reflogTail, 0)
	data := make([]byte, fi.Size()-off)
	if _, err := f.ReadAt(data, off); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if off > 0 && len(lines) > 0 {
		lines = lines[1:] // cut mid-line
	}
	var out []ReflogEntry
	for i := len(lines) - 1; i >= 0 && (limit == 0 || len(out) < limit); i-- {
		if e, ok := parseReflogLine(lines[i]); ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// parseReflogLine reads "<old> <new> Name <email> <unix> <tz>\t<message>".
func parseReflogLine(line string) (ReflogEntry, bool) {
	head, msg, _ := strings.Cut(line, "\t")
	if len(head) < 83 || head[40] != ' ' || head[81] != ' ' {
		return ReflogEntry{}, false
	}
	old, nw := NewHash(head[:40]), NewHash(head[41:81])
	gt := strings.LastIndexByte(head, '>')
	if gt < 0 {
		return ReflogEntry{}, false
	}
	f := strings.Fields(head[gt+1:])
	if len(f) < 1 {
		return ReflogEntry{}, false
	}
	ts, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return ReflogEntry{}, false
	}
	return ReflogEntry{Old: old, New: nw, Time: time.Unix(ts, 0), Message: msg}, true
}

// CommitTrailers returns the trailers of commit h's message.
func (r *Repo) CommitTrailers(h Hash) (map[string]string, error) {
	data, err := r.readObject(plumbing.CommitObject, h)
	if err != nil {
		return nil, err
	}
	return ParseTrailers(string(parseRawCommit(h, data).msg)), nil
}
