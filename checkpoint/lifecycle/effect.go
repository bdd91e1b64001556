package lifecycle

import (
	"fmt"
	"regexp"
	"sync"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// Side effects (seeds 003 and 004: track which external side effects have
// fired, checkpoint before and after them): `wf effect TEXT --key KEY`
// records one under "## Side Effects" of workflow-state.md, with its
// idempotency key, and the caller checkpoints;
//
//	- 2026-11-30 06:40 +00:00: deploy-staging-v1.2: deployed v1.2 to staging (by agent)
//
// `wf effect check KEY` tells a resumed agent or a script whether it
// fired, so the step is not repeated.

// Effect is one recorded side effect.
type Effect struct {
	When string `json:"when"`
	Key  string `json:"key"`
	Text string `json:"text"`
	Who  string `json:"who,omitempty"`
	Line int    `json:"line,omitempty"`
}

// effectRe matches a Side Effects line. It was
//
//	^(\d{4}-\d\d-\d\d \d\d:\d\d(?: [+-]\d\d:\d\d)?): ([A-Za-z0-9][A-Za-z0-9._-]{0,99}): (.*?)(?: \(by (\S+)\))?$
//
// and the key's bound is now checked after the match (len(m[2]) <= 100),
// which gives the same matches and groups: the time's shape fixes where
// the key starts, and the key, holding no ':', ends at the first ':', so
// the bound only decides whether there is a match. {0,99} made the
// regexp five times as costly to compile. Compiled on first use, not at
// start-up (issue 12).
var effectRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(\d{4}-\d\d-\d\d \d\d:\d\d(?: [+-]\d\d:\d\d)?): ([A-Za-z0-9][A-Za-z0-9._-]*): (.*?)(?: \(by (\S+)\))?$`)
})

// FormatEffect writes an effect's line (without the bullet).
func FormatEffect(e Effect) string {
	return e.When + ": " + e.Key + ": " + workspace.OneLine(e.Text) + " (by " + Who(e.Who) + ")"
}

// ParseEffect reads a Side Effects line; ok is false for another shape.
func ParseEffect(s string) (Effect, bool) {
	m := effectRe().FindStringSubmatch(s)
	if m == nil || len(m[2]) > 100 {
		return Effect{}, false
	}
	return Effect{When: m[1], Key: m[2], Text: m[3], Who: m[4]}, true
}

// Effects returns the recorded effects of st, in file order.
func Effects(st *mdstate.State) []Effect {
	var out []Effect
	for _, e := range st.Effects {
		if ef, ok := ParseEffect(e.Text); ok {
			ef.Line = e.Line
			out = append(out, ef)
		}
	}
	return out
}

// FindEffect returns the effect of key in st, and false when none.
func FindEffect(st *mdstate.State, key string) (Effect, bool) {
	for _, e := range Effects(st) {
		if e.Key == key {
			return e, true
		}
	}
	return Effect{}, false
}

// CheckEffectKey refuses a key that is not letters, digits, '.', '_' and
// '-' (at most 100).
func CheckEffectKey(key string) error {
	if !validEffectKey(key) {
		return fmt.Errorf("effect key %q: use letters, digits, '.', '_' and '-' (deploy-staging-v1.2)", key)
	}
	return nil
}

// EffectFiredError is an effect recorded twice.
type EffectFiredError struct{ Effect Effect }

func (e *EffectFiredError) Error() string {
	return fmt.Sprintf("side effect %s already fired at %s: %s", e.Effect.Key, e.Effect.When, e.Effect.Text)
}

// Hint says how to go on.
func (e *EffectFiredError) Hint() string {
	return "do not repeat it; use a new key for a new effect (wf effect check " + e.Effect.Key + " exits 0 when it fired)"
}

// RecordEffect appends an effect with key to w's Side Effects, refusing a
// key recorded there already with an [*EffectFiredError].
func RecordEffect(w *workspace.Workspace, text, key string, s Signal) (Effect, error) {
	text = workspace.OneLine(text)
	if text == "" {
		return Effect{}, ErrEmptyText
	}
	if err := CheckEffectKey(key); err != nil {
		return Effect{}, err
	}
	ef := Effect{When: w.Now().Format(workspace.Timestamp), Key: key, Text: text, Who: Who(s.Who)}
	_, err := w.Update(func(sn *workspace.Snapshot) ([]byte, []byte, error) {
		if old, ok := FindEffect(sn.State, key); ok {
			return nil, nil, &EffectFiredError{Effect: old}
		}
		e := newStateEdit(w, sn.State)
		if err := e.entry("effects", FormatEffect(ef)); err != nil {
			return nil, nil, err
		}
		ef.Line = e.st.Effects[len(e.st.Effects)-1].Line
		return e.done(sn), nil, nil
	})
	return ef, err
}
