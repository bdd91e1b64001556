package mdstate

import (
	"strings"
	"testing"
)

func TestPutSetting(t *testing.T) {
	samePath := func(p string) func(string) bool {
		return func(v string) bool { return strings.HasPrefix(v, p+"@") }
	}
	for _, c := range []struct {
		name, in, path, value, want string
	}{
		{"append to settings",
			"# S\n\n## Settings\n- commit: branch\n\n## Notes\nx\n", "a.pem", "a.pem@1111",
			"# S\n\n## Settings\n- commit: branch\n- allow-secret: a.pem@1111\n\n## Notes\nx\n"},
		{"replace in place, CRLF kept",
			"# S\r\n\r\n## Settings\r\n- allow-secret: b.pem@2222  \r\n- Allow-Secret:  a.pem@1111\r\n", "a.pem", "a.pem@3333",
			"# S\r\n\r\n## Settings\r\n- allow-secret: b.pem@2222  \r\n- Allow-Secret:  a.pem@3333\r\n"},
		{"new section",
			"# S\n\n**Status**: running\n", ".env", ".env@4444",
			"# S\n\n**Status**: running\n\n## Settings\n- allow-secret: .env@4444\n"},
		{"unchanged",
			"## Settings\n- allow-secret: a.pem@1111\n", "a.pem", "a.pem@1111",
			"## Settings\n- allow-secret: a.pem@1111\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := ParseState("workflow-state.md", []byte(c.in))
			out, after, err := st.PutSetting("allow-secret", samePath(c.path), c.value)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != c.want {
				t.Errorf("got\n%q\nwant\n%q", out, c.want)
			}
			n := 0
			for _, s := range after.Settings {
				if s.Value == c.value {
					n++
				}
			}
			if n != 1 {
				t.Errorf("settings after: %+v", after.Settings)
			}
		})
	}
}
