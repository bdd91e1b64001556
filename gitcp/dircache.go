package gitcp

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unsafe"
)

// The folder-listing cache (GitDir/wf/dir-cache) lets the work-tree walk
// skip open(2), getdents64(2) and close(2) for folders that did not change:
// for each folder a walk listed, it holds the names and types in it and
// the folder's stat data at the time. A later walk uses the recorded
// listing when lstat(2) of the folder gives the same mtime, ctime, inode,
// device, size, uid and gid, and lists the folder otherwise. Adding,
// removing or renaming a name in a folder changes its mtime and ctime:
// this is the rule by which git's untracked cache trusts a folder
// (gitformat-index(5), "Untracked cache": a folder's cached content is
// valid while its stat data is unchanged). What the walk derives from a
// listing (tracked or not, ignored or not, a file's own stat data) is
// computed afresh on every walk, as without the cache, so .gitignore
// edits, index changes and file edits need no invalidation of their own.
//
// Racy folders: a folder whose mtime or ctime is not dirRacyMargin older
// than the start of the walk that lists it is not recorded, because a
// change made during or right after the listing could leave the recorded
// times as they were (file system timestamps come from a coarse clock,
// and some file systems keep 2-second times); git has the same hole and
// closes it by treating entries not older than the index file as racily
// clean.
//
// Only [Repo.Commit] writes the cache (best effort: a failure to write it
// is ignored); every walk reads it. A cache that does not parse is not
// used.

// dirCacheName is the cache's file name in the runtime folder.
const dirCacheName = "dir-cache"

// dirCacheMagic starts the file; the last byte is the format's version.
const dirCacheMagic = "WFDC\x01"

// dirCacheMaxSize bounds the file read (a larger one is not used).
const dirCacheMaxSize = 256 << 20

// dirRacyMargin is how much older than the walk's start a folder's mtime
// and ctime must be for its listing to be recorded: more than the 2
// seconds of FAT's times.
const dirRacyMargin = 3 * time.Second

// dirCacheChunk is the number of names parseDirCache allocates at a time.
const dirCacheChunk = 1024

// cachedDir is one folder's recorded listing.
type cachedDir struct {
	st   fileStat
	ents []dirEntry
}

// dirCache maps a folder ("" for the top, "a/b" below) to its listing.
type dirCache map[string]*cachedDir

// sameDirStat reports whether the folder's stat data a equals b in what
// the cache compares.
func sameDirStat(a, b *fileStat) bool {
	return a.mode.Type() == b.mode.Type() && a.mtimeS == b.mtimeS && a.mtimeN == b.mtimeN &&
		a.ctimeS == b.ctimeS && a.ctimeN == b.ctimeN && a.ino == b.ino && a.dev == b.dev &&
		a.size == b.size && a.uid == b.uid && a.gid == b.gid
}

// racyDir reports whether a folder with stat data st, listed by a walk that
// started at start, may change without changing its times.
func racyDir(st *fileStat, start time.Time) bool {
	limit := start.Add(-dirRacyMargin)
	return !time.Unix(st.mtimeS, st.mtimeN).Before(limit) || !time.Unix(st.ctimeS, st.ctimeN).Before(limit)
}

