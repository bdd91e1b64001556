#!/usr/bin/env bash
# A/B: the same wf commands built from two revisions of this repository,
# run alternately (A B A B …) on the same fixtures, so that the load of the
# machine falls on both alike. For checking that a change does not make wf
# slower.
#
#   bench/ab/run.sh BASE [RUNS]      (RUNS default 15)
#
# A is wf built at BASE (any git revision), B is wf built from the work
# tree. Cases:
#   status, todo-done   the 5,000-item TODO.md of bench/state (done N is
#                       preceded by an untimed undo, so every run writes);
#   resume              the 10,000-commit project of bench/resume (made by
#                       bench/resume/run.sh's generator when missing);
#   checkpoint          10,000 files in 100 folders; each run first
#                       modifies 10 files and adds 2.
# Prints, per case, the median wall time of A and of B, the median of the
# per-pair ratios B/A, and the spread of those ratios (p10–p90): a change
# within that spread is noise.
set -euo pipefail
BASE=${1:?usage: bench/ab/run.sh BASE [RUNS]}
RUNS=${2:-15}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-/tmp/wf-ab-bench}
mkdir -p "$WORK/bin" "$WORK/home"
export GIT_CONFIG_NOSYSTEM=1 HOME=$WORK/home TZ=UTC
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com

# Build A from BASE in a temporary worktree, B from the work tree.
rm -rf "$WORK/base"
git -C "$ROOT" worktree add -q --detach "$WORK/base" "$BASE"
trap 'git -C "$ROOT" worktree remove --force "$WORK/base" 2>/dev/null || true' EXIT
(cd "$WORK/base" && CGO_ENABLED=0 go build -o "$WORK/bin/wf-a" ./cmd/wf)
(cd "$ROOT" && CGO_ENABLED=0 go build -o "$WORK/bin/wf-b" ./cmd/wf && go build -o "$WORK/bin/stategen" ./bench/state/gen &&
  go build -o "$WORK/bin/resumegen" ./bench/resume/gen)
A=$WORK/bin/wf-a
B=$WORK/bin/wf-b
printf 'A: %s (%s)\nB: work tree of %s\n%s, %s CPUs, load %s\n\n' "$BASE" "$(git -C "$ROOT" rev-parse --short "$BASE")" \
  "$(git -C "$ROOT" rev-parse --short HEAD)" "$(go version | cut -d' ' -f3-)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"

now() { date +%s%N; }

# pairs NAME PREP CMD...: RUNS pairs; PREP (a shell snippet, may be ":")
# runs untimed before each timed run; CMD runs with $WF set to A or B.
pairs() {
  local name=$1 prep=$2
  shift 2
  local ta=() tb=() r=()
  for _ in $(seq "$RUNS"); do
    for side in a b; do
      local wf=$A
      [ $side = b ] && wf=$B
      WF=$wf bash -c "$prep" >/dev/null 2>&1
      local t0 t1
      t0=$(now)
      WF=$wf bash -c "$*" >/dev/null 2>&1
      t1=$(now)
      if [ $side = a ]; then ta+=($(((t1 - t0) / 1000))); else tb+=($(((t1 - t0) / 1000))); fi
    done
  done
  for i in "${!ta[@]}"; do r+=("$(awk -v a="${ta[$i]}" -v b="${tb[$i]}" 'BEGIN{printf "%.3f", b/a}')"); done
  local ma mb mr p10 p90
  ma=$(printf '%s\n' "${ta[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]/1000}')
  mb=$(printf '%s\n' "${tb[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]/1000}')
  read -r mr p10 p90 < <(printf '%s\n' "${r[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[int(NR*0.1)+1], a[int(NR*0.9)]}')
  printf '| %-10s | %8.1f ms | %8.1f ms | %s | %s–%s |\n' "$name" "$ma" "$mb" "$mr" "$p10" "$p90"
}

echo "| case       | A median    | B median    | B/A (median of pairs) | B/A p10–p90 |"
echo "|---|---|---|---|---|"

# State files.
S=$WORK/state
if [ ! -f "$S/TODO.md" ]; then
  rm -rf "$S"; mkdir -p "$S"; (cd "$S" && git init -q -b main . && "$WORK/bin/stategen" -items 5000 -decisions 200 .)
fi
cd "$S"
pairs status : '$WF status'
pairs todo-done '$WF todo undo 2500' '$WF todo done 2500'

# Resume on the large project.
R=$WORK/resume
if [ ! -d "$R/.git" ]; then
  "$WORK/bin/resumegen" "$R" >/dev/null
fi
cd "$R"
pairs resume : '$WF resume'

# Checkpoint on 10,000 files.
C=$WORK/ckpt
if [ ! -d "$C/.git" ]; then
  rm -rf "$C"; mkdir -p "$C"; cd "$C"; git init -q -b main; git config gc.auto 0
  for d in $(seq -w 0 99); do
    mkdir -p "d$d"
    for f in $(seq -w 0 99); do echo "file $d/$f" > "d$d/f$f.txt"; done
  done
  "$B" init --phases Build >/dev/null
  "$B" todo add "first item" >/dev/null
  git add -A && git commit -q -m base && git gc -q
fi
cd "$C"
n=0
prep='n=$(cat .git/ab-n 2>/dev/null || echo 0); n=$((n+1)); echo $n > .git/ab-n
for k in 0 1 2 3 4 5 6 7 8 9; do echo "run $n $k" >> d0$k/f00.txt; done
echo new > d50/ab-$n-a.txt; echo new > d51/ab-$n-b.txt'
pairs checkpoint "$prep" '$WF checkpoint -m ab'
