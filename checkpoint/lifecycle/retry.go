package lifecycle

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

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

var bucketRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// RetryLimits returns the budget of each bucket from the retry setting of
// st ("- retry: test-fail=3, build-fail=2"), or the defaults when there is
// none, and an error naming what is wrong with a setting that cannot be
// read.
func RetryLimits(st *mdstate.State) (map[string]int, error) {
	v := strings.TrimSpace(st.Setting("retry"))
	if v == "" {
		return DefaultRetryLimits(), nil
	}
	out := map[string]int{}
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, n, ok := strings.Cut(part, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		limit, err := strconv.Atoi(strings.TrimSpace(n))
		if !ok || !bucketRe.MatchString(k) || err != nil || limit < 1 {
			return nil, fmt.Errorf("retry setting %q: %q is not bucket=N (N at least 1)", v, part)
		}
		out[k] = limit
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("retry setting %q names no bucket", v)
	}
	return out, nil
}

// bucketNames lists the buckets of limits, sorted.
func bucketNames(limits map[string]int) []string {
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

// Fail counts a failed attempt on the open item ref names in bucket, in
// w's TODO.md. When the count reaches the bucket's budget it escalates: a
// blocker entry (with reason) and Status: blocked. It fails with a
// [*BucketError] for a bucket the retry setting does not name.
func Fail(w *workspace.Workspace, ref, bucket, reason string) (*FailResult, error) {
	bucket = strings.ToLower(strings.TrimSpace(bucket))
	reason = workspace.OneLine(reason)
	var res *FailResult
	pin := pins{}
	_, err := w.Update(func(sn *workspace.Snapshot) ([]byte, []byte, error) {
		limits, err := RetryLimits(sn.State)
		if err != nil {
			return nil, nil, err
		}
		limit, ok := limits[bucket]
		if !ok {
			return nil, nil, &BucketError{Bucket: bucket, Known: bucketNames(limits)}
		}
		it, err := pin.resolve(sn.Todo, ref)
		if err != nil {
			return nil, nil, err
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
		todo, td, err := sn.Todo.SetFailures(it.N, fs)
		if err != nil {
			return nil, nil, err
		}
		sn.Edited(nil, td)
		res = &FailResult{Schema: workspace.SchemaVersion, Item: ViewItem(td.Items[it.N-1]), Bucket: bucket, Count: fs[i].Count, Limit: limit}
		// Every attempt, with its reason, in workflow-state.md's Failed
		// Attempts: committed with the next checkpoint, read by the next
		// session's wf resume.
		state, st, err := sn.State.AppendEntry("attempts", FormatAttempt(w.Now().Format(workspace.Timestamp), it, bucket, fs[i].Count, limit, reason))
		if err != nil {
			return nil, nil, err
		}
		sn.Edited(st, nil)
		if fs[i].Count < limit {
			return state, todo, nil
		}
		// The budget is spent: escalate.
		res.Spent = true
		entry := fmt.Sprintf("%s: retry budget spent on TODO item %d %q: %s %d/%d", w.Now().Format(workspace.Timestamp), it.N, it.Text, bucket, fs[i].Count, limit)
		if reason != "" {
			entry += " (last failure: " + reason + ")"
		}
		state, st, err = st.AppendEntry("blockers", entry)
		if err != nil {
			return nil, nil, err
		}
		if !strings.EqualFold(strings.TrimSpace(st.Get("status")), "blocked") {
			if state, st, err = st.SetField("status", "blocked"); err != nil {
				return nil, nil, err
			}
		}
		sn.Edited(st, nil)
		bs := ViewBlockers(st)
		res.Blocker = &bs[len(bs)-1]
		return state, todo, nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
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

var attemptRe = regexp.MustCompile(`^(.*?): TODO item "(.*)"(?: \((.*?)\))?: ([a-z0-9][a-z0-9-]*) (\d+)/(\d+)(?:: (.*))?$`)

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
	m := attemptRe.FindStringSubmatch(s)
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
