package mcp

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wf-tool/wf/cmd/wf/internal/verbs"
)

// maxArgs is the most a tool call's arguments may hold, in bytes: a
// checkpoint or spec body is at most 1 MiB (mdstate.MaxFileSize), and
// the rest is a handful of short strings.
const maxArgs = 2 << 20

// args is a tool call's arguments: the JSON object's members, each kept
// raw until the tool asks for it by name and type.
type args struct {
	tool string // the tool (and action) named in errors, "todo done"
	hint string // a call that works, for the hint of an error
	m    map[string]json.RawMessage
}

// parseArgs decodes a tool call's arguments for tool: a JSON object, or
// absent (null, empty) for none. Anything else, a member named twice or
// more than [maxArgs] bytes is a [*verbs.UsageError] whose hint is hint,
// a call that works.
func parseArgs(tool, hint string, raw json.RawMessage) (*args, error) {
	a := &args{tool: tool, hint: hint, m: map[string]json.RawMessage{}}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return a, nil
	}
	if len(raw) > maxArgs {
		return nil, a.errorf("the arguments of %s are larger than %d bytes", tool, maxArgs)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, a.errorf("the arguments of %s are not a JSON object", tool)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, a.errorf("the arguments of %s are not valid JSON: %v", tool, err)
		}
		name, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, a.errorf("argument %q of %s is not valid JSON: %v", name, tool, err)
		}
		if _, dup := a.m[name]; dup {
			return nil, a.errorf("argument %q of %s is given twice", name, tool)
		}
		a.m[name] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, a.errorf("the arguments of %s are not valid JSON: %v", tool, err)
	}
	if dec.More() {
		return nil, a.errorf("the arguments of %s hold more than one JSON value", tool)
	}
	return a, nil
}

// errorf is a [*verbs.UsageError] whose hint is a call that works.
func (a *args) errorf(format string, x ...any) error {
	return verbs.Usagef(a.hint, format, x...)
}

// only refuses an argument that is not among names: a misspelt or
// misplaced argument is never silently ignored.
func (a *args) only(names ...string) error {
	var unknown []string
	for k := range a.m {
		if !slices.Contains(names, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	takes := "no arguments"
	if len(names) > 0 {
		takes = "only " + strings.Join(names, ", ")
	}
	return a.errorf("%s takes %s (got %s)", a.tool, takes, strings.Join(unknown, ", "))
}

// has reports whether argument name is given (and not null).
func (a *args) has(name string) bool {
	v, ok := a.m[name]
	return ok && string(v) != "null"
}

// str is string argument name: "" when absent; an error when it is not a
// string or is blank (text is never empty, as on the command line).
func (a *args) str(name string) (string, error) {
	if !a.has(name) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(a.m[name], &s); err != nil {
		return "", a.errorf("argument %q of %s must be a string", name, a.tool)
	}
	if strings.TrimSpace(s) == "" {
		return "", a.errorf("argument %q of %s is empty", name, a.tool)
	}
	return s, nil
}

// need is str for an argument that must be given.
func (a *args) need(name string) (string, error) {
	if !a.has(name) {
		return "", a.errorf("%s needs the argument %q", a.tool, name)
	}
	return a.str(name)
}

// ref is an item or wait reference: a string, or an integer (an item's
// number), returned as the text the command line would take.
func (a *args) ref(name string) (string, error) {
	if !a.has(name) {
		return "", nil
	}
	v := a.m[name]
	if len(v) > 0 && v[0] != '"' {
		n, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil {
			return "", a.errorf("argument %q of %s must be a number or a string", name, a.tool)
		}
		return strconv.FormatInt(n, 10), nil
	}
	return a.str(name)
}

// strs is a list argument: an array of strings, or one string for a list
// of one. None may be blank.
func (a *args) strs(name string) ([]string, error) {
	if !a.has(name) {
		return nil, nil
	}
	v := a.m[name]
	if len(v) > 0 && v[0] == '"' {
		s, err := a.str(name)
		if err != nil {
			return nil, err
		}
		return []string{s}, nil
	}
	var ss []string
	if err := json.Unmarshal(v, &ss); err != nil {
		return nil, a.errorf("argument %q of %s must be an array of strings", name, a.tool)
	}
	for i, s := range ss {
		if strings.TrimSpace(s) == "" {
			return nil, a.errorf("argument %q of %s: entry %d is empty", name, a.tool, i+1)
		}
	}
	return ss, nil
}

// flag is a boolean argument, false when absent.
func (a *args) flag(name string) (bool, error) {
	if !a.has(name) {
		return false, nil
	}
	var b bool
	if err := json.Unmarshal(a.m[name], &b); err != nil {
		return false, a.errorf("argument %q of %s must be true or false", name, a.tool)
	}
	return b, nil
}

// count is a positive integer argument (a budget, a loop limit): 0 and
// false when absent; below 1 is refused, as the command line does.
func (a *args) count(name string) (int, bool, error) {
	if !a.has(name) {
		return 0, false, nil
	}
	var f float64
	if err := json.Unmarshal(a.m[name], &f); err != nil || f != math.Trunc(f) || f > math.MaxInt32 {
		return 0, false, a.errorf("argument %q of %s must be a whole number", name, a.tool)
	}
	if f < 1 {
		return 0, false, a.errorf("argument %q of %s must be at least 1 (got %v)", name, a.tool, f)
	}
	return int(f), true, nil
}

// duration is a Go duration argument ("90s", "5m"); 0 when absent.
func (a *args) duration(name string) (time.Duration, error) {
	s, err := a.str(name)
	if err != nil || s == "" {
		return 0, err
	}
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil || d <= 0 {
		return 0, a.errorf("argument %q of %s must be a positive duration such as \"5m\" (got %q)", name, a.tool, s)
	}
	return d, nil
}

// action is the "action" argument of a tool with actions, checked
// against the ones it has; it returns the action and the args renamed
// "tool action" for errors.
func (a *args) action(actions ...string) (string, error) {
	if !a.has("action") {
		return "", a.errorf("%s needs the argument \"action\": one of %s", a.tool, strings.Join(actions, ", "))
	}
	s, err := a.str("action")
	if err != nil {
		return "", err
	}
	if !slices.Contains(actions, s) {
		return "", a.errorf("%s has no action %q (it has %s)", a.tool, s, strings.Join(actions, ", "))
	}
	a.tool += " " + s
	return s, nil
}
