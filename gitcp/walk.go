package gitcp

import (
	"cmp"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/wf-tool/wf/gitcp/internal/ignore"
	"github.com/wf-tool/wf/gitcp/internal/index"
	"github.com/wf-tool/wf/gitcp/internal/refs"
)

// wtFile is a work-tree file found by the walk that may differ from the
// index: a tracked entry whose stat data changed, an untracked file, or a
// deleted tracked entry.
type wtFile struct {
	path    string
	idx     int // index entry position, -1 if untracked
	deleted bool
	st      fileStat
	// gitlink is the HEAD commit of a submodule or embedded repository
	// at path whose gitlink must be recorded (zero for files).
	gitlink Hash
	// embedded marks a repository not in the index (git add -A adds it
	// as a gitlink, with a warning).
	embedded bool
}

// walkResult is the outcome of comparing the work tree with the index.
type walkResult struct {
	dirty []wtFile // stat-dirty tracked files, untracked files, deletions
	// sawAttrFile: a .gitattributes was met in the work tree or the
	// index, so attributes must be looked up.
	sawAttrFile bool
	// unborn are embedded repositories without a commit: git add -A
	// fails on them.
	unborn []string
	// outside are untracked paths outside the sparse checkout: git add -A
	// leaves them out and fails.
	outside []string
	// listing is the folder-listing cache this walk recorded (nil unless
	// asked for).
	listing dirCache
}

type walker struct {
	top string
	idx *index.File
	// dirs maps each folder holding tracked entries ("" for the top) to
	// the positions of its entries, [lo, hi): a folder's entries are
	// contiguous in the sorted index, so a name is found by binary search
	// in that range (no map of every path).
	dirs  map[string]entrySpan
	seen  []bool
	base  *ignore.List
	core  coreModes
	racyS int64
	racyN int64

	mu      sync.Mutex
	cond    *sync.Cond
	queue   []dirJob
	pending int
	out     [][]wtFile
	err     error
	sawAttr atomic.Bool // a folder listed a .gitattributes
	// folded holds the index's names in ASCII lower case under
	// core.ignorecase: an untracked file whose name differs from an
	// index entry only in case is that entry, as git's dir_add_name
	// has it, and is not added.
	folded  map[string]bool
	unborn  []string
	outside []string
	// sparse are the sparse-checkout patterns when core.sparseCheckout
	// is on, nil otherwise.
	sparse []ignore.Rule
	// cache holds folder listings of an earlier walk (dircache.go), read
	// only; nil when there is none.
	cache dirCache
	// record asks for the listings of this walk, per goroutine, to be
	// written as the next cache; start is when the walk began.
	record   bool
	start    time.Time
	recorded [][]recordedDir
	// stop, when set, ends the walk: every folder still queued fails
	// with errScanStopped.
	stop *atomic.Bool
	// topfd is the top folder held open for the listers (openTop), -1
	// when not.
	topfd int
}

// recordedDir is a folder listing of this walk for the next cache.
type recordedDir struct {
	rel string
	d   *cachedDir
}

// entrySpan is the positions [lo, hi) of the index entries under a folder.
type entrySpan struct{ lo, hi int }

type dirJob struct {
	rel     string // "" for the top
	ign     *ignore.List
	ignored *dirIgnored // nil for the top and for folders known not ignored
}

// dirIgnored says whether a tracked folder is ignored (then only its
// tracked entries count, as in git). It is worked out on first use: most
// tracked folders hold no untracked entry and no .gitignore, and never ask,
// and matching every folder of a large tree against the rules cost 6% of
// wf resume's CPU (terraform: 2,571 tracked folders).
type dirIgnored struct {
	parent *dirIgnored
	rel    string       // the folder
	ign    *ignore.List // the rules of its parent folder
	once   sync.Once
	v      bool
}

