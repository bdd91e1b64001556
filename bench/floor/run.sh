#!/usr/bin/env bash
# The machine's floors under wf resume (BENCHMARKS.md, "Resume at 40 ms"):
# the cost of a stat call by the ways a walk can make it, and of a page
# fault, measured in C so that nothing of Go's is in them.
#
#   bench/floor/run.sh TOP [BINARY]
#
# TOP is a work tree (its tracked files are statted; run twice and take
# the second, so that the dentries are cached); BINARY a file of at
# least 16 MB for the file-backed faults (default: a wf built here).
set -euo pipefail
TOP=$(cd "${1:?usage: bench/floor/run.sh TOP [BINARY]}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
gcc -O2 -o "$OUT/lstat" "$HERE/lstat.c"
gcc -O2 -o "$OUT/pagefault" "$HERE/pagefault.c"
BIN=${2:-}
if [ -z "$BIN" ]; then
  (cd "$HERE/../.." && go build -o "$OUT/wf" ./cmd/wf)
  BIN=$OUT/wf
fi
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$TOP" && git ls-files) | "$OUT/lstat" "$TOP"
cat "$BIN" > /dev/null # into the page cache
"$OUT/pagefault" "$BIN"
"$OUT/pagefault" "$BIN"
