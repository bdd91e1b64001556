#!/usr/bin/env bash
# Start-up cost of wf binaries (issue 12): what every command pays before
# it does its own work.
#
#   bench/startup/run.sh [RUNS] [BIN...]      (RUNS default 201)
#
# With no BIN, builds from the work tree the four variants the lead may
# choose between: the default build, -tags urfave_cli_no_docs (urfave/cli
# without its man-page and Markdown docs, which pull in blackfriday),
# CGO_ENABLED=0 (no libc: package net's cgo DNS resolver is what links it),
# and both. For each binary, `BIN --version`:
#   - wall and CPU time, medians, the binaries and git --version alternated
#     run by run (bench/real/alternate.py);
#   - page faults and peak RSS, means of 20 runs (/usr/bin/time);
#   - RSS at exit split into anonymous memory, the binary's own file pages
#     and shared libraries (/proc/PID/smaps, the process held at exit_group
#     by strace; skipped without strace);
#   - the package inits by origin (inits.py, GODEBUG=inittrace=1).
# Prints the load average before and after.
set -euo pipefail
RUNS=201
if [[ ${1:-} =~ ^[0-9]+$ ]]; then RUNS=$1; shift; fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/startup
WORK=${WORK:-/tmp/wf-startup-bench}
mkdir -p "$WORK"
bins=("$@")
if [ ${#bins[@]} -eq 0 ]; then
  (cd "$ROOT" &&
    go build -o "$WORK/wf-default" ./cmd/wf &&
    go build -tags urfave_cli_no_docs -o "$WORK/wf-nodocs" ./cmd/wf &&
    CGO_ENABLED=0 go build -o "$WORK/wf-nocgo" ./cmd/wf &&
    CGO_ENABLED=0 go build -tags urfave_cli_no_docs -o "$WORK/wf-nocgo-nodocs" ./cmd/wf)
  bins=("$WORK/wf-default" "$WORK/wf-nodocs" "$WORK/wf-nocgo" "$WORK/wf-nocgo-nodocs")
fi
for i in "${!bins[@]}"; do bins[$i]=$(realpath "${bins[$i]}"); done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for b in "${bins[@]}"; do
  libs=$(ldd "$b" 2>&1 | awk '/=>/ {printf "%s ", $1}' || true)
  echo "$(basename "$b"): $(stat -c %s "$b") bytes; links: ${libs:-nothing (static)}"
done

args=()
for b in "${bins[@]}"; do args+=(-- "$(basename "$b")" "$b" --version); done
python3 "$ROOT/bench/real/alternate.py" "$RUNS" /tmp "${args[@]}" -- git git --version

echo "page faults and peak RSS, means of 20 runs (/usr/bin/time):"
for b in "${bins[@]}" "$(command -v git)"; do
  a=(--version)
  for _ in $(seq 20); do /usr/bin/time -f '%R %F %M' "$b" "${a[@]}" 2>&1 >/dev/null | tail -1; done |
    awk -v b="$(basename "$b")" '{mi+=$1; ma+=$2; r+=$3} END {printf "  %-20s %6.0f minor + %.0f major faults, peak RSS %.1f MB\n", b, mi/NR, ma/NR, r/NR/1024}'
done

if command -v strace >/dev/null; then
  echo "RSS at exit (strace holds the process at exit_group):"
  for b in "${bins[@]}"; do
    strace -qq -o /dev/null -e trace=exit_group -e inject=exit_group:delay_enter=1500000 "$b" --version >/dev/null 2>&1 &
    tracer=$!
    pid=
    for _ in $(seq 50); do
      pid=$(pgrep -P "$tracer" || true)
      [ -n "$pid" ] && [ -r "/proc/$pid/smaps" ] && grep -q "^Rss" "/proc/$pid/smaps_rollup" 2>/dev/null && break
      sleep 0.02
    done
    sleep 0.5
    if [ -n "$pid" ]; then
      awk -v f="$b" -v name="$(basename "$b")" '
        /^[0-9a-f]+-[0-9a-f]+ / {cur = $6}
        /^Rss:/ {all += $2; if (cur == f) own += $2; else if (cur ~ /\.so/) libs += $2}
        /^Anonymous:/ {anon += $2}
        END {printf "  %-20s %.1f MB: anonymous %.1f, the binary'"'"'s file pages %.1f, shared libraries %.1f\n", name, all/1024, anon/1024, own/1024, libs/1024}' "/proc/$pid/smaps"
    fi
    wait "$tracer" || true
  done
fi

for b in "${bins[@]}"; do python3 "$HERE/inits.py" 40 "$b"; done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