// get reports whether the folder is ignored: its parent is, or a rule
// matches it. A nil *dirIgnored is not ignored. Safe for concurrent use.
func (d *dirIgnored) get() bool {
	if d == nil {
		return false
	}
	d.once.Do(func() { d.v = d.parent.get() || d.ign.Ignored(d.rel, true) })
	return d.v
}

// walkWorktree compares the work tree with the index: a parallel walk that
// lstats tracked files (hashing nothing), reads .gitignore files on the way,
// skips ignored and nested-repository folders, and collects untracked files.
// Folders whose stat data matches the folder-listing cache are not read
// (dircache.go); with record, the result carries this walk's listings for
// the next cache. cached, when not nil, delivers the folder-listing
// cache read beforehand (readDirCacheAsync); when nil, the walk reads it,
// beside its own set-up.
func (r *Repo) walkWorktree(idx *index.File, record bool, cached <-chan dirCache, stop *atomic.Bool) (*walkResult, error) {
	if cached == nil {
		cached = r.readDirCacheAsync()
	}
	w := &walker{
		start:  time.Now(),
		record: record && dirCacheSupported,
		top:    r.TopLevel,
		idx:    idx,
		stop:   stop,
		dirs:   make(map[string]entrySpan, folderCountHint(idx.Entries)),
		seen:   make([]bool, len(idx.Entries)),
		base:   r.baseIgnores(),
		core:   r.coreModes(),
	}
	if idx.Exists {
		w.racyS, w.racyN = idx.ModTime.Unix(), int64(idx.ModTime.Nanosecond())
	}
	w.sparse = r.sparsePatterns()
	w.dirs[""] = entrySpan{0, len(idx.Entries)}
	w.dirs = entrySpans(idx.Entries, w.dirs)
	for i := range idx.Entries {
		if isAttrFile(idx.Entries[i].Name) {
			w.sawAttr.Store(true)
			break
		}
	}
	if r.cfg.Bool("core.ignorecase", false) {
		w.folded = make(map[string]bool, len(idx.Entries))
		for i := range idx.Entries {
			w.folded[asciiLower(idx.Entries[i].Name)] = true
		}
	}
	w.cache = <-cached
	w.topfd = openTop(w.top)
	defer closeTop(w.topfd)
	w.cond = sync.NewCond(&w.mu)
	w.queue = []dirJob{{rel: "", ign: w.base}}
	w.pending = 1
	workers := min(runtime.GOMAXPROCS(0), 4)
	w.out = make([][]wtFile, workers)
	w.recorded = make([][]recordedDir, workers)
	var wg sync.WaitGroup
	for k := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.work(k)
		}()
	}
	wg.Wait()
	if w.err != nil {
		return nil, w.err
	}
	if topReplaced(w.topfd, w.top) {
		// The folders were read through the top folder held open, the
		// rest is read by path: they would mix two trees.
		return nil, &ChangedDuringScanError{Path: ".", How: "the work tree's folder was replaced by another"}
	}
	res := &walkResult{sawAttrFile: w.sawAttr.Load(), unborn: w.unborn, outside: w.outside}
	if w.record {
		res.listing = dirCache{}
		for _, rs := range w.recorded {
			for _, rd := range rs {
				res.listing[rd.rel] = rd.d
			}
		}
	}
	sort.Strings(res.unborn)
	sort.Strings(res.outside)
	for _, o := range w.out {
		res.dirty = append(res.dirty, o...)
	}
	// Tracked entries the walk did not meet: deleted, replaced by a folder,
	// or under a folder that is now something else. One behind a symlinked
	// folder is deleted, as git has it (has_symlink_leading_path), and is
	// never looked at through the link.
	lead := newLeadingPaths(r.TopLevel)
	for i := range idx.Entries {
		e := &idx.Entries[i]
		if w.seen[i] || e.SkipWorktree() || e.Flags&index.FlagAssumeValid != 0 {
			continue
		}
		if lead.blocked(e.Name) != "" {
			res.dirty = append(res.dirty, wtFile{path: e.Name, idx: i, deleted: true})
			continue
		}
		st, err := lstat(filepath.Join(r.TopLevel, e.Name))
		switch {
		case err != nil:
			res.dirty = append(res.dirty, wtFile{path: e.Name, idx: i, deleted: true})
		case st.mode.IsDir():
			if e.Mode != modeGitlink {
				res.dirty = append(res.dirty, wtFile{path: e.Name, idx: i, deleted: true})
			}
		case w.statDirty(e, &st):
			res.dirty = append(res.dirty, wtFile{path: e.Name, idx: i, st: st})
		}
	}
	return res, nil
}

