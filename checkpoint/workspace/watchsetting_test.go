package workspace

import (
	"strings"
	"testing"
	"time"
)

func TestParseWatchSetting(t *testing.T) {
	s, err := ParseWatchSetting(" debounce=500ms, AUTO-CHECKPOINT=off ,poll=yes, poll-interval=200ms, heartbeat=30s ")
	if err != nil {
		t.Fatal(err)
	}
	want := WatchSettings{Debounce: 500 * time.Millisecond, AutoCheckpoint: false, Poll: true, PollInterval: 200 * time.Millisecond, Heartbeat: 30 * time.Second}
	if s != want {
		t.Errorf("got %+v, want %+v", s, want)
	}
	if s, err := ParseWatchSetting(""); err != nil || s != DefaultWatchSettings() {
		t.Errorf("empty: got %+v, %v; want the defaults", s, err)
	}
	for in, msg := range map[string]string{
		"debounce":           "not key=value",
		"debounce=":          "not key=value",
		"debounce=soon":      "not a duration",
		"debounce=-1s":       "out of range",
		"poll-interval=1ms":  "out of range",
		"heartbeat=100ms":    "out of range",
		"poll=maybe":         "not on or off",
		"colour=blue":        "unknown key",
		"debounce=1s, x=y":   "unknown key",
		"auto-checkpoint=10": "not on or off",
	} {
		_, err := ParseWatchSetting(in)
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParseWatchSetting(%q) = %v, want an error saying %q", in, err, msg)
		}
	}
}

func FuzzParseWatchSetting(f *testing.F) {
	for _, s := range []string{"", "debounce=2s", "auto-checkpoint=off, poll=on", "poll-interval=1s,heartbeat=1m", "x=y", "=,=,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		s, err := ParseWatchSetting(v)
		if err != nil {
			return
		}
		if s.Debounce < 0 || s.Debounce > maxWatchDebounce || s.PollInterval < MinWatchPollInterval || s.Heartbeat < minWatchHeartbeat {
			t.Fatalf("ParseWatchSetting(%q) = %+v: out of range", v, s)
		}
	})
}
