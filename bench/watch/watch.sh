#!/usr/bin/env bash
# wf watch on the 50,000-file fixture of bench/checkpoint/compare.sh
# (built here the same way when it is missing):
#
#   bench/watch/watch.sh [idle-seconds] [ticks]     (default 60 and 5)
#
# idle: CPU time (utime+stime from /proc) of an idle wf watch over
#   idle-seconds, with file events and with --poll (1 s), and its memory
#   (VmRSS, VmHWM).
# latency: the time from a save of TODO.md ticking an item (in place,
#   as an editor does) to the auto-checkpoint's event, which wf watch
#   prints after the commit, for --debounce 0s and 2s; each run ticks a
#   new item, median and max of the ticks.
set -euo pipefail
IDLE=${1:-60}
TICKS=${2:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-/tmp/wf-checkpoint-bench}
mkdir -p "$WORK/home"
(cd "$ROOT" && CGO_ENABLED=0 go build -o "$WORK/wf-watch" ./cmd/wf)
export GIT_CONFIG_NOSYSTEM=1 HOME=$WORK/home TZ=UTC
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
WF=$WORK/wf-watch

R=$WORK/repo50k
if [ ! -d "$R/.git" ]; then # the fixture of bench/checkpoint/compare.sh
  rm -rf "$R"; mkdir -p "$R"; cd "$R"; git init -q -b main; git config gc.auto 0
  for d in $(seq -w 0 499); do
    mkdir -p "d$d"
    for f in $(seq -w 0 99); do echo "file $d/$f" > "d$d/f$f.txt"; done
  done
  "$WF" init --phases Build >/dev/null
  "$WF" todo add "first item" >/dev/null
  git add -A && git commit -q -m base && git gc -q
  "$WF" checkpoint -m start >/dev/null
fi
cd "$R"
echo "fixture: $R ($(git ls-files | wc -l) tracked files)"

cpu() { awk '{print $14+$15}' "/proc/$1/stat"; } # clock ticks
mem() { awk '/^VmRSS|^VmHWM/ {printf "%s %.1f MB  ", $1, $2/1024}' "/proc/$1/status"; }

OUT=$(mktemp)
startwatch() { # args: flags; sets PID, waits for the start event
  : > "$OUT"
  "$WF" watch --json "$@" > "$OUT" 2>&1 &
  PID=$!
  until grep -q '"event":"start"' "$OUT"; do sleep 0.05; done
}
stopwatch() { kill -TERM "$PID"; wait "$PID"; }

HZ=$(getconf CLK_TCK)
for mode in events poll; do
  if [ $mode = poll ]; then startwatch --poll; else startwatch; fi
  sleep 1
  c0=$(cpu $PID); sleep "$IDLE"; c1=$(cpu $PID)
  awk -v d=$((c1-c0)) -v hz="$HZ" -v s="$IDLE" -v m=$mode 'BEGIN {printf "idle %-6s %d s: %.3f%% of a core (%d ticks of 1/%d s)  ", m, s, 100*d/hz/s, d, hz}'
  mem $PID; echo
  stopwatch
done

for deb in 0s 2s; do
  startwatch --debounce $deb
  lat=(); det=()
  for i in $(seq 1 "$TICKS"); do
    text="bench item $deb $i $RANDOM"
    "$WF" todo add "$text" >/dev/null
    before=$(grep -c '"event":"checkpoint"' "$OUT" || true)
    # Tick it in place (truncate and write, as editors that keep no
    # backup save); t0 is taken just before the write (python's start-up
    # is not counted: on a loaded machine it takes seconds).
    t0=$(python3 -c '
import sys, time
with open("TODO.md", "r+") as f:
    s = f.read().replace("- [ ] " + sys.argv[1], "- [x] " + sys.argv[1], 1)
    t = time.time_ns()
    f.seek(0); f.write(s); f.truncate()
print(t)
' "$text")
    until [ "$(grep -c '"event":"checkpoint"' "$OUT" || true)" -gt "$before" ]; do sleep 0.01; done
    evtime() { grep "\"event\":\"$1\"" "$OUT" | tail -1 | sed 's/.*"time":"\([^"]*\)".*/\1/' | xargs -I{} date -d {} +%s%N; }
    t1=$(evtime tick); t2=$(evtime checkpoint)
    lat+=($(( (t2 - t0) / 1000000 )))
    det+=($(( (t1 - t0) / 1000000 )))
  done
  # A wf checkpoint of the same kind by hand, for comparison on this
  # machine now.
  "$WF" todo add "bench by hand $deb $RANDOM" >/dev/null
  h0=$(date +%s%N); "$WF" checkpoint -m "by hand" >/dev/null; h1=$(date +%s%N)
  stat() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "median %d ms, max %d ms", a[int((NR+1)/2)], a[NR]}'; }
  echo "debounce $deb, $TICKS ticks: save -> tick event $(stat "${det[@]}"); save -> checkpoint event $(stat "${lat[@]}"); wf checkpoint by hand $(( (h1-h0)/1000000 )) ms"
  stopwatch
done
grep -c '"event":"error"' "$OUT" >/dev/null && { echo "errors:"; grep '"event":"error"' "$OUT"; } || true
rm -f "$OUT"
