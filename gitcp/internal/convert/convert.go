package convert

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// State is an attribute's state, with the same values as package attr's.
type State uint8

// The states of an attribute (gitattributes(5), "DESCRIPTION").
const (
	Unspecified State = iota
	Set
	Unset
	Valued
)

// Attr is one attribute of a path.
type Attr struct {
	State State
	Value string // when State is Valued
}

// Attrs are the attributes of one path that the check-in conversion reads.
type Attrs struct {
	Text, CRLF, EOL, Ident, Filter, Encoding Attr
}

// Names lists the attributes [Attrs] holds, as gitattributes(5) names
// them, in the order of its fields.
var Names = []string{"text", "crlf", "eol", "ident", "filter", "working-tree-encoding"}

// Driver is a filter driver of git config (filter.<name>.*).
type Driver struct {
	Name     string
	Clean    string // filter.<name>.clean, a shell command
	Smudge   string // filter.<name>.smudge, a shell command (checkout)
	Process  string // filter.<name>.process, a long-running shell command
	Required bool   // filter.<name>.required
}

// Config is the git configuration the conversion reads.
type Config struct {
	AutoCRLF string // core.autocrlf: "true", "input" or "false" (or "")
	EOL      string // core.eol: "lf", "crlf", "native" (or "")
	SafeCRLF string // core.safecrlf: "true", "warn", "false" (or "")
	// Drivers are the filter drivers by name; a "filter" attribute naming
	// no driver does nothing, as in git.
	Drivers map[string]*Driver
}

// Active reports whether the configuration converts anything for a path
// without attributes (core.autocrlf true or input): when it does not and
// no attribute file exists, no path needs a lookup.
func (c *Config) Active() bool {
	return c.autoCRLF() != autoFalse
}

type autoMode int

const (
	autoFalse autoMode = iota
	autoTrue
	autoInput
)

func (c *Config) autoCRLF() autoMode {
	switch strings.ToLower(c.AutoCRLF) {
	case "true", "yes", "on", "1":
		return autoTrue
	case "input":
		return autoInput
	}
	return autoFalse
}

// crlfAction is convert.c's enum crlf_action.
type crlfAction int

const (
	crlfUndefined crlfAction = iota
	crlfBinary
	crlfText
	crlfTextInput
	crlfTextCRLF
	crlfAuto
	crlfAutoCRLF
	crlfAutoInput
)

func checkCRLF(a Attr) crlfAction {
	switch a.State {
	case Set:
		return crlfText
	case Unset:
		return crlfBinary
	case Valued:
		switch a.Value {
		case "input":
			return crlfTextInput
		case "auto":
			return crlfAuto
		}
	}
	return crlfUndefined
}

// action is convert_attrs's decision for the end-of-line conversion.
func (c *Config) action(a *Attrs) crlfAction {
	act := checkCRLF(a.Text)
	if act == crlfUndefined {
		act = checkCRLF(a.CRLF)
	}
	if act != crlfBinary && a.EOL.State == Valued {
		switch {
		case act == crlfAuto && a.EOL.Value == "lf":
			act = crlfAutoInput
		case act == crlfAuto && a.EOL.Value == "crlf":
			act = crlfAutoCRLF
		case a.EOL.Value == "lf":
			act = crlfTextInput
		case a.EOL.Value == "crlf":
			act = crlfTextCRLF
		}
	}
	auto := c.autoCRLF()
	switch {
	case act == crlfText && c.textEOLIsCRLF():
		act = crlfTextCRLF
	case act == crlfText:
		act = crlfTextInput
	case act == crlfUndefined && auto == autoFalse:
		act = crlfBinary
	case act == crlfUndefined && auto == autoTrue:
		act = crlfAutoCRLF
	case act == crlfUndefined && auto == autoInput:
		act = crlfAutoInput
	}
	return act
}

// textEOLIsCRLF is convert.c's text_eol_is_crlf on a platform whose
// native line ending is LF.
func (c *Config) textEOLIsCRLF() bool {
	switch c.autoCRLF() {
	case autoTrue:
		return true
	case autoInput:
		return false
	}
	return strings.ToLower(c.EOL) == "crlf"
}

// stats is convert.c's struct text_stat.
type stats struct {
	nul, loneCR, loneLF, crlf, printable, nonPrintable int
}

