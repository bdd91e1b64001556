#!/usr/bin/env bash
# Compare gitcp with the git CLI on the same repository, alternating runs.
#
#   bench/gitcp/compare.sh [runs] [all|commit|log]   (default 9 all)
#
# commit: 50,000 tracked files in 500 folders; each run modifies 10 files and
#         adds 2, then commits with "git add -A && git commit -q -m x" or with
#         the gitcp driver (branch mode). Prints medians, ratio, peak RSS.
# log:    10,000 commits, 500 with a Wf-Checkpoint trailer;
#         "git log --grep=Wf-Checkpoint --format=%H" vs the driver's "log"
#         (process wall time for both), on three copies of one history:
#           log10k         after "git gc" (one pack + commit-graph, git's
#                          default: gc.writeCommitGraph=true)
#           log10k-nograph the same pack, commit-graph removed
#           log10k-loose   loose objects only (git unpack-objects)
#         Also prints the median user+system CPU time of each side and the
#         process floor ("driver noop": start + Discover; "git rev-parse HEAD").
set -euo pipefail
RUNS=${1:-9}
MODE=${2:-all}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-/tmp/gitcp-bench}
mkdir -p "$WORK/home"
(cd "$ROOT" && go build -o "$WORK/driver" ./bench/gitcp/driver)
export GIT_CONFIG_NOSYSTEM=1 HOME=$WORK/home
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
DRIVER=$WORK/driver

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; } # KiB

if [ "$MODE" = all ] || [ "$MODE" = commit ]; then
# ---- commit fixture
R=$WORK/repo50k
if [ ! -d "$R/.git" ]; then
  rm -rf "$R"; mkdir -p "$R"; cd "$R"; git init -q -b main; git config gc.auto 0
  for d in $(seq -w 0 499); do
    mkdir -p "d$d"
    for f in $(seq -w 0 99); do echo "file $d/$f" > "d$d/f$f.txt"; done
  done
  git add -A && git commit -q -m base && git gc -q
fi
cd "$R"
touchset() { # $1 = run id: modify 10 files, add 2
  for k in 0 1 2 3 4 5 6 7 8 9; do echo "run $1 $k" >> "d$(printf %03d $((k*37 % 500)))/f0$k.txt"; done
  echo "new $1" > "d001/new-$1-a.txt"; echo "new $1" > "d250/new-$1-b.txt"
}
git status --porcelain >/dev/null # settle the index
declare -a G W
for i in $(seq 1 "$RUNS"); do
  for tool in git wf; do
    touchset "$tool$i"
    t0=$(now)
    if [ $tool = git ]; then git add -A && git commit -q -m x; else "$DRIVER"; fi
    t1=$(now)
    [ -z "$(git status --porcelain)" ] || { echo "status not clean after $tool"; exit 1; }
    if [ $tool = git ]; then G+=($(( (t1-t0)/1000 ))); else W+=($(( (t1-t0)/1000 ))); fi
  done
done
gm=$(printf '%s\n' "${G[@]}" | median); wm=$(printf '%s\n' "${W[@]}" | median)
touchset rssgit; grss=$( { /usr/bin/time -f %M git add -A 2>&1 >/dev/null; } | tail -1 ); grss2=$( { /usr/bin/time -f %M git commit -q -m x 2>&1 >/dev/null; } | tail -1 )
touchset rsswf; wrss=$( { /usr/bin/time -f %M "$DRIVER" 2>&1 >/dev/null; } | tail -1 )
echo "commit 50k files: git add -A && git commit median ${gm} us; gitcp median ${wm} us; ratio $(awk "BEGIN{printf \"%.2f\", $wm/$gm}")"
echo "commit peak RSS: git add ${grss} KiB, git commit ${grss2} KiB, gitcp ${wrss} KiB"

fi

# ---- log fixtures
[ "$MODE" = all ] || [ "$MODE" = log ] || exit 0
L=$WORK/log10k
if [ ! -d "$L/.git" ]; then
  rm -rf "$L"; mkdir -p "$L"; cd "$L"; git init -q -b main; git config gc.auto 0
  python3 - <<'PY' | git fast-import --quiet
