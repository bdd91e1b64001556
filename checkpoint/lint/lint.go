// Package lint checks the state files: what `wf lint` reports, with
// file:line, a severity and the fix, and what wf recognised in a
// hand-written file and what it keeps without using. It reads a
// [workspace.Snapshot] and never writes or talks to git.
package lint

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wf-tool/wf/checkpoint/lifecycle"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// Severity of a diagnostic.
const (
	SevError   = "error"
	SevWarning = "warning"
	SevInfo    = "info"
)

// Diagnostic is one finding of `wf lint`.
type Diagnostic struct {
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	Severity string `json:"severity"`
	Msg      string `json:"message"`
	Hint     string `json:"hint,omitempty"`
}

func (d Diagnostic) String() string {
	loc := d.File
	if d.Line > 0 {
		loc += ":" + strconv.Itoa(d.Line)
	}
	return fmt.Sprintf("%s: %s: %s", loc, d.Severity, d.Msg)
}

// Lint checks both state files of sn (or the ones [workspace.ReadPaths]
// read) and the contradictions between them, in file order.
func Lint(sn *workspace.Snapshot) []Diagnostic {
	st, td := sn.State, sn.Todo
	sf, tf := st.Src.Path, td.Src.Path
	var ds []Diagnostic
	add := func(file string, line int, sev, hint, format string, args ...any) {
		if !sn.Checks(file) {
			return
		}
		ds = append(ds, Diagnostic{File: file, Line: line, Severity: sev, Msg: fmt.Sprintf(format, args...), Hint: hint})
	}
	// Unresolved conflict markers first, and alone for that file: its
	// parse mixes both sides, so anything else said of it would mislead.
	conflicted := map[string]bool{}
	for _, f := range []struct {
		path string
		data []byte
	}{{sf, sn.StateBytes()}, {tf, sn.TodoBytes()}} {
		for _, m := range mdstate.FindConflictMarkers(f.data) {
			conflicted[f.path] = true
			add(f.path, m.Line, SevError, "resolve the conflict (keep the right side, delete the marker lines), then git add "+f.path,
				"unresolved git conflict marker %q", m.Text)
		}
	}
	if len(conflicted) > 0 {
		return ds
	}
	// workflow-state.md on its own.
	if st.Title == "" {
		add(sf, 1, SevInfo, "", "no H1 title; the project name is unknown")
	}
	if f := st.Field("status"); f == nil {
		add(sf, 0, SevWarning, "add a line \"**Status**: idle\" under the title", "no Status field")
	} else if v := strings.ToLower(strings.TrimSpace(f.Value)); !slices.Contains(lifecycle.Statuses(), v) {
		add(sf, f.Line, SevWarning, "use one of: "+strings.Join(lifecycle.Statuses(), ", "), "status %q is not a wf status", f.Value)
	}
	if f := st.Field("mode"); f != nil {
		if v := strings.ToLower(strings.TrimSpace(f.Value)); v != "auto" && v != "manual" {
			add(sf, f.Line, SevWarning, "use auto or manual", "mode %q is not auto or manual", f.Value)
		}
	}
	phaseField := st.Field("phase")
	if phaseField == nil {
		add(sf, 0, SevWarning, "add a line \"**Current phase**: <name>\" under the title", "no Current phase field")
	}
	if st.PhaseTable == 0 {
		add(sf, 0, SevInfo, "", "no phase table (a \"## Phase Status\" section with a Phase | Status table); phases are taken from TODO.md's H2 headings")
	}
	inProgress := 0
	for _, p := range st.Phases {
		s := strings.ToUpper(strings.TrimSpace(p.Status))
		if !slices.Contains(lifecycle.PhaseStatuses(), s) {
			add(sf, p.Line, SevWarning, "use one of: "+strings.Join(lifecycle.PhaseStatuses(), ", "), "phase %q has status %q, which wf does not know", p.Name, p.Status)
		}
		if s == "IN_PROGRESS" {
			inProgress++
			if phaseField != nil && !strings.EqualFold(strings.TrimSpace(phaseField.Value), p.Name) {
				add(sf, p.Line, SevWarning, "", "phase %q is IN_PROGRESS but the current phase is %q (line %d)", p.Name, phaseField.Value, phaseField.Line)
			}
		}
	}
	if inProgress > 1 {
		add(sf, st.PhaseTable, SevWarning, "", "%d phases are IN_PROGRESS at once", inProgress)
	}
	if phaseField != nil && len(st.Phases) > 0 && st.Phase(strings.TrimSpace(phaseField.Value)) == nil {
		add(sf, phaseField.Line, SevError, "name a phase from the phase table", "current phase %q is not in the phase table", phaseField.Value)
	}
	if c := st.Setting("commit"); c != "" && c != "branch" && c != "ref" {
		add(sf, settingLine(st, "commit"), SevError, "use \"- commit: branch\" or \"- commit: ref\"", "commit mode %q is not branch or ref", c)
	}
	if _, err := lifecycle.RetryLimits(st); err != nil {
		add(sf, settingLine(st, "retry"), SevError, "write it as \"- retry: test-fail=3, build-fail=2, tool-error=5\"", "%s", err.Error())
	}
	if _, err := workspace.ParseWatchSetting(st.Setting("watch")); err != nil {
		add(sf, settingLine(st, "watch"), SevError, "write it as \"- watch: debounce=2s, auto-checkpoint=on\" (keys: debounce, auto-checkpoint, poll, poll-interval, heartbeat)", "watch setting: %s", err.Error())
	}
	if b := st.Setting("resume-budget"); b != "" {
		if n, err := strconv.Atoi(b); err != nil || n < workspace.MinResumeBudget {
			add(sf, settingLine(st, "resume-budget"), SevError, "use a number of tokens, e.g. 2000", "resume-budget %q is not a number of tokens of at least %d", b, workspace.MinResumeBudget)
		}
	}
	for _, n := range st.Notes {
		add(sf, n.Line, SevInfo, "", "%s", n.Msg)
	}
	for _, x := range []struct {
		what string
		es   []*mdstate.Entry
	}{{"blocker", st.Blockers}, {"wait", st.Waits}} {
		for _, e := range x.es {
			if e.Prose {
				add(sf, e.Line, SevWarning, "write it as a list item, \"- "+strings.ReplaceAll(e.Text, `"`, `\"`)+"\", so wf can show and remove it",
					"text that is not a list item counts as a %s: %q", x.what, e.Text)
			}
		}
	}
	lifecycleRules(st, func(line int, sev, hint, format string, args ...any) { add(sf, line, sev, hint, format, args...) })
	// TODO.md on its own.
	if !sn.TodoMissing && len(td.Items) == 0 {
		add(tf, 0, SevInfo, "", "no checklist items (\"- [ ] text\")")
	}
	if sn.TodoMissing {
		add(tf, 0, SevWarning, "wf todo add \"first item\"", "there is no %s", workspace.TodoFile)
	}
	cur := td.Current()
	if len(cur) > 1 {
		var lines []string
		for _, it := range cur {
			lines = append(lines, strconv.Itoa(it.Line))
		}
		add(tf, cur[1].Line, SevError, "wf todo next   (keeps one marker, on the first open item)", "%d items are marked CURRENT (lines %s)", len(cur), strings.Join(lines, ", "))
	}
	for _, it := range cur {
		if !it.IsOpen() {
			add(tf, it.Line, SevWarning, "wf todo next", "item %d is marked CURRENT but is %s", it.N, lifecycle.ViewItem(it).State)
		}
	}
	for _, it := range td.Items {
		if it.Mark == mdstate.Done && it.Parent == nil {
			for _, c := range td.Items[it.N:] {
				if c.Parent == nil || c.Depth <= it.Depth {
					break
				}
				if c.IsOpen() && isDescendant(c, it) {
					add(tf, c.Line, SevWarning, "", "item %d is open under item %d, which is done", c.N, it.N)
				}
			}
		}
	}
	for _, n := range td.Notes {
		add(tf, n.Line, SevInfo, "", "%s", n.Msg)
	}
	for _, x := range td.Suspects {
		add(tf, x.Line, SevWarning, x.Fix(), "%s", x.Message())
	}
	for _, f := range []struct {
		name string
		deep []mdstate.DeepLine
	}{{sf, st.Deep}, {tf, td.Deep}} {
		for _, d := range f.deep {
			add(f.name, d.Line, SevWarning, d.Hint(), "%s", d.Error())
		}
	}
	// Contradictions between the files.
	if len(st.Phases) > 0 && sn.Checks(tf) {
		reported := map[string]bool{}
		for _, it := range td.Items {
			if it.Phase == "" || st.Phase(it.Phase) != nil || reported[strings.ToLower(it.Phase)] {
				continue
			}
			reported[strings.ToLower(it.Phase)] = true
			add(tf, it.Section.Line, SevError, "rename the heading to a phase in the phase table, or add the phase to the table", "heading %q is not a phase in %s's phase table (%s)", it.Phase, workspace.StateFile, phaseList(st))
		}
		for _, p := range st.Phases {
			if !strings.EqualFold(strings.TrimSpace(p.Status), "COMPLETE") {
				continue
			}
			for _, it := range td.Items {
				if it.IsOpen() && strings.EqualFold(it.Phase, p.Name) {
					add(tf, it.Line, SevError, fmt.Sprintf("wf todo done %d, or wf todo skip %d --reason …, or set the phase back to IN_PROGRESS", it.N, it.N), "item %d is open but phase %q is COMPLETE (%s:%d)", it.N, p.Name, sf, p.Line)
				}
			}
			for _, x := range td.OpenSuspects(p.Name) {
				add(tf, x.Line, SevError, x.Fix()+", then tick it or set the phase back to IN_PROGRESS", "line %d counts as an open item but phase %q is COMPLETE (%s:%d)", x.Line, p.Name, sf, p.Line)
			}
		}
	}
	return ds
}

