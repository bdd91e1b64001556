package lifecycle

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// Stats (`wf stats`, seed 004's list of what to monitor) are computed from
// what git history holds, never from a number kept by hand: the versions
// of workflow-state.md committed with each checkpoint, and the one on
// disk. Their timelines are merged (a line counts once, and a line a
// person deleted later still counts, since an older commit holds it);
// the Failed Attempts entries likewise.

// Version is workflow-state.md as one commit (or the work tree) holds it.
type Version struct {
	State *mdstate.State
	// Commit is the checkpoint commit ("" for the work tree); ID its
	// checkpoint id.
	Commit, ID string
	// Time is the checkpoint's commit time (zero for the work tree).
	Time time.Time
}

// Stats is what `wf stats` reports. Durations are in seconds.
type Stats struct {
	Schema int    `json:"schema"`
	Since  string `json:"since,omitempty"` // RFC 3339; "" for all history
	// Phases is the time each phase spent IN_PROGRESS, in the phase
	// table's order (then phases only the timeline names).
	Phases []DurationStat `json:"phases"`
	// Statuses is the time spent in each status, in [Statuses] order
	// (only those with time).
	Statuses []DurationStat `json:"statuses"`
	// PendingReviews are the approvals waiting now, with their age.
	PendingReviews []ReviewStat `json:"pending_reviews"`
	// Retries are the failed attempts by bucket.
	Retries     []RetryStat     `json:"retries"`
	Checkpoints CheckpointStats `json:"checkpoints"`
	// Recoveries are the times from an escalation to blocked to the
	// decision that unblocked the run.
	Recoveries []RecoveryStat `json:"recoveries"`
	// StaleRuns are the stretches of status running with no checkpoint for
	// longer than the heartbeat-stale setting.
	StaleRuns []StaleStat `json:"stale_runs"`
	// Resumes are the recoveries after an interruption (wf recover: a
	// "Recovered from checkpoint ID: why" decision), and how many of them
	// continued from a checkpoint that history holds.
	Resumes ResumeStats `json:"resumes"`
	// TimelineLines is how many distinct timeline lines history holds.
	TimelineLines int `json:"timeline_lines"`
}

// ResumeStats count recoveries from an older checkpoint.
type ResumeStats struct {
	Count int `json:"count"`
	// FromValid is how many named a checkpoint found in history.
	FromValid int `json:"from_valid_checkpoint"`
}

// DurationStat is time spent in one phase or status.
type DurationStat struct {
	Name    string `json:"name"`
	Seconds int64  `json:"seconds"`
	// Entries is how often it was entered.
	Entries int `json:"entries"`
}

// ReviewStat is a pending approval.
type ReviewStat struct {
	ID         string `json:"id"`
	Subject    string `json:"subject"`
	Since      string `json:"since"`
	AgeSeconds int64  `json:"age_seconds"`
}

// RetryStat is the failed attempts in one bucket.
type RetryStat struct {
	Bucket   string `json:"bucket"`
	Attempts int    `json:"attempts"`
	// Items is how many items failed in the bucket; Resolved how many of
	// them are done now.
	Items    int `json:"items"`
	Resolved int `json:"resolved"`
}

// CheckpointStats count checkpoints and the time between them.
type CheckpointStats struct {
	Count       int   `json:"count"`
	MeanSeconds int64 `json:"mean_interval_seconds"`
	MaxSeconds  int64 `json:"max_interval_seconds"`
}

// RecoveryStat is one escalation and its decision.
type RecoveryStat struct {
	Blocked string `json:"blocked"` // when the run was blocked
	Why     string `json:"why"`
	// DecidedSeconds is the time to the decision; -1 while undecided.
	DecidedSeconds int64 `json:"decided_seconds"`
}

// StaleStat is a running stretch without a checkpoint.
type StaleStat struct {
	From    string `json:"from"` // the last sign of life (RFC 3339)
	Seconds int64  `json:"seconds"`
}

