#!/usr/bin/env bash
# wf status and wf todo done on the 525 KB TODO.md with inline code and a
# link on every item (benchdata.TodoRich, issue 12), against one goldmark
# parse of the same file, and against another wf binary:
#
#   BASE=/path/to/old/wf bench/state/compare.sh [runs]     (default 20)
#
# Builds wf (and the file generator) from this tree into $WORK/bin (WORK
# defaults to /tmp/wf-bench-state-rich), writes the files with
# `gen -rich` into a scratch git repository, then times with hyperfine,
# in ROUNDS (default 5) rounds so that a change of the machine's load
# hits both binaries alike: `wf status`, and `wf todo done 2500` each
# after an untimed `wf todo undo 2500`, new binary then BASE (when given)
# in every round. Reports median wall time, median CPU time (user +
# system) and peak RSS (largest of 5 runs, GNU time). Then, in the same
# run, the Go benchmarks: goldmark's full parse of the same bytes
# (BenchmarkGoldmarkRawRich5000), goldmark as wf's outline runs it, wf's
# ParseTodo and its parse + edit + verify, each -count 5, medians of wall
# and CPU time per operation; and the ratios of the whole commands to
# goldmark's parse, in wall time and in CPU time (on a loaded machine the
# wall times of the benchmark and of the processes, measured at other
# moments, are not comparable; CPU times more nearly are).
set -euo pipefail
RUNS=${1:-20}
ROUNDS=${ROUNDS:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-/tmp/wf-bench-state-rich}
ITEM=${ITEM:-2500}
mkdir -p "$WORK/bin" "$WORK/repo"
(cd "$ROOT" && CGO_ENABLED=0 go build -o "$WORK/bin/wf" ./cmd/wf && go build -o "$WORK/bin/gen" ./bench/state/gen)
WF=$WORK/bin/wf
cd "$WORK/repo"
[ -d .git ] || git init -q -b main .
"$WORK/bin/gen" -rich -items 5000 -decisions 200 .
"$WF" todo undo "$ITEM" >/dev/null
printf 'TODO.md: %s bytes, %s lines; workflow-state.md: %s bytes\n' \
  "$(wc -c <TODO.md)" "$(wc -l <TODO.md)" "$(wc -c <workflow-state.md)"
printf '%s, %s CPUs, %s\n' "$(go version | cut -d' ' -f3-)" "$(nproc)" "$(uname -sr)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

bins=("$WF")
names=(new)
if [ -n "${BASE:-}" ]; then
  bins+=("$BASE")
  names+=(base)
fi
per=$(((RUNS + ROUNDS - 1) / ROUNDS))
for round in $(seq "$ROUNDS"); do
  st=() dn=()
  for b in "${bins[@]}"; do
    st+=("$b status")
    dn+=("$b todo done $ITEM")
  done
  hyperfine -N --warmup 2 --runs "$per" --export-json "$WORK/status$round.json" "${st[@]}" >/dev/null
  hyperfine -N --warmup 2 --runs "$per" --prepare "$WF todo undo $ITEM" --export-json "$WORK/done$round.json" "${dn[@]}" >/dev/null
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"

peak() { # CMD...: largest peak RSS (MB) of 5 runs
  local max=0 kb
  for _ in 1 2 3 4 5; do
    "$WF" todo undo "$ITEM" >/dev/null
    kb=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1)
    if [ "$kb" -gt "$max" ]; then max=$kb; fi
  done
  echo "scale=1; $max / 1024" | bc
}
: >"$WORK/peak.txt"
for i in "${!bins[@]}"; do
  echo "${names[$i]} status $(peak ${bins[$i]} status)" >>"$WORK/peak.txt"
  echo "${names[$i]} done $(peak ${bins[$i]} todo done "$ITEM")" >>"$WORK/peak.txt"
done

cd "$ROOT"
go test ./mdstate/ -run '^$' -bench 'GoldmarkRawRich5000|OutlineParserRich5000|ParseTodoRich5000|TodoDoneRich5000' \
  -benchtime "${BENCHTIME:-20x}" -count "${COUNT:-5}" | grep -E '^Benchmark' >"$WORK/gobench.txt"
python3 - "$WORK" "$ROUNDS" "${names[@]}" <<'PY'
import json, re, statistics, sys
work, rounds, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
go, gocpu = {}, {}
for line in open(f"{work}/gobench.txt"):
    f = line.split()
    name = re.sub(r"-\d+$", "", f[0])
    go.setdefault(name, []).append(float(f[2]) / 1e6)
    gocpu.setdefault(name, []).append(float(f[f.index("cpu-ms/op") - 1]))
gm = statistics.median(go["BenchmarkGoldmarkRawRich5000"])
gmc = statistics.median(gocpu["BenchmarkGoldmarkRawRich5000"])
print("\nGo benchmarks (medians of -count runs):")
print(f"  {'benchmark':<36} {'ms/op':>8} {'cpu-ms/op':>10} {'/ goldmark (cpu)':>17}")
for k, v in go.items():
    c = statistics.median(gocpu[k])
    print(f"  {k:<36} {statistics.median(v):8.1f} {c:10.1f} {c/gmc:16.2f}x")
peak = {}
for line in open(f"{work}/peak.txt"):
    n, c, mb = line.split()
    peak[(n, c)] = mb
print(f"\n{'command':<22} {'median ms':>10} {'CPU ms':>8} {'peak MB':>8} {'wall / goldmark':>16} {'CPU / goldmark':>15}")
for cmd in ("status", "done"):
    times = [[] for _ in names]
    cpu = [[] for _ in names]
    for r in range(1, rounds + 1):
        for i, x in enumerate(json.load(open(f"{work}/{cmd}{r}.json"))["results"]):
            times[i] += x["times"]
            cpu[i].append(x["user"] + x["system"])
    for i, n in enumerate(names):
        m, c = statistics.median(times[i]) * 1000, statistics.median(cpu[i]) * 1000
        print(f"{n + ' ' + cmd:<22} {m:>10.1f} {c:>8.1f} {peak[(n, cmd)]:>8} {m/gm:>15.2f}x {c/gmc:>14.2f}x")
PY