// folderCountHint estimates how many folders hold the sorted entries, to
// size the map of their spans so that it is not rebuilt as it grows: the
// folders that directly hold an entry, counted without allocating, and
// an eighth more for the folders above them (terraform: 2,295 and 2,573
// in all; a flat tree of 38,000 files in 369 folders gets a map for
// 415, not one per file).
func folderCountHint(entries []index.Entry) int {
	n := 1
	for i := 1; i < len(entries); i++ {
		if dirOf(entries[i-1].Name) != dirOf(entries[i].Name) {
			n++
		}
	}
	return n + n/8
}

// entrySpans adds to dirs the span of every folder that holds entries
// (sorted by name, as the index is), below the top, and returns dirs.
// Entries under a folder are contiguous, so one pass keeps the folders
// of the current entry's path open on a stack and closes each (its hi)
// at the first entry outside it.
func entrySpans(entries []index.Entry, dirs map[string]entrySpan) map[string]entrySpan {
	var open []string // the folders of the current path, outermost first
	closeTo := func(n, i int) {
		for len(open) > n {
			d := open[len(open)-1]
			dirs[d] = entrySpan{dirs[d].lo, i}
			open = open[:len(open)-1]
		}
	}
	lastDir := ""
	for i := range entries {
		d := dirOf(entries[i].Name)
		if d == lastDir && i > 0 {
			continue
		}
		lastDir = d
		// Keep the open folders that d is in (or is); close the others.
		keep := 0
		for keep < len(open) && (d == open[keep] || strings.HasPrefix(d, open[keep]) && d[len(open[keep])] == '/') {
			keep++
		}
		closeTo(keep, i)
		// Open the folders of d below the last kept one, outermost first.
		at := 0
		if keep > 0 {
			at = len(open[keep-1]) + 1
		}
		for at < len(d) {
			end := strings.IndexByte(d[at:], '/')
			if end < 0 {
				end = len(d)
			} else {
				end += at
			}
			sub := d[:end]
			dirs[sub] = entrySpan{lo: i}
			open = append(open, sub)
			at = end + 1
		}
	}
	closeTo(0, len(entries))
	return dirs
}

func dirOf(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}

func (w *walker) work(k int) {
	var buf []byte
	dl := newDirLister(w.topfd)
	for {
		w.mu.Lock()
		for len(w.queue) == 0 && w.pending > 0 {
			w.cond.Wait()
		}
		if len(w.queue) == 0 {
			w.mu.Unlock()
			return
		}
		j := w.queue[len(w.queue)-1]
		w.queue = w.queue[:len(w.queue)-1]
		w.mu.Unlock()

		var jobs []dirJob
		var err error
		jobs, buf, err = w.dirRecovering(k, j, buf, &dl)

		w.mu.Lock()
		if err != nil && w.err == nil {
			w.err = err
		}
		w.queue = append(w.queue, jobs...)
		w.pending += len(jobs) - 1
		w.mu.Unlock()
		w.cond.Broadcast()
	}
}

