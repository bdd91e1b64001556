#!/usr/bin/env bash
# Builds wf and runs its main job on a scratch git repository: init, add
# items, work through them with a checkpoint (a file plus a git commit)
# after each, then status, lint, log and show; then an interrupted session
# (work left uncommitted) and the re-entry context a fresh session starts
# from, wf resume. Leaves the scratch repo for you to look at and prints its
# path.
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
printf '# Plan\n\nSQLite, two routes, rate limits at the gateway.\n' > PLAN.md
say "$wf" todo done 1
say "$wf" checkpoint -m "Plan written" --decision "Chose SQLite over Postgres: simpler, enough for our scale" --next "Write the schema"
say "$wf" todo next
mkdir -p db && printf 'CREATE TABLE feedback (id INTEGER PRIMARY KEY, kind TEXT);\n' > db/schema.sql
say "$wf" todo done schema
say "$wf" todo skip "Rate limiting" --reason "the gateway already does it"
say "$wf" todo next
say "$wf" checkpoint -m "Schema done" --summary "feedback table created; API routes next"
say "$wf" todo list
say "$wf" status
say "$wf" lint
say "$wf" log
say "$wf" show latest
say git log --format='%h %s%n%(trailers)' -n 2
say git status --short
# A session starts work on the current item and dies before its checkpoint.
mkdir -p api && printf 'package api\n\nfunc Feedback() {}\n' > api/feedback.go
printf '# Conventions\n\nGo; table tests; no globals.\n' > CLAUDE.md
say "$wf" decide "Feedback kinds are an enum: bug, idea, praise"
# A fresh session, with no memory, starts here:
say "$wf" resume
say "$wf" resume --budget 300
printf '\nThe scratch repository is %s\n' "$scratch"
