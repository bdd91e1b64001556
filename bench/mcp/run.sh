#!/usr/bin/env bash
# What tools/list costs an agent's context (issue 18), measured the same
# way for every server by bench/mcp (the Go SDK's CommandTransport, real
# BPE tokenizers): Task Master (npm task-master-ai, its MCP server with
# TASK_MASTER_TOOLS=all, standard and core), Backlog.md (npm backlog.md,
# `backlog mcp start` in an initialised project) and wf mcp (default
# tools and --tools all), skipped with a note while wf has no mcp command.
#
#   bench/mcp/run.sh
#
# The peers come from $PEERS/node_modules (default $WORK/peers), installed
# there with npm when missing (BACKLOG_VERSION and TASKMASTER_VERSION pin
# them; the defaults are the versions in BENCHMARKS.md). Every server runs
# in its own scratch git repository under $WORK with HOME=$WORK/home and
# no telemetry. Prints the date, the versions, and one tab-separated line
# per server (the columns are in bench/mcp/main.go).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-/tmp/wf-mcp-bench}
PEERS=${PEERS:-$WORK/peers}
BACKLOG_VERSION=${BACKLOG_VERSION:-1.52.0}
TASKMASTER_VERSION=${TASKMASTER_VERSION:-0.43.1}
mkdir -p "$WORK/bin" "$WORK/home" "$PEERS"
# Build first, with the caller's HOME (and so Go's module cache).
(cd "$ROOT" && CGO_ENABLED=0 go build -o "$WORK/bin/wf" ./cmd/wf && go build -o "$WORK/bin/mcpbench" ./bench/mcp)
export HOME=$WORK/home GIT_CONFIG_NOSYSTEM=1 TZ=UTC
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export DO_NOT_TRACK=1 NO_UPDATE_NOTIFIER=1 CI=true
BIN=$PEERS/node_modules/.bin
if [ ! -x "$BIN/backlog" ] || [ ! -x "$BIN/task-master-mcp" ]; then
  (cd "$PEERS" && npm install --no-audit --no-fund --loglevel=error \
    "backlog.md@$BACKLOG_VERSION" "task-master-ai@$TASKMASTER_VERSION" >/dev/null)
fi
version() { node -p "require('$PEERS/node_modules/$1/package.json').version"; }
echo "# $(date -u +%Y-%m-%d) wf $(git -C "$ROOT" rev-parse --short HEAD), task-master-ai $(version task-master-ai), backlog.md $(version backlog.md)"

# scratch NAME: a fresh git repository for one server.
scratch() {
  rm -rf "${WORK:?}/$1" && mkdir -p "$WORK/$1" && git -C "$WORK/$1" init -q && echo "$WORK/$1"
}
M=$WORK/bin/mcpbench
logs=$WORK/logs && mkdir -p "$logs"

d=$(scratch taskmaster)
first=-header
for set in all standard core; do
  (cd "$d" && TASK_MASTER_TOOLS=$set "$M" $first -label "Task Master $(version task-master-ai) ($set)" -- "$BIN/task-master-mcp" 2>"$logs/taskmaster-$set.log")
  first=
done

d=$(scratch backlog)
(cd "$d" && "$BIN/backlog" init bench --defaults --integration-mode none </dev/null >"$logs/backlog-init.log" 2>&1)
(cd "$d" && "$M" -label "Backlog.md $(version backlog.md)" -- "$BIN/backlog" mcp start 2>"$logs/backlog.log")

d=$(scratch wf)
if ! "$WORK/bin/wf" mcp --help >/dev/null 2>&1; then
  echo "# wf: this build has no mcp command yet; skipped (re-run after cmd/wf/internal/mcp is merged)"
  exit 0
fi
(cd "$d" && "$WORK/bin/wf" init >/dev/null)
(cd "$d" && "$M" -label "wf mcp" -- "$WORK/bin/wf" mcp 2>"$logs/wf.log")
(cd "$d" && "$M" -label "wf mcp --tools all" -- "$WORK/bin/wf" mcp --tools all 2>"$logs/wf-all.log")
