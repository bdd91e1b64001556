#!/usr/bin/env bash
# wf beside two peers on the same 5,000 tasks (issue 12): Backlog.md (npm
# backlog.md, one Markdown file per task) and Task Master (npm
# task-master-ai, one tasks.json). Marking one task done, and listing all
# tasks, against wf todo done and wf todo list on a TODO.md of the same
# 5,000 item texts (bench/state's benchdata.TodoRich).
#
#   bench/peers/run.sh [RUNS]        (RUNS default 5)
#
# Installs the peers with npm into $WORK/peers (BACKLOG_VERSION and
# TASKMASTER_VERSION pin them; defaults are the versions measured in
# BENCHMARKS.md), writes each tool's own files directly (their create
# commands would take hours for 5,000 tasks), commits them in a scratch
# git repository per tool, then alternates the tools run by run. Each
# timed "done" is preceded by an untimed undo, so every run writes. Prints
# median wall time and peak RSS (/usr/bin/time -v) per tool and command.
set -euo pipefail
RUNS=${1:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-/tmp/wf-peers-bench}
BACKLOG_VERSION=${BACKLOG_VERSION:-1.52.0}
TASKMASTER_VERSION=${TASKMASTER_VERSION:-0.43.1}
mkdir -p "$WORK/bin" "$WORK/peers" "$WORK/home"
# Build first, with the caller's HOME (and so Go's module cache).
(cd "$ROOT" && CGO_ENABLED=0 go build -o "$WORK/bin/wf" ./cmd/wf && go build -o "$WORK/bin/gen" ./bench/state/gen)
export HOME=$WORK/home GIT_CONFIG_NOSYSTEM=1 TZ=UTC
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
# No telemetry or update checks from the peers during the runs.
export DO_NOT_TRACK=1 NO_UPDATE_NOTIFIER=1 CI=true
if [ ! -x "$WORK/peers/node_modules/.bin/backlog" ] || [ ! -x "$WORK/peers/node_modules/.bin/task-master" ]; then
  (cd "$WORK/peers" && npm install --no-audit --no-fund --loglevel=error \
    "backlog.md@$BACKLOG_VERSION" "task-master-ai@$TASKMASTER_VERSION" >/dev/null)
fi
exec python3 "$ROOT/bench/peers/peers.py" "$WORK" "$RUNS"
