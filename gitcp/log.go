package gitcp

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/odb"
)

// CheckpointTrailer is the trailer that marks a checkpoint commit.
const CheckpointTrailer = "Wf-Checkpoint"

// LogEntry is a checkpoint commit found by [Repo.Log].
type LogEntry struct {
	Hash     Hash
	Parents  []Hash
	Subject  string
	Author   string // "Name <email>"
	Time     time.Time
	Trailers map[string]string // all "Key: value" lines of the last paragraph
}

// Log walks the history reachable from ref (all parents, newest committer
// date first, like "git log") and returns up to limit commits (0: no limit)
// whose message carries a trailerKey trailer (CheckpointTrailer when
// empty).
//
// The walk takes parents and committer dates from the commit-graph when
// the repository has one (as git does), so it needs no object reads;
// commit objects are then inflated straight from the mapped pack files or
// loose objects by a few goroutines, batch by batch in walk order, and
// only those whose raw bytes contain "\n<trailerKey>:" are parsed.
// Commits missing from the graph are read by the walker itself. Objects
// outside the repository's own packs and loose objects (alternates) are
// read through go-git.
func (r *Repo) Log(ref, trailerKey string, limit int) ([]LogEntry, error) {
	return r.LogWith(ref, LogOptions{TrailerKey: trailerKey, Limit: limit})
}

// LogOptions are the options of [Repo.LogWith].
type LogOptions struct {
	// TrailerKey is the trailer that selects commits (CheckpointTrailer
	// when empty).
	TrailerKey string
	// Limit is how many matching commits to return at most (0: all).
	Limit int
	// Within, when set, is a slash-separated file path from the top of
	// the work tree (wf gives its workflow-state.md). A commit whose tree
	// does not hold a file there ends the walk along its line of history:
	// neither it nor its ancestors through it are visited, although an
	// ancestor reached by another line still is. Every checkpoint commits
	// the state file, so a commit without it can be no checkpoint, and
	// what lies behind it belongs to history from before the workflow
	// (or to an earlier workflow that was removed): the walk then costs
	// what the workflow's own history costs, however long the project's
	// history is. git has no such option; the differential test checks
	// the walk against git rev-list with the same rule applied through
	// git cat-file -e.
	Within string
}

