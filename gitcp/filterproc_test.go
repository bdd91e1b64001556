package gitcp

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestMain runs the test binary as a long-running filter process
// (gitattributes(5) "Long Running Filter Process") when
// WF_TEST_FILTER_PROCESS is set, so that recipes and tests can configure
// filter.<driver>.process on a machine with only sh, git and Go: git and
// wf start the same program.
func TestMain(m *testing.M) {
	if mode := os.Getenv("WF_TEST_FILTER_PROCESS"); mode != "" {
		if err := filterProcess(mode, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "filter process:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// filterProcessCommand is the filter.<driver>.process value that runs
// this test binary as a filter process in mode ("upper": the clean
// filter upper-cases the content; a path containing "fail" gets
// status=error, one containing "abort" status=abort). Each start appends
// a line to the file named by WF_TEST_FILTER_LOG when it is set.
func filterProcessCommand(t *testing.T, mode string) string {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return "WF_TEST_FILTER_PROCESS=" + mode + " '" + strings.ReplaceAll(exe, "'", `'\''`) + "'"
}

func filterProcess(mode string, in io.Reader, out io.Writer) error {
	if log := os.Getenv("WF_TEST_FILTER_LOG"); log != "" {
		f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintln(f, "start", mode)
			f.Close()
		}
	}
	r, w := bufio.NewReader(in), bufio.NewWriter(out)
	readPkt := func() ([]byte, bool, error) {
		var hdr [4]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return nil, false, err
		}
		n, err := strconv.ParseUint(string(hdr[:]), 16, 16)
		if err != nil {
			return nil, false, err
		}
		if n == 0 {
			return nil, true, nil
		}
		b := make([]byte, n-4)
		_, err = io.ReadFull(r, b)
		return b, false, err
	}
	readList := func() ([]string, error) {
		var l []string
		for {
			b, flush, err := readPkt()
			if err != nil || flush {
				return l, err
			}
			l = append(l, strings.TrimSuffix(string(b), "\n"))
		}
	}
	pkt := func(s []byte) { fmt.Fprintf(w, "%04x", len(s)+4); w.Write(s) }
	flush := func() { io.WriteString(w, "0000") }
	hello, err := readList()
	if err != nil || len(hello) != 2 || hello[0] != "git-filter-client" || hello[1] != "version=2" {
		return fmt.Errorf("bad greeting %q: %v", hello, err)
	}
	pkt([]byte("git-filter-server\n"))
	pkt([]byte("version=2\n"))
	flush()
	if err := w.Flush(); err != nil {
		return err
	}
	if _, err := readList(); err != nil {
		return err
	}
	pkt([]byte("capability=clean\n"))
	pkt([]byte("capability=smudge\n"))
	flush()
	if err := w.Flush(); err != nil {
		return err
	}
	for {
		hdr, err := readList()
		if err == io.EOF {
			return nil // git closed our input: done
		}
		if err != nil {
			return err
		}
		var cmd, path string
		for _, l := range hdr {
			if v, ok := strings.CutPrefix(l, "command="); ok {
				cmd = v
			}
			if v, ok := strings.CutPrefix(l, "pathname="); ok {
				path = v
			}
		}
		var content []byte
		for {
			b, fl, err := readPkt()
			if err != nil {
				return err
			}
			if fl {
				break
			}
			content = append(content, b...)
		}
		switch {
		case strings.Contains(path, "fail"):
			pkt([]byte("status=error\n"))
			flush()
		case strings.Contains(path, "abort"):
			pkt([]byte("status=abort\n"))
			flush()
		default:
			if cmd == "clean" && mode == "upper" {
				content = bytes.ToUpper(content)
			}
			pkt([]byte("status=success\n"))
			flush()
			for len(content) > 0 {
				n := min(len(content), 65516)
				pkt(content[:n])
				content = content[n:]
			}
			flush()
			flush() // the status stays success
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
}
