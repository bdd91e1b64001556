package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/urfave/cli/v2"
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/gitcp/gittest"
)

// schemaFile is the JSON Schema of every --json document (docs/json.md).
const schemaFile = "../../docs/schema/wf.schema.json"

// nullable are the fields whose value may be null: an object that may be
// missing. A null anywhere else (a list above all) is a bug.
func nullable() []string {
	return []string{"last_checkpoint", "current", "next", "item", "blocker", "git", "checkpoint", "attempt"}
}

// compileSchemas compiles the document definition of each command named
// in the schema's $defs, with formats (date-time) asserted.
func compileSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	abs, err := filepath.Abs(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(abs)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", schemaFile, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	url := "file://" + filepath.ToSlash(abs)
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Compile(url); err != nil {
		t.Fatalf("%s: %v", schemaFile, err)
	}
	defs := doc.(map[string]any)["$defs"].(map[string]any)
	out := map[string]*jsonschema.Schema{}
	for name := range defs {
		s, err := c.Compile(url + "#/$defs/" + name)
		if err != nil {
			t.Fatalf("%s: $defs/%s: %v", schemaFile, name, err)
		}
		out[name] = s
	}
	return out
}

// TestJSONSchema runs a scenario through every command in a real git
// repository and validates each --json document against the schema; then
// it checks that every command with --json was validated, and that every
// command but help and completion has --json.
func TestJSONSchema(t *testing.T) {
	schemas := compileSchemas(t)
	var mu sync.Mutex
	seen := map[string]bool{}
	validate := func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 2 {
			ts.Fatalf("usage: validate DEF COMMAND")
		}
		s := schemas[args[0]]
		if s == nil {
			ts.Fatalf("the schema has no $defs/%s", args[0])
		}
		out := ts.ReadFile("stdout")
		if err := checkDocument(s, []byte(out)); err != nil {
			ts.Fatalf("wf %s --json against $defs/%s: %v", args[1], args[0], err)
		}
		mu.Lock()
		seen[args[1]] = true
		mu.Unlock()
	}
	// validateLines is validate for a command that prints one document
	// per line (wf watch): each line is validated.
	validateLines := func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 2 {
			ts.Fatalf("usage: validate-lines DEF COMMAND")
		}
		s := schemas[args[0]]
		if s == nil {
			ts.Fatalf("the schema has no $defs/%s", args[0])
		}
		lines := strings.Split(strings.TrimSuffix(ts.ReadFile("stdout"), "\n"), "\n")
		for i, l := range lines {
			if err := checkDocument(s, []byte(l)); err != nil {
				ts.Fatalf("wf %s --json line %d against $defs/%s: %v\n%s", args[1], i+1, args[0], err, l)
			}
		}
		mu.Lock()
		seen[args[1]] = true
		mu.Unlock()
	}
	t.Run("scenario", func(t *testing.T) {
		testscript.Run(t, testscript.Params{
			Dir:                 "testdata/jsonschema",
			RequireExplicitExec: true,
			Cmds:                map[string]func(*testscript.TestScript, bool, []string){"validate": validate, "validate-lines": validateLines, "waitfile": cmdWaitfile},
			Setup: func(e *testscript.Env) error {
				for _, kv := range gittest.Environ(e.WorkDir) {
					k, v, _ := strings.Cut(kv, "=")
					e.Setenv(k, v)
				}
				e.Setenv("TZ", "UTC")
				e.Setenv("WF_LOCK_WAIT", "300ms")
				return nil
			},
		})
	})
	if t.Failed() {
		return
	}
	var missing, noJSON []string
	for _, path := range leafCommands() {
		if !hasJSONFlag(path.cmd) {
			// wf mcp speaks JSON-RPC; its tools return the documents
			// of the other commands (TestMCPEndToEnd compares them).
			if path.name != "help" && path.name != "completion" && path.name != "mcp" {
				noJSON = append(noJSON, path.name)
			}
			continue
		}
		if !seen[path.name] {
			missing = append(missing, path.name)
		}
	}
	if len(noJSON) > 0 {
		t.Errorf("commands without --json: %s", strings.Join(noJSON, ", "))
	}
	if len(missing) > 0 {
		t.Errorf("commands whose --json the scenario does not validate: %s", strings.Join(missing, ", "))
	}
}