func gather(b []byte) stats {
	var s stats
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				s.crlf++
				i++
			} else {
				s.loneCR++
			}
		case c == '\n':
			s.loneLF++
		case c == 127:
			s.nonPrintable++
		case c < 32:
			switch c {
			case '\b', '\t', '\033', '\014':
				s.printable++
			case 0:
				s.nul++
				s.nonPrintable++
			default:
				s.nonPrintable++
			}
		default:
			s.printable++
		}
	}
	if len(b) > 0 && b[len(b)-1] == '\032' {
		s.nonPrintable--
	}
	return s
}

// binary is convert.c's convert_is_binary.
func (s *stats) binary() bool {
	return s.loneCR > 0 || s.nul > 0 || (s.printable>>7) < s.nonPrintable
}

// HasCRLFText reports whether blob content is text with CRLF line
// endings by git's rule (has_crlf_in_index): it then keeps its CRLF under
// text=auto and core.autocrlf.
func HasCRLFText(b []byte) bool {
	if bytes.IndexByte(b, '\r') < 0 {
		return false
	}
	s := gather(b)
	return !s.binary() && s.crlf > 0
}

// ErrSafeCRLF is wrapped by the error of a conversion that
// core.safecrlf=true forbids.
var ErrSafeCRLF = errors.New("core.safecrlf forbids an irreversible line-ending conversion")

// crlfToGit is convert.c's crlf_to_git. indexCRLF tells whether the
// path's index blob is CRLF text (only asked for the auto actions).
func (c *Config) crlfToGit(path string, src []byte, act crlfAction, indexCRLF func() bool) ([]byte, []string, error) {
	if act == crlfBinary || len(src) == 0 {
		return src, nil, nil
	}
	s := gather(src)
	convert := s.crlf > 0
	auto := act == crlfAuto || act == crlfAutoInput || act == crlfAutoCRLF
	if auto {
		if s.binary() {
			return src, nil, nil
		}
		if convert && indexCRLF != nil && indexCRLF() {
			convert = false
		}
	}
	var warns []string
	safe := strings.ToLower(c.SafeCRLF)
	if safe != "false" && safe != "no" && safe != "off" && safe != "0" {
		ns := s
		if convert {
			ns.loneLF += ns.crlf
			ns.crlf = 0
		}
		if willConvertLFToCRLF(&ns, act) {
			ns.crlf += ns.loneLF
			ns.loneLF = 0
		}
		die := safe == "true" || safe == "yes" || safe == "on" || safe == "1"
		var msg string
		switch {
		case s.crlf > 0 && ns.crlf == 0:
			msg = "CRLF would be replaced by LF in " + path
			if !die {
				msg = fmt.Sprintf("in the working copy of '%s', CRLF will be replaced by LF the next time Git touches it", path)
			}
		case s.loneLF > 0 && ns.loneLF == 0:
			msg = "LF would be replaced by CRLF in " + path
			if !die {
				msg = fmt.Sprintf("in the working copy of '%s', LF will be replaced by CRLF the next time Git touches it", path)
			}
		}
		if msg != "" {
			if die {
				return nil, nil, fmt.Errorf("%s: %w (core.safecrlf=true)", msg, ErrSafeCRLF)
			}
			warns = append(warns, msg)
		}
	}
	if !convert {
		return src, warns, nil
	}
	dst := make([]byte, 0, len(src)-s.crlf)
	for i := 0; i < len(src); i++ {
		ch := src[i]
		if ch == '\r' && (auto || (i+1 < len(src) && src[i+1] == '\n')) {
			continue
		}
		dst = append(dst, ch)
	}
	return dst, warns, nil
}

// willConvertLFToCRLF is convert.c's will_convert_lf_to_crlf (the
// checkout side, used only for core.safecrlf).
func willConvertLFToCRLF(s *stats, act crlfAction) bool {
	if act != crlfTextCRLF && act != crlfAutoCRLF {
		return false
	}
	if s.loneLF == 0 {
		return false
	}
	if act == crlfAutoCRLF {
		if s.loneCR > 0 || s.crlf > 0 {
			return false
		}
		if s.binary() {
			return false
		}
	}
	return true
}

// identToGit is convert.c's ident_to_git: "$Id: anything $" on one line
// becomes "$Id$".
func identToGit(src []byte) []byte {
	if !bytes.Contains(src, []byte("$Id")) {
		return src
	}
	var dst []byte
	rest := src
	changed := false
	for {
		d := bytes.IndexByte(rest, '$')
		if d < 0 {
			break
		}
		dst = append(dst, rest[:d+1]...)
		rest = rest[d+1:]
		if len(rest) > 3 && bytes.HasPrefix(rest, []byte("Id:")) {
			e := bytes.IndexByte(rest[3:], '$')
			if e < 0 {
				break
			}
			if bytes.IndexByte(rest[3:3+e], '\n') >= 0 {
				continue
			}
			dst = append(dst, "Id$"...)
			rest = rest[3+e+1:]
			changed = true
		}
	}
	if !changed {
		return src
	}
	return append(dst, rest...)
}