import sys
out = sys.stdout
for i in range(1, 10001):
    msg = f"commit {i}\n"
    if i % 20 == 0:
        msg = f"Checkpoint {i}\n\nState saved.\n\nWf-Checkpoint: cp-{i}\nWf-Phase: Implementing\nWf-Status: running\n"
    data = f"content {i}\n"
    out.write(f"commit refs/heads/main\nmark :{i}\ncommitter bench <bench@example.com> {1700000000+i} +0000\n")
    out.write(f"data {len(msg.encode())}\n{msg}\n")
    if i > 1:
        out.write(f"from :{i-1}\n")
    out.write(f"M 100644 inline f{i%50}.txt\ndata {len(data)}\n{data}\n")
PY
  git checkout -q main && git gc -q
fi
if [ ! -d "$L-nograph/.git" ]; then
  rm -rf "$L-nograph"; cp -a "$L" "$L-nograph"; rm -f "$L-nograph"/.git/objects/info/commit-graph
fi
if [ ! -d "$L-loose/.git" ]; then
  rm -rf "$L-loose"; mkdir -p "$L-loose"; cd "$L-loose"; git init -q -b main; git config gc.auto 0
  git unpack-objects -q < "$(ls "$L"/.git/objects/pack/pack-*.pack)"
  git update-ref refs/heads/main "$(git -C "$L" rev-parse main)"
  [ -z "$(ls .git/objects/pack)" ] && [ ! -e .git/objects/info/commit-graph ]
fi
cpu() { # CPU time (user+system, all threads) in us: perf's task-clock, else /usr/bin/time (10 ms steps)
  if perf stat -x, -e task-clock true >/dev/null 2>&1; then
    perf stat -x, -e task-clock "$@" 2>&1 >/dev/null | awk -F, '/task-clock/{printf "%d\n", $1*1000}'
  else
    /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%d\n", ($1+$2)*1000000}'
  fi
}
for R in "$L" "$L-nograph" "$L-loose"; do
  cd "$R"
  [ "$(git log --grep=Wf-Checkpoint --format=%H)" = "$("$DRIVER" log)" ] || { echo "log output differs in $R"; exit 1; }
  GL=(); WL=(); GC=(); WC=()
  for i in $(seq 1 "$RUNS"); do
    t0=$(now); git log --grep=Wf-Checkpoint --format=%H >/dev/null; t1=$(now); GL+=($(( (t1-t0)/1000 )))
    t0=$(now); "$DRIVER" log >/dev/null; t1=$(now); WL+=($(( (t1-t0)/1000 )))
    GC+=($(cpu git log --grep=Wf-Checkpoint --format=%H)); WC+=($(cpu "$DRIVER" log))
  done
  gl=$(printf '%s\n' "${GL[@]}" | median); wl=$(printf '%s\n' "${WL[@]}" | median)
  gc=$(printf '%s\n' "${GC[@]}" | median); wc=$(printf '%s\n' "${WC[@]}" | median)
  lrss=$( { /usr/bin/time -f %M "$DRIVER" log 2>&1 >/dev/null; } | tail -1 )
  grss=$( { /usr/bin/time -f %M git log --grep=Wf-Checkpoint --format=%H 2>&1 >/dev/null; } | tail -1 )
  echo "log $(basename "$R"): git log --grep median ${gl} us (cpu ${gc} us); gitcp median ${wl} us (cpu ${wc} us); ratio $(awk "BEGIN{printf \"%.2f\", $wl/$gl}"); peak RSS git ${grss} KiB, gitcp ${lrss} KiB"
done
cd "$L"
GN=(); WN=()
for i in $(seq 1 "$RUNS"); do
  t0=$(now); git rev-parse HEAD >/dev/null; t1=$(now); GN+=($(( (t1-t0)/1000 )))
  t0=$(now); "$DRIVER" noop; t1=$(now); WN+=($(( (t1-t0)/1000 )))
done
echo "process floor: git rev-parse HEAD median $(printf '%s\n' "${GN[@]}" | median) us; driver noop median $(printf '%s\n' "${WN[@]}" | median) us"
