package resume

import (
	"fmt"

	"github.com/wf-tool/wf/mdstate"
)

// maxSuspectDetails is how many suspect lines a warning lists by line.
const maxSuspectDetails = 5

// resumeSuspects warns about TODO.md lines that look like items but that
// wf does not read (an unknown box, an item inside an HTML block, …): they
// count as open, so when no readable item is open the next command is to
// fix them, never to close the phase.
func resumeSuspects(r *Resume, td *mdstate.Todo) {
	if len(td.Suspects) == 0 {
		return
	}
	w := Warning{Kind: "unread-items",
		Message: fmt.Sprintf("%d line(s) of %s look like TODO items but wf cannot read them; they count as open (wf lint explains each)", len(td.Suspects), td.Src.Path)}
	for i, x := range td.Suspects {
		if i == maxSuspectDetails {
			w.Details = append(w.Details, fmt.Sprintf("… and %d more", len(td.Suspects)-i))
			break
		}
		w.Details = append(w.Details, fmt.Sprintf("%s:%d: %s: %s", td.Src.Path, x.Line, x.Message(), x.Fix()))
	}
	r.Warnings = append(r.Warnings, w)
	if r.Command == nil && td.NextOpen() == nil {
		x := td.Suspects[0]
		r.Command = &NextCommand{Command: "wf lint",
			Why: fmt.Sprintf("no item wf can read is open, but %s:%d looks like an open item: %s", td.Src.Path, x.Line, x.Fix())}
	}
}
