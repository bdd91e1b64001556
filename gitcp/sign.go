package gitcp

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/wf-tool/wf/gitcp/internal/config"
)

// Commit signing, as git commit -S signs (git's gpg-interface.c, the
// gpg.* and user.signingKey entries of git-config(1)): the payload is the
// commit object without signature; the signature goes into a "gpgsig"
// header after the committer line, each of its lines prefixed with a
// space.

// SignOptions overrides commit.gpgSign for one commit (git commit
// --gpg-sign[=KEY] and --no-gpg-sign).
type SignOptions struct {
	Sign bool   // false: do not sign, whatever commit.gpgSign says
	Key  string // with Sign: the key; "" takes user.signingKey, else the committer
}

// SignError is a commit that could not be signed; nothing was committed.
type SignError struct {
	Format  string // "openpgp", "x509" or "ssh"
	Program string
	Err     error
	Output  string // what the program printed on stderr
}

func (e *SignError) Error() string {
	msg := fmt.Sprintf("signing the commit (gpg.format=%s, %s) failed: %v", e.Format, e.Program, e.Err)
	if out := strings.TrimSpace(e.Output); out != "" {
		msg += ": " + oneLine(lastLines(out, 3))
	}
	return msg + "; nothing was committed"
}

// Hint says what the user can do.
func (e *SignError) Hint() string {
	return "git commit -S fails the same way: check user.signingKey, gpg.format and the signing program; or commit without a signature: wf checkpoint --no-gpg-sign"
}

// lastLines is the end of s, at most n lines, joined with "; ".
func lastLines(s string, n int) string {
	ls := strings.Split(s, "\n")
	if len(ls) > n {
		ls = ls[len(ls)-n:]
	}
	return strings.Join(ls, "; ")
}

// signSettings says whether to sign and with which key ("" for the
// default of the format): o when set, else commit.gpgSign and
// user.signingKey.
func (r *Repo) signSettings(o *SignOptions) (bool, string) {
	key, _ := r.cfg.Get("user.signingkey")
	if o != nil {
		if o.Key != "" {
			key = o.Key
		}
		return o.Sign, key
	}
	return r.cfg.Bool("commit.gpgsign", false), key
}

// signCommit returns payload with the signature header of key, made by
// the program gpg.format selects.
func (r *Repo) signCommit(payload, key string, committer Signature) (string, error) {
	format := strings.ToLower(r.cfgString("gpg.format", "openpgp"))
	var sig []byte
	var err error
	switch format {
	case "openpgp":
		prog := r.cfgString("gpg.openpgp.program", r.cfgString("gpg.program", "gpg"))
		sig, err = gpgSign(format, prog, payload, key, committer)
	case "x509":
		sig, err = gpgSign(format, r.cfgString("gpg.x509.program", "gpgsm"), payload, key, committer)
	case "ssh":
		sig, err = r.sshSign(payload, key)
	default:
		return "", &SignError{Format: format, Program: "", Err: fmt.Errorf("unsupported gpg.format %q (git knows openpgp, x509 and ssh)", format)}
	}
	if err != nil {
		return "", err
	}
	return addSignatureHeader(payload, sig), nil
}

// cfgString is key's value, or def when it is unset or empty.
func (r *Repo) cfgString(key, def string) string {
	if v, ok := r.cfg.Get(key); ok && v != "" {
		return v
	}
	return def
}

// addSignatureHeader inserts "gpgsig" with sig's lines at the end of the
// commit header, as git's add_header_signature does.
func addSignatureHeader(payload string, sig []byte) string {
	end := strings.Index(payload, "\n\n")
	if end < 0 {
		end = len(payload) - 1
	}
	var b strings.Builder
	b.WriteString(payload[:end+1])
	s := string(sig)
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	for i, l := range strings.SplitAfter(s, "\n") {
		if l == "" {
			continue
		}
		if i == 0 {
			b.WriteString("gpgsig ")
		} else {
			b.WriteString(" ")
		}
		b.WriteString(l)
	}
	b.WriteString(payload[end+1:])
	return b.String()
}