// checkDocument validates one document: against s, for a schema field of
// the current version, for nulls only where an object may be missing,
// and, to prove s is strict, against every copy of it with one field
// renamed, each of which s must refuse.
func checkDocument(s *jsonschema.Schema, data []byte) error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	if err := s.Validate(doc); err != nil {
		return err
	}
	top, ok := doc.(map[string]any)
	if !ok {
		return fmt.Errorf("the document is not an object")
	}
	if v, _ := top["schema"].(json.Number); v.String() != fmt.Sprint(workspace.SchemaVersion) {
		return fmt.Errorf("schema is %v, want %d", top["schema"], workspace.SchemaVersion)
	}
	if p := findNull(doc, "$"); p != "" {
		return fmt.Errorf("%s is null", p)
	}
	var renamed []string
	forEachRename(doc, func(path string, mutated any) {
		if s.Validate(mutated) == nil {
			renamed = append(renamed, path)
		}
	})
	if len(renamed) > 0 {
		return fmt.Errorf("the schema accepts the document with these fields renamed: %s", strings.Join(renamed, ", "))
	}
	return nil
}

// findNull returns the path of the first null that is not the value of a
// nullable field ("" when there is none).
func findNull(v any, path string) string {
	switch x := v.(type) {
	case nil:
		return path
	case []any:
		for i, e := range x {
			if p := findNull(e, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			if x[k] == nil && slices.Contains(nullable(), k) {
				continue
			}
			if p := findNull(x[k], path+"."+k); p != "" {
				return p
			}
		}
	}
	return ""
}

// forEachRename calls f with a copy of doc in which one object field is
// renamed, for every field at every depth.
func forEachRename(doc any, f func(path string, mutated any)) {
	var walk func(v any, path string, rebuild func(any) any)
	walk = func(v any, path string, rebuild func(any) any) {
		switch x := v.(type) {
		case []any:
			for i := range x {
				walk(x[i], fmt.Sprintf("%s[%d]", path, i), func(n any) any {
					c := slices.Clone(x)
					c[i] = n
					return rebuild(c)
				})
			}
		case map[string]any:
			for _, k := range sortedKeys(x) {
				c := make(map[string]any, len(x))
				for k2, v2 := range x {
					c[k2] = v2
				}
				delete(c, k)
				c[k+"_renamed"] = x[k]
				f(path+"."+k, rebuild(c))
				walk(x[k], path+"."+k, func(n any) any {
					c := make(map[string]any, len(x))
					for k2, v2 := range x {
						c[k2] = v2
					}
					c[k] = n
					return rebuild(c)
				})
			}
		}
	}
	walk(doc, "$", func(n any) any { return n })
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

type commandPath struct {
	name string // "todo list"
	cmd  *cli.Command
}

// leafCommands lists wf's commands that run something: those without
// subcommands, by their full name.
func leafCommands() []commandPath {
	var out []commandPath
	var walk func(cs []*cli.Command, parent string)
	walk = func(cs []*cli.Command, parent string) {
		for _, c := range cs {
			name := strings.TrimSpace(parent + " " + c.Name)
			if len(c.Subcommands) > 0 {
				walk(c.Subcommands, name)
				continue
			}
			out = append(out, commandPath{name, c})
		}
	}
	e := &env{}
	walk(e.newApp().Commands, "")
	return out
}

func hasJSONFlag(c *cli.Command) bool {
	for _, f := range c.Flags {
		if slices.Contains(f.Names(), "json") {
			return true
		}
	}
	return false
}

// TestJSONSchemaRefusesRenamedField is the strictness check in one
// concrete case: status with decisions_count renamed to its version 1
// name fails.
func TestJSONSchemaRefusesRenamedField(t *testing.T) {
	s := compileSchemas(t)["status"]
	doc := `{"schema": 2, "root": "/w", "last_checkpoint": null, "progress": {"done": 0, "skipped": 0, "total": 0},
		"phases": [], "current": null, "next": null, "blockers": [], "waits": [], "decisions_count": 0,
		"recognised": [], "unrecognised": []}`
	if err := checkDocument(s, []byte(doc)); err != nil {
		t.Fatalf("a valid status document: %v", err)
	}
	old := strings.Replace(doc, `"decisions_count": 0`, `"decisions": 0`, 1)
	if err := checkDocument(s, []byte(old)); err == nil {
		t.Fatal("the schema accepts status with decisions instead of decisions_count")
	}
	null := strings.Replace(doc, `"unrecognised": []`, `"unrecognised": null`, 1)
	if err := checkDocument(s, []byte(null)); err == nil {
		t.Fatal("the schema accepts a null unrecognised")
	}
}

// cmdWaitfile is "waitfile PATH": wait until PATH exists, failing after
// 30 s; for a command run in the background (wf watch) to reach a state
// the script can see.
func cmdWaitfile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile PATH")
	}
	limit := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(ts.MkAbs(args[0])); err == nil {
			return
		}
		if time.Now().After(limit) {
			ts.Fatalf("%s did not appear within 30s", args[0])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
