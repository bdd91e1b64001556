#!/usr/bin/env bash
# The one test command: every unit, end-to-end and corpus test, plus a short
# run of each fuzz target. Prints go test's own summary lines.
set -euo pipefail
cd "$(dirname "$0")/.."
go test -count=1 ./... 2>&1 | tee /tmp/wf-test.log
fuzz_time=${WF_FUZZTIME:-5s}
for pkg_target in $(grep -rl --include='*_test.go' '^func Fuzz' . | xargs grep -h -o '^func Fuzz[A-Za-z0-9_]*' /dev/null 2>/dev/null | sort -u | sed 's/^func //'); do
  pkg=$(grep -rl --include='*_test.go' "^func ${pkg_target}(" . | head -n1 | xargs dirname)
  echo "== fuzz ${pkg_target} in ${pkg} for ${fuzz_time}"
  go test -run '^$' -fuzz "^${pkg_target}\$" -fuzztime "$fuzz_time" "$pkg"
done
