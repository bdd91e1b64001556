package convert

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"
)

// shellQuote is git's sq_quote_buf: the path in single quotes, a quote
// inside written as '\”.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// expandPath expands a clean command as git's strbuf_expand does: "%f"
// becomes the quoted path, "%%" a "%", any other "%" stays.
func expandPath(cmdline, path string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(cmdline, '%')
		if i < 0 {
			b.WriteString(cmdline)
			return b.String()
		}
		b.WriteString(cmdline[:i])
		cmdline = cmdline[i+1:]
		switch {
		case strings.HasPrefix(cmdline, "%"):
			b.WriteByte('%')
			cmdline = cmdline[1:]
		case strings.HasPrefix(cmdline, "f"):
			b.WriteString(shellQuote(path))
			cmdline = cmdline[1:]
		default:
			b.WriteByte('%')
		}
	}
}

// runClean runs a filter.<driver>.clean command through sh in dir,
// expanded by expandPath, the content on its standard input; it
// returns the command's standard output. As in git, a command that does
// not read its input is not an error; a non-zero exit is.
func runClean(dir, cmdline, path string, src []byte) ([]byte, error) {
	cmdline = expandPath(cmdline, path)
	cmd := exec.Command("sh", "-c", cmdline)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, _ = stdin.Write(src) // EPIPE: the filter did not read, as git allows
		_ = stdin.Close()
	}()
	err = cmd.Wait()
	wg.Wait()
	if err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg != "" {
			return nil, fmt.Errorf("external filter '%s' failed: %v: %s", cmdline, err, msg)
		}
		return nil, fmt.Errorf("external filter '%s' failed: %v", cmdline, err)
	}
	return out.Bytes(), nil
}

// pkt-line framing (gitprotocol-common(5)): four hexadecimal digits of
// length (header included), "0000" a flush packet.
const maxPktData = 65516

func writePkt(w io.Writer, data []byte) error {
	if len(data) > maxPktData {
		return errors.New("pkt-line too long")
	}
	var hdr [4]byte
	const hexd = "0123456789abcdef"
	n := len(data) + 4
	hdr[0], hdr[1], hdr[2], hdr[3] = hexd[n>>12&15], hexd[n>>8&15], hexd[n>>4&15], hexd[n&15]
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(data)
	return err
}

func writeFlush(w io.Writer) error {
	_, err := io.WriteString(w, "0000")
	return err
}

// readPkt reads one packet; flush is true for "0000".
func readPkt(r io.Reader, buf []byte) (data []byte, flush bool, err error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, false, err
	}
	n, err := strconv.ParseUint(string(hdr[:]), 16, 16)
	if err != nil {
		return nil, false, fmt.Errorf("bad pkt-line length %q", hdr[:])
	}
	if n == 0 {
		return nil, true, nil
	}
	if n < 4 || n-4 > maxPktData+4 {
		return nil, false, fmt.Errorf("bad pkt-line length %d", n)
	}
	if cap(buf) < int(n-4) {
		buf = make([]byte, n-4)
	}
	buf = buf[:n-4]
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, false, err
	}
	return buf, false, nil
}

// readText reads text packets up to a flush, each without its "\n".
func readText(r io.Reader) ([]string, error) {
	var out []string
	for {
		d, flush, err := readPkt(r, nil)
		if err != nil {
			return nil, err
		}
		if flush {
			return out, nil
		}
		out = append(out, strings.TrimSuffix(string(d), "\n"))
	}
}

// process is one running filter.<driver>.process program.
type process struct {
	cmd     *exec.Cmd
	in      io.WriteCloser
	w       *bufio.Writer
	out     *bufio.Reader
	stderr  bytes.Buffer
	clean   bool // the program announced capability=clean
	aborted bool // it answered status=abort: no more clean requests
}

// startProcess starts cmdline through sh in dir and does the version 2
// handshake of gitattributes(5) "Long Running Filter Process": client
// and server greet with their names and version=2, then git offers the
// capabilities clean, smudge and delay and the program answers those it
// supports.
func startProcess(dir, cmdline string) (*process, error) {
	p := &process{cmd: exec.Command("sh", "-c", cmdline)}
	p.cmd.Dir = dir
	p.cmd.Stderr = &p.stderr
	var err error
	if p.in, err = p.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start filter process '%s': %w", cmdline, err)
	}
	p.w, p.out = bufio.NewWriter(p.in), bufio.NewReader(stdout)
	if err := p.handshake(); err != nil {
		p.close()
		return nil, fmt.Errorf("initialization for subprocess '%s' failed: %w%s", cmdline, err, p.stderrText())
	}
	return p, nil
}

