#!/usr/bin/env bash
# The one test command: every unit test, end-to-end script, corpus round
# trip and crash test, then a short run of each fuzz target
# (WF_FUZZTIME, default 5s each). Prints go test's own summary lines.
set -euo pipefail
cd "$(dirname "$0")/.."
go test -count=1 ./...
fuzz_time=${WF_FUZZTIME:-5s}
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    echo "== fuzz $target ($pkg) for $fuzz_time"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzz_time" "$pkg"
  done
done
