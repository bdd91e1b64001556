#!/usr/bin/env bash
# wf against the git CLI on a real repository with its real history
# (issue 12, DESIGN §7): twin copies of REPO, the same changes applied to
# both, wf in one and git in the other, run alternately pair by pair.
#
#   bench/real/run.sh REPO [PAIRS]      (PAIRS default 9, at least 9)
#
# REPO is any git repository (bare or not); it is cloned, never changed.
# Cases (each run of a pair first applies the same change to both twins,
# untimed):
#   checkpoint 1+1      1 tracked file modified, 1 file added
#   checkpoint 10+2     10 modified, 2 added
#   checkpoint 100+500  100 modified, 500 more only touched (mtime)
#                       wf checkpoint -m T   vs   git add -A && git commit -qm T
#   log                 wf log   vs   git log --grep=Wf-Checkpoint --format=%H
#   show latest         wf show latest   vs   git show --stat HEAD
#   resume              wf resume   vs   git status --porcelain (the same
#                       work-tree scan for uncommitted changes)
#   resume (git: cache on)  the same, with git's untracked cache
#                       (core.untrackedCache, its counterpart of wf's
#                       folder-listing cache) built and used
#   status              wf alone (no git equivalent), timed
# Prints, per case, the median wall time of each side, the median of the
# per-pair ratios wf/git with their p10–p90 spread, the median of the
# per-pair ratios of CPU time (user + system, /usr/bin/time -v: steadier
# than wall time on a loaded machine), and the peak resident memory (the
# "Maximum resident set size" of /usr/bin/time -v) of each: the largest
# run of each side, and the median of the per-pair ratios.
# Writes the table as Markdown to $WORK/result.md as well, naming the
# repository, its commit and the machine's load.
set -euo pipefail
REPO=${1:?usage: bench/real/run.sh REPO [PAIRS]}
PAIRS=${2:-9}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-/tmp/wf-real-bench}
REPO=$(cd "$REPO" && pwd)
rm -rf "$WORK" && mkdir -p "$WORK/bin" "$WORK/home"
# Build first, with the caller's HOME (and so Go's module cache).
(cd "$ROOT" && CGO_ENABLED=0 go build -o "$WORK/bin/wf" ./cmd/wf)
export GIT_CONFIG_NOSYSTEM=1 HOME=$WORK/home TZ=UTC
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com

# One clone (its own packs, as a user's clone has), then two byte-for-byte
# copies, so both sides start from the same packs, index and stat data.
git clone -q "$REPO" "$WORK/base"
(cd "$WORK/base" && "$WORK/bin/wf" init --name bench >/dev/null &&
  git add -A && git commit -qm "wf init" && git status --porcelain >/dev/null)
cp -a "$WORK/base" "$WORK/wf"
cp -a "$WORK/base" "$WORK/git"
rm -rf "$WORK/base"
exec python3 "$ROOT/bench/real/pairs.py" "$WORK" "$REPO" "$PAIRS"
