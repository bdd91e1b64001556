package lifecycle

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// Bounded retries: `wf todo fail ITEM --bucket B` counts a failed attempt
// on an item in its "(failed: B N)" annotation in TODO.md. Each bucket
// (kind of failure) has a budget, from the retry setting of
// workflow-state.md ("- retry: test-fail=3, build-fail=2, tool-error=5");
// the attempt that reaches it escalates: a blocker naming the item is
// added and the status becomes blocked (DESIGN.md §6), so that the next
// session, and wf resume, stop retrying and ask a person.

// DefaultRetryLimits returns the budgets that apply when
// workflow-state.md has no retry setting; a fresh map each call.
func DefaultRetryLimits() map[string]int {
	return map[string]int{"test-fail": 3, "build-fail": 2, "tool-error": 5}
}

// Retry is one bucket's policy: the attempts it allows, and the time a
// retry must wait after a failure (0: none).
type Retry struct {
	Limit   int
	Backoff time.Duration
}

// RetryPolicy returns the policy of each bucket from the retry setting of
// st ("- retry: test-fail=3/10m, build-fail=2": N attempts, and an
// optional backoff after each failure as a Go duration), or the defaults
// without backoff when there is none, and an error naming what is wrong
// with a setting that cannot be read.
func RetryPolicy(st *mdstate.State) (map[string]Retry, error) {
	v := strings.TrimSpace(st.Setting("retry"))
	out := map[string]Retry{}
	if v == "" {
		for k, n := range DefaultRetryLimits() {
			out[k] = Retry{Limit: n}
		}
		return out, nil
	}
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, n, ok := strings.Cut(part, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		n, back, hasBack := strings.Cut(strings.TrimSpace(n), "/")
		limit, err := strconv.Atoi(strings.TrimSpace(n))
		if !ok || !validBucket(k) || err != nil || limit < 1 {
			return nil, fmt.Errorf("retry setting %q: %q is not bucket=N or bucket=N/backoff (N at least 1)", v, part)
		}
		r := Retry{Limit: limit}
		if hasBack {
			d, err := time.ParseDuration(strings.TrimSpace(back))
			if err != nil || d < 0 {
				return nil, fmt.Errorf("retry setting %q: backoff %q in %q is not a duration such as 10m", v, back, part)
			}
			r.Backoff = d
		}
		out[k] = r
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("retry setting %q names no bucket", v)
	}
	return out, nil
}

// RetryLimits returns the budget of each bucket of [RetryPolicy].
func RetryLimits(st *mdstate.State) (map[string]int, error) {
	p, err := RetryPolicy(st)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for k, r := range p {
		out[k] = r.Limit
	}
	return out, nil
}

