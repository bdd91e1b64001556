#!/usr/bin/env bash
# Where a command's resident memory is when it exits (issue 12): the
# process is held for 1.5 s in exit_group (strace's fault injection), its
# /proc/PID/smaps is read, and the resident kB are summed by kind:
#
#   bench/memory/smaps.sh DIR CMD [ARGS...]
#
#   text     the executable's code (r-xp mappings of CMD's file)
#   rodata   its read-only data (r--p)
#   data     its initialised data (rw-p of the file)
#   anon     anonymous memory: the Go heap, stacks, GC metadata, bss
#   other    other file-backed pages (mapped pack and index files, libc)
#
# and VmHWM (the peak, what /usr/bin/time -v reports as "Maximum
# resident set size"), RssAnon and RssFile from /proc/PID/status. For a
# Go program the heap is never returned to the kernel within a short
# run, so anonymous memory at exit is its peak. Needs strace.
#
# Example: bench/memory/smaps.sh /tmp/wf-real-tf6/wf /tmp/wf-real-tf6/bin/wf resume
#          bench/memory/smaps.sh /tmp/wf-real-tf6/git git status --porcelain
set -euo pipefail
DIR=${1:?usage: smaps.sh DIR CMD [ARGS...]}
shift
# An absolute path, since the command runs in DIR.
CMD=$(command -v "$1") || { echo "smaps.sh: $1: command not found" >&2; exit 2; }
CMD=$(readlink -f "$CMD")
shift
cd "$DIR"
strace -f -qq -o /dev/null -e trace=exit_group -e inject=exit_group:delay_enter=1500000 \
	"$CMD" "$@" >/dev/null 2>&1 &
tracer=$!
pid=""
for _ in $(seq 100); do
	pid=$(pgrep -P "$tracer" || true)
	[ -n "$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$CMD" ] && break
	pid=""
	kill -0 "$tracer" 2>/dev/null || break
	sleep 0.01
done
[ -n "$pid" ] || { echo "smaps.sh: $CMD did not start under strace" >&2; exit 1; }
# Wait until one of its threads is held in exit_group (231 on x86-64,
# 94 on arm64; a Go program calls it from whichever thread runs os.Exit).
held=""
for _ in $(seq 6000); do
	if cut -d' ' -f1 /proc/"$pid"/task/*/syscall 2>/dev/null | grep -qxE '231|94'; then
		held=1
		break
	fi
	[ -d "/proc/$pid" ] || break
	sleep 0.01
done
[ -n "$held" ] || { echo "smaps.sh: $CMD did not reach exit_group while watched" >&2; exit 1; }
awk -v exe="$CMD" '
	/^[0-9a-f]+-[0-9a-f]+ / { perm = $2; file = $6 }
	/^Rss:/ {
		if (file == exe && perm ~ /x/) k = "text"
		else if (file == exe && perm ~ /w/) k = "data"
		else if (file == exe) k = "rodata"
		else if (file == "" || file ~ /^\[/) k = "anon"
		else k = "other"
		kb[k] += $2
	}
	END { printf "text %d kB, rodata %d kB, data %d kB, anon %d kB, other %d kB\n", kb["text"], kb["rodata"], kb["data"], kb["anon"], kb["other"] }
' "/proc/$pid/smaps"
grep -E '^(VmHWM|RssAnon|RssFile):' "/proc/$pid/status" | tr -s ' \t' ' ' | paste -sd ',' -
wait "$tracer" || true
