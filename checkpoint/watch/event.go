package watch

import "time"

// The events of `wf watch`, the value of [Event].Event (docs/json.md
// documents their fields).
const (
	// EvStart: watching; Mode, Root, Debounce and AutoCheckpoint say how.
	EvStart = "start"
	// EvPoll: polling instead of kernel events; Reason says why.
	EvPoll = "poll"
	// EvLint: a lint error that a save brought (or that was there at
	// start), with File, Line, Message and Hint.
	EvLint = "lint"
	// EvFixed: File has no lint errors any more.
	EvFixed = "fixed"
	// EvTick: Items turned [ ] → [x] in File.
	EvTick = "tick"
	// EvCheckpoint: the auto-checkpoint for Items was made: Checkpoint
	// (its id), Commit, Title and File (the checkpoint file).
	EvCheckpoint = "checkpoint"
	// EvCovered: ticked Items that a checkpoint already recorded (another
	// wf made one and annotated them), so none was made for them.
	EvCovered = "covered"
	// EvCheckpointFile: a checkpoint file that another wf wrote appeared.
	EvCheckpointFile = "checkpoint_file"
	// EvResult: a spec result file (specs/NAME.result.md) appeared.
	EvResult = "result"
	// EvError: something failed (Message, Hint); the watcher goes on.
	EvError = "error"
	// EvStop: the watcher stopped (Reason); Items are ticks that were
	// still waiting for their checkpoint.
	EvStop = "stop"
)

// How the watcher learns of changes (Event.Mode).
const (
	ModeEvents = "events" // the kernel's file system events, through fsnotify
	ModePoll   = "poll"   // reading the files on a timer
)

// Event is one thing `wf watch` reports: one line for people, one JSON
// object per line with --json. Only the fields of its kind are set.
type Event struct {
	Schema int       `json:"schema"`
	Event  string    `json:"event"`
	Time   time.Time `json:"time"`
	// Mode is "events" or "poll" (start, poll).
	Mode string `json:"mode,omitempty"`
	// Reason says why it polls or stopped.
	Reason string `json:"reason,omitempty"`
	// Root is the state root, relative to the working directory (start).
	Root           string `json:"root,omitempty"`
	Debounce       string `json:"debounce,omitempty"`
	AutoCheckpoint bool   `json:"auto_checkpoint,omitempty"`
	// File is relative to the working directory, except a checkpoint's,
	// which is from the git top level as wf checkpoint reports it.
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
	Severity string `json:"severity,omitempty"`
	Message  string `json:"message,omitempty"`
	Hint     string `json:"hint,omitempty"`
	// Items are item texts on one line (tick, checkpoint, covered, stop).
	Items      []string `json:"items,omitempty"`
	Checkpoint string   `json:"checkpoint,omitempty"` // its id
	Commit     string   `json:"commit,omitempty"`
	Title      string   `json:"title,omitempty"`
	// Wait, Kind and Condition name the wait that woke (wake), as wf
	// waits lists it; Reason says why it woke.
	Wait      string `json:"wait,omitempty"`
	Kind      string `json:"kind,omitempty"`
	Condition string `json:"condition,omitempty"`
}
