package verbs

import (
	"github.com/wf-tool/wf/checkpoint/workspace"
	"github.com/wf-tool/wf/spec"
)

// StateFiles opens the workflow as every command does (completing or
// rolling back an interrupted checkpoint, with a note) and reads both
// state files; the MCP server's wf://workflow-state.md and wf://TODO.md
// resources are [workspace.Snapshot.StateBytes] and
// [workspace.Snapshot.TodoBytes] of what it returns.
func StateFiles(e Env) (*workspace.Workspace, *workspace.Snapshot, error) {
	return e.read()
}

// SpecsDir is the folder that holds the specs: the leader's specs/ (also
// from a sub-agent's linked worktree, as every spec command finds it).
func SpecsDir(e Env) (string, error) {
	lw, err := e.specOpen()
	if err != nil {
		return "", err
	}
	return spec.Dir(lw), nil
}
