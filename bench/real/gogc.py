#!/usr/bin/env python3
"""usage: gogc.py TWIN WF VARIANTS RUNS

Peak memory and time of `wf checkpoint` 100+500 (100 modified files, 500
more only touched) under several GOGC settings, alternated run by run, in
TWIN: the wf twin that bench/real/run.sh leaves in $WORK/wf (its HOME is
$WORK/home). VARIANTS is a comma-separated list of GOGC values, "default"
for none, e.g. default,50,75. Prints the median wall time, CPU (user +
system) and peak resident set size (/usr/bin/time -v) of each.

    python3 bench/real/gogc.py /tmp/wf-real-tf5/wf /tmp/wf-real-tf5/bin/wf default,50 9
"""
import os, random, statistics, subprocess, sys, time

twin, wf, variants, runs = sys.argv[1], sys.argv[2], sys.argv[3].split(","), int(sys.argv[4])
env = dict(os.environ, HOME=os.path.join(os.path.dirname(twin), "home"), GIT_CONFIG_NOSYSTEM="1",
           TZ="UTC", GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.com",
           GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.com")
files = subprocess.run(["git", "ls-files", "-s"], cwd=twin, capture_output=True, text=True,
                       check=True).stdout.splitlines()
# The same choice of files as pairs.py: source files outside test data.
files = [l.split("\t", 1)[1] for l in files if l.startswith("100644 ")]
files = [f for f in files if f.endswith((".go", ".md", ".c", ".h", ".py", ".rs", ".js", ".ts"))
         and not f.endswith("_test.go") and "testdata/" not in f and "test/" not in f]
rng = random.Random(12)
res = {v: ([], [], []) for v in variants}
for i in range(runs):
    for v in (variants if i % 2 == 0 else variants[::-1]):
        pick = rng.sample(files, 600)
        stamp = time.time()
        for f in pick[:100]:
            with open(os.path.join(twin, f), "a") as fh:
                fh.write(f"// gogc {i} {v}\n")
        for f in pick[100:]:
            os.utime(os.path.join(twin, f), (stamp, stamp))
        e = dict(env)
        if v != "default":
            e["GOGC"] = v
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-v", wf, "checkpoint", "-m", f"gogc {v}"], cwd=twin, env=e,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        dt = time.perf_counter() - t0
        if p.returncode:
            sys.exit(p.stderr[-1500:])
        lines = p.stderr.splitlines()
        kb = next(int(l.split(":")[1]) for l in lines if "Maximum resident set size" in l)
        cpu = sum(float(l.split(":")[1]) for l in lines if "User time" in l or "System time" in l)
        res[v][0].append(dt * 1000)
        res[v][1].append(cpu * 1000)
        res[v][2].append(kb / 1024)
for v, (t, c, m) in res.items():
    print(f"GOGC={v:8} wall {statistics.median(t):6.1f} ms  CPU {statistics.median(c):6.1f} ms  "
          f"peak {statistics.median(m):5.1f} MB (min {min(m):.1f}, max {max(m):.1f})")