// dirRecovering is dir with a panic turned into a [PanicError]: the
// walk fails with it, instead of the process.
func (w *walker) dirRecovering(k int, j dirJob, buf []byte, dl *dirLister) (jobs []dirJob, out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			jobs, out, err = nil, nil, &PanicError{What: "walking the work tree at " + cmp.Or(j.rel, "the top folder"), Value: p, Stack: debug.Stack()}
		}
	}()
	if testHook != nil {
		testHook("walk " + j.rel)
	}
	if w.stop != nil && w.stop.Load() {
		return nil, buf, errScanStopped
	}
	return w.dir(k, j, buf, dl)
}

// testHook, when set by a test, is called at named points of the
// package's goroutines ("walk REL" before a folder, "scan" as a
// WorktreeScan starts, "hash" before the changed files are read,
// "filestat PATH" in fileStats' workers, "log check"
// in the history walk's workers), to make them panic.
var testHook func(point string)

// dirEntry is one name of a folder listing with its type as the listing
// gives it: 0 (regular file), fs.ModeDir, fs.ModeSymlink, or
// fs.ModeIrregular for anything else or unknown (the walk lstats it).
type dirEntry struct {
	name string
	typ  fs.FileMode
}

// dir processes one folder and returns its sub-folders to walk; dl is the
// calling goroutine's folder lister.
func (w *walker) dir(k int, j dirJob, buf []byte, dl *dirLister) ([]dirJob, []byte, error) {
	abs := w.top
	if j.rel != "" {
		abs = joinClean(w.top, j.rel)
	}
	sd, ents, done, err := w.listDir(k, j.rel, abs, dl)
	if err != nil {
		if j.rel != "" && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) || isSymlinkLoop(err)) {
			return nil, buf, nil // raced with a deletion: the fallback lstat handles it
		}
		// The top folder not listed is never a race to pass over: the
		// walk would find no untracked file at all.
		return nil, buf, err
	}
	defer done()
	ign := j.ign
	ignored := j.ignored.get
	for _, de := range ents {
		if de.name == ".gitignore" && de.typ != fs.ModeDir {
			if ignored() {
				break
			}
			if data, err := os.ReadFile(joinClean(abs, ".gitignore")); err == nil {
				ign = &ignore.List{Parent: ign, Rules: ignore.ParseFold(data, j.rel, w.folded != nil)}
			}
			break
		}
	}
	// The index entries under this folder: [lo, hi).
	es := w.idx.Entries
	span := w.dirs[j.rel] // {0, 0} when it holds none
	lo, hi := span.lo, span.hi
	// A listing in name order (the cache records it so) is matched with
	// the index entries in one forward pass: each name's entry is at or
	// after the previous one's. Any other order (a fresh getdents64
	// listing) is searched name by name.
	sorted := slices.IsSortedFunc(ents, compareDirEntries)
	from := lo
	var jobs []dirJob
	for _, de := range ents {
		name := de.name
		if name == ".git" {
			continue
		}
		if name == attrFileName {
			w.sawAttr.Store(true)
		}
		buf = buf[:0]
		if j.rel != "" {
			buf = append(buf, j.rel...)
			buf = append(buf, '/')
		}
		buf = append(buf, name...)
		typ := de.typ
		var st fileStat
		haveSt := false
		// First entry (lowest stage) with this name, if tracked.
		var i int
		if sorted {
			i = searchFrom(es, from, hi, buf)
			from = i
		} else {
			i = searchFrom(es, lo, hi, buf)
		}
		tracked := i < hi && es[i].Name == string(buf)
		if tracked || !typ.IsDir() {
			if st, err = dl.lstat(sd, name); err != nil {
				continue // vanished
			}
			haveSt = true
			switch typ = st.mode.Type(); typ {
			case fs.ModeDir, 0, fs.ModeSymlink:
			default:
				continue // sockets, fifos, devices: git ignores them
			}
		}
		if typ.IsDir() {
			rel := string(buf)
			if tracked {
				e := &w.idx.Entries[i]
				if e.Mode == modeGitlink {
					// A submodule: its gitlink follows its HEAD, as in
					// git add -A; one not checked out is left as is.
					w.markSeen(i)
					if h, ok := gitlinkHead(filepath.Join(abs, name)); ok && (h != e.Hash || e.Stage() != 0) {
						w.out[k] = append(w.out[k], wtFile{path: rel, idx: i, st: st, gitlink: h})
					}
					continue
				}
				// A tracked file became a folder: the fallback reports the
				// file deleted; walk the folder for untracked content.
			}
			if _, ok := w.dirs[rel]; ok {
				jobs = append(jobs, dirJob{rel: rel, ign: ign, ignored: &dirIgnored{parent: j.ignored, rel: rel, ign: ign}})
				continue
			}
			if ignored() || ign.Ignored(rel, true) {
				continue
			}
			if _, err := os.Lstat(filepath.Join(abs, name, ".git")); err == nil {
				// An embedded repository: git add -A adds its HEAD as
				// a gitlink (and fails when it has no commit).
				if w.outsideSparse(rel) {
					continue
				}
				h, ok := gitlinkHead(filepath.Join(abs, name))
				if !ok {
					w.mu.Lock()
					w.unborn = append(w.unborn, rel)
					w.mu.Unlock()
					continue
				}
				if st, err = dl.lstat(sd, name); err == nil {
					w.out[k] = append(w.out[k], wtFile{path: rel, idx: -1, st: st, gitlink: h, embedded: true})
				}
				continue
			}
			jobs = append(jobs, dirJob{rel: rel, ign: ign})
			continue
		}
		if !haveSt {
			continue
		}
		if tracked {
			e := &w.idx.Entries[i]
			w.markSeen(i)
			if e.SkipWorktree() || e.Flags&index.FlagAssumeValid != 0 {
				continue
			}
			if e.Stage() != 0 || e.IntentToAdd() || w.statDirty(e, &st) {
				w.out[k] = append(w.out[k], wtFile{path: e.Name, idx: i, st: st})
			}
			continue
		}
		if ignored() || ign.Ignored(string(buf), false) || IsWfTemp(name) || w.outsideSparse(string(buf)) {
			continue
		}
		if w.folded != nil && w.folded[asciiLower(string(buf))] {
			continue
		}
		w.out[k] = append(w.out[k], wtFile{path: string(buf), idx: -1, st: st})
	}
	return jobs, buf, nil
}

