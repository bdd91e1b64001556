package checkpoint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wf-tool/wf/mdstate"
)

// heartbeatFile is the heartbeat's name in the worktree's runtime folder
// (never in the work tree, never committed).
const heartbeatFile = "heartbeat"

// Heartbeat records that the session working on this worktree is alive:
// the time (RFC 3339, UTC) and an optional note. wf resume warns when the status is running and neither
// a heartbeat nor a checkpoint is newer than the heartbeat-stale setting.
func (w *Workspace) Heartbeat(note string) (time.Time, error) {
	now := w.Now()
	dir := w.lockDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return now, err
	}
	data := fmt.Sprintf("%s\n%s\n", now.UTC().Format(time.RFC3339), oneLineText(note))
	path := filepath.Join(dir, heartbeatFile)
	if err := mdstate.WriteFileAtomic(path, []byte(data), nil); err != nil {
		return now, err
	}
	return now, nil
}

// LastHeartbeat returns the time and note of the last heartbeat, if any.
func (w *Workspace) LastHeartbeat() (time.Time, string, bool) {
	data, err := os.ReadFile(filepath.Join(w.lockDir(), heartbeatFile))
	if err != nil {
		return time.Time{}, "", false
	}
	first, rest, _ := strings.Cut(string(data), "\n")
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(first))
	return t, strings.TrimSpace(rest), err == nil
}
