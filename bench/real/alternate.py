#!/usr/bin/env python3
"""usage: alternate.py N DIR -- NAME CMD... -- NAME CMD... [-- ...]

Runs the commands N times each in DIR, alternating their order run by run
(A B C, C B A, ...), so that the machine's load falls on all alike, and
prints per command the median wall time and the median CPU time (user +
system, from os.wait4's rusage) with their minimums, and, for every
command after the first, the median over the rounds of its wall time over
the first's in the same round (a ratio that a slow spell of the machine
moves less than the medians). For commands that do
not change the repository (show, resume, status); checkpoints need twin
copies (run.sh). Example (BENCHMARKS.md, issue 12):

  alternate.py 21 REPO -- main /tmp/wf-main show latest -- new wf show latest -- git git show --stat HEAD
"""
import os, statistics, subprocess, sys, time

n, cwd = int(sys.argv[1]), sys.argv[2]
cmds, cur = [], None
for a in sys.argv[3:]:
    if a == "--":
        cur = []
        cmds.append(cur)
    elif cur is None:
        sys.exit(__doc__)
    else:
        cur.append(a)
if not cmds or any(len(c) < 2 for c in cmds):
    sys.exit(__doc__)
res = {c[0]: ([], []) for c in cmds}
for i in range(n):
    for c in (cmds if i % 2 == 0 else cmds[::-1]):
        t0 = time.perf_counter()
        p = subprocess.Popen(c[1:], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        if status != 0:
            sys.exit(f"{' '.join(c[1:])} failed (status {status})")
        res[c[0]][0].append(time.perf_counter() - t0)
        res[c[0]][1].append(ru.ru_utime + ru.ru_stime)
load = " ".join(open("/proc/loadavg").read().split()[:3])
print(f"{n} runs each in {cwd}, load {load}")
for c in cmds:
    w, cpu = res[c[0]]
    ratio = ""
    if c is not cmds[0]:
        w0 = res[cmds[0][0]][0]
        ratio = f"  / {cmds[0][0]} {statistics.median(a / b for a, b in zip(w, w0)):.3f}"
    print(f"{c[0]:12} wall {statistics.median(w)*1000:7.1f} ms (min {min(w)*1000:6.1f})  "
          f"cpu {statistics.median(cpu)*1000:7.1f} ms (min {min(cpu)*1000:6.1f}){ratio}")