// listDir returns the entries of the folder rel (at abs) and a statter for
// them: the cached listing when the folder's stat data still matches it
// (the statter then works by path, or on the folder opened with O_PATH
// when it holds many names), else the folder read with dl (the statter on
// its open descriptor). done releases the descriptor. A listing that is
// not racy is recorded when the walk records.
func (w *walker) listDir(k int, rel, abs string, dl *dirLister) (dirStatter, []dirEntry, func(), error) {
	if cd := w.cache[rel]; cd != nil {
		sd, st, done, err := dl.cachedStatter(abs, rel, len(cd.ents))
		if err == nil && sameDirStat(&st, &cd.st) {
			if w.record && !racyDir(&st, w.start) {
				rec := cd
				if !slices.IsSortedFunc(cd.ents, compareDirEntries) {
					// Recorded by a wf that kept getdents64's order.
					rec = &cachedDir{st: cd.st, ents: slices.Clone(cd.ents)}
					slices.SortFunc(rec.ents, compareDirEntries)
				}
				w.recorded[k] = append(w.recorded[k], recordedDir{rel: rel, d: rec})
			}
			return sd, cd.ents, done, nil
		}
		if err == nil {
			done()
		}
	}
	var st *fileStat
	if w.record {
		st = &fileStat{}
	}
	sd, ents, done, err := dl.list(abs, rel, st)
	if err != nil {
		return sd, nil, nil, err
	}
	if w.record && !racyDir(st, w.start) {
		rec := slices.Clone(ents)
		slices.SortFunc(rec, compareDirEntries)
		w.recorded[k] = append(w.recorded[k], recordedDir{rel: rel, d: &cachedDir{st: *st, ents: rec}})
	}
	return sd, ents, done, nil
}

