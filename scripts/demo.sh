#!/usr/bin/env bash
# Builds wf and runs its main job on a scratch git repository: init, add
# items, work through them, status and lint. Leaves the scratch repo for you
# to look at and prints its path.
set -euo pipefail
cd "$(dirname "$0")/.."
go build -o ./wf ./cmd/wf
wf="$PWD/wf"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/wf-demo.XXXXXX")
cd "$scratch"
git init -q -b main .
git config user.name "wf demo"
git config user.email "demo@example.invalid"
say() { printf '\n$ %s\n' "$*"; "$@"; }
say "$wf" init --name "Search API" --phases Planning,Implementing,Testing
say "$wf" todo add "Write the plan" --phase Planning
say "$wf" todo add "Database schema" --phase Implementing
say "$wf" todo add "API routes: feedback, suggestions" --phase Implementing
say "$wf" todo add "validate feedback_type" --under "API routes"
say "$wf" todo add "Rate limiting middleware" --phase Implementing
say "$wf" todo add "Integration tests" --phase Testing
say "$wf" todo next
say "$wf" todo done 1
say "$wf" decide "Chose SQLite over Postgres: simpler, enough for our scale"
say "$wf" todo next
say "$wf" todo done schema
say "$wf" todo skip "Rate limiting" --reason "the gateway already does it"
say "$wf" todo next
say "$wf" todo list
say "$wf" status
say "$wf" lint
printf '\n$ cat TODO.md\n'; cat TODO.md
printf '\nThe scratch repository is %s\n' "$scratch"
