package mcp

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
)

func TestParseArgs(t *testing.T) {
	for _, c := range []struct {
		raw, err string
	}{
		{``, ""}, {`null`, ""}, {` {} `, ""}, {`{"a":1,"b":[1,{"c":2}]}`, ""},
		{`[]`, "not a JSON object"}, {`"x"`, "not a JSON object"}, {`{"a":1`, "not valid JSON"},
		{`{"a":1,"a":2}`, `argument "a" of t is given twice`}, {`{"a":1} {}`, "more than one JSON value"},
		{`{"a":}`, `argument "a" of t is not valid JSON`},
	} {
		_, err := parseArgs("t", "t {}", json.RawMessage(c.raw))
		if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("parseArgs(%s): %v, want %q", c.raw, err, c.err)
		}
		var u *verbs.UsageError
		if err != nil && (!errors.As(err, &u) || u.Hint() != "t {}") {
			t.Errorf("parseArgs(%s): %T %v is not a usage error with the hint", c.raw, err, err)
		}
	}
	big := `{"body":"` + strings.Repeat("x", maxArgs) + `"}`
	if _, err := parseArgs("t", "", json.RawMessage(big)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized arguments: %v", err)
	}
}

func TestArgTypes(t *testing.T) {
	a, err := parseArgs("t", "", json.RawMessage(`{"s":"x","n":7,"neg":-2,"f":1.5,"big":1e12,"b":true,"l":["a","b"],"one":"a","d":"90s","z":null,"blank":" "}`))
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want any, err error, wantErr string) {
		t.Helper()
		if wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), wantErr) {
				t.Errorf("%s: err %v, want %q", what, err, wantErr)
			}
			return
		}
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		if string(gb) != string(wb) {
			t.Errorf("%s = %s, want %s", what, gb, wb)
		}
	}
	s, err := a.str("s")
	check("str s", s, "x", err, "")
	s, err = a.str("missing")
	check("str missing", s, "", err, "")
	s, err = a.str("z")
	check("str null", s, "", err, "")
	_, err = a.str("n")
	check("str n", nil, nil, err, "must be a string")
	_, err = a.str("blank")
	check("str blank", nil, nil, err, "is empty")
	_, err = a.need("missing")
	check("need missing", nil, nil, err, `t needs the argument "missing"`)
	s, err = a.ref("n")
	check("ref n", s, "7", err, "")
	s, err = a.ref("s")
	check("ref s", s, "x", err, "")
	_, err = a.ref("f")
	check("ref f", nil, nil, err, "number or a string")
	_, err = a.ref("b")
	check("ref b", nil, nil, err, "number or a string")
	l, err := a.strs("l")
	check("strs l", l, []string{"a", "b"}, err, "")
	l, err = a.strs("one")
	check("strs one", l, []string{"a"}, err, "")
	_, err = a.strs("n")
	check("strs n", nil, nil, err, "array of strings")
	bl, err := a.flag("b")
	check("flag b", bl, true, err, "")
	_, err = a.flag("s")
	check("flag s", nil, nil, err, "true or false")
	n, set, err := a.count("n")
	check("count n", []any{n, set}, []any{7, true}, err, "")
	_, _, err = a.count("neg")
	check("count neg", nil, nil, err, "at least 1")
	_, _, err = a.count("f")
	check("count f", nil, nil, err, "whole number")
	_, _, err = a.count("big")
	check("count big", nil, nil, err, "whole number")
	d, err := a.duration("d")
	check("duration", d, 90*time.Second, err, "")
	_, err = a.duration("s")
	check("duration s", nil, nil, err, "positive duration")
	check("only", nil, nil, a.only("s"), "t takes only s (got b, big, blank, d, f, l, n, neg, one, z)")
	b, _ := parseArgs("t", "", nil)
	check("only none", nil, nil, b.only(), "")
	c, _ := parseArgs("t", "", json.RawMessage(`{"x":1}`))
	check("no arguments", nil, nil, c.only(), "t takes no arguments (got x)")
	act, _ := parseArgs("todo", "", json.RawMessage(`{"action":"done"}`))
	got, err := act.action("list", "done")
	check("action", []string{got, act.tool}, []string{"done", "todo done"}, err, "")
}

// FuzzParseArgs: no input panics the argument decoder or its accessors,
// every error is a usage error, and a string it returns is the one in
// the JSON.
func FuzzParseArgs(f *testing.F) {
	for _, s := range []string{`{"action":"done","item":3}`, `{"item":"x"}`, `{"l":["a",""]}`, `{"budget":1e400}`,
		`{"a":1,"a":2}`, `{"":null}`, `[1]`, `{"d":"-5m"}`, `{"n":-0}`, `{"s":"\u0000"}`} {
		f.Add([]byte(s))
	}
	names := []string{"action", "item", "l", "budget", "a", "", "d", "n", "s", "text"}
	f.Fuzz(func(t *testing.T, raw []byte) {
		a, err := parseArgs("t", "h", raw)
		usage := func(err error) {
			var u *verbs.UsageError
			if err != nil && !errors.As(err, &u) {
				t.Fatalf("%T %v is not a usage error", err, err)
			}
		}
		usage(err)
		if err != nil {
			return
		}
		usage(a.only("action"))
		for _, n := range names {
			s, err := a.str(n)
			usage(err)
			if err == nil && s != "" {
				var want string
				if json.Unmarshal(a.m[n], &want) != nil || want != s {
					t.Fatalf("str(%q) = %q, JSON holds %s", n, s, a.m[n])
				}
			}
			_, err = a.ref(n)
			usage(err)
			_, err = a.strs(n)
			usage(err)
			_, err = a.flag(n)
			usage(err)
			c, set, err := a.count(n)
			usage(err)
			if set && c < 1 {
				t.Fatalf("count(%q) = %d", n, c)
			}
			d, err := a.duration(n)
			usage(err)
			if d < 0 {
				t.Fatalf("duration(%q) = %v", n, d)
			}
		}
		_, err = a.action("list", "done")
		usage(err)
	})
}
