package history

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
)

// IDTime is the time part of a checkpoint id: UTC to the second, so that
// ids sort by time as strings whatever the writer's time zone.
const IDTime = "20060102-150405"

// idRe matches a checkpoint id: time, 4 random hex digits, slug.
var idRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\d{8}-\d{6}-[0-9a-f]{4}(-[a-z0-9]+(-[a-z0-9]+)*)?$`)
})

// NewID makes a checkpoint id "YYYYMMDD-HHMMSS-rrrr-slug": the UTC time to
// the second (ids sort by time), 16 random bits (two checkpoints made in
// the same second on other branches or worktrees do not collide; a clash
// with an existing file is retried), and a slug of the title for people.
func NewID(now time.Time, title string) string {
	var b [2]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	id := now.UTC().Format(IDTime) + "-" + hex.EncodeToString(b[:])
	if s := Slug(title); s != "" {
		id += "-" + s
	}
	return id
}

// ValidID reports whether s has the shape of a checkpoint id.
func ValidID(s string) bool { return idRe().MatchString(s) }

// ShortID is the id without its slug: "20260222-113005-a3f9", unique on
// its own.
func ShortID(id string) string {
	if len(id) >= 20 && ValidID(id) {
		return id[:20]
	}
	return id
}

// Slug turns a title into lower-case ASCII words joined by "-", at most 40
// characters, cut at a word boundary.
func Slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	s := b.String()
	for len(s) > 40 {
		i := strings.LastIndexByte(s[:40], '-')
		if i <= 0 {
			s = s[:40]
			break
		}
		s = s[:i]
	}
	return s
}

// IDRefError is a checkpoint reference that names no checkpoint or
// several.
type IDRefError struct {
	Ref        string
	Candidates []string
}

func (e *IDRefError) Error() string {
	if len(e.Candidates) == 0 {
		return fmt.Sprintf("no checkpoint matches %q", e.Ref)
	}
	c := e.Candidates
	more := ""
	if len(c) > 8 {
		c, more = c[:8], fmt.Sprintf(" and %d more", len(e.Candidates)-8)
	}
	return fmt.Sprintf("%q matches %d checkpoints: %s%s", e.Ref, len(e.Candidates), strings.Join(c, ", "), more)
}

// Hint says what the user can do.
func (e *IDRefError) Hint() string {
	if len(e.Candidates) > 1 {
		return "type more of the id (wf log lists them)"
	}
	return "wf log   (lists checkpoints; name one by a prefix of its id, a piece of it, or \"latest\")"
}

// MatchID returns the index of the id ref names among ids (newest first):
// "latest" is the first; then an exact id, a unique prefix, a unique
// piece. A "checkpoints/" prefix and ".md" suffix are ignored, so a file
// name works too. It returns an [*IDRefError] when ref names none or
// several.
func MatchID(ids []string, ref string) (int, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return -1, &IDRefError{Ref: ref}
	}
	if strings.EqualFold(ref, "latest") {
		if len(ids) == 0 {
			return -1, &IDRefError{Ref: ref}
		}
		return 0, nil
	}
	ref = strings.TrimSuffix(strings.TrimPrefix(ref, "checkpoints/"), ".md")
	var prefix, piece []int
	for i, id := range ids {
		if id == ref {
			return i, nil
		}
		if strings.HasPrefix(id, ref) {
			prefix = append(prefix, i)
		} else if strings.Contains(id, ref) {
			piece = append(piece, i)
		}
	}
	pick := prefix
	if len(pick) == 0 {
		pick = piece
	}
	if len(pick) == 1 {
		return pick[0], nil
	}
	e := &IDRefError{Ref: ref}
	for _, i := range pick {
		e.Candidates = append(e.Candidates, ids[i])
	}
	return -1, e
}

// TimeOf returns the time in a checkpoint id, and whether it has one.
func TimeOf(id string) (time.Time, bool) {
	if len(id) < 15 {
		return time.Time{}, false
	}
	t, err := time.Parse(IDTime, id[:15])
	return t, err == nil
}

// IDMatches reports whether a full id and a (possibly abbreviated) one
// name the same checkpoint.
func IDMatches(full, named string) bool {
	return full == named || strings.HasPrefix(full, named) || strings.HasPrefix(named, full)
}
