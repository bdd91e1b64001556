package journal

import "testing"

func TestParseStatStart(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"1234 (wf) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 0 0 0 20 0 1 0 987654 1000 10", 987654, true},
		{"1234 (a) b) (c) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 0 0 0 20 0 1 0 42 1000 10", 42, true},
		{"1234 (wf) S 1 2", 0, false},
		{"garbage", 0, false},
	} {
		got, ok := parseStatStart([]byte(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseStatStart(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
