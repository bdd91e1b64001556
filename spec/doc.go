// Package spec owns spec-driven delegation to sub-agents: the spec file
// (specs/NAME.md) and its result file (specs/NAME.result.md), their
// parsing and validation, the scope checks between specs, the brief a
// sub-agent is given, and the record of a delegation.
//
// The method comes from seed 002 ("Sub-Agent Delegation for Parallel
// Execution", "Spec file structure", "Collecting and Integrating
// Results", "Conflict Resolution Between Sub-Agents", "Failure
// Recovery"): a leader splits work into scoped specs, each sub-agent reads
// only the files its spec lists and changes only the files it declares,
// and returns a short structured result instead of its whole trace. The
// sections are DESIGN.md §3.4's.
//
// # The spec file
//
//	# Spec: NAME
//
//	**Status**: draft
//	**Item**: 3 (Rate limiting middleware)
//	**Created**: 2026-02-22 09:00 +00:00
//
//	## Goal
//	## Files to Read
//	## Files to Modify
//	## Requirements
//	## Constraints
//	## Deliverable
//
// The metadata lines before the first section are "**Key**: value" lines
// (keys match case-insensitively, as in workflow-state.md): Status (one of
// [Statuses]), Item (the TODO item it delivers: its number, then its text
// in parentheses), Created, Agent, Delegated (time), Commit (HEAD when it
// was delegated), Branch and Worktree (with --worktree), Redo (why it was
// re-opened). Files to Read and Files to Modify are lists of paths from the
// git top level, a path optionally in backticks and optionally followed by
// "(new)" for a file the sub-agent creates. A section whose whole text is
// one parenthesised placeholder, as the template writes it, is empty.
//
// # The result file
//
//	# Result: NAME
//	## Status        complete | partial | failed, optionally "bucket: NAME"
//	## Changes       - path (+added -deleted) what changed
//	## Decisions     - … or (none)
//	## Tests needed  - … or (none)
//	## Issues        - … or (none)
//
// [ParseResult] refuses a result that lacks a section or has an unknown
// status, naming the file, the line and the fix.
//
// The package reads with mdstate/sections (which only locates) and edits
// the metadata lines by splicing bytes; it talks to git only through
// gitcp, and never prints.
package spec