// bucketNames lists the buckets of limits, sorted.
func bucketNames[V any](limits map[string]V) []string {
	var out []string
	for k := range limits {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// FailResult is what `wf todo fail` reports.
type FailResult struct {
	Schema int      `json:"schema"`
	Item   ItemView `json:"item"`
	Bucket string   `json:"bucket"`
	Count  int      `json:"count"` // failed attempts in the bucket, this one included
	Limit  int      `json:"limit"`
	// Spent is set when this attempt used up the bucket's budget: a
	// blocker was added and the status set to blocked.
	Spent bool `json:"spent"`
	// Blocker is the blocker added when the budget was spent; nil when it
	// was not.
	Blocker *BlockerView `json:"blocker"`
}

// BucketError is a failure bucket the retry setting does not name.
type BucketError struct {
	Bucket string
	Known  []string
}

func (e *BucketError) Error() string {
	return fmt.Sprintf("no retry bucket %q (the retry setting has %s)", e.Bucket, strings.Join(e.Known, ", "))
}

// Hint says how to go on.
func (e *BucketError) Hint() string {
	return fmt.Sprintf("use one of: %s; or add %s=N to \"- retry:\" under ## Settings in workflow-state.md", strings.Join(e.Known, ", "), e.Bucket)
}

// BackoffError is a retry of an item before its bucket's backoff ended.
type BackoffError struct {
	N      int
	Text   string
	Bucket string
	Last   string        // when the last failure was recorded
	Left   time.Duration // how long to wait still
}

func (e *BackoffError) Error() string {
	return fmt.Sprintf("item %d (%s) failed (%s) at %s; its retry backoff has %s left", e.N, e.Text, e.Bucket, e.Last, e.Left.Round(time.Second))
}

// Hint says how to go on.
func (e *BackoffError) Hint() string {
	return fmt.Sprintf("retry after %s (the backoff is the /DURATION of the retry setting under ## Settings)", e.Left.Round(time.Second))
}

// CheckBackoff returns a [*BackoffError] when the newest failed attempt
// on it, in a bucket with a backoff, is more recent than the backoff.
func CheckBackoff(w *workspace.Workspace, st *mdstate.State, it *mdstate.Item) error {
	pol, err := RetryPolicy(st)
	if err != nil {
		return nil // wf lint reports the setting
	}
	for _, a := range AttemptsOn(st, it) {
		r := pol[a.Bucket]
		if r.Backoff == 0 {
			continue
		}
		t, err := time.Parse(workspace.Timestamp, a.When)
		if err != nil {
			continue
		}
		if left := t.Add(r.Backoff).Sub(w.Now()); left > 0 {
			return &BackoffError{N: it.N, Text: it.Text, Bucket: a.Bucket, Last: a.When, Left: left}
		}
		return nil // the newest attempt decides
	}
	return nil
}

// Fail counts a failed attempt on the open item ref names in bucket, in
// w's TODO.md. When the count reaches the bucket's budget it escalates: a
// blocker entry (with reason), Status: blocked, and a timeline line
// saying what it escalated to. It fails with a [*BucketError] for a
// bucket the retry setting does not name, and with a [*BackoffError] when
// the item's last failure is within its bucket's backoff.
func Fail(w *workspace.Workspace, ref, bucket, reason string) (*FailResult, error) {
	return FailAs(w, ref, bucket, reason, Signal{})
}

// FailAs is [Fail] by an actor, for the timeline.
func FailAs(w *workspace.Workspace, ref, bucket, reason string, s Signal) (*FailResult, error) {
	bucket = strings.ToLower(strings.TrimSpace(bucket))
	var res *FailResult
	pin := pins{}
	_, err := w.Update(func(sn *workspace.Snapshot) ([]byte, []byte, error) {
		pol, err := RetryPolicy(sn.State)
		if err != nil {
			return nil, nil, err
		}
		if _, ok := pol[bucket]; !ok {
			return nil, nil, &BucketError{Bucket: bucket, Known: bucketNames(pol)}
		}
		it, err := pin.resolve(sn.Todo, ref)
		if err != nil {
			return nil, nil, err
		}
		if err := CheckBackoff(w, sn.State, it); err != nil {
			return nil, nil, err
		}
		e := newStateEdit(w, sn.State)
		var td *mdstate.Todo
		res, td, err = e.fail(sn, it, bucket, reason, s)
		if err != nil {
			return nil, nil, err
		}
		sn.Edited(nil, td)
		return e.done(sn), td.Src.Data, nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// fail counts a failed attempt on it in bucket. A bucket the policy does
// not name is non-retryable: its budget is one attempt.
func (e *stateEdit) fail(sn *workspace.Snapshot, it *mdstate.Item, bucket, reason string, s Signal) (*FailResult, *mdstate.Todo, error) {
	reason = workspace.OneLine(reason)
	pol, err := RetryPolicy(e.st)
	if err != nil {
		return nil, nil, err
	}
	limit := 1
	if r, ok := pol[bucket]; ok {
		limit = r.Limit
	}
	if !it.IsOpen() {
		return nil, nil, fmt.Errorf("item %d (%s) is not open: only open items can fail (wf todo undo %d reopens it)", it.N, it.Text, it.N)
	}
	fs := append([]mdstate.Failure(nil), it.Failures...)
	i := 0
	for i < len(fs) && fs[i].Bucket != bucket {
		i++
	}
	if i == len(fs) {
		fs = append(fs, mdstate.Failure{Bucket: bucket})
	}
	fs[i].Count++
	_, td, err := sn.Todo.SetFailures(it.N, fs)
	if err != nil {
		return nil, nil, err
	}
	res := &FailResult{Schema: workspace.SchemaVersion, Item: ViewItem(td.Items[it.N-1]), Bucket: bucket, Count: fs[i].Count, Limit: limit}
	// Every attempt, with its reason, in workflow-state.md's Failed
	// Attempts: committed with the next checkpoint, read by the next
	// session's wf resume.
	if err := e.entry("attempts", FormatAttempt(e.now, it, bucket, fs[i].Count, limit, reason)); err != nil {
		return nil, nil, err
	}
	if fs[i].Count < limit {
		return res, td, nil
	}
	// The budget is spent: escalate.
	res.Spent = true
	entry := fmt.Sprintf("%s: retry budget spent on TODO item %d %q: %s %d/%d", e.now, it.N, it.Text, bucket, fs[i].Count, limit)
	if reason != "" {
		entry += " (last failure: " + reason + ")"
	}
	if err := e.entry("blockers", entry); err != nil {
		return nil, nil, err
	}
	why := fmt.Sprintf("retry budget spent: %s %d/%d on item %q; escalated to a blocker", bucket, fs[i].Count, limit, it.Text)
	// Escalation is not a choice the state machine can refuse: a spent
	// budget blocks the run from whatever status it had.
	if err := e.forceStatus("blocked", Signal{Who: s.Who, Why: why}); err != nil {
		return nil, nil, err
	}
	bs := ViewBlockers(e.st)
	res.Blocker = &bs[len(bs)-1]
	return res, td, nil
}

// SpentBuckets lists the buckets of it whose budget in limits is spent,
// as "test-fail 3/3".
func SpentBuckets(it *mdstate.Item, limits map[string]int) []string {
	var out []string
	for _, f := range it.Failures {
		if l, ok := limits[f.Bucket]; ok && f.Count >= l {
			out = append(out, fmt.Sprintf("%s %d/%d", f.Bucket, f.Count, l))
		}
	}
	return out
}

// An attempt is one line of workflow-state.md's Failed Attempts:
// "2026-11-30 03:35 +00:00: TODO item "go vet" (Planning): build-fail
// 1/2: no module cache". The item is named by its text and phase, not by
// its number, which moves when items are added above it.
type Attempt struct {
	When   string `json:"when"` // as written
	Item   string `json:"item"` // the item's text
	Phase  string `json:"phase,omitempty"`
	Bucket string `json:"bucket"`
	Count  int    `json:"count"`
	Limit  int    `json:"limit"`
	Reason string `json:"reason,omitempty"`
}

// attemptRe matches a Failed Attempts line; compiled on first use, not
// at start-up (issue 12).
var attemptRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(.*?): TODO item "(.*)"(?: \((.*?)\))?: ([a-z0-9][a-z0-9-]*) (\d+)/(\d+)(?:: (.*))?$`)
})

// FormatAttempt writes the Failed Attempts line of a failed attempt on it.
func FormatAttempt(when string, it *mdstate.Item, bucket string, count, limit int, reason string) string {
	s := fmt.Sprintf("%s: TODO item %q", when, it.Text)
	if it.Phase != "" {
		s += " (" + it.Phase + ")"
	}
	s += fmt.Sprintf(": %s %d/%d", bucket, count, limit)
	if reason != "" {
		s += ": " + reason
	}
	return s
}

// ParseAttempt reads a Failed Attempts line; ok is false for a line in
// another shape (written by hand), which callers show as it is.
func ParseAttempt(s string) (a Attempt, ok bool) {
	m := attemptRe().FindStringSubmatch(s)
	if m == nil {
		return a, false
	}
	text, err := strconv.Unquote(`"` + m[2] + `"`)
	if err != nil {
		text = m[2]
	}
	a = Attempt{When: m[1], Item: text, Phase: m[3], Bucket: m[4], Reason: m[7]}
	a.Count, _ = strconv.Atoi(m[5])
	a.Limit, _ = strconv.Atoi(m[6])
	return a, true
}

// AttemptsOn returns the parsed Failed Attempts entries of st that name
// it (by text, and by phase when the entry has one), newest first.
func AttemptsOn(st *mdstate.State, it *mdstate.Item) []Attempt {
	var out []Attempt
	for i := len(st.Attempts) - 1; i >= 0; i-- {
		a, ok := ParseAttempt(st.Attempts[i].Text)
		if ok && a.Item == it.Text && (a.Phase == "" || it.Phase == "" || a.Phase == it.Phase) {
			out = append(out, a)
		}
	}
	return out
}
