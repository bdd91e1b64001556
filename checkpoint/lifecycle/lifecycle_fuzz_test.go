package lifecycle

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseChange: a timeline line never panics, and a line wf writes
// reads back as the change it wrote.
func FuzzParseChange(f *testing.F) {
	f.Add("2026-11-30 06:10 +00:00: status running -> paused by alice: lunch", "status", "running", "paused", "alice", "lunch")
	f.Add("2026-11-30 06:10 +00:00: phase Code Review PENDING -> IN_PROGRESS by agent", "phase Code Review", "PENDING", "IN_PROGRESS", "agent", "")
	f.Add("2026-11-30 06:10: wait w12 pending -> approved by bob: ok: fine", "wait w12", "pending", "approved", "bob", "a -> b by c: d")
	f.Fuzz(func(t *testing.T, line, subject, from, to, who, why string) {
		ParseChange(line)
		if !strings.HasPrefix(subject, "phase ") && subject != "status" && subject != "mode" {
			return
		}
		subject = strings.Join(strings.Fields(subject), " ")
		if subject == "phase" || strings.Contains(subject, " -> ") || strings.Contains(subject, " by ") {
			return
		}
		c := Change{When: "2026-11-30 06:10 +00:00", Subject: subject, From: from, To: to, Who: who, Why: why}
		got, ok := ParseChange(FormatChange(c))
		if !ok {
			t.Fatalf("%q does not read back", FormatChange(c))
		}
		if got.From != orDashes(from) || got.To != orDashes(to) || got.Who != Who(who) {
			t.Fatalf("%q read back as %+v", FormatChange(c), got)
		}
	})
}

// FuzzParseWait: a Waiting line never panics, and a wait wf writes reads
// back with its id, kind and condition.
func FuzzParseWait(f *testing.F) {
	f.Add("w1 · approval: deploy · since 2026-11-30 06:10 +00:00 · by agent · resolve: wf approve w1", "deploy", "5m")
	f.Add("approval from @lead", "gh pr checks 12", "")
	f.Fuzz(func(t *testing.T, line, cond, every string) {
		ParseWait(line)
		cond = strings.Join(strings.Fields(cond), " ")
		if cond == "" || strings.Contains(" "+cond+" ", " · ") || strings.Contains(every, " · ") || strings.ContainsAny(every, "\r\n") {
			return
		}
		for _, k := range WaitKinds() {
			wt := Wait{ID: "w7", Kind: k, Cond: cond, Since: "2026-11-30 06:10 +00:00", By: "agent"}
			if k == "command" {
				wt.Every = every
			}
			got := ParseWait(FormatWait(wt))
			if !got.Parsed || got.ID != "w7" || got.Kind != k || got.Cond != cond {
				t.Fatalf("%q read back as %+v", FormatWait(wt), got)
			}
		}
	})
}

// FuzzParseWhen: any input gives a time or an error, never a panic.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"2026-12-01T09:00Z", "2026-12-01T09:00:00+01:00", "2026-12-01 09:00 +00:00", "2026-12-01", "next tuesday"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ParseWhen(s, time.UTC)
	})
}

// FuzzParsePhaseRule: a rule wf writes reads back as itself.
func FuzzParsePhaseRule(f *testing.F) {
	f.Add("once, review, max-loops=3", true, false, 2)
	f.Fuzz(func(t *testing.T, s string, once, review bool, loops int) {
		ParsePhaseRule(s)
		if loops < 0 {
			loops = -loops
		}
		r := PhaseRule{Once: once, Review: review, MaxLoops: loops % 1000}
		got, err := ParsePhaseRule(r.String())
		if err != nil || got != r {
			t.Fatalf("%q read back as %+v, %v", r.String(), got, err)
		}
	})
}

// FuzzSessionFromHookInput: any input gives a valid id or "", never a
// panic.
func FuzzSessionFromHookInput(f *testing.F) {
	f.Add([]byte(`{"session_id":"5f2c9a1e-7d3b","hook_event_name":"SessionStart"}`))
	f.Add([]byte(`{"session_id":"a b"}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if id := SessionFromHookInput(data); id != "" && !ValidSession(id) {
			t.Fatalf("%q gave the invalid id %q", data, id)
		}
	})
}

// FuzzParseEffect: a Side Effects line never panics, and one wf writes
// reads back.
func FuzzParseEffect(f *testing.F) {
	f.Add("2026-11-30 06:40 +00:00: deploy-staging-v1.2: deployed v1.2 to staging (by agent)", "deploy-v1", "deployed (to prod)")
	f.Fuzz(func(t *testing.T, line, key, text string) {
		ParseEffect(line)
		text = strings.Join(strings.Fields(text), " ")
		if CheckEffectKey(key) != nil || text == "" {
			return
		}
		e := Effect{When: "2026-11-30 06:40 +00:00", Key: key, Text: text, Who: "agent"}
		got, ok := ParseEffect(FormatEffect(e))
		if !ok || got.Key != key || got.Text != text || got.Who != "agent" {
			t.Fatalf("%q read back as %+v", FormatEffect(e), got)
		}
	})
}