// encodeDirCache serialises c: the magic, the folder count, then per
// folder in path order its path, stat data (signed varints for the times
// and size, unsigned for inode, device, uid and gid) and entries (a type
// byte: 0 file, 1 folder, 2 symlink, 3 other; the name), and a SHA-1 of
// everything before it.
func encodeDirCache(c dirCache) []byte {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	size := len(dirCacheMagic) + 10 + sha1.Size
	for _, k := range keys {
		size += len(k) + 12*10
		for _, e := range c[k].ents {
			size += 1 + 10 + len(e.name)
		}
	}
	b := make([]byte, 0, size)
	b = append(b, dirCacheMagic...)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		d := c[k]
		b = appendString(b, k)
		for _, v := range []int64{d.st.mtimeS, d.st.mtimeN, d.st.ctimeS, d.st.ctimeN, d.st.size} {
			b = binary.AppendVarint(b, v)
		}
		for _, v := range []uint64{d.st.ino, d.st.dev, uint64(d.st.uid), uint64(d.st.gid)} {
			b = binary.AppendUvarint(b, v)
		}
		b = binary.AppendUvarint(b, uint64(len(d.ents)))
		for _, e := range d.ents {
			b = append(b, dirTypeByte(e.typ))
			b = appendString(b, e.name)
		}
	}
	sum := sha1.Sum(b)
	return append(b, sum[:]...)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func dirTypeByte(m fs.FileMode) byte {
	switch m {
	case 0:
		return 0
	case fs.ModeDir:
		return 1
	case fs.ModeSymlink:
		return 2
	}
	return 3
}

var dirTypes = [4]fs.FileMode{0, fs.ModeDir, fs.ModeSymlink, fs.ModeIrregular}

// parseDirCache decodes a file written by encodeDirCache. It fails on a
// wrong magic or checksum, a truncated or overlong field, a folder path
// that is not clean and relative (or listed twice), and a name that is
// empty, "." or "..", or holds "/" or NUL: such a file was not written by
// wf, and the walk then lists every folder. The cache's strings share
// data's storage: data must not be modified afterwards.
func parseDirCache(data []byte) (dirCache, error) {
	if len(data) < len(dirCacheMagic)+sha1.Size || string(data[:len(dirCacheMagic)]) != dirCacheMagic {
		return nil, errors.New("dir-cache: not a folder-listing cache of this version")
	}
	body := data[:len(data)-sha1.Size]
	if sum := sha1.Sum(body); !bytes.Equal(sum[:], data[len(body):]) {
		return nil, errors.New("dir-cache: checksum mismatch")
	}
	rest := body[len(dirCacheMagic):]
	// One string of the whole body: paths and names are slices of it, not
	// one allocation each, and it shares data's storage (no copy).
	p := &cacheParser{b: rest, all: unsafe.String(unsafe.SliceData(rest), len(rest))}
	n := p.count()
	c := make(dirCache, min(n, 16*dirCacheChunk)) // a count the bytes cannot hold must not size it
	// The folders and their names are carved out of arrays, not
	// allocated one by one (a large tree has thousands of folders): the
	// folders dirCacheChunk at a time, so that a count the file's bytes
	// cannot hold fails the parse before much is allocated, and the names
	// in chunks of at least dirCacheChunk (a folder's count is checked
	// against the bytes left).
	var dirs []cachedDir
	var names []dirEntry
	for k := range n {
		rel := p.str()
		if p.err == nil && !validCacheDir(rel) {
			p.fail("folder path %q", rel)
		}
		if len(dirs) == cap(dirs) {
			dirs = make([]cachedDir, 0, min(n-k, dirCacheChunk))
		}
		dirs = append(dirs, cachedDir{})
		d := &dirs[len(dirs)-1]
		d.st.mode = fs.ModeDir
		d.st.mtimeS, d.st.mtimeN, d.st.ctimeS, d.st.ctimeN, d.st.size = p.varint(), p.varint(), p.varint(), p.varint(), p.varint()
		d.st.ino, d.st.dev = p.uvarint(), p.uvarint()
		d.st.uid, d.st.gid = uint32(p.uvarint()), uint32(p.uvarint())
		m := p.count()
		if cap(names)-len(names) < m {
			names = make([]dirEntry, 0, max(m, dirCacheChunk))
		}
		first := len(names)
		for range m {
			t := p.byte()
			name := p.str()
			if p.err != nil {
				break
			}
			if t >= byte(len(dirTypes)) {
				p.fail("entry type %d", t)
				break
			}
			if name == "" || name == "." || name == ".." || strings.IndexByte(name, '/') >= 0 || strings.IndexByte(name, 0) >= 0 {
				p.fail("entry name %q", name)
				break
			}
			names = append(names, dirEntry{name: name, typ: dirTypes[t]})
		}
		d.ents = names[first:len(names):len(names)]
		if p.err != nil {
			return nil, p.err
		}
		if _, dup := c[rel]; dup {
			return nil, fmt.Errorf("dir-cache: folder %q listed twice", rel)
		}
		c[rel] = d
	}
	if p.err == nil && len(p.b) != 0 {
		p.fail("%d bytes after the last folder", len(p.b))
	}
	if p.err != nil {
		return nil, p.err
	}
	return c, nil
}

