//go:build !unix

package rawio

import (
	"io"
	"os"
)

// ReadFile reads the whole file at path into buf's storage (grown when
// too small) and returns the bytes read, which may share buf's storage.
// noFollow is not honoured on this system (os.Open follows links). Errors
// are the os package's.
func ReadFile(path string, buf []byte, noFollow bool) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() < 1<<40 && int64(cap(buf)) < fi.Size()+1 {
		buf = make([]byte, 0, fi.Size()+1)
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