// ToWorktreeChanges tells whether git's checkout would write other bytes
// than the blob for a path with attributes a (convert.c's
// convert_to_working_tree), and why: "" when it writes the blob as it is.
// It does not convert; wf refuses to write such a file rather than write
// it otherwise than git. The conversions, in git's order:
//   - ident, when the blob holds "$Id" (git expands "$Id$" to the blob's
//     id);
//   - the end-of-line conversion, when it would turn LF into CRLF
//     (will_convert_lf_to_crlf: text with eol=crlf, core.eol=crlf or
//     core.autocrlf=true; for text=auto only blobs with no CR and no
//     binary content);
//   - a working-tree-encoding other than UTF-8;
//   - a filter driver with a smudge command or a process (whose
//     capabilities only running it would tell).
func (c *Config) ToWorktreeChanges(a *Attrs, blob []byte) string {
	if !c.MayChangeOnCheckout(a) {
		return ""
	}
	if a.Ident.State == Set && countIdent(blob) > 0 {
		return "ident expands $Id$"
	}
	act := c.action(a)
	if act == crlfAuto && c.textEOLIsCRLF() {
		act = crlfAutoCRLF // convert.c's output_eol for CRLF_AUTO
	}
	if act == crlfTextCRLF || act == crlfAutoCRLF {
		s := gather(blob)
		if willConvertLFToCRLF(&s, act) {
			return "the end-of-line conversion writes CRLF"
		}
	}
	if e := a.Encoding; e.State == Valued && e.Value != "" && !isUTF8(e.Value) && len(blob) > 0 && encodingChanges(e.Value, blob) {
		return "working-tree-encoding=" + e.Value
	}
	if a.Filter.State == Valued {
		d := c.Drivers[a.Filter.Value]
		switch {
		case d == nil:
		case d.Smudge != "" || d.Process != "":
			return "filter=" + a.Filter.Value + " smudges it"
		case d.Required:
			return "filter=" + a.Filter.Value + " is required and has no smudge command, so git's checkout fails"
		}
	}
	return ""
}

// countIdent is convert.c's count_ident: how many "$Id$" and "$Id: … $"
// (closed on the same line) blob holds; ident rewrites each on checkout.
func countIdent(blob []byte) int {
	n := 0
	for {
		i := bytes.IndexByte(blob, '$')
		if i < 0 || len(blob)-i-1 < 3 {
			return n
		}
		blob = blob[i+1:]
		if blob[0] != 'I' || blob[1] != 'd' {
			continue
		}
		ch := blob[2]
		blob = blob[3:]
		if ch == '$' {
			n++
			continue
		}
		if ch != ':' {
			continue
		}
		for len(blob) > 0 {
			ch, blob = blob[0], blob[1:]
			if ch == '$' {
				n++
				break
			}
			if ch == '\n' {
				break
			}
		}
	}
}

// MayChangeOnCheckout reports whether, for a path with attributes a, git's
// checkout can write some blob otherwise than it is: what
// [Config.ToWorktreeChanges] looks at, without the content. False means
// no blob needs to be read to know.
func (c *Config) MayChangeOnCheckout(a *Attrs) bool {
	if a.Ident.State == Set {
		return true
	}
	if act := c.action(a); act == crlfTextCRLF || act == crlfAutoCRLF || (act == crlfAuto && c.textEOLIsCRLF()) {
		return true
	}
	if e := a.Encoding; e.State == Valued && e.Value != "" && !isUTF8(e.Value) {
		return true
	}
	if a.Filter.State == Valued {
		if d := c.Drivers[a.Filter.Value]; d != nil && (d.Smudge != "" || d.Process != "" || d.Required) {
			return true
		}
	}
	return false
}

// encodingChanges tells whether git's checkout would write blob (UTF-8)
// otherwise in the encoding enc (convert.c's encode_to_worktree): not when
// the encoded bytes are the same (ASCII text in ISO-8859-1), nor when the
// text cannot be encoded, for which git reports an error and writes the
// blob. An encoding wf does not know counts as converting: git's iconv may
// know it.
func encodingChanges(enc string, blob []byte) bool {
	e, err := lookupEncoding(enc)
	if err != nil {
		return true
	}
	out, err := e.NewEncoder().Bytes(blob)
	if err != nil {
		return false
	}
	return !bytes.Equal(out, blob)
}
