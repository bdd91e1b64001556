#!/usr/bin/env bash
# Whole-process timings and output size of `wf resume` on a large project:
# TODO.md of 5,000 items, 500 checkpoints among 10,000 commits, 500
# decisions, two tracked files changed since the last checkpoint (the
# fixture of bench/resume/gen).
#
#   bench/resume/run.sh [runs]        (default 20)
#
# Builds wf and the helpers into $WORK/bin (WORK defaults to
# /tmp/wf-resume-bench), generates the fixture into $WORK/repo once (it is
# reused while neither it nor the generator changed), then
# reports for `wf resume`, `wf resume --json` and `wf status`: median and
# p90 wall time and the peak RSS (largest of 5 runs), against the bar:
# 50 ms, 50 MB. Then the size of the default output (bytes, and tokens as
# `wf resume --json` reports them in "tokens") beside the naive approach:
# concatenating workflow-state.md, TODO.md, the latest checkpoint file and
# CLAUDE.md / AGENTS.md when present (tokens by checkpoint.EstimateTokens,
# bench/resume/tokens). Bar: at most 2,000 tokens.
#
# Uses hyperfine when installed, else a date +%s%N loop; peak RSS needs
# GNU time (/usr/bin/time, package "time"; GNU_TIME names another); jq or
# python3 read the JSON.
# RESUME="show latest" times another command in place of `resume`.
set -euo pipefail
RUNS=${1:-20}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-/tmp/wf-resume-bench}
RESUME=${RESUME:-resume}
GNU_TIME=${GNU_TIME:-/usr/bin/time}
mkdir -p "$WORK/bin"
(cd "$ROOT" && CGO_ENABLED=0 go build -o "$WORK/bin/wf" ./cmd/wf && go build -o "$WORK/bin/gen" ./bench/resume/gen &&
  go build -o "$WORK/bin/tokens" ./bench/resume/tokens)
WF=$WORK/bin/wf
R=$WORK/repo
# The fixture is made again when the generator changed or the repository
# did (HEAD or the work tree) since it was made.
gen_sig=$(cd "$ROOT" && cat bench/resume/gen/main.go bench/state/benchdata/benchdata.go | sha256sum | cut -c1-16)
repo_sig() { (cd "$R" && { git rev-parse HEAD; git status --porcelain; git diff; } | sha256sum | cut -c1-16); }
if [ -d "$R/.git" ] && [ "$(cat "$WORK/repo.sig" 2>/dev/null)" != "$gen_sig $(repo_sig)" ]; then
  echo "$R was made by another version of the generator or changed since: making it again"
  rm -rf "$R"
fi
if [ ! -d "$R/.git" ]; then
  rm -rf "$R.tmp"
  "$WORK/bin/gen" "$R.tmp"
  mv "$R.tmp" "$R"
  echo "$gen_sig $(repo_sig)" >"$WORK/repo.sig"
fi
cd "$R"
printf 'fixture %s: %s commits, %s checkpoints; TODO.md %s bytes, workflow-state.md %s bytes; %s\n' \
  "$R" "$(git rev-list --count HEAD)" "$(git log --grep=Wf-Checkpoint --format=%H | wc -l)" \
  "$(wc -c <TODO.md)" "$(wc -c <workflow-state.md)" "$(git status --porcelain | wc -l) files modified"
printf '%s, %s CPUs, %s, load %s\n\n' "$(go version | cut -d' ' -f3-)" "$(nproc)" "$(uname -sr)" "$(cut -d' ' -f1-3 /proc/loadavg)"

# $RESUME is split into words on purpose (RESUME="show latest").
# shellcheck disable=SC2086
if ! "$WF" $RESUME >"$WORK/resume.txt" 2>"$WORK/resume.err"; then
  echo "wf $RESUME failed:" >&2
  cat "$WORK/resume.err" >&2
  echo "(does wf have the command yet? RESUME=\"show latest\" $0 tries the script with another one)" >&2
  exit 1
fi
# shellcheck disable=SC2086
"$WF" $RESUME --json >"$WORK/resume.json"

# json_num FILE EXPR: a number from a JSON file (EXPR in jq syntax, a
# plain .a.b path, so python3 can follow it too); empty when absent.
json_num() {
  if command -v jq >/dev/null; then
    jq -r "$2 // empty" "$1"
  elif command -v python3 >/dev/null; then
    python3 - "$1" "$2" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].strip(".").split("."):
    v = v.get(k) if isinstance(v, dict) else None
print("" if v is None else v)
PY
  fi
}

# stats FILE: median and p90 of the numbers (ms) in FILE.
stats() {
  sort -n "$1" | awk '{a[NR]=$1} END {
    m = (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)
    p = a[int(NR*0.9 + 0.999999)]
    printf "%.1f %.1f\n", m, p }'
}

