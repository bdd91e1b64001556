package gitcp

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/index"
	"github.com/wf-tool/wf/gitcp/internal/tree"
)

// CheckoutConversionError is returned by [Repo.CreateBranch] and
// [Repo.AddWorktree] before they write anything, when git's checkout
// would write some of the files otherwise than as their blobs hold them:
// an end-of-line conversion to CRLF, a smudge filter, ident or a
// working-tree-encoding (gitattributes(5), core.autocrlf, core.eol). wf
// writes blobs as they are; rather than leave files that differ from
// what git would have written, it refuses, and the hint gives the git
// command that does the same with the conversion.
type CheckoutConversionError struct {
	Paths   []string // from the top level, sorted
	Reasons []string // why git converts each of Paths
	// Command is the git command that writes the same files with git's
	// conversion.
	Command string
}

func (e *CheckoutConversionError) Error() string {
	what := e.Paths[0] + ": " + e.Reasons[0]
	if len(e.Paths) > 1 {
		what += fmt.Sprintf(", and %d more", len(e.Paths)-1)
	}
	return fmt.Sprintf("git converts %d of the files to write when it checks them out (%s); wf writes files as their blobs hold them and will not write them otherwise than git", len(e.Paths), what)
}

// Hint says what the user can do.
func (e *CheckoutConversionError) Hint() string {
	return e.Command + " does the same with git's conversion"
}

// ShellArg returns s as one word for a POSIX shell, for the commands that
// hints print: as it is when it holds only letters, digits and
// "%+,-./:=@_", else in single quotes, each single quote inside closed,
// escaped with a backslash and reopened (git's sq_quote_buf).
func ShellArg(s string) string {
	safe := s != ""
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("%+,-./:=@_", c)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// blobToWrite is a file a checkout writes: its path from the top and its
// blob.
type blobToWrite struct {
	path string
	id   Hash
}

// checkoutConversion returns a [*CheckoutConversionError] naming the files
// of writes that git's checkout would convert, with attributes looked up
// in c (set up by the caller as the checkout reads them), or nil.
// Symlinks and gitlinks are never converted and are not in writes.
func (r *Repo) checkoutConversion(c *conversion, writes []blobToWrite, command string) error {
	cfg := r.convertConfig()
	e := &CheckoutConversionError{Command: command}
	for _, w := range writes {
		a := c.attrs(w.path)
		if !cfg.MayChangeOnCheckout(&a) {
			continue
		}
		blob, err := r.readObject(plumbing.BlobObject, w.id)
		if err != nil {
			return err
		}
		if why := cfg.ToWorktreeChanges(&a, blob); why != "" {
			e.Paths, e.Reasons = append(e.Paths, w.path), append(e.Reasons, why)
		}
	}
	if len(e.Paths) == 0 {
		return nil
	}
	sort.Sort(byPath{e})
	return e
}

// byPath sorts a CheckoutConversionError's paths with their reasons.
type byPath struct{ e *CheckoutConversionError }

func (b byPath) Len() int           { return len(b.e.Paths) }
func (b byPath) Less(i, j int) bool { return b.e.Paths[i] < b.e.Paths[j] }
func (b byPath) Swap(i, j int) {
	b.e.Paths[i], b.e.Paths[j] = b.e.Paths[j], b.e.Paths[i]
	b.e.Reasons[i], b.e.Reasons[j] = b.e.Reasons[j], b.e.Reasons[i]
}

// checkSwitchConversion is [Repo.checkoutConversion] for a switch to
// targetTree that writes changes. The attributes are read as git's
// checkout reads them: each folder's .gitattributes from targetTree, or,
// where it has none, from the work tree unless the switch deletes it
// (entries is the index). Deleted files, gitlinks, symlinks,
// skip-worktree paths (old gives their index entries) and new paths the
// sparse checkout leaves out (unwritten) are not written.
func (r *Repo) checkSwitchConversion(changes []Change, old map[string]*index.Entry, unwritten map[string]bool, entries []index.Entry, targetTree Hash, command string) error {
	var writes []blobToWrite
	gone := map[string]bool{}
	for _, c := range changes {
		if isAttrFile(c.Path) && c.NewHash.IsZero() {
			gone[c.Path] = true
		}
		if m := uint32(c.NewMode); c.NewHash.IsZero() || m == modeGitlink || m == modeSymlink {
			continue
		}
		if o := old[c.Path]; (o != nil && o.SkipWorktree()) || unwritten[c.Path] {
			continue
		}
		writes = append(writes, blobToWrite{path: c.Path, id: c.NewHash})
	}
	if len(writes) == 0 {
		return nil
	}
	fromTree, err := r.treeAttrFiles(targetTree)
	if err != nil {
		return err
	}
	c, _ := r.newAttrStack(entries, true)
	c.fromTree, c.gone = fromTree, gone
	return r.checkoutConversion(c, writes, command)
}

// treeAttrFiles returns the .gitattributes files of tree t by path, for
// a conversion's fromTree. A symlink is included: git reads attributes
// from the index by blob, and a link's blob is its target's text.
func (r *Repo) treeAttrFiles(t Hash) (map[string]Hash, error) {
	out := map[string]Hash{}
	err := r.flattenTree(t, "", func(p string, e tree.Entry) error {
		if isAttrFile(p) && e.Mode != modeGitlink {
			out[p] = e.ID
		}
		return nil
	})
	return out, err
}