// validCacheDir accepts "" and clean slash-separated relative paths. It
// runs for every folder of the cache that each walk reads, so it splits
// nothing.
func validCacheDir(rel string) bool {
	if rel == "" {
		return true
	}
	for rest := rel; ; {
		part, more, found := strings.Cut(rest, "/")
		if part == "" || part == "." || part == ".." || strings.IndexByte(part, 0) >= 0 {
			return false
		}
		if !found {
			return true
		}
		rest = more
	}
}

// cacheParser reads the fields of a dir-cache body, keeping the first
// error.
type cacheParser struct {
	b   []byte // what is left to read
	all string // the whole body, which b is the tail of
	err error
}

func (p *cacheParser) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("dir-cache: bad "+format, args...)
	}
	p.b = nil
}

func (p *cacheParser) uvarint() uint64 {
	v, n := binary.Uvarint(p.b)
	if n <= 0 {
		p.fail("number")
		return 0
	}
	p.b = p.b[n:]
	return v
}

func (p *cacheParser) varint() int64 {
	v, n := binary.Varint(p.b)
	if n <= 0 {
		p.fail("number")
		return 0
	}
	p.b = p.b[n:]
	return v
}

// count reads a count of items that each take at least one byte, so that
// a corrupt count cannot make the parser allocate more than the file.
func (p *cacheParser) count() int {
	v := p.uvarint()
	if v > uint64(len(p.b)) {
		p.fail("count %d", v)
		return 0
	}
	return int(v)
}

func (p *cacheParser) byte() byte {
	if len(p.b) == 0 {
		p.fail("truncated entry")
		return 0
	}
	c := p.b[0]
	p.b = p.b[1:]
	return c
}

func (p *cacheParser) str() string {
	n := p.uvarint()
	if n > uint64(len(p.b)) {
		p.fail("string length %d", n)
		return ""
	}
	at := len(p.all) - len(p.b)
	p.b = p.b[n:]
	return p.all[at : at+int(n)]
}

// readDirCache loads the repository's cache; nil when there is none or
// it cannot be used.
func (r *Repo) readDirCache() dirCache {
	path := filepath.Join(r.WfDir(), dirCacheName)
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > dirCacheMaxSize {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	c, err := parseDirCache(data)
	if err != nil {
		return nil
	}
	return c
}

// readDirCacheAsync reads the repository's cache in a new goroutine and
// delivers it (nil where the cache is not supported, absent or unusable)
// on the returned channel, which holds one value: parsing a large tree's
// cache takes milliseconds that the index read or the walk's set-up can
// run beside.
func (r *Repo) readDirCacheAsync() <-chan dirCache {
	ch := make(chan dirCache, 1)
	if !dirCacheSupported {
		ch <- nil
		return ch
	}
	go func() {
		var perr error // a panic here: no cache, every folder is listed
		defer recoverInto(&perr, "reading the folder-listing cache", func() { ch <- nil })
		ch <- r.readDirCache()
	}()
	return ch
}

// writeDirCache replaces the repository's cache with c, atomically (a
// temporary file in the runtime folder, then rename); errors are
// returned for tests, callers may ignore them.
func (r *Repo) writeDirCache(c dirCache) error {
	dir := r.WfDir()
	if fi, err := os.Lstat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("dir-cache: no runtime folder %s", dir)
	}
	f, err := os.CreateTemp(dir, "."+dirCacheName+".wf-tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(encodeDirCache(c))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, dirCacheName))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
