#!/usr/bin/env bash
# `wf stats` on a long history against `git log -p -- workflow-state.md`,
# which reads the same versions of the same file:
#
#   bench/stats/run.sh [checkpoints] [runs]     (defaults 300 and 20)
#
# Builds wf into $WORK/bin (WORK defaults to /tmp/wf-stats-bench; BASE=PATH
# adds another wf binary to compare, e.g. one built from main), then makes
# $WORK/repo once: `wf init`, then `wf pause`, `wf continue` and
# `wf checkpoint` in a loop until the history holds the given number of
# checkpoints (each pause checkpoints too, so two per turn; the timeline
# grows by two lines a turn). The repository is reused while it holds that
# many; with GC=1 the commands run in a copy packed by git gc (deltas).
# Then hyperfine times the commands alternately: every round runs
# each command RUNS/ROUNDS times, ROUNDS (default 5) times over, so a
# change of load hits all of them alike; medians over all rounds, the
# ratio to git's, and the load before and after.
set -euo pipefail
N=${1:-300}
RUNS=${2:-20}
ROUNDS=${ROUNDS:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-/tmp/wf-stats-bench}
mkdir -p "$WORK/bin"
(cd "$ROOT" && CGO_ENABLED=0 go build -o "$WORK/bin/wf" ./cmd/wf)
WF=$WORK/bin/wf
R=$WORK/repo
count() { (cd "$R" && git log --oneline --grep=Wf-Checkpoint | wc -l); }
if [ -d "$R/.git" ] && [ "$(count)" -ne "$N" ]; then
  echo "$R holds $(count) checkpoints, not $N: making it again"
  rm -rf "$R"
fi
if [ ! -d "$R/.git" ]; then
  rm -rf "$R.tmp"
  mkdir -p "$R.tmp"
  (
    cd "$R.tmp"
    git init -q -b main .
    git config user.name bench
    git config user.email bench@example.com
    "$WF" init --name "Stats bench" >/dev/null
    git add -A
    git commit -q -m base
    i=0
    while [ "$i" -lt "$N" ]; do
      t=$((i / 2 + 1))
      "$WF" pause --reason "break $t" >/dev/null
      i=$((i + 1))
      "$WF" continue --reason "back $t" >/dev/null
      if [ "$i" -lt "$N" ]; then
        "$WF" checkpoint -m "step $t" >/dev/null
        i=$((i + 1))
      fi
    done
  )
  mv "$R.tmp" "$R"
fi
if [ -n "${GC:-}" ]; then
  # The same history packed, as a repository is after git gc: the
  # versions of workflow-state.md become chains of deltas.
  rm -rf "$WORK/repo-gc"
  cp -r "$R" "$WORK/repo-gc"
  (cd "$WORK/repo-gc" && git gc -q)
  R=$WORK/repo-gc
fi
cd "$R"
printf 'repository %s: %s commits, %s checkpoints, workflow-state.md %s bytes, %s versions of it\n' \
  "$(basename "$R")" "$(git rev-list --count HEAD)" "$(count)" "$(wc -c <workflow-state.md)" \
  "$(git rev-list HEAD -- workflow-state.md | wc -l)"
printf '%s, %s CPUs, %s, %s\n' "$(go version | cut -d' ' -f3-)" "$(nproc)" "$(uname -sr)" "$(git --version)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

cmds=("$WF stats" "git log -p -- workflow-state.md")
names=("wf stats" "git log -p")
if [ -n "${BASE:-}" ]; then
  cmds+=("$BASE stats")
  names+=("wf stats (BASE)")
fi
per=$(((RUNS + ROUNDS - 1) / ROUNDS))
for round in $(seq "$ROUNDS"); do
  args=()
  for c in "${cmds[@]}"; do args+=("$c"); done
  hyperfine -N --warmup 1 --runs "$per" --export-json "$WORK/round$round.json" "${args[@]}" >/dev/null
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK" "$ROUNDS" "${names[@]}" <<'PY'
import json, statistics, sys
work, rounds, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
times = [[] for _ in names]
cpu = [[] for _ in names]
for r in range(1, rounds + 1):
    res = json.load(open(f"{work}/round{r}.json"))["results"]
    for i, x in enumerate(res):
        times[i] += x["times"]
        cpu[i].append(x["user"] + x["system"])
git = statistics.median(times[1])
print(f"{'command':<18} {'median ms':>10} {'min ms':>8} {'CPU ms':>8} {'/ git':>7}")
for i, n in enumerate(names):
    m = statistics.median(times[i])
    print(f"{n:<18} {m*1000:>10.1f} {min(times[i])*1000:>8.1f} {statistics.median(cpu[i])*1000:>8.1f} {m/git:>7.2f}")
PY