func (p *process) stderrText() string {
	if s := strings.TrimSpace(p.stderr.String()); s != "" {
		return ": " + s
	}
	return ""
}

func (p *process) handshake() error {
	for _, l := range []string{"git-filter-client\n", "version=2\n"} {
		if err := writePkt(p.w, []byte(l)); err != nil {
			return err
		}
	}
	if err := writeFlush(p.w); err != nil {
		return err
	}
	if err := p.w.Flush(); err != nil {
		return err
	}
	hello, err := readText(p.out)
	if err != nil {
		return err
	}
	if len(hello) != 2 || hello[0] != "git-filter-server" || hello[1] != "version=2" {
		return fmt.Errorf("unexpected greeting %q (want git-filter-server, version=2)", hello)
	}
	for _, c := range []string{"capability=clean\n", "capability=smudge\n", "capability=delay\n"} {
		if err := writePkt(p.w, []byte(c)); err != nil {
			return err
		}
	}
	if err := writeFlush(p.w); err != nil {
		return err
	}
	if err := p.w.Flush(); err != nil {
		return err
	}
	caps, err := readText(p.out)
	if err != nil {
		return err
	}
	for _, c := range caps {
		name, ok := strings.CutPrefix(c, "capability=")
		if !ok {
			return fmt.Errorf("unexpected line %q in the capabilities", c)
		}
		switch name {
		case "clean":
			p.clean = true
		case "smudge", "delay":
		default:
			return fmt.Errorf("subprocess answered capability %q, which git did not offer", name)
		}
	}
	return nil
}

// errProtocol marks a broken conversation: the process is not used again.
var errProtocol = errors.New("filter process protocol error")

// cleanFile sends one clean request and returns the filtered content.
func (p *process) cleanFile(path string, src []byte) ([]byte, error) {
	if !p.clean {
		return nil, errors.New("the filter process does not support clean")
	}
	if p.aborted {
		return nil, errors.New("the filter process aborted clean")
	}
	send := func() error {
		if err := writePkt(p.w, []byte("command=clean\n")); err != nil {
			return err
		}
		if err := writePkt(p.w, []byte("pathname="+path+"\n")); err != nil {
			return err
		}
		if err := writeFlush(p.w); err != nil {
			return err
		}
		for rest := src; len(rest) > 0; {
			n := min(len(rest), maxPktData)
			if err := writePkt(p.w, rest[:n]); err != nil {
				return err
			}
			rest = rest[n:]
		}
		if err := writeFlush(p.w); err != nil {
			return err
		}
		return p.w.Flush()
	}
	if err := send(); err != nil {
		return nil, fmt.Errorf("%w: %v%s", errProtocol, err, p.stderrText())
	}
	status := func(lines []string, cur string) string {
		for _, l := range lines {
			if v, ok := strings.CutPrefix(l, "status="); ok {
				cur = v
			}
		}
		return cur
	}
	first, err := readText(p.out)
	if err != nil {
		return nil, fmt.Errorf("%w: %v%s", errProtocol, err, p.stderrText())
	}
	st := status(first, "")
	if st != "success" {
		if st == "abort" {
			p.aborted = true
		}
		return nil, fmt.Errorf("filter process answered status=%s", st)
	}
	var out []byte
	for {
		d, flush, err := readPkt(p.out, nil)
		if err != nil {
			return nil, fmt.Errorf("%w: %v%s", errProtocol, err, p.stderrText())
		}
		if flush {
			break
		}
		out = append(out, d...)
	}
	last, err := readText(p.out)
	if err != nil {
		return nil, fmt.Errorf("%w: %v%s", errProtocol, err, p.stderrText())
	}
	if st = status(last, st); st != "success" {
		if st == "abort" {
			p.aborted = true
		}
		return nil, fmt.Errorf("filter process answered status=%s", st)
	}
	return out, nil
}

// close ends the process as git does at exit: its input closed, then a
// wait for it to exit.
func (p *process) close() error {
	_ = p.in.Close()
	return p.cmd.Wait()
}
