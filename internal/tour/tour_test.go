package tour

import (
	"strings"
	"testing"
)

const sample = "# Title\n\nintro\n\n" + Begin + "\nSome prose.\n\n```console\n# a comment\n$ wf init\ncreated workflow-state.md\n$ wf todo add \"x\" \\\n    --phase P\nadded    1 [ ] x\n$ wf check\n[exit 7]\n```\n\nMore prose.\n\n```console\n$ wf log\n20260222-093015-a3f9-plan-written  2026-02-22 09:30 +01:00  P/running  a783ad5  Plan\n$ wf recover 20260222-093015-a3f9-plan-written --why w\n```\n" + End + "\n\n## After\n"

func TestParse(t *testing.T) {
	d, err := Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Steps) != 5 {
		t.Fatalf("%d steps: %+v", len(d.Steps), d.Steps)
	}
	s := d.Steps
	if s[0].Cmd != "wf init" || s[0].Want != "created workflow-state.md\n" || len(s[0].Comments) != 1 || s[0].Comments[0] != "a comment" || s[0].Line != 10 {
		t.Errorf("step 0: %+v", s[0])
	}
	if s[1].Cmd != "wf todo add \"x\" \\\n    --phase P" || s[1].Want != "added    1 [ ] x\n" {
		t.Errorf("step 1: %+v", s[1])
	}
	if s[2].Exit != 7 || s[2].Want != "" {
		t.Errorf("step 2: %+v", s[2])
	}
	if s[3].Block != 1 || s[4].Want != "" {
		t.Errorf("steps 3, 4: %+v", s[3:])
	}
	// Rendering the steps as parsed gives the README back byte for byte.
	if got := string(d.Render(d.Steps)); got != sample {
		t.Errorf("Render changed the README:\n%s", got)
	}
	// Rendering new outputs changes only the blocks.
	steps := append([]Step(nil), d.Steps...)
	steps[0].Want = "created it\n"
	got := string(d.Render(steps))
	if !strings.Contains(got, "$ wf init\ncreated it\n$ wf todo") || !strings.HasSuffix(got, End+"\n\n## After\n") || !strings.Contains(got, "\nMore prose.\n") {
		t.Errorf("Render:\n%s", got)
	}
}

func TestParseErrors(t *testing.T) {
	for _, bad := range []string{
		"no markers",
		End + "\n" + Begin + "\n",
		Begin + "\n```console\n$ wf init\n" + End + "\n",
		Begin + "\n```console\noutput first\n```\n" + End + "\n",
		Begin + "\nprose only\n" + End + "\n",
	} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
}

func TestNormalize(t *testing.T) {
	a := "checkpoint 20260222-093015-a3f9-plan-written (just now, commit a783ad5) at 2026-02-22 09:30 +01:00; 2026-02-22T09:30:15Z; 1234567 09:45 (10s ago) 1m20s  x   y ~1,234 tokens"
	b := "checkpoint 20261130-085209-b4ee-plan-written (3 minutes ago, commit 0123456) at 2026-11-30 08:52 +00:00; 2026-11-30T08:52:09Z; abcdef0 10:01 (2m5s ago) 3s x y ~987 tokens"
	if Normalize(a) != Normalize(b) {
		t.Errorf("\n%s\n%s", Normalize(a), Normalize(b))
	}
	if Normalize("since 09:49 (49s ago) · resolve") != Normalize("since 11:46 · resolve") {
		t.Errorf("an age alone in parentheses is not optional: %q", Normalize("since 09:49 (49s ago) · resolve"))
	}
	if Normalize("1 [x] Write the plan") == Normalize("1 [x] Write the code") {
		t.Errorf("Normalize hides text")
	}
}

func TestBindings(t *testing.T) {
	bs := Bindings{}
	want := "checkpoint 20260222-093015-a3f9-plan-written\n  commit  a783ad5bf747 on main\n"
	got := "checkpoint 20261130-085209-b4ee-plan-written\n  commit  0123456789ab on main\n"
	if d := bs.Match(want, got); d != "" {
		t.Fatal(d)
	}
	cmd := bs.Apply("wf recover 20260222-093015-a3f9-plan-written && wf show 20260222-093015-a3f9 && git show a783ad5bf747")
	if cmd != "wf recover 20261130-085209-b4ee-plan-written && wf show 20261130-085209-b4ee && git show 0123456789ab" {
		t.Errorf("Apply: %s", cmd)
	}
	if d := bs.Match("a\nb\n", "a\n"); d == "" {
		t.Errorf("a missing line matched")
	}
	if d := bs.Match("", "extra\n"); d == "" {
		t.Errorf("an extra line matched")
	}
}

// TestParseMarkers checks the markers' errors: the end marker counts only
// on a line after the begin marker (the fuzz target found a panic when
// both were on one line).
func TestParseMarkers(t *testing.T) {
	for _, s := range []string{
		"no markers\n",
		Begin + End + "\n",
		Begin + " " + End,
		Begin + " " + End + " text",
		End + "\n" + Begin + "\n",
		Begin + "\n",
	} {
		if _, err := Parse([]byte(s)); err == nil || !strings.Contains(err.Error(), "tour:") {
			t.Errorf("Parse(%q) = %v, want an error naming a marker", s, err)
		}
	}
	d, err := Parse([]byte(End + "\n" + Begin + "\n```\n$ true\n```\n" + End + "\n"))
	if err != nil || len(d.Steps) != 1 {
		t.Fatalf("an end marker before the begin marker: %v, %d steps", err, len(d.Steps))
	}
}

func FuzzParse(f *testing.F) {
	f.Add(sample)
	f.Add(Begin + "\n```\n$ a\\\n")
	f.Add(Begin + End + "\n")
	f.Add(End + "\n" + Begin + "\n")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse([]byte(s))
		if err != nil {
			return
		}
		// A tour that parses renders back to itself.
		if got := string(d.Render(d.Steps)); got != s {
			d2, err := Parse([]byte(got))
			if err != nil || len(d2.Steps) != len(d.Steps) {
				t.Fatalf("Render of a parsed tour does not parse the same: %v", err)
			}
		}
	})
}