func isDescendant(c, p *mdstate.Item) bool {
	for x := c.Parent; x != nil; x = x.Parent {
		if x == p {
			return true
		}
	}
	return false
}

func phaseList(st *mdstate.State) string {
	var names []string
	for _, p := range st.Phases {
		names = append(names, p.Name)
	}
	return strings.Join(names, ", ")
}

func settingLine(st *mdstate.State, key string) int {
	for _, s := range st.Settings {
		if strings.EqualFold(s.Key, key) {
			return s.Line
		}
	}
	return 0
}

// Recognition says, in words, what wf read from each file of sn and what
// it did not use (kept as written): `wf status` and `wf lint` print both.
func Recognition(sn *workspace.Snapshot) (rec, unrec []string) {
	rec, unrec = []string{}, []string{} // never nil: --json lists are []
	st, td := sn.State, sn.Todo
	StateFile, TodoFile := orName(st.Src.Path, workspace.StateFile), orName(td.Src.Path, workspace.TodoFile)
	if st.Title != "" {
		rec = append(rec, fmt.Sprintf("%s: title %q", StateFile, st.Title))
	}
	var keys []string
	for _, f := range st.Fields {
		keys = append(keys, f.Key)
	}
	if len(keys) > 0 {
		rec = append(rec, fmt.Sprintf("%s: %d fields (%s)", StateFile, len(keys), strings.Join(keys, ", ")))
	}
	if st.PhaseTable > 0 {
		rec = append(rec, fmt.Sprintf("%s: phase table at line %d with %d phases", StateFile, st.PhaseTable, len(st.Phases)))
	}
	for _, x := range []struct {
		n    int
		what string
	}{{len(st.Blockers), "blockers"}, {len(st.Waits), "waits"}, {len(st.Decisions), "decisions"}, {len(st.Settings), "settings"}} {
		if x.n > 0 {
			rec = append(rec, fmt.Sprintf("%s: %d %s", StateFile, x.n, x.what))
		}
	}
	for _, s := range st.Sections {
		if s.Kind == "" {
			unrec = append(unrec, fmt.Sprintf("%s:%d: section %q", StateFile, s.Line, s.Title))
		}
	}
	if len(td.Items) > 0 {
		d, sk, _ := td.Counts("*")
		rec = append(rec, fmt.Sprintf("%s: %d items (%d done, %d skipped) under %d phase headings", TodoFile, len(td.Items), d, sk, len(td.PhaseNames())))
	}
	for _, x := range td.Suspects {
		unrec = append(unrec, fmt.Sprintf("%s:%d: %s", TodoFile, x.Line, x.Message()))
	}
	for _, n := range td.Notes {
		unrec = append(unrec, fmt.Sprintf("%s:%d: %s", TodoFile, n.Line, n.Msg))
	}
	return rec, unrec
}

