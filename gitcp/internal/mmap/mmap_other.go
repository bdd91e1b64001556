//go:build !unix

package mmap

import (
	"errors"
	"os"
)

// Map reads a whole file: there is no mmap on this platform, so files
// over 64 MiB are refused (callers fall back to go-git's object reader).
func Map(path string) ([]byte, func(), error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if fi.Size() > 64<<20 {
		return nil, nil, errors.New("file too large to read whole")
	}
	data, err := os.ReadFile(path)
	return data, func() {}, err
}
