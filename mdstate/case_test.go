package mdstate

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the expected.md of case files from the current output")

// TestCases runs the case files in testdata/cases: each is a txtar archive
// with an input.md, one op line and the expected.md, compared byte for
// byte (goldmark's extension/_test idea). txtar cannot hold a carriage
// return before a newline, a byte order mark or a missing final newline
// faithfully, so an optional "flags" file (words: crlf, bom,
// nofinalnewline) turns input and expected into that shape before the
// test. An expected.md that reads "error: <text>" means the op must fail
// with an error containing text, leaving no output.
func TestCases(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "cases", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no case files")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			ar, err := parseTxtarFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sec := map[string][]byte{}
			for _, f := range ar.Files {
				sec[f.Name] = f.Data
			}
			for _, need := range []string{"input.md", "op", "expected.md"} {
				if _, ok := sec[need]; !ok && !(need == "expected.md" && *update) {
					t.Fatalf("%s: no %q section", file, need)
				}
			}
			flags := strings.Fields(string(sec["flags"]))
			input := applyFlags(t, sec["input.md"], flags)
			op := strings.TrimSpace(string(sec["op"]))
			got, err := runOp(input, op)
			if *update {
				var exp []byte
				if err != nil {
					exp = []byte("error: " + err.Error() + "\n")
				} else {
					exp = unapplyFlags(t, got, flags)
				}
				for i := range ar.Files {
					if ar.Files[i].Name == "expected.md" {
						ar.Files[i].Data = exp
						exp = nil
					}
				}
				if exp != nil {
					ar.Files = append(ar.Files, txtarFile{Name: "expected.md", Data: exp})
				}
				if err := os.WriteFile(file, ar.format(), 0o666); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want, ok := bytes.CutPrefix(sec["expected.md"], []byte("error: ")); ok {
				want = bytes.TrimSpace(want)
				if err == nil {
					t.Fatalf("%s: succeeded, want an error containing %q; got\n%s", op, want, got)
				}
				if !strings.Contains(err.Error(), string(want)) {
					t.Fatalf("%s: error %q, want one containing %q", op, err, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", op, err)
			}
			want := applyFlags(t, sec["expected.md"], flags)
			if !bytes.Equal(got, want) {
				t.Errorf("%s:\n--- got ---\n%s\n--- want ---\n%s\n(got %q)", op, got, want, got)
			}
		})
	}
}

// applyFlags turns the text of a case section into the bytes it stands for.
func applyFlags(t *testing.T, b []byte, flags []string) []byte {
	t.Helper()
	b = append([]byte(nil), b...)
	for _, f := range flags {
		switch f {
		case "crlf":
			b = bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
		case "bom":
			b = append([]byte("\xef\xbb\xbf"), b...)
		case "nofinalnewline":
			b = bytes.TrimSuffix(b, []byte("\n"))
			b = bytes.TrimSuffix(b, []byte("\r"))
		default:
			t.Fatalf("unknown flag %q", f)
		}
	}
	return b
}

// unapplyFlags is applyFlags backwards, for -update.
func unapplyFlags(t *testing.T, b []byte, flags []string) []byte {
	t.Helper()
	b = append([]byte(nil), b...)
	for i := len(flags) - 1; i >= 0; i-- {
		switch flags[i] {
		case "crlf":
			if bytes.Count(b, []byte("\n")) != bytes.Count(b, []byte("\r\n")) {
				t.Fatalf("output mixes line endings: %q", b)
			}
			b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
		case "bom":
			var ok bool
			if b, ok = bytes.CutPrefix(b, []byte("\xef\xbb\xbf")); !ok {
				t.Fatalf("output lost its BOM")
			}
		case "nofinalnewline":
			if bytes.HasSuffix(b, []byte("\n")) {
				t.Fatalf("output gained a final newline")
			}
			if slices.Contains(flags, "crlf") {
				b = append(b, '\r')
			}
			b = append(b, '\n')
		}
	}
	return b
}

