// Package tour runs the README's tour: the commands and outputs between
// the markers "<!-- tour:begin -->" and "<!-- tour:end -->" in README.md.
// One source serves three readers: the README shows it, the test in
// cmd/wf runs every command in a scratch repository and fails when a
// command fails or its output no longer matches (cmd/wf/readme_test.go),
// and scripts/demo.sh runs it with the real binary and prints each
// command ready to copy.
//
// The format: inside the markers, fenced code blocks hold steps; prose
// between the blocks is kept as it is. In a block a line "$ CMD" is a
// command (a trailing backslash continues it on the next line), and the
// lines after it, up to the next command, are what it prints, stdout and
// stderr together. A last output line "[exit N]" says the command exits
// with N; otherwise it must exit 0. Lines starting with "# " before a
// command are comments, shown and not run.
//
// Outputs are compared after [Normalize]: checkpoint ids, commit hashes,
// times and ages vary from run to run. A checkpoint id in the README's
// output is bound to the id the run printed in its place, and a later
// command that names it runs with the real id, so that the tour can say
// `wf recover 20260222-093015-a3f9-plan-written` and run.
package tour

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// Markers around the tour in README.md.
const (
	Begin = "<!-- tour:begin -->"
	End   = "<!-- tour:end -->"
)

// Step is one command of the tour and what it prints.
type Step struct {
	Comments []string // "# …" lines before the command, without "# "
	Cmd      string   // the command, with its continuation lines ("\\\n")
	Want     string   // the output, each line ending in "\n"
	Exit     int      // the expected exit code
	Line     int      // the 1-based line of "$ " in the README
	Block    int      // the index of the fenced block holding it
}

// Doc is a README split around its tour: the text before the tour's
// first block, the blocks with the prose between them, and the rest.
type Doc struct {
	src   []byte
	Steps []Step
	// segments are the tour's text: prose (kept) and blocks (rewritten
	// by Render), in order.
	segments []segment
	head     string // up to and including the begin marker's line
	tail     string // from the end marker's line
}

type segment struct {
	prose string
	block int // index into blocks when prose == "" and isBlock
	fence string
	isBlk bool
}

