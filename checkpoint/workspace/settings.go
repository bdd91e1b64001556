package workspace

// The settings under "## Settings" in workflow-state.md that more than one
// package reads, with their defaults and limits (docs/files.md lists them
// all).
const (
	// DefaultResumeBudget is the token budget of `wf resume` when neither
	// --budget nor the resume-budget setting gives one.
	DefaultResumeBudget = 2000
	// MinResumeBudget is the smallest budget wf resume accepts: the
	// shortest first line, the first warning and the closing line fit in
	// it.
	MinResumeBudget = 200
	// DefaultReadLarge is the size in estimated tokens above which wf
	// resume lists a file to read as large (read the parts you need),
	// when the read-large setting gives no other.
	DefaultReadLarge = 2000
)
