package gitcp

import (
	"bytes"
	"container/heap"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// CheckpointTrailer is the trailer that marks a checkpoint commit.
const CheckpointTrailer = "Wf-Checkpoint"

// LogEntry is a checkpoint commit found by [Repo.Log].
type LogEntry struct {
	Hash     plumbing.Hash
	Parents  []plumbing.Hash
	Subject  string
	Author   string // "Name <email>"
	Time     time.Time
	Trailers map[string]string // all "Key: value" lines of the last paragraph
}

// Log walks the history reachable from ref (all parents, newest committer
// date first, like "git log") and returns up to limit commits (0: no limit)
// whose message carries a trailerKey trailer (CheckpointTrailer when
// empty). Raw commit bytes are scanned for the trailer before anything is
// parsed, so non-checkpoint commits cost one object read.
func (r *Repo) Log(ref, trailerKey string, limit int) ([]LogEntry, error) {
	if trailerKey == "" {
		trailerKey = CheckpointTrailer
	}
	start, err := r.ResolveRef(ref)
	if err != nil {
		return nil, err
	}
	needle := []byte("\n" + trailerKey + ":")
	seen := map[plumbing.Hash]bool{start: true}
	q := &commitQueue{}
	first, err := r.readCommit(start)
	if err != nil {
		return nil, err
	}
	heap.Push(q, first)
	var out []LogEntry
	for q.Len() > 0 {
		c := heap.Pop(q).(*rawCommit)
		if bytes.Contains(c.msg, needle) {
			if e, ok := parseLogEntry(c, trailerKey); ok {
				out = append(out, e)
				if limit > 0 && len(out) >= limit {
					break
				}
			}
		}
		for _, p := range c.parents {
			if seen[p] {
				continue
			}
			seen[p] = true
			pc, err := r.readCommit(p)
			if err != nil {
				if errors.Is(err, plumbing.ErrObjectNotFound) {
					continue // shallow clone boundary
				}
				return nil, err
			}
			heap.Push(q, pc)
		}
	}
	return out, nil
}

type rawCommit struct {
	hash    plumbing.Hash
	parents []plumbing.Hash
	when    int64 // committer time
	header  []byte
	msg     []byte // starts with "\n" (the blank line) for the needle
}

func (r *Repo) readCommit(h plumbing.Hash) (*rawCommit, error) {
	data, err := r.readObject(plumbing.CommitObject, h)
	if err != nil {
		return nil, err
	}
	c := &rawCommit{hash: h}
	end := bytes.Index(data, []byte("\n\n"))
	if end < 0 {
		end = len(data)
	}
	c.header, c.msg = data[:end], data[end:]
	for hdr := c.header; len(hdr) > 0; {
		line := hdr
		if i := bytes.IndexByte(hdr, '\n'); i >= 0 {
			line, hdr = hdr[:i], hdr[i+1:]
		} else {
			hdr = nil
		}
		switch {
		case bytes.HasPrefix(line, []byte("parent ")) && len(line) >= 47:
			c.parents = append(c.parents, plumbing.NewHash(string(line[7:47])))
		case bytes.HasPrefix(line, []byte("committer ")):
			_, c.when = parseSigTime(line[10:])
		}
	}
	return c, nil
}

// parseSigTime returns "Name <email>" and the unix time of a signature.
func parseSigTime(sig []byte) (string, int64) {
	gt := bytes.LastIndexByte(sig, '>')
	if gt < 0 {
		return string(sig), 0
	}
	f := strings.Fields(string(sig[gt+1:]))
	var t int64
	if len(f) > 0 {
		t, _ = strconv.ParseInt(f[0], 10, 64)
	}
	return string(sig[:gt+1]), t
}

func parseLogEntry(c *rawCommit, key string) (LogEntry, bool) {
	e := LogEntry{Hash: c.hash, Parents: c.parents, Trailers: ParseTrailers(string(c.msg))}
	if _, ok := e.Trailers[key]; !ok {
		return e, false
	}
	msg := strings.TrimLeft(string(c.msg), "\n")
	e.Subject, _, _ = strings.Cut(msg, "\n")
	for hdr := string(c.header); hdr != ""; {
		var line string
		line, hdr, _ = strings.Cut(hdr, "\n")
		if a, ok := strings.CutPrefix(line, "author "); ok {
			who, t := parseSigTime([]byte(a))
			e.Author = who
			e.Time = time.Unix(t, 0)
			if f := strings.Fields(a[strings.LastIndexByte(a, '>')+1:]); len(f) == 2 {
				if tz, err := time.Parse("-0700", f[1]); err == nil {
					e.Time = e.Time.In(tz.Location())
				}
			}
		}
	}
	return e, true
}

// ParseTrailers returns the "Key: value" lines of a message's last
// paragraph (git's trailer block). Keys keep their spelling; the last
// occurrence wins.
func ParseTrailers(msg string) map[string]string {
	msg = strings.TrimRight(msg, "\n \t")
	i := strings.LastIndex(msg, "\n\n")
	if i < 0 {
		return map[string]string{}
	}
	out := map[string]string{}
	for _, line := range strings.Split(msg[i+2:], "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			continue
		}
		out[k] = strings.TrimSpace(v)
	}
	return out
}

type commitQueue []*rawCommit

func (q commitQueue) Len() int           { return len(q) }
func (q commitQueue) Less(i, j int) bool { return q[i].when > q[j].when }
func (q commitQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)        { *q = append(*q, x.(*rawCommit)) }
func (q *commitQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// ReadBlobAt returns the content of path (slash-separated, from the top
// level) in commit.
func (r *Repo) ReadBlobAt(commit plumbing.Hash, path string) ([]byte, error) {
	tree, err := r.commitTree(commit)
	if err != nil {
		return nil, err
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	for i, part := range parts {
		ents, err := r.readTree(tree)
		if err != nil {
			return nil, err
		}
		found := false
		for _, e := range ents {
			if e.name != part {
				continue
			}
			if i == len(parts)-1 {
				if e.isTree() || e.mode == modeGitlink {
					return nil, fmt.Errorf("%s is not a file in %s", path, short(commit.String()))
				}
				return r.readObject(plumbing.BlobObject, e.hash)
			}
			if !e.isTree() {
				break
			}
			tree, found = e.hash, true
			break
		}
		if !found {
			break
		}
	}
	return nil, fmt.Errorf("%s: no such file in %s", path, short(commit.String()))
}