// recoveredRe is the decision wf recover writes (checkpoint/recover.go):
// "<timestamp>: Recovered from checkpoint <id>: <why>".
// Compiled on first use, not at start-up (issue 12).
var recoveredRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(\d{4}-\d\d-\d\d \d\d:\d\d(?: [+-]\d\d:\d\d)?): Recovered from checkpoint (\S+): `)
})

type dated struct {
	Change
	t   time.Time
	seq int
}

// ComputeStats computes the stats of vs (checkpoint versions in any
// order, and the work tree's) at now, counting only time after since
// (zero for all). todo is TODO.md now, for which failed items are done.
func ComputeStats(vs []Version, todo *mdstate.Todo, now, since time.Time, stale time.Duration) Stats {
	s := Stats{Schema: workspace.SchemaVersion, Phases: []DurationStat{}, Statuses: []DurationStat{}, PendingReviews: []ReviewStat{},
		Retries: []RetryStat{}, Recoveries: []RecoveryStat{}, StaleRuns: []StaleStat{}}
	if !since.IsZero() {
		s.Since = since.UTC().Format(time.RFC3339)
	}
	var current *mdstate.State
	seen := map[string]bool{}
	var changes []dated
	attempts := map[string]bool{}
	recovered, ids := map[string]bool{}, map[string]bool{}
	var recoveries [][]string
	var cps []time.Time
	// Oldest commit first, the work tree last, so file order is kept.
	sort.SliceStable(vs, func(i, j int) bool {
		if vs[i].Commit == "" || vs[j].Commit == "" {
			return vs[j].Commit == "" && vs[i].Commit != ""
		}
		return vs[i].Time.Before(vs[j].Time)
	})
	for _, v := range vs {
		if v.Commit == "" {
			current = v.State
		} else {
			cps = append(cps, v.Time)
		}
		for _, e := range v.State.Timeline {
			if seen[e.Text] {
				continue
			}
			seen[e.Text] = true
			c, ok := ParseChange(e.Text)
			if !ok {
				continue
			}
			t, err := time.Parse(workspace.Timestamp, c.When)
			if err != nil {
				continue
			}
			changes = append(changes, dated{c, t, len(changes)})
		}
		for _, e := range v.State.Attempts {
			attempts[e.Text] = true
		}
		for _, e := range v.State.Decisions {
			if m := recoveredRe().FindStringSubmatch(e.Text); m != nil && !recovered[e.Text] {
				recovered[e.Text] = true
				recoveries = append(recoveries, m)
			}
		}
		if v.ID != "" {
			ids[v.ID] = true
		}
	}
	for _, m := range recoveries {
		if t, err := time.Parse(workspace.Timestamp, m[1]); err == nil && t.Before(since) {
			continue
		}
		s.Resumes.Count++
		if ids[m[2]] {
			s.Resumes.FromValid++
		}
	}
	s.TimelineLines = len(changes)
	sort.SliceStable(changes, func(i, j int) bool { return changes[i].t.Before(changes[j].t) })
	clip := func(a, b time.Time) int64 {
		if a.Before(since) {
			a = since
		}
		if !b.After(a) {
			return 0
		}
		return int64(b.Sub(a) / time.Second)
	}
	// Statuses.
	statusTime := map[string]int64{}
	statusN := map[string]int{}
	var last *dated
	for i := range changes {
		c := &changes[i]
		if c.Subject != "status" {
			continue
		}
		if last != nil {
			statusTime[last.To] += clip(last.t, c.t)
		}
		if !c.t.Before(since) {
			statusN[c.To]++
		}
		last = c
	}
	if last != nil {
		statusTime[last.To] += clip(last.t, now)
	}
	for _, st := range Statuses() {
		if statusTime[st] > 0 || statusN[st] > 0 {
			s.Statuses = append(s.Statuses, DurationStat{Name: st, Seconds: statusTime[st], Entries: statusN[st]})
		}
	}
	// Phases: time IN_PROGRESS.
	phaseTime := map[string]int64{}
	phaseN := map[string]int{}
	open := map[string]time.Time{}
	var order []string
	for _, c := range changes {
		p := c.Phase()
		if p == "" {
			continue
		}
		k := strings.ToLower(p)
		if _, ok := phaseN[k]; !ok {
			phaseN[k] = 0
			order = append(order, p)
		}
		if t, ok := open[k]; ok && c.To != "IN_PROGRESS" {
			phaseTime[k] += clip(t, c.t)
			delete(open, k)
		}
		if c.To == "IN_PROGRESS" {
			open[k] = c.t
			if !c.t.Before(since) {
				phaseN[k]++
			}
		}
	}
	for k, t := range open {
		phaseTime[k] += clip(t, now)
	}
	names := []string{}
	if current != nil {
		for _, p := range current.Phases {
			names = append(names, p.Name)
		}
	}
	for _, p := range order {
		found := false
		for _, n := range names {
			found = found || strings.EqualFold(n, p)
		}
		if !found {
			names = append(names, p)
		}
	}
	for _, n := range names {
		k := strings.ToLower(n)
		s.Phases = append(s.Phases, DurationStat{Name: n, Seconds: phaseTime[k], Entries: phaseN[k]})
	}
	// Pending reviews.
	if current != nil {
		for _, wt := range Waits(current) {
			if wt.Kind != "approval" && wt.Parsed {
				continue
			}
			r := ReviewStat{ID: wt.ID, Subject: wt.Cond, Since: wt.Since}
			if t, err := time.Parse(workspace.Timestamp, wt.Since); err == nil && now.After(t) {
				r.AgeSeconds = int64(now.Sub(t) / time.Second)
			}
			s.PendingReviews = append(s.PendingReviews, r)
		}
	}
	// Retries by bucket.
	type key struct{ bucket, item, phase string }
	items := map[key]bool{}
	byBucket := map[string]*RetryStat{}
	var buckets []string
	texts := make([]string, 0, len(attempts))
	for t := range attempts {
		texts = append(texts, t)
	}
	sort.Strings(texts)
	for _, text := range texts {
		a, ok := ParseAttempt(text)
		if !ok {
			continue
		}
		if t, err := time.Parse(workspace.Timestamp, a.When); err == nil && t.Before(since) {
			continue
		}
		rs := byBucket[a.Bucket]
		if rs == nil {
			rs = &RetryStat{Bucket: a.Bucket}
			byBucket[a.Bucket] = rs
			buckets = append(buckets, a.Bucket)
		}
		rs.Attempts++
		k := key{a.Bucket, a.Item, a.Phase}
		if !items[k] {
			items[k] = true
			rs.Items++
			if todo != nil {
				for _, it := range todo.Items {
					if it.Text == a.Item && (a.Phase == "" || it.Phase == a.Phase) && it.Mark == mdstate.Done {
						rs.Resolved++
						break
					}
				}
			}
		}
	}
	sort.Strings(buckets)
	for _, b := range buckets {
		s.Retries = append(s.Retries, *byBucket[b])
	}
	// Checkpoints.
	sort.Slice(cps, func(i, j int) bool { return cps[i].Before(cps[j]) })
	var inRange []time.Time
	for _, t := range cps {
		if !t.Before(since) {
			inRange = append(inRange, t)
		}
	}
	s.Checkpoints.Count = len(inRange)
	if len(inRange) > 1 {
		var sum int64
		for i := 1; i < len(inRange); i++ {
			d := int64(inRange[i].Sub(inRange[i-1]) / time.Second)
			sum += d
			s.Checkpoints.MaxSeconds = max(s.Checkpoints.MaxSeconds, d)
		}
		s.Checkpoints.MeanSeconds = sum / int64(len(inRange)-1)
	}
	// Recoveries: blocked, then the next status change out of it.
	for i, c := range changes {
		if c.Subject != "status" || c.To != "blocked" || c.t.Before(since) {
			continue
		}
		r := RecoveryStat{Blocked: c.When, Why: c.Why, DecidedSeconds: -1}
		for _, d := range changes[i+1:] {
			if d.Subject == "status" {
				r.DecidedSeconds = int64(d.t.Sub(c.t) / time.Second)
				break
			}
		}
		s.Recoveries = append(s.Recoveries, r)
	}
	// Stale runs: while running, a gap between signs of life (timeline
	// lines, failed attempts and checkpoints) longer than stale.
	if stale > 0 {
		var life []time.Time
		for _, c := range changes {
			life = append(life, c.t)
		}
		for text := range attempts {
			if a, ok := ParseAttempt(text); ok {
				if t, err := time.Parse(workspace.Timestamp, a.When); err == nil {
					life = append(life, t)
				}
			}
		}
		life = append(life, cps...)
		sort.Slice(life, func(i, j int) bool { return life[i].Before(life[j]) })
		statusAt := func(t time.Time) string {
			st := "idle"
			for _, c := range changes {
				if c.t.After(t) {
					break
				}
				if c.Subject == "status" {
					st = c.To
				}
			}
			return st
		}
		life = append(life, now)
		for i := 1; i < len(life); i++ {
			a, b := life[i-1], life[i]
			if b.Sub(a) > stale && statusAt(a) == "running" && !a.Before(since) {
				s.StaleRuns = append(s.StaleRuns, StaleStat{From: a.UTC().Format(time.RFC3339), Seconds: int64(b.Sub(a) / time.Second)})
			}
		}
	}
	return s
}

// PhaseBars draws one bar per phase of s, scaled to width characters for
// the longest, for people: "Planning      ##########  45m".
func PhaseBars(s Stats, width int) []string {
	var hi int64
	w := 5
	for _, p := range s.Phases {
		hi = max(hi, p.Seconds)
		w = max(w, len([]rune(p.Name)))
	}
	var out []string
	for _, p := range s.Phases {
		n := 0
		if hi > 0 {
			n = int(p.Seconds * int64(width) / hi)
		}
		if p.Seconds > 0 && n == 0 {
			n = 1
		}
		name := p.Name + strings.Repeat(" ", w-len([]rune(p.Name)))
		out = append(out, name+"  "+strings.Repeat("#", n)+strings.Repeat(".", width-n)+"  "+FormatSeconds(p.Seconds))
	}
	return out
}

// FormatSeconds writes a duration for people: "0m", "45m", "2h05m",
// "3d04h".
func FormatSeconds(sec int64) string {
	d := time.Duration(sec) * time.Second
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%dd%02dh", d/(24*time.Hour), d%(24*time.Hour)/time.Hour)
	case d >= time.Hour:
		return fmt.Sprintf("%dh%02dm", d/time.Hour, d%time.Hour/time.Minute)
	}
	return fmt.Sprintf("%dm", d/time.Minute)
}
