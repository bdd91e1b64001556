package gitcp

import "fmt"

// FileMode is a git file mode as trees and index entries record it:
// 0o100644 (file), 0o100755 (executable), 0o120000 (symlink), 0o160000
// (submodule) or 0o040000 (tree); zero in a [Change] for a side that does
// not exist.
type FileMode uint32

// String returns the mode as git prints it, seven octal digits.
func (m FileMode) String() string { return fmt.Sprintf("%07o", uint32(m)) }

// Git file modes, as trees and index entries record them.
const (
	modeRegular    = 0o100644
	modeExecutable = 0o100755
	modeSymlink    = 0o120000
	modeGitlink    = 0o160000
	modeTree       = 0o040000
)
