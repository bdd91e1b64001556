//go:build !linux

package rawio

// ReadFileBeneath is ReadFile(abs, buf, true) on systems without
// openat2(2): only the last component of the path is not followed.
func ReadFileBeneath(top int, rel, abs string, buf []byte) ([]byte, error) {
	return ReadFile(abs, buf, true)
}
