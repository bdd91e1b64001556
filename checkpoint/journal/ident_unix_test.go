//go:build unix

package journal

import (
	"os"
	"syscall"
	"testing"
)

func fileIdentity(t *testing.T, path string) (dev, ino uint64) {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	return uint64(st.Dev), uint64(st.Ino)
}
