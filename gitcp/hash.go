package gitcp

import (
	"encoding/hex"

	"github.com/go-git/go-git/v5/plumbing"
)

// Hash is a git object id: the SHA-1 of an object's header and content
// (gitformat-hash, "SHA-1"). wf supports SHA-1 repositories only; [Discover]
// refuses extensions.objectFormat=sha256. It is gitcp's own type so that no
// package outside gitcp depends on go-git.
type Hash [20]byte

// NewHash parses a 40-digit hexadecimal object id. Anything else gives the
// zero Hash; use [IsHash] first where the input may be malformed.
func NewHash(s string) Hash {
	var h Hash
	if len(s) != 2*len(h) {
		return Hash{}
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return Hash{}
	}
	return h
}

// IsHash reports whether s is a 40-digit hexadecimal object id.
func IsHash(s string) bool {
	if len(s) != 40 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// String is the id in lower-case hexadecimal, 40 digits.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// IsZero reports whether h is the all-zero id, which git uses for "no
// object" (a ref that does not exist yet, in a reflog line).
func (h Hash) IsZero() bool { return h == Hash{} }

// toPlumbing converts at the boundary with go-git's object layer; both
// are the same 20 bytes.
func (h Hash) toPlumbing() plumbing.Hash { return plumbing.Hash(h) }
