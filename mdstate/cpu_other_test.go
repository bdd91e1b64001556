//go:build !unix

package mdstate

import "testing"

// reportCPU runs loop; only unix systems report its CPU time.
func reportCPU(_ *testing.B, loop func()) { loop() }
