package lifecycle

import (
	"time"

	"github.com/wf-tool/wf/checkpoint/workspace"
)

// NextCheck is when [Check] next has something to do for the waits of
// st that time alone wakes, as a watcher (`wf watch`) needs to know: the
// earliest `until` time still ahead of now, and for each `command` wait
// the time its every interval allows its next run (the last run, from
// the runtime folder's wait-runs, plus every). A command wait without
// every, or with no run recorded (Check records each run, so only when
// the runtime folder cannot be written), is due idle (a duration > 0)
// after now. It returns the zero time
// when no such wait is pending. An until time that does not parse is
// left out: Check reports it as an error. `file` waits depend on the file
// system, not the clock; the watcher decides how it notices them.
func NextCheck(w *workspace.Workspace, waits []Wait, now time.Time, idle time.Duration) time.Time {
	var next time.Time
	earliest := func(t time.Time) {
		if t.Before(now) {
			t = now
		}
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	var runs map[string]time.Time
	for _, wt := range waits {
		if !wt.Parsed {
			continue
		}
		switch wt.Kind {
		case "until":
			if t, err := ParseWhen(wt.Cond, now.Location()); err == nil {
				earliest(t)
			}
		case "command":
			if runs == nil {
				runs = readRuns(w)
			}
			last, ran := runs[wt.ID]
			d, err := time.ParseDuration(wt.Every)
			switch {
			case wt.Every == "" || err != nil || d <= 0 || !ran:
				earliest(now.Add(idle))
			default:
				earliest(last.Add(d))
			}
		}
	}
	return next
}