// pathOpenMin is the number of names from which a folder whose listing
// comes from the cache (Linux only: the cache is not used elsewhere) is opened with O_PATH to lstat its entries with
// fstatat: one openat(2) and one close(2) more, but the kernel no longer
// resolves the folder's path once per name. On a clone of tldr (38,547
// files in 369 folders) the lstats took 25-40% less time so; on
// terraform (5,513 files in 2,295 folders, most of them small) it made
// no difference (a throwaway program timing both ways, three rounds).
const pathOpenMin = 8

// compareDirEntries orders listing entries by name, bytewise: the order
// of their paths in the index.
func compareDirEntries(a, b dirEntry) int { return strings.Compare(a.name, b.name) }

// searchFrom returns the position of the first entry of es[from:hi]
// whose name is not less than name (hi when there is none), given that
// es is sorted by name and es[from-1], if in range, is less than name. It
// probes from, from+1, from+3, from+7, ... and then searches the last
// step by halves: a name just after the previous one costs one
// comparison, and any name at most twice the logarithm of its distance.
// The name is bytes, compared without a copy.
func searchFrom(es []index.Entry, from, hi int, name []byte) int {
	if from >= hi || es[from].Name >= string(name) {
		return from
	}
	lo, step := from, 1 // es[lo].Name < name
	for {
		probe := lo + step
		if probe >= hi {
			break
		}
		if es[probe].Name >= string(name) {
			hi = probe
			break
		}
		lo, step = probe, step<<1
	}
	lo++ // the answer is in [lo, hi]
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if es[m].Name < string(name) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// markSeen marks entry i and the other stages of the same path.
func (w *walker) markSeen(i int) {
	name := w.idx.Entries[i].Name
	for ; i < len(w.idx.Entries) && w.idx.Entries[i].Name == name; i++ {
		w.seen[i] = true
	}
}

// statDirty compares stat data like git's ie_match_stat: mode (type and,
// with core.filemode, the exec bit), size, mtime, ctime, inode, uid and gid;
// an entry whose mtime is not older than the index file is racily clean and
// counted as dirty so that its content gets hashed.
func (w *walker) statDirty(e *index.Entry, st *fileStat) bool {
	if modeFromStat(st, e.Mode, w.core) != e.Mode {
		return true
	}
	if e.Size != uint32(st.size) ||
		e.MtimeS != uint32(st.mtimeS) || e.MtimeN != uint32(st.mtimeN) ||
		e.CtimeS != uint32(st.ctimeS) || e.CtimeN != uint32(st.ctimeN) ||
		e.Ino != uint32(st.ino) || e.UID != st.uid || e.GID != st.gid {
		return true
	}
	ms, mn := e.Mtime()
	if w.racyS != 0 && (ms > w.racyS || (ms == w.racyS && mn >= w.racyN)) {
		return true
	}
	return false
}

// coreModes are the core settings that decide an entry's mode.
type coreModes struct {
	fileMode bool // core.filemode: trust the executable bit
	symlinks bool // core.symlinks: the file system has symlinks
}

// coreModes reads core.filemode and core.symlinks (both true unless set).
func (r *Repo) coreModes() coreModes {
	return coreModes{fileMode: r.cfg.Bool("core.filemode", true), symlinks: r.cfg.Bool("core.symlinks", true)}
}

// modeFromStat returns the git mode for a stat result, as git's
// ce_mode_from_stat does: with core.symlinks off, a regular file keeps a
// symlink entry's mode (prev); with core.filemode off, a regular file
// keeps the mode of a regular index entry and a new one is 100644.
func modeFromStat(st *fileStat, prev uint32, core coreModes) uint32 {
	switch st.mode.Type() {
	case fs.ModeSymlink:
		return modeSymlink
	case fs.ModeDir:
		return modeGitlink
	case 0:
		if !core.symlinks && prev == modeSymlink {
			return prev
		}
		if !core.fileMode {
			if prev == modeRegular || prev == modeExecutable {
				return prev
			}
			return modeRegular
		}
		if st.mode&0o100 != 0 {
			return modeExecutable
		}
		return modeRegular
	}
	return 0
}

// gitlinkHead returns the commit HEAD of the repository whose work tree
// is dir resolves to (its ".git" a folder or a "gitdir:" file, as git's
// resolve_gitlink_ref reads it); false when dir holds no repository or
// its HEAD has no commit.
func gitlinkHead(dir string) (Hash, bool) {
	dotgit := filepath.Join(dir, ".git")
	fi, err := os.Lstat(dotgit)
	if err != nil {
		return Hash{}, false
	}
	gitDir := dotgit
	switch {
	case fi.IsDir():
	case fi.Mode().IsRegular():
		data, err := os.ReadFile(dotgit)
		if err != nil {
			return Hash{}, false
		}
		line, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir:")
		if !ok {
			return Hash{}, false
		}
		gitDir = strings.TrimSpace(line)
		if !filepath.IsAbs(gitDir) {
			gitDir = filepath.Join(dir, gitDir)
		}
	default:
		return Hash{}, false
	}
	common := gitDir
	if data, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		c := strings.TrimSpace(string(data))
		if !filepath.IsAbs(c) {
			c = filepath.Join(gitDir, c)
		}
		common = c
	}
	id, ok, err := refs.Store{GitDir: gitDir, CommonDir: common}.Resolve("HEAD")
	if err != nil || !ok {
		return Hash{}, false
	}
	return Hash(id), true
}