func orName(path, def string) string {
	if path == "" {
		return def
	}
	return path
}

// lifecycleRules checks the status against what holds it (issue 13):
// awaiting with no wait, blocked with no blocker, a timeline whose last
// status change does not lead to the Status field, and phase rules and
// waits that cannot be read.
func lifecycleRules(st *mdstate.State, add func(line int, sev, hint, format string, args ...any)) {
	f := st.Field("status")
	status, err := lifecycle.CurrentStatus(st)
	if f == nil || err != nil {
		return
	}
	switch {
	case status == "awaiting" && len(st.Waits) == 0:
		add(f.Line, SevWarning, "wf wait approval \"…\" (declare what it waits for), or set the status back to running", "status is awaiting but nothing is recorded under ## Waiting")
	case status == "blocked" && len(st.Blockers) == 0:
		add(f.Line, SevWarning, "wf block \"why\", or set the status back to running", "status is blocked but nothing is recorded under ## Blocking Issues")
	}
	if c, ok := lifecycle.LastChange(st, "status"); ok && c.To != status {
		add(c.Line, SevWarning, "the timeline is append-only: let wf make status changes (wf pause, wf continue, …) so it stays true",
			"the timeline's last status change is to %s but Status is %s (line %d): changed by hand", c.To, status, f.Line)
	}
	for _, p := range st.Phases {
		if _, err := lifecycle.RuleOf(st, p.Name); err != nil {
			add(0, SevError, "write it as \"- phase "+p.Name+": once, review, max-loops=3\"", "%s", err.Error())
		}
	}
	for _, wt := range lifecycle.Waits(st) {
		if wt.Parsed && wt.Kind == "until" {
			if _, err := lifecycle.ParseWhen(wt.Cond, time.UTC); err != nil {
				add(wt.Line, SevError, "write the time as 2026-12-01T09:00Z", "wait %s: %s", wt.ID, err.Error())
			}
		}
	}
}

