#!/usr/bin/env bash
# Compare the full wf binary with the git CLI on the same repository,
# alternating runs.
#
#   bench/checkpoint/compare.sh [runs]     (default 5)
#
# checkpoint: 50,000 tracked files in 500 folders plus a workflow; each run
#   modifies 10 files and adds 2, then records it with
#   "git add -A && git commit -q -m x" or "wf checkpoint -m x" (branch mode:
#   checkpoint file, state files, commit, index). Medians, ratio, peak RSS.
# log: 10,000 commits, 500 with a Wf-Checkpoint trailer;
#   "git log --grep=Wf-Checkpoint --format=%H" vs "wf log".
set -euo pipefail
RUNS=${1:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-/tmp/wf-checkpoint-bench}
mkdir -p "$WORK/home"
(cd "$ROOT" && CGO_ENABLED=0 go build -o "$WORK/wf" ./cmd/wf)
export GIT_CONFIG_NOSYSTEM=1 HOME=$WORK/home TZ=UTC
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
WF=$WORK/wf

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# ---- checkpoint fixture
R=$WORK/repo50k
if [ ! -d "$R/.git" ]; then
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
touchset() { # $1 = run id: modify 10 files, add 2
  for k in 0 1 2 3 4 5 6 7 8 9; do echo "run $1 $k" >> "d$(printf %03d $((k*37 % 500)))/f0$k.txt"; done
  echo "new $1" > "d001/new-$1-a.txt"; echo "new $1" > "d250/new-$1-b.txt"
}
git status --porcelain >/dev/null # settle the index
declare -a G W
for i in $(seq 1 "$RUNS"); do
  for tool in git wf; do
    touchset "$tool$i$RANDOM"
    t0=$(now)
    if [ $tool = git ]; then git add -A && git commit -q -m x; else "$WF" checkpoint -m "run $i" >/dev/null; fi
    t1=$(now)
    [ -z "$(git status --porcelain)" ] || { echo "status not clean after $tool"; exit 1; }
    if [ $tool = git ]; then G+=($(( (t1-t0)/1000 ))); else W+=($(( (t1-t0)/1000 ))); fi
  done
done
gm=$(printf '%s\n' "${G[@]}" | median); wm=$(printf '%s\n' "${W[@]}" | median)
touchset rssgit$RANDOM; grss=$( { /usr/bin/time -f %M git add -A 2>&1 >/dev/null; } | tail -1 ); grss2=$( { /usr/bin/time -f %M git commit -q -m x 2>&1 >/dev/null; } | tail -1 )
touchset rsswf$RANDOM; wrss=$( { /usr/bin/time -f %M "$WF" checkpoint -m rss 2>&1 >/dev/null; } | tail -1 )
git fsck --strict --no-progress >/dev/null 2>&1 || { echo "git fsck failed"; exit 1; }
echo "checkpoint 50k files: git add -A && git commit median ${gm} us; wf checkpoint median ${wm} us; ratio $(awk "BEGIN{printf \"%.2f\", $wm/$gm}")"
echo "checkpoint peak RSS: git add ${grss} KiB, git commit ${grss2} KiB, wf checkpoint ${wrss} KiB"
echo "  git medians: ${G[*]}"; echo "  wf runs: ${W[*]}"

# ---- log fixture
L=$WORK/log10k
if [ ! -d "$L/.git" ]; then
  rm -rf "$L"; mkdir -p "$L"; cd "$L"; git init -q -b main; git config gc.auto 0
  python3 - <<'PY' | git fast-import --quiet
import sys
out = sys.stdout
state = "# Workflow State: bench\n\n**Current phase**: Build\n**Status**: running\n"
for i in range(1, 10001):
    msg = f"commit {i}\n"
    if i % 20 == 0:
        msg = f"checkpoint: step {i}\n\nState saved.\n\nWf-Checkpoint: 20260101-000000-{i:04x}-step-{i}\nWf-Phase: Build\nWf-Status: running\n"
    data = f"content {i}\n"
    out.write(f"commit refs/heads/main\nmark :{i}\ncommitter bench <bench@example.com> {1700000000+i} +0000\n")
    out.write(f"data {len(msg.encode())}\n{msg}\n")
    if i > 1:
        out.write(f"from :{i-1}\n")
    else:
        out.write(f"M 100644 inline workflow-state.md\ndata {len(state)}\n{state}\n")
    out.write(f"M 100644 inline f{i%50}.txt\ndata {len(data)}\n{data}\n")
PY
  git checkout -q main && git gc -q
fi
cd "$L"
[ "$(git log --grep=Wf-Checkpoint --format=%H | wc -l)" = "$("$WF" log --json | grep -c '"commit"')" ] || { echo "log counts differ"; exit 1; }
declare -a GL WL
for i in $(seq 1 "$RUNS"); do
  t0=$(now); git log --grep=Wf-Checkpoint --format=%H >/dev/null; t1=$(now); GL+=($(( (t1-t0)/1000 )))
  t0=$(now); "$WF" log >/dev/null; t1=$(now); WL+=($(( (t1-t0)/1000 )))
done
gl=$(printf '%s\n' "${GL[@]}" | median); wl=$(printf '%s\n' "${WL[@]}" | median)
lrss=$( { /usr/bin/time -f %M "$WF" log 2>&1 >/dev/null; } | tail -1 )
echo "log 10k commits: git log --grep median ${gl} us; wf log median ${wl} us; ratio $(awk "BEGIN{printf \"%.2f\", $wl/$gl}"); wf log peak RSS ${lrss} KiB"