// runOp applies one op line to input:
//
//	todo done N [checkpoint]   todo undo N      todo skip N reason...
//	todo current N             todo add "text" [section=Name] [under=N]
//	todo failures N bucket=count,bucket=count   todo failures N -
//	todo list
//	state field Key value...   state phase Name column value...
//	state append kind text...
//	todo text N text...        todo rm N
//	state remove kind N        state addphase Name Status
//
// "todo failures N -" removes item N's failure annotation. "todo list"
// writes the parse instead of an edited file: one line per item, see
// listItems.
func runOp(input []byte, op string) ([]byte, error) {
	args, err := splitOp(op)
	if err != nil {
		return nil, err
	}
	if len(args) < 2 {
		return nil, fmt.Errorf("bad op %q", op)
	}
	num := func(i int) (int, error) {
		if i >= len(args) {
			return 0, fmt.Errorf("op %q: missing number", op)
		}
		return strconv.Atoi(args[i])
	}
	rest := func(i int) string {
		if i >= len(args) {
			return ""
		}
		return strings.Join(args[i:], " ")
	}
	var out []byte
	switch args[0] + " " + args[1] {
	case "todo done", "todo undo", "todo skip", "todo current":
		n, err := num(2)
		if err != nil {
			return nil, err
		}
		td := ParseTodo("TODO.md", input)
		switch args[1] {
		case "done":
			out, _, err = td.SetMark(n, Done, rest(3), "")
		case "undo":
			out, _, err = td.SetMark(n, Open, "", "")
		case "skip":
			out, _, err = td.SetMark(n, Skipped, "", rest(3))
		case "current":
			out, _, err = td.SetCurrent(n)
		}
		return out, err
	case "todo failures":
		n, err := num(2)
		if err != nil {
			return nil, err
		}
		if len(args) != 4 {
			return nil, fmt.Errorf("op %q: want todo failures N bucket=count,... or -", op)
		}
		var fs []Failure
		if args[3] != "-" {
			for p := range strings.SplitSeq(args[3], ",") {
				b, c, ok := strings.Cut(p, "=")
				if !ok {
					return nil, fmt.Errorf("op %q: %q is not bucket=count", op, p)
				}
				count, err := strconv.Atoi(c)
				if err != nil {
					return nil, fmt.Errorf("op %q: %v", op, err)
				}
				fs = append(fs, Failure{b, count})
			}
		}
		out, _, err = ParseTodo("TODO.md", input).SetFailures(n, fs)
		return out, err
	case "todo list":
		return listItems(ParseTodo("TODO.md", input)), nil
	case "todo text":
		n, err := num(2)
		if err != nil {
			return nil, err
		}
		out, _, err = ParseTodo("TODO.md", input).SetText(n, rest(3))
		return out, err
	case "todo rm":
		n, err := num(2)
		if err != nil {
			return nil, err
		}
		out, _, err = ParseTodo("TODO.md", input).Remove(n)
		return out, err
	case "state remove":
		n, err := num(3)
		if err != nil {
			return nil, err
		}
		out, _, err = ParseState("workflow-state.md", input).RemoveEntry(args[2], n)
		return out, err
	case "state addphase":
		if len(args) != 4 {
			return nil, fmt.Errorf("op %q: want state addphase Name Status", op)
		}
		out, _, err = ParseState("workflow-state.md", input).AddPhaseRow(args[2], args[3])
		return out, err
	case "todo suspects":
		return listSuspects(ParseTodo("TODO.md", input)), nil
	case "state entries":
		return listEntries(ParseState("workflow-state.md", input)), nil
	case "todo add":
		if len(args) < 3 {
			return nil, fmt.Errorf("op %q: missing text", op)
		}
		sec, under := "", 0
		for _, a := range args[3:] {
			switch {
			case strings.HasPrefix(a, "section="):
				sec = strings.TrimPrefix(a, "section=")
			case strings.HasPrefix(a, "under="):
				if under, err = strconv.Atoi(strings.TrimPrefix(a, "under=")); err != nil {
					return nil, err
				}
			default:
				return nil, fmt.Errorf("op %q: unknown argument %q", op, a)
			}
		}
		out, _, err = ParseTodo("TODO.md", input).Add(args[2], sec, under)
		return out, err
	case "state field":
		if len(args) < 3 {
			return nil, fmt.Errorf("op %q: missing key", op)
		}
		out, _, err = ParseState("workflow-state.md", input).SetField(args[2], rest(3))
		return out, err
	case "state phase":
		if len(args) < 4 {
			return nil, fmt.Errorf("op %q: missing phase or column", op)
		}
		out, _, err = ParseState("workflow-state.md", input).SetPhaseCell(args[2], args[3], rest(4))
		return out, err
	case "state append":
		if len(args) < 3 {
			return nil, fmt.Errorf("op %q: missing kind", op)
		}
		out, _, err = ParseState("workflow-state.md", input).AppendEntry(args[2], rest(3))
		return out, err
	}
	return nil, fmt.Errorf("unknown op %q", op)
}