// StaleRunning is the diagnostic for a run whose status is running while
// its last sign of life (lastSign: the newest heartbeat, checkpoint or
// timeline line; src names which) is older than the heartbeat-stale
// setting at now (issue 13: "running with a stale heartbeat"); nil when
// it is not running, or not stale. Lint itself reads no runtime files:
// the caller finds lastSign.
func StaleRunning(st *mdstate.State, lastSign time.Time, src string, now time.Time) *Diagnostic {
	f := st.Field("status")
	if s, err := lifecycle.CurrentStatus(st); err != nil || s != "running" || f == nil || lastSign.IsZero() {
		return nil
	}
	limit := lifecycle.DefaultHeartbeatStale
	if v, err := time.ParseDuration(strings.TrimSpace(st.Setting("heartbeat-stale"))); err == nil && v > 0 {
		limit = v
	}
	if now.Sub(lastSign) <= limit {
		return nil
	}
	return &Diagnostic{File: st.Src.Path, Line: f.Line, Severity: SevWarning,
		Msg:  fmt.Sprintf("status is running but the last sign of life (%s) is %s old (heartbeat-stale %s): the session probably died", src, now.Sub(lastSign).Round(time.Minute), limit),
		Hint: "wf heartbeat   (if a session is at work), or wf pause --reason \"…\" (if none is)"}
}

// LastSign returns the newest time in st's Last checkpoint field and
// timeline, with what it is ("checkpoint", "timeline"); zero when neither
// holds one.
func LastSign(st *mdstate.State) (time.Time, string) {
	var last time.Time
	src := ""
	if v := st.Get("last checkpoint"); len(v) >= 16 {
		for _, l := range []string{workspace.Timestamp, "2006-01-02 15:04"} {
			if len(v) >= len(l) {
				if t, err := time.Parse(l, v[:len(l)]); err == nil {
					last, src = t, "checkpoint"
					break
				}
			}
		}
	}
	for _, c := range lifecycle.Timeline(st) {
		if t, err := time.Parse(workspace.Timestamp, c.When); err == nil && t.After(last) {
			last, src = t, "timeline"
		}
	}
	return last, src
}
