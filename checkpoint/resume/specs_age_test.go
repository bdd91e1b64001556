package resume

import (
	"testing"
	"time"
)

// TestAge holds the one way the resume context and the spec lists say an
// age.
func TestAge(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "just now"},
		{1999 * time.Millisecond, "just now"},
		{2 * time.Second, "2s ago"},
		{59 * time.Second, "59s ago"},
		{5 * time.Minute, "5m ago"},
		{3*time.Hour + 20*time.Minute, "3h 20m ago"},
		{30 * time.Hour, "30h ago"},
		{50 * time.Hour, "2d ago"},
	} {
		if got := Age(tc.d); got != tc.want {
			t.Errorf("Age(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	if got := age(now, now.Add(-90*time.Second)); got != "1m ago" {
		t.Errorf("age = %q", got)
	}
}