// gpgSign runs "PROGRAM --status-fd=2 -bsau KEY" (gpg or gpgsm) with the
// payload on stdin, as git does, and checks the status output for
// SIG_CREATED. The key defaults to the committer's "Name <email>".
func gpgSign(format, prog, payload, key string, committer Signature) ([]byte, error) {
	if key == "" {
		key = committer.Name + " <" + committer.Email + ">"
	}
	cmd := exec.Command(prog, "--status-fd=2", "-bsau", key)
	cmd.Stdin = strings.NewReader(payload)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err == nil && !strings.Contains("\n"+errb.String(), "\n[GNUPG:] SIG_CREATED ") {
		err = errors.New("no SIG_CREATED in its status output")
	}
	if err == nil && out.Len() == 0 {
		err = errors.New("it wrote no signature")
	}
	if err != nil {
		return nil, &SignError{Format: format, Program: prog, Err: err, Output: statusFree(errb.String())}
	}
	return out.Bytes(), nil
}

// statusFree drops gpg's "[GNUPG:] " status lines from its stderr.
func statusFree(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "[GNUPG:] ") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// sshSign runs "PROGRAM -Y sign -n git -f KEYFILE [-U] BUFFER" as git
// does for gpg.format=ssh: key is a file path ("~/" expanded) or a literal
// public key ("key::…", or a value starting "ssh-"), which is written to a
// temporary file and used through the ssh agent (-U). Without a key,
// gpg.ssh.defaultKeyCommand gives one (its first line).
func (r *Repo) sshSign(payload, key string) ([]byte, error) {
	prog := r.cfgString("gpg.ssh.program", "ssh-keygen")
	fail := func(err error, out string) error {
		return &SignError{Format: "ssh", Program: prog, Err: err, Output: out}
	}
	if key == "" {
		c := r.cfgString("gpg.ssh.defaultkeycommand", "")
		if c == "" {
			return nil, fail(errors.New("either user.signingKey or gpg.ssh.defaultKeyCommand needs to be configured"), "")
		}
		out, err := exec.Command("sh", "-c", c).Output()
		line, _, _ := strings.Cut(string(out), "\n")
		if err != nil || strings.TrimSpace(line) == "" {
			return nil, fail(fmt.Errorf("gpg.ssh.defaultKeyCommand %q gave no key (%v)", c, err), "")
		}
		key = "key::" + strings.TrimSpace(line)
	}
	literal := ""
	if k, ok := strings.CutPrefix(key, "key::"); ok {
		literal = k
	} else if strings.HasPrefix(key, "ssh-") {
		literal = key
	}
	keyFile := config.ExpandHome(key)
	if literal != "" {
		f, err := os.CreateTemp("", ".git_signing_key_tmp")
		if err != nil {
			return nil, err
		}
		defer os.Remove(f.Name())
		_, err = f.WriteString(literal)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, err
		}
		keyFile = f.Name()
	}
	buf, err := os.CreateTemp("", ".git_signing_buffer_tmp")
	if err != nil {
		return nil, err
	}
	defer os.Remove(buf.Name())
	defer os.Remove(buf.Name() + ".sig")
	_, err = buf.WriteString(payload)
	if cerr := buf.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	args := []string{"-Y", "sign", "-n", "git", "-f", keyFile}
	if literal != "" {
		args = append(args, "-U")
	}
	args = append(args, buf.Name())
	cmd := exec.Command(prog, args...)
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &errb, &errb
	if err := cmd.Run(); err != nil {
		return nil, fail(err, errb.String())
	}
	sig, err := os.ReadFile(buf.Name() + ".sig")
	if err != nil || len(sig) == 0 {
		return nil, fail(fmt.Errorf("no signature written (%v)", err), errb.String())
	}
	return sig, nil
}