// Parse reads the tour of a README; it fails when the markers are
// missing or out of order, a fence is not closed, or output comes
// before any command, naming the line.
func Parse(readme []byte) (*Doc, error) {
	s := string(readme)
	b := strings.Index(s, Begin)
	if b < 0 {
		return nil, fmt.Errorf("README.md: the tour marker %s is missing", Begin)
	}
	// The tour starts on the line after the begin marker, and the end
	// marker is looked for from there: a begin and an end on one line
	// leave no line for the tour.
	bodyStart := b + len(Begin)
	i := strings.IndexByte(s[bodyStart:], '\n')
	if i < 0 {
		return nil, fmt.Errorf("README.md: no line after %s: the tour and %s come on the lines after it", Begin, End)
	}
	bodyStart += i + 1
	e := strings.Index(s[bodyStart:], End)
	if e < 0 {
		return nil, fmt.Errorf("README.md: no %s on a line after %s", End, Begin)
	}
	e += bodyStart
	d := &Doc{src: readme, head: s[:bodyStart], tail: s[e:]}
	lineNo := strings.Count(s[:bodyStart], "\n") + 1
	lines := strings.SplitAfter(s[bodyStart:e], "\n")
	var prose strings.Builder
	var cur *Step
	var comments []string
	inBlock, block, fence := false, -1, ""
	finish := func() {
		if cur != nil {
			if m := exitLine.FindStringSubmatchIndex(cur.Want); m != nil {
				fmt.Sscanf(cur.Want[m[2]:m[3]], "%d", &cur.Exit)
				cur.Want = cur.Want[:m[0]]
			}
			d.Steps = append(d.Steps, *cur)
			cur = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		n := lineNo + i
		text := strings.TrimRight(line, "\r\n")
		if !inBlock {
			if strings.HasPrefix(text, "```") {
				if prose.Len() > 0 {
					d.segments = append(d.segments, segment{prose: prose.String()})
					prose.Reset()
				}
				inBlock, fence = true, text
				block++
				d.segments = append(d.segments, segment{block: block, fence: text, isBlk: true})
				continue
			}
			prose.WriteString(line)
			continue
		}
		if text == "```" {
			finish()
			if len(comments) > 0 {
				return nil, fmt.Errorf("README.md:%d: a comment at the end of a block belongs to no command", n)
			}
			inBlock = false
			continue
		}
		switch {
		case strings.HasPrefix(text, "$ "):
			finish()
			cmd := strings.TrimPrefix(text, "$ ")
			for strings.HasSuffix(cmd, "\\") && i+1 < len(lines) {
				i++
				cmd += "\n" + strings.TrimRight(lines[i], "\r\n")
			}
			cur = &Step{Comments: comments, Cmd: cmd, Line: n, Block: block}
			comments = nil
		case cur == nil && strings.HasPrefix(text, "# "):
			comments = append(comments, strings.TrimPrefix(text, "# "))
		case cur == nil:
			return nil, fmt.Errorf("README.md:%d: output before any command in the tour", n)
		case strings.HasPrefix(text, "# ") && i+1 < len(lines) && nextIsCommand(lines[i+1:]):
			// A comment for the next command.
			finish()
			comments = append(comments, strings.TrimPrefix(text, "# "))
		default:
			cur.Want += text + "\n"
		}
	}
	if inBlock {
		return nil, fmt.Errorf("README.md: the tour's block %s is not closed before %s", fence, End)
	}
	if prose.Len() > 0 {
		d.segments = append(d.segments, segment{prose: prose.String()})
	}
	if len(d.Steps) == 0 {
		return nil, fmt.Errorf("README.md: the tour has no commands")
	}
	return d, nil
}

// nextIsCommand reports whether the lines, after any further comment
// lines, go on with a command.
func nextIsCommand(lines []string) bool {
	for _, l := range lines {
		t := strings.TrimRight(l, "\r\n")
		if strings.HasPrefix(t, "# ") {
			continue
		}
		return strings.HasPrefix(t, "$ ")
	}
	return false
}

var exitLine = regexp.MustCompile(`(?m)^\[exit (\d+)\]\n\z`)

// Render returns the README with the tour's blocks rewritten from steps
// (the same number, in the same blocks, as Parse returned): prose and the
// text around the tour stay byte for byte.
func (d *Doc) Render(steps []Step) []byte {
	var b bytes.Buffer
	b.WriteString(d.head)
	for _, seg := range d.segments {
		if !seg.isBlk {
			b.WriteString(seg.prose)
			continue
		}
		b.WriteString(seg.fence + "\n")
		for _, st := range steps {
			if st.Block != seg.block {
				continue
			}
			b.WriteString(FormatStep(st))
		}
		b.WriteString("```\n")
	}
	b.WriteString(d.tail)
	return b.Bytes()
}

// FormatStep is a step as the README shows it: its comments, "$ CMD"
// (continuation lines as they were) and its output, with "[exit N]" when
// N is not 0.
func FormatStep(st Step) string {
	var b strings.Builder
	for _, c := range st.Comments {
		b.WriteString("# " + c + "\n")
	}
	b.WriteString("$ " + st.Cmd + "\n")
	b.WriteString(st.Want)
	if st.Exit != 0 {
		fmt.Fprintf(&b, "[exit %d]\n", st.Exit)
	}
	return b.String()
}

// The patterns Normalize replaces, in order: a checkpoint id (whole, or
// the time-and-random prefix resume and log print), an RFC 3339 time, a
// wf timestamp, a date, a time of day, a commit hash (7 to 40 hex
// digits, once ids and times are out), an age, a duration and a token
// count.
var (
	idRE       = regexp.MustCompile(`\b\d{8}-\d{6}-[0-9a-f]{4}(?:-[a-z0-9]+(?:-[a-z0-9]+)*)?\b`)
	rfc3339RE  = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})`)
	stampRE    = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?(?: [+-]\d{2}:\d{2})?`)
	dateRE     = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b(?: \([+-]\d{2}:\d{2}\))?`)
	clockRE    = regexp.MustCompile(`\b\d{2}:\d{2}(?::\d{2})?\b`)
	hashRE     = regexp.MustCompile(`\b[0-9a-f]{7,40}\b`)
	ageRE      = regexp.MustCompile(`\b(?:just now|\d+ (?:seconds?|minutes?|hours?|days?) ago|(?:\d+[smhd])+ ago)`)
	durationRE = regexp.MustCompile(`\b\d+(?:\.\d+)?(?:ms|s|m|h)(?:\d+(?:\.\d+)?(?:ms|s|m))*\b`)
	tokensRE   = regexp.MustCompile(`\b~?\d[\d,]* tokens\b`)
	spacesRE   = regexp.MustCompile(`[ \t]+`)
)

// Normalize replaces what varies from run to run with placeholders:
// checkpoint ids with <id>, times and dates with <time>, <date> and
// <clock>, commit hashes with <hash>, ages with <age>, durations with
// <duration> and token counts with <n> tokens; an age alone in
// parentheses is dropped; runs of blanks become one space, because
// column widths follow the lengths of what was replaced.
func Normalize(s string) string {
	s = idRE.ReplaceAllString(s, "<id>")
	s = rfc3339RE.ReplaceAllString(s, "<time>")
	s = stampRE.ReplaceAllString(s, "<time>")
	s = dateRE.ReplaceAllString(s, "<date>")
	s = clockRE.ReplaceAllString(s, "<clock>")
	s = hashRE.ReplaceAllString(s, "<hash>")
	s = ageRE.ReplaceAllString(s, "<age>")
	// An age on its own in parentheses is printed only once it is worth
	// saying ("since 09:49 (49s ago)"), so whether it is there at all
	// depends on how fast the run was.
	s = strings.ReplaceAll(s, " (<age>)", "")
	s = durationRE.ReplaceAllString(s, "<duration>")
	s = tokensRE.ReplaceAllString(s, "<n> tokens")
	s = spacesRE.ReplaceAllString(s, " ")
	return s
}

// Bindings maps what the README shows (checkpoint ids and commit hashes)
// to what a run printed in the same place.
type Bindings map[string]string

// Match compares the README's output want with a run's output got after
// Normalize, line by line; on a match it binds each checkpoint id and
// commit hash of want to the one got has in its place. It returns a
// description of the first difference, or "" when they match.
func (bs Bindings) Match(want, got string) string {
	wl := strings.Split(strings.TrimSuffix(want, "\n"), "\n")
	gl := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if want == "" {
		wl = nil
	}
	if got == "" {
		gl = nil
	}
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if Normalize(w) != Normalize(g) || (i >= len(wl)) != (i >= len(gl)) {
			return fmt.Sprintf("output line %d:\n  README: %s\n  run:    %s", i+1, w, g)
		}
		bs.bind(idRE, w, g)
		bindHashes(bs, w, g)
	}
	return ""
}

// bind binds the matches of re in w to those in g, in order.
func (bs Bindings) bind(re *regexp.Regexp, w, g string) {
	wm, gm := re.FindAllString(w, -1), re.FindAllString(g, -1)
	for i := range min(len(wm), len(gm)) {
		if _, ok := bs[wm[i]]; !ok {
			bs[wm[i]] = gm[i]
		}
		// The id's time-and-random prefix names it too.
		if len(wm[i]) > 20 && len(gm[i]) > 20 {
			if _, ok := bs[wm[i][:20]]; !ok {
				bs[wm[i][:20]] = gm[i][:20]
			}
		}
	}
}

// bindHashes binds the commit hashes of w to those of g, in order, once
// the ids are taken out of both.
func bindHashes(bs Bindings, w, g string) {
	w, g = idRE.ReplaceAllString(w, ""), idRE.ReplaceAllString(g, "")
	var wm, gm []string
	w, g = timesOut(w), timesOut(g)
	wm, gm = hashRE.FindAllString(w, -1), hashRE.FindAllString(g, -1)
	for i := range min(len(wm), len(gm)) {
		if _, ok := bs[wm[i]]; !ok {
			bs[wm[i]] = gm[i]
		}
	}
}

// Apply returns cmd with every bound README value replaced by the run's,
// longest first, so that a command names what this run made.
func (bs Bindings) Apply(cmd string) string {
	keys := make([]string, 0, len(bs))
	for k := range bs {
		keys = append(keys, k)
	}
	// Longest first: a whole id before its prefix.
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if len(keys[j]) > len(keys[i]) || (len(keys[j]) == len(keys[i]) && keys[j] < keys[i]) {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	pairs := make([]string, 0, 2*len(keys))
	for _, k := range keys {
		pairs = append(pairs, k, bs[k])
	}
	return strings.NewReplacer(pairs...).Replace(cmd)
}

// timesOut removes the times and dates, whose digits would look like
// hashes.
func timesOut(s string) string {
	for _, re := range []*regexp.Regexp{rfc3339RE, stampRE, dateRE, clockRE} {
		s = re.ReplaceAllString(s, "")
	}
	return s
}
