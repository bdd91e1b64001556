package workspace

import (
	"fmt"
	"strings"
	"time"
)

// WatchSettings are what `wf watch` does when its flags do not say: the
// "watch" setting under "## Settings" in workflow-state.md,
//
//   - watch: debounce=2s, auto-checkpoint=off, poll=on, poll-interval=1s, heartbeat=1m
//
// with the defaults of [DefaultWatchSettings] for what it leaves out.
type WatchSettings struct {
	// Debounce is how long the watcher waits after a tick for more ticks
	// before it makes one checkpoint naming all of them.
	Debounce time.Duration
	// AutoCheckpoint makes a checkpoint when an item turns [ ] → [x].
	AutoCheckpoint bool
	// Poll reads the files every PollInterval instead of asking the
	// kernel for events.
	Poll         bool
	PollInterval time.Duration
	// Heartbeat is how often the watcher records that it is alive.
	Heartbeat time.Duration
}

// DefaultWatchSettings returns the settings of a workflow without a watch
// setting: a 2 s debounce, auto-checkpoint on, kernel events (a 1 s poll
// when polling), a heartbeat a minute.
func DefaultWatchSettings() WatchSettings {
	return WatchSettings{Debounce: 2 * time.Second, AutoCheckpoint: true, PollInterval: time.Second, Heartbeat: time.Minute}
}

// The limits of the durations: a debounce of 0 checkpoints at once; a
// poll faster than 50 ms or a heartbeat more often than every second
// only costs CPU.
const (
	maxWatchDebounce     = time.Hour
	MinWatchPollInterval = 50 * time.Millisecond
	maxWatchPollInterval = time.Hour
	minWatchHeartbeat    = time.Second
	maxWatchHeartbeat    = 24 * time.Hour
)

// ParseWatchSetting reads the value of a watch setting ("debounce=2s,
// auto-checkpoint=off") over the defaults. Keys are debounce,
// auto-checkpoint, poll (on/off, true/false, yes/no), poll-interval and
// heartbeat (Go durations: 500ms, 2s, 1m). An unknown key, a value that
// does not parse or a duration out of its range is an error naming the
// part at fault; an empty value is the defaults.
func ParseWatchSetting(v string) (WatchSettings, error) {
	s := DefaultWatchSettings()
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, val, ok := strings.Cut(part, "=")
		k, val = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(val)
		if !ok || val == "" {
			return s, fmt.Errorf("%q is not key=value", part)
		}
		var err error
		switch k {
		case "debounce":
			s.Debounce, err = watchDuration(val, 0, maxWatchDebounce)
		case "poll-interval":
			s.PollInterval, err = watchDuration(val, MinWatchPollInterval, maxWatchPollInterval)
		case "heartbeat":
			s.Heartbeat, err = watchDuration(val, minWatchHeartbeat, maxWatchHeartbeat)
		case "auto-checkpoint":
			s.AutoCheckpoint, err = onOff(val)
		case "poll":
			s.Poll, err = onOff(val)
		default:
			return s, fmt.Errorf("%q: unknown key %q (known: debounce, auto-checkpoint, poll, poll-interval, heartbeat)", part, k)
		}
		if err != nil {
			return s, fmt.Errorf("%q: %v", part, err)
		}
	}
	return s, nil
}

func watchDuration(v string, min, max time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as 500ms, 2s or 1m", v)
	}
	if d < min || d > max {
		return 0, fmt.Errorf("%s is out of range (%s to %s)", d, min, max)
	}
	return d, nil
}

func onOff(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "on", "true", "yes":
		return true, nil
	case "off", "false", "no":
		return false, nil
	}
	return false, fmt.Errorf("%q is not on or off", v)
}
