package refs

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// FormatError is returned for a ref file, packed-refs file or reflog line
// that does not follow the format.
type FormatError struct {
	File   string // what was read: "ref <name>", a packed-refs path, "reflog line"
	Reason string
}

func (e *FormatError) Error() string { return "malformed " + e.File + ": " + e.Reason }

// Store locates the refs of one worktree: per-worktree refs in GitDir,
// the others, packed-refs included, in CommonDir.
type Store struct {
	GitDir    string // the worktree's git dir
	CommonDir string // the git dir shared by all worktrees
	// Packed, when not nil, keeps the packed-refs file between lookups
	// ([PackedCache]); nil reads it at every lookup, as a compare under a
	// ref's lock must.
	Packed *PackedCache
}

// perWorktree reports whether ref name lives in the worktree's git dir.
func perWorktree(name string) bool {
	return !strings.HasPrefix(name, "refs/") ||
		strings.HasPrefix(name, "refs/bisect/") ||
		strings.HasPrefix(name, "refs/worktree/") ||
		strings.HasPrefix(name, "refs/rewritten/")
}

// File is the loose file of ref name (a full name, or "HEAD").
func (s Store) File(name string) string {
	if perWorktree(name) {
		return filepath.Join(s.GitDir, filepath.FromSlash(name))
	}
	return filepath.Join(s.CommonDir, filepath.FromSlash(name))
}

// LogFile is the reflog file of ref name: logs/<name> beside the ref.
func (s Store) LogFile(name string) string {
	if name == "HEAD" || perWorktree(name) {
		return filepath.Join(s.GitDir, "logs", filepath.FromSlash(name))
	}
	return filepath.Join(s.CommonDir, "logs", filepath.FromSlash(name))
}

// PackedFile is the packed-refs file.
func (s Store) PackedFile() string { return filepath.Join(s.CommonDir, "packed-refs") }

// maxSymrefs is how many files Resolve reads for one ref, symbolic refs
// included.
const maxSymrefs = 8

// Resolve reads ref name, loose first, then from packed-refs, following
// symbolic refs. found is false when the ref does not exist (a symbolic
// ref to a missing ref, as HEAD on an unborn branch, included).
func (s Store) Resolve(name string) (id [20]byte, found bool, err error) {
	for range maxSymrefs {
		data, err := os.ReadFile(s.File(name))
		if err == nil {
			l, err := ParseLoose(name, data)
			if err != nil {
				return id, false, err
			}
			if l.Target != "" {
				name = l.Target
				continue
			}
			return l.ID, true, nil
		}
		if !errors.Is(err, fs.ErrNotExist) && !isNotDir(err) {
			return id, false, err
		}
		data, err = s.readPacked()
		if errors.Is(err, fs.ErrNotExist) {
			return id, false, nil
		}
		if err != nil {
			return id, false, err
		}
		id, found, err = LookupPacked(data, name)
		if fe, ok := err.(*FormatError); ok {
			fe.File = s.PackedFile()
		}
		return id, found, err
	}
	return id, false, fmt.Errorf("ref %s: too many symbolic ref levels", name)
}

// Chain follows the symbolic refs from name (loose files only: packed
// refs are never symbolic) and returns the ref at the end of the chain,
// the one an update of name moves, and the symbolic refs passed on the
// way, name first; via is empty when name is not symbolic. A chain longer
// than git's limit of 5 levels is an error.
func (s Store) Chain(name string) (final string, via []string, err error) {
	for range maxSymrefs {
		data, err := os.ReadFile(s.File(name))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || isNotDir(err) {
				return name, via, nil
			}
			return "", nil, err
		}
		l, err := ParseLoose(name, data)
		if err != nil {
			return "", nil, err
		}
		if l.Target == "" {
			return name, via, nil
		}
		via = append(via, name)
		name = l.Target
	}
	return "", nil, fmt.Errorf("ref %s: too many symbolic ref levels", name)
}

// isNotDir reports ENOTDIR: a ref "a/b" read where "a" is a loose ref.
func isNotDir(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "not a directory")
}

// Loose is the content of a loose ref file: an object id, or the target
// of a symbolic ref.
type Loose struct {
	ID     [20]byte
	Target string // the full ref name after "ref: "; "" for an object id
}

// ParseLoose decodes the content of the loose file of ref name (the name
// is for the error only). Surrounding white space is ignored, as git does.
func ParseLoose(name string, data []byte) (Loose, error) {
	s := strings.TrimSpace(string(data))
	if t, ok := strings.CutPrefix(s, "ref:"); ok {
		t = strings.TrimSpace(t)
		if t == "" {
			return Loose{}, &FormatError{File: "ref " + name, Reason: fmt.Sprintf("%q", s)}
		}
		return Loose{Target: t}, nil
	}
	id, ok := parseID([]byte(s))
	if !ok {
		return Loose{}, &FormatError{File: "ref " + name, Reason: fmt.Sprintf("%q", s)}
	}
	return Loose{ID: id}, nil
}

// parseID decodes exactly 40 hexadecimal digits.
func parseID(b []byte) (id [20]byte, ok bool) {
	if len(b) != 40 {
		return id, false
	}
	if _, err := hex.Decode(id[:], b); err != nil {
		return [20]byte{}, false
	}
	return id, true
}

// packedHeader starts the optional first line of packed-refs; the traits
// follow ("peeled fully-peeled sorted").
const packedHeader = "# pack-refs with:"

// LookupPacked finds ref name in the content of a packed-refs file. It
// reads the file line by line up to the ref and checks each line it
// reads: the header (first line only), "<id> <name>" lines and peeled
// "^<id>" lines, each of which must follow a ref line. A missing ref
// checks the whole file. The last line may lack its newline. Nothing is
// allocated.
func LookupPacked(data []byte, name string) (id [20]byte, found bool, err error) {
	bad := func(n int, why string) ([20]byte, bool, error) {
		return [20]byte{}, false, &FormatError{File: "packed-refs", Reason: fmt.Sprintf("line %d: %s", n, why)}
	}
	afterRef := false
	for n := 1; len(data) > 0; n++ {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		switch {
		case n == 1 && len(line) > 0 && line[0] == '#':
			if !bytes.HasPrefix(line, []byte(packedHeader)) {
				return bad(n, "unexpected header")
			}
		case len(line) > 0 && line[0] == '^':
			if !afterRef {
				return bad(n, "peeled line not after a ref")
			}
			if _, ok := parseID(line[1:]); !ok {
				return bad(n, "malformed peeled id")
			}
			afterRef = false
		default:
			if len(line) < 42 || line[40] != ' ' {
				return bad(n, "not \"<id> <refname>\"")
			}
			lid, ok := parseID(line[:40])
			if !ok {
				return bad(n, "malformed object id")
			}
			if string(line[41:]) == name {
				return lid, true, nil
			}
			afterRef = true
		}
	}
	return id, false, nil
}
