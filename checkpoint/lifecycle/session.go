package lifecycle

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/mdstate"
)

// Sessions (seed 001, "agent session IDs"): the id of the agent session
// working on a worktree, from WF_SESSION or from the input a Claude Code
// hook gets on stdin ({"session_id": "…", …}; hooks reference,
// https://code.claude.com/docs/en/hooks). wf keeps the last one seen in
// the runtime folder; checkpoints (a Wf-Session trailer) and heartbeats
// record it, and wf resume names it so the host's own resume
// (`claude --resume ID`) can be offered.

// sessionFile, in the runtime folder, holds "<id>\n<source>\n<RFC 3339>".
const sessionFile = "session"

// ValidSession reports whether id can be recorded: letters, digits and
// ". _ : -", at most 128 (a UUID fits; nothing a trailer or a shell would
// misread does).
func ValidSession(id string) bool { return validSessionID(id) }

// SessionFromHookInput returns the session_id of a hook's JSON input, ""
// when it has none (or it is not JSON, or not a valid id).
func SessionFromHookInput(data []byte) string {
	var in struct {
		SessionID string `json:"session_id"`
	}
	if json.Unmarshal(data, &in) != nil || !ValidSession(in.SessionID) {
		return ""
	}
	return in.SessionID
}

// Session is a recorded agent session.
type Session struct {
	ID     string    `json:"id"`
	Source string    `json:"source"` // WF_SESSION, claude-hook
	Time   time.Time `json:"time"`
}

// RecordSession keeps id as the session working on w's worktree. A cache
// of what was seen: an invalid id is ignored and a write failure only
// loses the name.
func RecordSession(w *workspace.Workspace, id, source string) {
	if !ValidSession(id) {
		return
	}
	if cur, ok := LastSession(w); ok && cur.ID == id && cur.Source == source {
		return
	}
	if os.MkdirAll(w.RuntimeDir(), 0o755) != nil {
		return
	}
	data := id + "\n" + source + "\n" + w.Now().UTC().Format(time.RFC3339) + "\n"
	_ = mdstate.WriteFileAtomic(filepath.Join(w.RuntimeDir(), sessionFile), []byte(data), nil)
}

// LastSession returns the last session recorded in w's worktree.
func LastSession(w *workspace.Workspace) (Session, bool) {
	data, err := os.ReadFile(filepath.Join(w.RuntimeDir(), sessionFile))
	if err != nil {
		return Session{}, false
	}
	parts := strings.SplitN(string(data), "\n", 4)
	if len(parts) < 3 || !ValidSession(parts[0]) {
		return Session{}, false
	}
	t, _ := time.Parse(time.RFC3339, parts[2])
	return Session{ID: parts[0], Source: parts[1], Time: t}, true
}

// CurrentSession is the session to record with a checkpoint or a
// heartbeat: env (WF_SESSION) when set and valid (and then recorded),
// else the last one a hook recorded; "" when none is known.
func CurrentSession(w *workspace.Workspace, env string) string {
	env = strings.TrimSpace(env)
	if ValidSession(env) {
		RecordSession(w, env, "WF_SESSION")
		return env
	}
	if s, ok := LastSession(w); ok {
		return s.ID
	}
	return ""
}