// embedded lists the embedded repositories the walk found, sorted.
func (res *walkResult) embedded() []string {
	var out []string
	for _, f := range res.dirty {
		if f.embedded {
			out = append(out, f.path)
		}
	}
	sort.Strings(out)
	return out
}

// EmbeddedGitlinks lists the gitlinks of the index (paths from the top
// level, sorted as the index is) that .gitmodules at the top level does not
// register as a submodule's path: embedded repositories committed as
// gitlinks, whose files clones of this repository will not have.
func (r *Repo) EmbeddedGitlinks() ([]string, error) {
	idx, err := r.readIndexFile(indexPath(r))
	if err != nil {
		return nil, err
	}
	return embeddedGitlinks(r.TopLevel, idx.Entries), nil
}

// outsideSparse reports (and records) an untracked path outside the sparse
// checkout.
func (w *walker) outsideSparse(rel string) bool {
	if w.sparse == nil || ignore.InSparse(w.sparse, rel) {
		return false
	}
	w.mu.Lock()
	w.outside = append(w.outside, rel)
	w.mu.Unlock()
	return true
}

// sparsePatterns reads $GIT_DIR/info/sparse-checkout when
// core.sparseCheckout is on (cone or not: cone mode writes its folders as
// patterns of the same syntax); nil when off. A missing file is an empty
// pattern list, as in git: nothing untracked is inside.
func (r *Repo) sparsePatterns() []ignore.Rule {
	if !r.cfg.Bool("core.sparsecheckout", false) {
		return nil
	}
	data, _ := os.ReadFile(filepath.Join(r.GitDir, "info", "sparse-checkout"))
	rules := ignore.Parse(data, "")
	if rules == nil {
		rules = []ignore.Rule{}
	}
	return rules
}

// joinClean is filepath.Join(dir, rel) for a clean absolute folder dir
// and a clean slash-separated relative path rel, without cleaning the
// result again (the walk joins once per folder it visits).
func joinClean(dir, rel string) string {
	switch {
	case filepath.Separator != '/':
		return filepath.Join(dir, rel)
	case strings.HasSuffix(dir, "/"):
		return dir + rel // the root folder
	}
	return dir + "/" + rel
}
