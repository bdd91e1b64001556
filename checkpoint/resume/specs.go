package resume

import (
	"fmt"
	"time"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/spec"
)

// openSpecs lists the delegations still out (specs delegated without a
// result, package spec), each as "specs/NAME.md (delegated to AGENT, AGE
// ago, item N)", then the specs whose result failed, as "specs/NAME.md
// (failed, AGE ago, item N: what the result says)", for resume's
// delegations block and status. A specs folder wf cannot read gives none:
// lint reports it.
func openSpecs(w *workspace.Workspace) []string {
	all, err := spec.List(w)
	if err != nil {
		return nil
	}
	var vs, failed []spec.View
	for _, v := range all {
		switch v.Status {
		case spec.Delegated:
			vs = append(vs, v)
		case spec.Failed:
			failed = append(failed, v)
		}
	}
	var out, failedLines []string
	for _, v := range failed {
		s := w.RelWD(spec.SpecPath(w, v.Name)) + " (failed"
		if v.Since != "" {
			s += ", " + Age(time.Duration(v.AgeSeconds)*time.Second)
		}
		if v.Item > 0 {
			s += fmt.Sprintf(", item %d open", v.Item)
		}
		if r, err := spec.LoadResult(w, v.Name); err == nil && r != nil && r.Summary != "" {
			s += ": " + r.Summary
		}
		failedLines = append(failedLines, s+"; wf spec redo "+v.Name+" --why …)")
	}
	for _, v := range vs {
		s := w.RelWD(spec.SpecPath(w, v.Name)) + " (delegated"
		if v.Agent != "" {
			s += " to " + v.Agent
		}
		if v.Since != "" {
			s += ", " + Age(time.Duration(v.AgeSeconds)*time.Second)
		}
		if v.Item > 0 {
			s += fmt.Sprintf(", item %d", v.Item)
		}
		out = append(out, s+")")
	}
	return append(out, failedLines...)
}

// OpenSpecs is [openSpecs] for the status view.
func OpenSpecs(w *workspace.Workspace) []string { return openSpecs(w) }

// Age says how long ago something was, d before now, coarsely and as
// the resume context says it everywhere: "just now" under 2 seconds, then
// "40s ago", "5m ago", "3h 20m ago" (under 10 hours), "30h ago" (under
// two days), "2d ago".
func Age(d time.Duration) string {
	if d < 2*time.Second {
		return "just now"
	}
	return fmtDuration(d) + " ago"
}
