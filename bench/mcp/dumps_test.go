package main

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"testing"
)

// TestPyDumps: the re-encoding matches what Python 3's json.dumps(value)
// printed for the same value (expected output captured from python3).
func TestPyDumps(t *testing.T) {
	in := "{\"b\":[1,2.5,{\"x\":\"a\\\"b\\\\c\\n\\t\u00e9\u2014\U0001F600/<>&\u007f\\u0001\"}],\"a\":{},\"c\":[],\"d\":null,\"e\":true,\"n\":-0.0,\"big\":12345678901234567890}"
	want := `{"b": [1, 2.5, {"x": "a\"b\\c\n\t\u00e9\u2014\ud83d\ude00/<>&\u007f\u0001"}], "a": {}, "c": [], "d": null, "e": true, "n": -0.0, "big": 12345678901234567890}`
	got, err := pyDumps([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if _, err := pyDumps([]byte(`{"a": [1,}`)); err == nil {
		t.Error("invalid JSON accepted")
	}
}

// FuzzPyDumps: any valid JSON re-encodes to valid JSON with the same
// value, members in the same order.
func FuzzPyDumps(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[1,{"b":"\u00e9\ud83d\ude00"}],"c":null}`, `"\u007f"`, `[true,false,-1.5e3]`, `{"a":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		out, err := pyDumps(data)
		if err != nil {
			t.Fatalf("valid JSON refused: %v", err)
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON out of %q: %q", data, out)
		}
		if a, b := decodeAll(t, data), decodeAll(t, out); !reflect.DeepEqual(a, b) {
			t.Fatalf("value changed: %q -> %q", data, out)
		}
	})
}

// decodeAll is data's tokens, numbers as written.
func decodeAll(t *testing.T, data []byte) []any {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var toks []any
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return toks
		}
		if err != nil {
			t.Fatal(err)
		}
		toks = append(toks, tok)
	}
}