// LogWith is [Repo.Log] with [LogOptions]; it reads one tree per path
// component of Within for each commit it visits.
func (r *Repo) LogWith(ref string, opts LogOptions) ([]LogEntry, error) {
	trailerKey, limit := opts.TrailerKey, opts.Limit
	if trailerKey == "" {
		trailerKey = CheckpointTrailer
	}
	start, err := r.ResolveRef(ref)
	if err != nil {
		return nil, err
	}
	db := odb.Open(filepath.Join(r.CommonDir, "objects"))
	defer db.Close()
	g := r.openCommitGraph()
	defer g.close()
	w := &logWalker{
		repo:     r,
		db:       db,
		g:        g,
		rd:       odb.NewReader(db),
		needle:   []byte("\n" + trailerKey + ":"),
		key:      trailerKey,
		seenHash: map[Hash]struct{}{},
	}
	if opts.Within != "" {
		w.within = strings.Split(opts.Within, "/")
	}
	if g != nil {
		w.seenPos = make([]bool, g.Len())
	}
	if err := w.push(start, true); err != nil {
		return nil, err
	}

	var out []LogEntry
	if limit > 0 {
		// Few wanted (wf resume asks for the latest checkpoint): the
		// newest commits one by one first, before the parallel pipeline,
		// which reads ahead by whole batches.
		for seen := 0; seen < 64 && len(out) < limit && len(w.heap) > 0; {
			b := w.next(1)
			if b.err != nil {
				return nil, b.err
			}
			seen += len(b.items)
			if err := w.check(w.rd, b); err != nil {
				return nil, err
			}
			out = append(out, b.entries...)
		}
		if len(out) >= limit || len(w.heap) == 0 {
			return out[:min(len(out), limit)], nil
		}
	}
	workers := min(runtime.GOMAXPROCS(0), 4)
	quit := make(chan struct{})
	work := make(chan *logBatch, 2*workers)
	ordered := make(chan *logBatch, 4*workers)
	var wg sync.WaitGroup
	wg.Add(1 + workers)
	go func() { // walker
		defer wg.Done()
		defer close(work)
		defer close(ordered)
		defer func() {
			// A panic here would end the process: the caller gets it as
			// the error of one more batch.
			if p := recover(); p != nil {
				b := &logBatch{err: &PanicError{What: "walking the history", Value: p, Stack: debug.Stack()}, done: make(chan struct{})}
				close(b.done)
				select {
				case ordered <- b:
				case <-quit:
				}
			}
		}()
		for size := 16; ; size = min(2*size, 512) {
			b := w.next(size)
			if len(b.items) == 0 && b.err == nil {
				return
			}
			if b.err != nil {
				close(b.done)
			}
			select {
			case ordered <- b:
			case <-quit:
				return
			}
			if b.err != nil {
				return
			}
			select {
			case work <- b:
			case <-quit:
				return
			}
		}
	}()
	for range workers {
		go func() {
			defer wg.Done()
			rd := odb.NewReader(db)
			for b := range work {
				select {
				case <-quit:
				default:
					b.err = w.checkRecovering(rd, b)
				}
				close(b.done)
			}
		}()
	}
	for b := range ordered {
		<-b.done
		if b.err != nil {
			err = b.err
			break
		}
		out = append(out, b.entries...)
		if limit > 0 && len(out) >= limit {
			out = out[:limit]
			break
		}
	}
	close(quit)
	for range ordered { // let the walker finish
	}
	wg.Wait()
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkRecovering is w.check with a panic returned as a [PanicError].
func (w *logWalker) checkRecovering(rd *odb.Reader, b *logBatch) (err error) {
	defer recoverInto(&err, "reading commits of the history", nil)
	if testHook != nil {
		testHook("log check")
	}
	return w.check(rd, b)
}

// logWalker yields commits in "git log" order. Commits in the commit-graph
// are identified by position, others by hash.
type logWalker struct {
	repo     *Repo
	db       *odb.DB
	g        *commitGraph
	rd       *odb.Reader
	needle   []byte
	key      string
	heap     []walkNode
	seq      uint64
	seenPos  []bool
	seenHash map[Hash]struct{}
	pbuf     []int
	slowMu   sync.Mutex // go-git storage is not safe for concurrent use
	within   []string   // LogOptions.Within split at "/"; nil: no bound
}

type walkNode struct {
	when    int64
	seq     uint64 // insertion order: equal dates pop first-in first-out, as in git
	pos     int    // commit-graph position, or -1
	hash    Hash
	parents []Hash    // when pos < 0
	entry   *LogEntry // when pos < 0 and the commit matched
}

// logItem is one commit of a batch: a hash to read and check, or a
// commit the walker already read (done), with its entry when it matched.
type logItem struct {
	hash  Hash
	done  bool
	entry *LogEntry
}

type logBatch struct {
	items   []logItem
	entries []LogEntry
	err     error
	done    chan struct{}
}

func (w *logWalker) less(a, b *walkNode) bool {
	if a.when != b.when {
		return a.when > b.when
	}
	return a.seq < b.seq
}

// push adds h to the queue unless it was seen. A commit outside the graph
// is read now (its parents are needed); one that cannot be found is
// skipped like a shallow boundary, except the starting commit.
func (w *logWalker) push(h Hash, first bool) error {
	n := walkNode{seq: w.seq, pos: -1, hash: h}
	w.seq++
	if w.g != nil {
		if pos, ok := w.g.lookup(&h); ok {
			if w.seenPos[pos] {
				return nil
			}
			w.seenPos[pos] = true
			n.pos, n.when = pos, w.g.date(pos)
			w.heapPush(n)
			return nil
		}
	}
	if _, ok := w.seenHash[h]; ok {
		return nil
	}
	w.seenHash[h] = struct{}{}
	data, err := w.readCommit(w.rd, h)
	if err != nil {
		if !first && errors.Is(err, plumbing.ErrObjectNotFound) {
			return nil
		}
		return err
	}
	c := parseRawCommit(h, data)
	n.when, n.parents = c.when, c.parents
	if bytes.Contains(c.msg, w.needle) {
		if e, ok := parseLogEntry(c, w.key); ok {
			n.entry = &e
		}
	}
	if w.within != nil {
		// Last: holdsWithin reads with w.rd, whose buffer c aliases.
		holds, err := w.holdsWithin(treeOfHeader(c.header))
		if err != nil {
			return err
		}
		if !holds {
			return nil
		}
	}
	w.heapPush(n)
	return nil
}

// next pops up to size commits in walk order, queueing their parents.
func (w *logWalker) next(size int) *logBatch {
	b := &logBatch{done: make(chan struct{})}
	for len(b.items) < size && len(w.heap) > 0 {
		n := w.heapPop()
		if n.pos < 0 {
			b.items = append(b.items, logItem{hash: n.hash, done: true, entry: n.entry})
			for _, p := range n.parents {
				if err := w.push(p, false); err != nil {
					b.err = err
					return b
				}
			}
			continue
		}
		if w.within != nil {
			holds, err := w.holdsWithin(w.g.tree(n.pos))
			if err != nil {
				b.err = err
				return b
			}
			if !holds {
				continue
			}
		}
		b.items = append(b.items, logItem{hash: w.g.hash(n.pos)})
		var err error
		w.pbuf, err = w.g.parents(w.pbuf[:0], n.pos)
		if err != nil {
			b.err = err
			return b
		}
		for _, p := range w.pbuf {
			if !w.seenPos[p] {
				w.seenPos[p] = true
				w.heapPush(walkNode{when: w.g.date(p), seq: w.seq, pos: p})
				w.seq++
			}
		}
	}
	return b
}

// check reads the batch's commits that the walker did not read and
// collects the matching entries in order.
func (w *logWalker) check(rd *odb.Reader, b *logBatch) error {
	for _, it := range b.items {
		if it.done {
			if it.entry != nil {
				b.entries = append(b.entries, *it.entry)
			}
			continue
		}
		data, err := w.readCommit(rd, it.hash)
		if err != nil {
			if errors.Is(err, plumbing.ErrObjectNotFound) {
				continue
			}
			return err
		}
		if !bytes.Contains(data, w.needle) {
			continue
		}
		if e, ok := parseLogEntry(parseRawCommit(it.hash, data), w.key); ok {
			b.entries = append(b.entries, e)
		}
	}
	return nil
}

// holdsWithin reports whether the tree t holds a file (any non-tree entry)
// at w.within, reading one tree per path component with the walker's
// reader (go-git for objects outside the local packs).
func (w *logWalker) holdsWithin(t Hash) (bool, error) {
	for i, name := range w.within {
		typ, data, err := w.rd.Read(t)
		if errors.Is(err, odb.ErrNotHere) {
			w.slowMu.Lock()
			data, err = w.repo.readObject(plumbing.TreeObject, t)
			w.slowMu.Unlock()
			typ = plumbing.TreeObject
		}
		if err != nil {
			if errors.Is(err, plumbing.ErrObjectNotFound) {
				return false, nil // a tree a partial clone left out counts as not holding the file
			}
			return false, err
		}
		if typ != plumbing.TreeObject {
			return false, fmt.Errorf("read tree %s: object is a %s", t, typ)
		}
		id, mode, ok := findTreeEntry(data, name)
		if !ok {
			return false, nil
		}
		isTree := mode == "40000"
		if i == len(w.within)-1 {
			return !isTree, nil
		}
		if !isTree {
			return false, nil
		}
		t = id
	}
	return false, nil
}

// findTreeEntry scans raw tree bytes ("MODE SP NAME NUL ID" entries,
// gitformat-tree) for name and returns its id and octal mode text.
func findTreeEntry(data []byte, name string) (id Hash, mode string, ok bool) {
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		nul := bytes.IndexByte(data, 0)
		if sp < 0 || nul < sp || nul+21 > len(data) {
			return Hash{}, "", false
		}
		if string(data[sp+1:nul]) == name {
			copy(id[:], data[nul+1:nul+21])
			return id, string(data[:sp]), true
		}
		data = data[nul+21:]
	}
	return Hash{}, "", false
}

