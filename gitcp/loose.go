package gitcp

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/klauspost/compress/zlib"
)

// looseLevel is the zlib level of loose objects, as git chooses it
// (git-config(1)): core.looseCompression, else core.compression, else 1
// (best speed); -1 is zlib's default. A value git would reject (outside
// -1..9, or not a number) falls back to 1 here.
func (r *Repo) looseLevel() int {
	for _, key := range []string{"core.loosecompression", "core.compression"} {
		if v, ok := r.cfg.Get(key); ok {
			if n, err := strconv.Atoi(v); err == nil && n >= -1 && n <= 9 {
				return n
			}
			return zlib.BestSpeed
		}
	}
	return zlib.BestSpeed
}

// zlibWriters holds deflate states for reuse, one per level: a zlib
// writer allocates several hundred KB, and a checkpoint writes hundreds of
// objects.
var zlibWriters sync.Map // level -> *sync.Pool of *zlib.Writer

// writeLoose stores data, an object of type t whose id is h, as a loose
// object the way git writes one (object-file.c, write_loose_object): the
// header "TYPE SIZE\0" and the content, zlib-deflated at looseLevel, into
// a temporary file tmp_obj_* in the object's fan-out folder, made
// read-only (0444, as git creates it) and renamed into place. An object
// already in place is left as it is (git does not overwrite one either).
// Nothing is fsynced, as git does not fsync loose objects unless
// core.fsync asks (the commit's ref update is fsynced).
func (r *Repo) writeLoose(t plumbing.ObjectType, data []byte, h Hash) (err error) {
	hex := h.String()
	dir := filepath.Join(r.CommonDir, "objects", hex[:2])
	final := filepath.Join(dir, hex[2:])
	if _, err := os.Lstat(final); err == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "tmp_obj_")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	level := r.looseLevel()
	pool, _ := zlibWriters.LoadOrStore(level, &sync.Pool{})
	zw, _ := pool.(*sync.Pool).Get().(*zlib.Writer)
	if zw == nil {
		if zw, err = zlib.NewWriterLevel(f, level); err != nil {
			return err
		}
	} else {
		zw.Reset(f)
	}
	defer pool.(*sync.Pool).Put(zw)
	var hdr bytes.Buffer
	hdr.WriteString(t.String())
	hdr.WriteByte(' ')
	hdr.WriteString(strconv.Itoa(len(data)))
	hdr.WriteByte(0)
	if _, err = zw.Write(hdr.Bytes()); err != nil {
		return err
	}
	if _, err = zw.Write(data); err != nil {
		return err
	}
	if err = zw.Close(); err != nil {
		return err
	}
	if err = f.Chmod(0o444); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, final); err != nil {
		if _, serr := os.Lstat(final); serr == nil {
			os.Remove(tmp) // written meanwhile by another process
			return nil
		}
		return fmt.Errorf("store object %s: %w", hex, err)
	}
	return nil
}