// listItems writes one line per item: its number, line, depth, box, then
// its text, failures, checkpoint, skip reason and CURRENT marker, each
// quoted or left out when empty. The lines end with the file's line ending
// and the listing starts with its byte order mark and, like the file, may
// have no final newline, so the case flags apply to it as to a file.
func listItems(td *Todo) []byte {
	var b bytes.Buffer
	if td.Src.BOM > 0 {
		b.WriteString("\xef\xbb\xbf")
	}
	for i, it := range td.Items {
		if i > 0 {
			b.WriteString(td.Src.EOL)
		}
		fmt.Fprintf(&b, "%d L%d d%d [%c] text=%q", it.N, it.Line, it.Depth, it.Mark, it.Text)
		if it.Failures != nil {
			b.WriteString(" failed=")
			for j, f := range it.Failures {
				if j > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, "%s=%d", f.Bucket, f.Count)
			}
		}
		if it.Checkpoint != "" {
			fmt.Fprintf(&b, " checkpoint=%q", it.Checkpoint)
		}
		if it.Reason != "" {
			fmt.Fprintf(&b, " reason=%q", it.Reason)
		}
		if it.Current {
			b.WriteString(" CURRENT")
		}
		if it.BlockID != "" {
			fmt.Fprintf(&b, " id=%q", it.BlockID)
		}
	}
	if len(td.Items) > 0 && !td.Src.noFinalNewline() {
		b.WriteString(td.Src.EOL)
	}
	return b.Bytes()
}

// splitOp splits an op line on spaces, keeping "double-quoted" words
// (with \" and \\ escapes) whole.
func splitOp(s string) ([]string, error) {
	var args []string
	var cur strings.Builder
	in, have := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case in && c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case c == '"':
			in, have = !in, true
		case !in && (c == ' ' || c == '\t'):
			if have || cur.Len() > 0 {
				args = append(args, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteByte(c)
		}
	}
	if in {
		return nil, fmt.Errorf("unterminated quote in %q", s)
	}
	if have || cur.Len() > 0 {
		args = append(args, cur.String())
	}
	return args, nil
}

// The case files are txtar archives. github.com/rogpeppe/go-internal/txtar
// (in go.mod) is a thin wrapper over golang.org/x/tools/txtar, which is not,
// and the format is a few lines, so the tests read it themselves.

type txtarFile struct {
	Name string
	Data []byte
}

type txtarArchive struct {
	Comment []byte
	Files   []txtarFile
}

// parseTxtarFile reads an archive: comment lines, then "-- name --" marker
// lines each followed by that file's lines.
func parseTxtarFile(path string) (*txtarArchive, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ar := &txtarArchive{}
	cur := &ar.Comment
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			data = nil
		}
		trimmed := bytes.TrimRight(line, "\n")
		if bytes.HasPrefix(trimmed, []byte("-- ")) && bytes.HasSuffix(trimmed, []byte(" --")) && len(trimmed) > 6 {
			ar.Files = append(ar.Files, txtarFile{Name: strings.TrimSpace(string(trimmed[3 : len(trimmed)-3]))})
			cur = &ar.Files[len(ar.Files)-1].Data
			continue
		}
		*cur = append(*cur, line...)
		if !bytes.HasSuffix(line, []byte("\n")) {
			*cur = append(*cur, '\n')
		}
	}
	return ar, nil
}

func (ar *txtarArchive) format() []byte {
	var b bytes.Buffer
	b.Write(ar.Comment)
	for _, f := range ar.Files {
		fmt.Fprintf(&b, "-- %s --\n", f.Name)
		b.Write(f.Data)
		if len(f.Data) > 0 && !bytes.HasSuffix(f.Data, []byte("\n")) {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

// suspectKindNames name the kinds in case files.
var suspectKindNames = map[SuspectKind]string{
	SuspectUnknownBox: "unknown-box", SuspectSpacedBox: "spaced-box", SuspectInHTML: "in-html",
	SuspectTooDeep: "too-deep", SuspectNotItem: "not-item",
}

// listSuspects writes one line per Suspect, then the counts every
// command uses, for "todo suspects" case files.
func listSuspects(td *Todo) []byte {
	var b bytes.Buffer
	for _, x := range td.Suspects {
		fmt.Fprintf(&b, "L%d %s box=%q text=%q phase=%q\n", x.Line, suspectKindNames[x.Kind], x.Box, x.Text, x.Phase)
	}
	for _, d := range td.Deep {
		fmt.Fprintf(&b, "deep L%d\n", d.Line)
	}
	done, skipped, total := td.Counts("*")
	fmt.Fprintf(&b, "items=%d done=%d skipped=%d total=%d alldone=%t\n", len(td.Items), done, skipped, total, td.AllDone())
	return b.Bytes()
}

// listEntries writes the blockers and waits with their lines, for "state
// entries" case files.
func listEntries(st *State) []byte {
	var b bytes.Buffer
	for _, x := range []struct {
		kind string
		es   []*Entry
	}{{"blocker", st.Blockers}, {"wait", st.Waits}} {
		for _, e := range x.es {
			fmt.Fprintf(&b, "%s L%d prose=%t text=%q\n", x.kind, e.Line, e.Prose, e.Text)
		}
	}
	if b.Len() == 0 {
		b.WriteString("none\n")
	}
	return b.Bytes()
}
