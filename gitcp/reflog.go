package gitcp

import (
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/refs"
)

// ReflogEntry is one line of a reflog.
type ReflogEntry struct {
	Old, New Hash
	Time     time.Time
	Message  string
}

// Reflog returns up to limit entries (0: all it reads) of the reflog of ref
// ("HEAD" is this worktree's), newest first. Only the last megabyte of
// the file is read; a missing reflog has no entries, and lines that do not
// parse are skipped.
func (r *Repo) Reflog(ref string, limit int) ([]ReflogEntry, error) {
	ents, err := refs.ReadLog(r.refStore().LogFile(ref), limit)
	if err != nil {
		return nil, err
	}
	var out []ReflogEntry
	for _, e := range ents {
		out = append(out, ReflogEntry{Old: e.Old, New: e.New, Time: e.Time, Message: e.Message})
	}
	return out, nil
}

// CommitTrailers returns the trailers of commit h's message.
func (r *Repo) CommitTrailers(h Hash) (map[string]string, error) {
	data, err := r.readObject(plumbing.CommitObject, h)
	if err != nil {
		return nil, err
	}
	return ParseTrailers(string(parseRawCommit(h, data).msg)), nil
}