# time_runs NAME CMD: RUNS timed runs of CMD (after 3 warm-up runs); the
# times in ms go to $WORK/NAME.ms.
time_runs() {
  local name=$1 cmd=$2 out=$WORK/$1.ms
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$WORK/hyperfine-$name.json" "$cmd" >/dev/null
    if command -v jq >/dev/null; then
      jq -r '.results[0].times[] * 1000' "$WORK/hyperfine-$name.json" >"$out"
    else
      python3 -c 'import json,sys; [print(t*1000) for t in json.load(open(sys.argv[1]))["results"][0]["times"]]' \
        "$WORK/hyperfine-$name.json" >"$out"
    fi
  else
    : >"$out"
    for _ in 1 2 3; do $cmd >/dev/null; done
    for _ in $(seq "$RUNS"); do
      local s e
      s=$(date +%s%N)
      $cmd >/dev/null
      e=$(date +%s%N)
      echo "scale=3; ($e - $s) / 1000000" | bc >>"$out"
    done
  fi
}

# peak_rss CMD: the largest peak RSS (MB) over 5 runs.
peak_rss() {
  local cmd=$1 max=0 kb
  if [ ! -x "$GNU_TIME" ]; then
    echo "n/a"
    return
  fi
  for _ in 1 2 3 4 5; do
    kb=$("$GNU_TIME" -f %M $cmd 2>&1 >/dev/null | tail -1)
    if [ "$kb" -gt "$max" ]; then max=$kb; fi
  done
  echo "scale=1; $max / 1024" | bc
}

if ! command -v hyperfine >/dev/null; then
  echo "(hyperfine is not installed: timing with a date +%s%N loop; apt-get install -y hyperfine for better figures)"
fi
if [ ! -x "$GNU_TIME" ]; then
  echo "($GNU_TIME is missing: no peak RSS; install GNU time: apt-get install -y time)"
fi
printf '%-22s %9s %9s %14s  %s\n' measure "median ms" "p90 ms" "peak RSS MB" "bar"
report() { # NAME LABEL CMD BAR
  time_runs "$1" "$3"
  read -r med p90 < <(stats "$WORK/$1.ms")
  rss=$(peak_rss "$3")
  verdict=""
  if [ -n "$4" ]; then
    verdict="50 ms, 50 MB: "
    if awk -v m="$med" -v r="$rss" 'BEGIN { exit !(m < 50 && (r == "n/a" || r < 50)) }'; then
      verdict+="met"
    else
      verdict+="NOT met"
    fi
    if [ "$rss" = "n/a" ]; then verdict+=" (time only)"; fi
  fi
  printf '%-22s %9s %9s %14s  %s\n' "$2" "$med" "$p90" "$rss" "$verdict"
}
report resume "wf $RESUME" "$WF $RESUME" bar
report resume-json "wf $RESUME --json" "$WF $RESUME --json" ""
report status "wf status" "$WF status" ""

# Output size: wf resume's default output against the naive approach.
echo
out_bytes=$(wc -c <"$WORK/resume.txt")
out_est=$("$WORK/bin/tokens" <"$WORK/resume.txt")
out_tok=$(json_num "$WORK/resume.json" .tokens || true)
note=""
if [ -z "$out_tok" ]; then
  out_tok=$out_est
  note=" (no \"tokens\" in the JSON output: EstimateTokens of the text)"
elif [ "$out_tok" != "$out_est" ]; then
  note=" (EstimateTokens of the printed text: $out_est)"
fi
tok_verdict="NOT met"
if [ "$out_tok" -le 2000 ]; then tok_verdict="met"; fi

latest=$(sed -n 's/^\*\*Last checkpoint\*\*:.*(\([^()]*\))[[:space:]]*$/\1/p' workflow-state.md | head -1)
if [ -z "$latest" ] || [ ! -f "checkpoints/$latest.md" ]; then
  latest=$(ls checkpoints | sort | tail -1)
  latest=${latest%.md}
fi
naive=(workflow-state.md TODO.md "checkpoints/$latest.md")
for f in CLAUDE.md AGENTS.md; do
  if [ -f "$f" ]; then naive+=("$f"); fi
done
cat "${naive[@]}" >"$WORK/naive.txt"
naive_bytes=$(wc -c <"$WORK/naive.txt")
naive_tok=$("$WORK/bin/tokens" <"$WORK/naive.txt")

printf '%10s %10s  %s\n' bytes tokens output
printf '%10s %10s  %s\n' "$out_bytes" "$out_tok" "wf $RESUME (default output); bar 2,000 tokens: $tok_verdict$note"
printf '%10s %10s  %s\n' "$naive_bytes" "$naive_tok" "naive: the files below concatenated ($(awk -v a="$naive_tok" -v b="$out_tok" \
  'BEGIN { if (b > 0) printf "%.0fx", a / b; else printf "n/a" }') the tokens)"
for f in "${naive[@]}"; do
  printf '%10s %10s    %s\n' "$(wc -c <"$f")" "$("$WORK/bin/tokens" <"$f")" "$f"
done
echo
echo "outputs: $WORK/resume.txt, $WORK/resume.json, $WORK/naive.txt"
