package lifecycle

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// heartbeatFile is the heartbeat's name in the worktree's runtime folder
// (never in the work tree, never committed).
const heartbeatFile = "heartbeat"

// DefaultHeartbeatStale is how old the last sign of life may be while the
// status is running before wf resume warns (setting heartbeat-stale).
const DefaultHeartbeatStale = 30 * time.Minute

// Heartbeat records that the session working on w's worktree is alive:
// the time (RFC 3339, UTC) and an optional note, in the runtime folder.
// wf resume warns when the status is running and neither a heartbeat nor
// a checkpoint is newer than the heartbeat-stale setting. It returns the
// time recorded.
func Heartbeat(w *workspace.Workspace, note string) (time.Time, error) {
	return HeartbeatSession(w, note, "")
}

// HeartbeatSession is [Heartbeat] recording the agent session too ("" for
// none), on a third line of the heartbeat file.
func HeartbeatSession(w *workspace.Workspace, note, session string) (time.Time, error) {
	now := w.Now()
	dir := w.RuntimeDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return now, err
	}
	data := fmt.Sprintf("%s\n%s\n", now.UTC().Format(time.RFC3339), workspace.OneLine(note))
	if ValidSession(session) {
		data += "session " + session + "\n"
	}
	path := filepath.Join(dir, heartbeatFile)
	if err := mdstate.WriteFileAtomic(path, []byte(data), nil); err != nil {
		return now, err
	}
	return now, nil
}

// LastHeartbeat returns the time and note of the last heartbeat of w's
// worktree, and false when there is none (or it is unreadable).
func LastHeartbeat(w *workspace.Workspace) (time.Time, string, bool) {
	data, err := os.ReadFile(filepath.Join(w.RuntimeDir(), heartbeatFile))
	if err != nil {
		return time.Time{}, "", false
	}
	first, rest, _ := strings.Cut(string(data), "\n")
	note, _, _ := strings.Cut(rest, "\n")
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(first))
	return t, strings.TrimSpace(note), err == nil
}
