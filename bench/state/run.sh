#!/usr/bin/env bash
# Whole-process timings of wf on a 5,000-item TODO.md (about 400 KB) and
# its workflow-state.md, the files of package benchdata:
#
#   bench/state/run.sh [runs]        (default 30)
#
# Builds wf and the file generator, writes the files into a scratch git
# repository, then times `wf status` and `wf todo done N` (each timed run
# of done is preceded by an untimed undo of the same item, so every run
# writes the file). Prints median and p90 wall time and peak RSS of each,
# against the bar: 30 ms, 50 MB. Uses hyperfine when installed, else a
# date +%s%N loop; peak RSS needs GNU time (/usr/bin/time, package "time").
# Then runs the Go benchmarks, so goldmark's own parse time of the same
# bytes sits beside wf's.
set -euo pipefail
RUNS=${1:-30}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/wf-bench-state.XXXXXX")}
ITEM=${ITEM:-2500}
mkdir -p "$WORK/bin" "$WORK/repo"
(cd "$ROOT" && CGO_ENABLED=0 go build -o "$WORK/bin/wf" ./cmd/wf && go build -o "$WORK/bin/gen" ./bench/state/gen)
WF=$WORK/bin/wf
cd "$WORK/repo"
[ -d .git ] || git init -q -b main .
"$WORK/bin/gen" -items 5000 -decisions 200 .
"$WF" todo undo "$ITEM" >/dev/null
printf 'TODO.md: %s bytes, %s lines; workflow-state.md: %s bytes\n' \
  "$(wc -c <TODO.md)" "$(wc -l <TODO.md)" "$(wc -c <workflow-state.md)"
printf '%s, %s CPUs, %s\n\n' "$(go version | cut -d' ' -f3-)" "$(nproc)" "$(uname -sr)"

# stats FILE: median and p90 of the numbers (ms) in FILE.
stats() {
  sort -n "$1" | awk '{a[NR]=$1} END {
    m = (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)
    p = a[int(NR*0.9 + 0.999999)]
    printf "%.1f %.1f\n", m, p }'
}

# time_runs NAME PREPARE CMD: RUNS timed runs of CMD, each after an
# untimed PREPARE (may be ""); the times in ms go to $WORK/NAME.ms.
time_runs() {
  local name=$1 prep=$2 cmd=$3 out=$WORK/$1.ms
  if command -v hyperfine >/dev/null; then
    local args=(-N --warmup 3 --runs "$RUNS" --export-json "$WORK/$name.json")
    if [ -n "$prep" ]; then args+=(--prepare "$prep"); fi
    hyperfine "${args[@]}" "$cmd" >/dev/null
    python3 -c 'import json,sys; [print(t*1000) for t in json.load(open(sys.argv[1]))["results"][0]["times"]]' \
      "$WORK/$name.json" >"$out"
  else
    : >"$out"
    for _ in 1 2 3; do if [ -n "$prep" ]; then $prep >/dev/null; fi; $cmd >/dev/null; done
    for _ in $(seq "$RUNS"); do
      if [ -n "$prep" ]; then $prep >/dev/null; fi
      local s e
      s=$(date +%s%N); $cmd >/dev/null; e=$(date +%s%N)
      echo "scale=3; ($e - $s) / 1000000" | bc >>"$out"
    done
  fi
}

# peak_rss PREPARE CMD: the largest peak RSS (MB) over 5 runs.
peak_rss() {
  local prep=$1 cmd=$2 max=0 kb
  if [ ! -x /usr/bin/time ]; then echo "n/a"; return; fi
  for _ in 1 2 3 4 5; do
    if [ -n "$prep" ]; then $prep >/dev/null; fi
    kb=$(/usr/bin/time -f %M $cmd 2>&1 >/dev/null | tail -1)
    if [ "$kb" -gt "$max" ]; then max=$kb; fi
  done
  echo "scale=1; $max / 1024" | bc
}

printf '%-26s %9s %9s %14s  %s\n' measure "median ms" "p90 ms" "peak RSS MB" "bar"
report() { # NAME LABEL PREPARE CMD
  time_runs "$1" "$3" "$4"
  read -r med p90 < <(stats "$WORK/$1.ms")
  printf '%-26s %9s %9s %14s  %s\n' "$2" "$med" "$p90" "$(peak_rss "$3" "$4")" "30 ms, 50 MB"
}
report status "wf status" "" "$WF status"
report done "wf todo done $ITEM" "$WF todo undo $ITEM" "$WF todo done $ITEM"
report list "wf todo list" "" "$WF todo list"
report help "wf --help (start-up)" "" "$WF --help"

echo
echo "Go benchmarks (in-process; ns/op is one whole command or parse):"
cd "$ROOT"
go test ./mdstate/ -run '^$' -bench 'GoldmarkRaw5000|ParseTodo5000|TodoDone5000|ParseState' -benchtime "${BENCHTIME:-2s}" -count "${COUNT:-1}" |
  grep -E '^Benchmark'
go test ./cmd/wf/ -run '^$' -bench 'Status5000|TodoDone5000' -benchtime "${BENCHTIME:-2s}" -count "${COUNT:-1}" |
  grep -E '^Benchmark'
echo
echo "work folder: $WORK"