// treeOfHeader returns the tree id of a commit header ("tree HEX" first).
func treeOfHeader(header []byte) Hash {
	if len(header) >= 45 && string(header[:5]) == "tree " {
		return NewHash(string(header[5:45]))
	}
	return Hash{}
}

// readCommit returns the raw commit h, valid until rd's next read.
func (w *logWalker) readCommit(rd *odb.Reader, h Hash) ([]byte, error) {
	return w.repo.rawCommit(rd, h, &w.slowMu)
}

func (w *logWalker) heapPush(n walkNode) {
	h := append(w.heap, n)
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !w.less(&h[i], &h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
	w.heap = h
}

func (w *logWalker) heapPop() walkNode {
	h := w.heap
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for i := 0; ; {
		l := 2*i + 1
		if l >= len(h) {
			break
		}
		m := l
		if r := l + 1; r < len(h) && w.less(&h[r], &h[l]) {
			m = r
		}
		if !w.less(&h[m], &h[i]) {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	w.heap = h
	return top
}

type rawCommit struct {
	hash    Hash
	parents []Hash
	when    int64 // committer time
	header  []byte
	msg     []byte // starts with "\n" (the blank line) for the needle
}

// parseRawCommit splits raw commit bytes; header and msg alias data.
func parseRawCommit(h Hash, data []byte) *rawCommit {
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
			var p Hash
			if _, err := hex.Decode(p[:], line[7:47]); err == nil {
				c.parents = append(c.parents, p)
			}
		case bytes.HasPrefix(line, []byte("committer ")):
			_, c.when = parseSigTime(line[10:])
		}
	}
	return c
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

// ReadBlobAt returns the content of path (slash-separated, from the top
// level) in commit.
func (r *Repo) ReadBlobAt(commit Hash, path string) ([]byte, error) {
	h, err := r.BlobHashAt(commit, path)
	if err != nil {
		return nil, err
	}
	return r.readObject(plumbing.BlobObject, h)
}

// ReadBlob returns the content of blob h (an id from [Repo.BlobHashAt]).
func (r *Repo) ReadBlob(h Hash) ([]byte, error) {
	return r.readObject(plumbing.BlobObject, h)
}

// BlobHashAt returns the object id of the file path (slash-separated, from
// the top level) in commit, reading only the trees on its way.
func (r *Repo) BlobHashAt(commit Hash, path string) (Hash, error) {
	tree, err := r.commitTree(commit)
	if err != nil {
		return Hash{}, err
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	for i, part := range parts {
		ents, err := r.readTree(tree)
		if err != nil {
			return Hash{}, err
		}
		found := false
		for _, e := range ents {
			if e.Name != part {
				continue
			}
			if i == len(parts)-1 {
				if e.IsTree() || e.Mode == modeGitlink {
					return Hash{}, fmt.Errorf("%s is not a file in %s", path, short(commit.String()))
				}
				return e.ID, nil
			}
			if !e.IsTree() {
				break
			}
			tree, found = e.ID, true
			break
		}
		if !found {
			break
		}
	}
	return Hash{}, fmt.Errorf("%s: no such file in %s", path, short(commit.String()))
}

// BlobHash is the object id git gives a file holding data.
func BlobHash(data []byte) Hash { return odb.HashObject(plumbing.BlobObject, data) }
