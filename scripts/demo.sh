#!/usr/bin/env bash
# Builds wf and runs the README's five-minute tour (between the
# "tour:begin" and "tour:end" markers) on a scratch git repository with
# that binary: init, TODO items, a checkpoint, a simulated crash and
# wf resume, a wait and its approval, a spec delegated to a sub-agent's
# worktree and integrated, recover. Each command is printed ready to copy
# and paste, with the checkpoint ids of this run in place of the
# README's, followed by its output. Leaves the scratch repository for you
# to look at and prints its path. The same tour is checked by
# TestReadmeTour (cmd/wf/readme_test.go).
set -euo pipefail
cd "$(dirname "$0")/.."
CGO_ENABLED=0 go build -o ./wf ./cmd/wf
go run ./internal/tour/demo -wf ./wf -readme README.md
