#!/usr/bin/env bash
# wf checkpoint against git add -A && git commit with an LFS-style clean
# filter on 100 files (issue 9): each run rewrites the 100 filtered files
# (64 KiB of random bytes each), so both sides run the filter 100 times
# and commit 100 pointers.
#
#   bench/attributes/run.sh [runs]     (default 10; needs hyperfine)
#
# The clean filter is the sh stand-in for git-lfs the differential test
# uses: the content is replaced by a pointer with its SHA-256 and size.
set -euo pipefail
RUNS=${1:-10}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-/tmp/wf-attributes-bench}
mkdir -p "$WORK/home"
(cd "$ROOT" && CGO_ENABLED=0 go build -o "$WORK/wf" ./cmd/wf)
export GIT_CONFIG_NOSYSTEM=1 HOME=$WORK/home TZ=UTC
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
WF=$WORK/wf

R=$WORK/lfs100
rm -rf "$R"; mkdir -p "$R"; cd "$R"
git init -q -b main; git config gc.auto 0
git config filter.lfs.clean 'f=$(mktemp) && cat >"$f" && printf "version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %s\n" "$(sha256sum <"$f" | cut -d" " -f1)" "$(wc -c <"$f" | tr -d " ")" && rm -f "$f"'
git config filter.lfs.smudge cat
git config filter.lfs.required true
echo '*.bin filter=lfs diff=lfs merge=lfs -text' > .gitattributes
mkdir -p assets src
for i in $(seq -w 1 200); do echo "package p$i" > "src/f$i.go"; done
"$WF" init --phases Build >/dev/null
cat > "$WORK/rewrite.sh" <<'SH'
#!/usr/bin/env bash
# rewrite the 100 filtered files with new random content
for i in $(seq -w 1 100); do head -c 65536 /dev/urandom > "assets/a$i.bin"; done
SH
chmod +x "$WORK/rewrite.sh"
"$WORK/rewrite.sh"
git add -A && git commit -q -m base

hyperfine --warmup 1 --runs "$RUNS" --export-markdown "$WORK/result.md" \
  --prepare "$WORK/rewrite.sh" \
  -n 'git add -A && git commit' 'git add -A && git commit -q -m x' \
  -n 'wf checkpoint' "$WF checkpoint -m x"
# Both sides stored pointers, and git sees a clean tree after wf.
"$WORK/rewrite.sh"; "$WF" checkpoint -m check >/dev/null
git cat-file -p HEAD:assets/a001.bin | grep -q '^oid sha256:' || { echo "wf did not store a pointer"; exit 1; }
[ -z "$(git status --porcelain)" ] || { echo "git status not clean after wf"; exit 1; }
git fsck --strict --no-progress >/dev/null
cat "$WORK/result.md"
