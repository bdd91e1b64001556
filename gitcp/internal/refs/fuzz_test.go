package refs

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seeds adds the content of the vectors with extension ext.
func seeds(f *testing.F, ext string, add func(data []byte)) {
	paths, _ := filepath.Glob("testdata/*" + ext)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		add(data)
	}
}

func wantFormatError(t *testing.T, err error) {
	t.Helper()
	var fe *FormatError
	if err != nil && !errors.As(err, &fe) {
		t.Fatalf("%T %v, want *FormatError", err, err)
	}
}

// FuzzLookupPacked checks that LookupPacked never panics and agrees with a
// plain reading of the lines: a ref it finds is the first "<id> <name>"
// line of that name, and on a file it accepts in full (a missing name)
// every such line resolves to its id.
func FuzzLookupPacked(f *testing.F) {
	seeds(f, ".packed-refs", func(data []byte) {
		f.Add(data, "refs/heads/main")
		f.Add(data, "refs/tags/v1")
	})
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		id, found, err := LookupPacked(data, name)
		wantFormatError(t, err)
		lines := strings.Split(string(data), "\n")
		first := func(name string) (string, bool) {
			for i, l := range lines {
				if len(l) >= 42 && l[40] == ' ' && l[41:] == name && !(i == 0 && l[0] == '#') {
					return l[:40], true
				}
			}
			return "", false
		}
		if found {
			want, ok := first(name)
			if !ok || !strings.EqualFold(hex.EncodeToString(id[:]), want) {
				t.Fatalf("found %s as %x; first line of that name: %q", name, id, want)
			}
		}
		if _, found, err := LookupPacked(data, probe); err != nil || found {
			return
		}
		for i, l := range lines {
			if len(l) < 42 || l[0] == '^' || (i == 0 && l[0] == '#') {
				continue
			}
			want, _ := first(l[41:])
			got, found, err := LookupPacked(data, l[41:])
			if err != nil || !found || !strings.EqualFold(hex.EncodeToString(got[:]), want) {
				t.Fatalf("line %d %q: %x %v %v in a file accepted in full", i+1, l, got, found, err)
			}
		}
	})
}

// FuzzParseLogLine checks that ParseLogLine never panics, that what it
// accepts holds the ids of the line, and that a line written by LogLine
// from an accepted entry parses back to the same entry.
func FuzzParseLogLine(f *testing.F) {
	seeds(f, ".reflog", func(data []byte) {
		for _, l := range strings.Split(string(data), "\n") {
			f.Add(l)
		}
	})
	f.Fuzz(func(t *testing.T, line string) {
		e, err := ParseLogLine(line)
		wantFormatError(t, err)
		if err != nil {
			return
		}
		if !strings.EqualFold(hex.EncodeToString(e.Old[:]), line[:40]) || !strings.EqualFold(hex.EncodeToString(e.New[:]), line[41:81]) {
			t.Fatalf("%q: ids %x %x", line, e.Old, e.New)
		}
		if strings.Contains(e.Message, "\n") {
			return
		}
		again := LogLine(e.Old, e.New, fmt.Sprintf("A U Thor <a@example.com> %d +0100", e.Time.Unix()), e.Message)
		e2, err := ParseLogLine(strings.TrimSuffix(again, "\n"))
		if err != nil || e2 != e {
			t.Fatalf("%q: %+v; written again %q: %+v %v", line, e, again, e2, err)
		}
	})
}

// FuzzParseLoose checks that ParseLoose never panics and that what it
// accepts, written back as git writes it, parses to the same value.
func FuzzParseLoose(f *testing.F) {
	seeds(f, ".ref", func(data []byte) { f.Add(data) })
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseLoose("fuzz", data)
		wantFormatError(t, err)
		if err != nil {
			return
		}
		again := fmt.Sprintf("%x\n", l.ID)
		if l.Target != "" {
			again = "ref: " + l.Target + "\n"
		}
		l2, err := ParseLoose("fuzz", []byte(again))
		if err != nil || l2 != l {
			t.Fatalf("%q: %+v; written again %q: %+v %v", data, l, again, l2, err)
		}
	})
}
