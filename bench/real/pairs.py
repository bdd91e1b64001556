#!/usr/bin/env python3
"""usage: pairs.py WORK REPO PAIRS (called by run.sh): runs the cases of
run.sh on the twins WORK/wf and WORK/git, alternating which side goes
first in each pair, and prints and writes the table (WORK/result.md)."""
import os, random, statistics, subprocess, sys, time

work, repo, pairs = sys.argv[1], sys.argv[2], max(9, int(sys.argv[3]))
wf = os.path.join(work, "bin", "wf")
A, B = os.path.join(work, "wf"), os.path.join(work, "git")


def run(cwd, argv):
    """Runs argv under /usr/bin/time -v in cwd; returns (seconds, peak KB,
    CPU seconds: user + system of the process and its children)."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + argv, cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        err = p.stderr.split("\tCommand being timed")[0]
        sys.exit(f"{' '.join(argv)} in {cwd} failed:\n{err[-2000:]}")
    kb = next(int(l.split(":")[1]) for l in p.stderr.splitlines()
              if "Maximum resident set size" in l)
    cpu = sum(float(l.split(":")[1]) for l in p.stderr.splitlines()
              if "User time (seconds)" in l or "System time (seconds)" in l)
    return dt, kb, cpu


# Files to change: tracked regular files, the same list on both twins.
files = subprocess.run(["git", "ls-files", "-s"], cwd=A, capture_output=True,
                       text=True, check=True).stdout.splitlines()
# Source files only: test fixtures of real repositories hold sample keys
# that wf's secret guard rightly refuses to commit when they change.
files = [l.split("\t", 1)[1] for l in files if l.startswith("100644 ")]
files = [f for f in files if f.endswith((".go", ".md", ".c", ".h", ".py", ".rs", ".js", ".ts"))
         and not f.endswith("_test.go") and "testdata/" not in f and "test/" not in f]
rng = random.Random(12)
counter = [0]


def change(modified, added, touched):
    """Applies the same change to both twins: append a line to `modified`
    files, write `added` new files, bump the mtime of `touched` more."""
    counter[0] += 1
    pick = rng.sample(files, modified + touched)
    stamp = time.time()
    for side in (A, B):
        for f in pick[:modified]:
            with open(os.path.join(side, f), "a") as fh:
                fh.write(f"// bench change {counter[0]}\n")
        for i in range(added):
            d = os.path.join(side, "bench-added")
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, f"f{counter[0]}-{i}.txt"), "w") as fh:
                fh.write(f"added {counter[0]} {i}\n")
        for f in pick[modified:]:
            os.utime(os.path.join(side, f), (stamp, stamp))


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


rows = []


def pair_case(name, prep, wf_argv, git_argv):
    wt, gt, wm, gm, ratios, cpus = [], [], [], [], [], []
    for i in range(pairs):
        if prep:
            prep()
        order = [("wf", A, wf_argv), ("git", B, git_argv)]
        if i % 2:
            order.reverse()
        got = {}
        for side, cwd, argv in order:
            got[side] = run(cwd, argv)
        wt.append(got["wf"][0]); gt.append(got["git"][0])
        wm.append(got["wf"][1]); gm.append(got["git"][1])
        ratios.append(got["wf"][0] / got["git"][0])
        cpus.append(got["wf"][2] / max(got["git"][2], 1e-3))
    mems = [m / max(n, 1) for m, n in zip(wm, gm)]
    rows.append((name, statistics.median(wt), statistics.median(gt),
                 statistics.median(ratios), pct(ratios, .1), pct(ratios, .9),
                 max(wm) / 1024, max(gm) / 1024, statistics.median(cpus),
                 statistics.median(mems)))
    print(f"{name:22} wf {statistics.median(wt)*1000:7.1f} ms  git {statistics.median(gt)*1000:7.1f} ms  "
          f"ratio {statistics.median(ratios):.2f} ({pct(ratios,.1):.2f}-{pct(ratios,.9):.2f})  "
          f"CPU ratio {statistics.median(cpus):.2f}  "
          f"peak {max(wm)/1024:.1f} / {max(gm)/1024:.1f} MB (per pair {statistics.median(mems):.2f})", flush=True)


def solo_case(name, argv):
    ts, ms = [], []
    for _ in range(pairs):
        t, m, _ = run(A, argv)
        ts.append(t); ms.append(m)
    rows.append((name, statistics.median(ts), None, None, None, None, max(ms) / 1024, None, None, None))
    print(f"{name:22} wf {statistics.median(ts)*1000:7.1f} ms  (p90 {pct(ts,.9)*1000:.1f})  peak {max(ms)/1024:.1f} MB", flush=True)


def commit_case(name, m, a, t):
    n = [0]

    def prep():
        n[0] += 1
        change(m, a, t)
    pair_case(name, prep, [wf, "checkpoint", "-m", f"bench {name}"],
              ["sh", "-c", f"git add -A && git commit -qm 'bench {name}'"])


head = subprocess.run(["git", "rev-parse", "HEAD~1"], cwd=A, capture_output=True, text=True, check=True).stdout.strip()
commits = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=A, capture_output=True, text=True, check=True).stdout.strip()
nfiles = len(subprocess.run(["git", "ls-files"], cwd=A, capture_output=True, text=True, check=True).stdout.splitlines())
load = open("/proc/loadavg").read().split()[:3]
print(f"{repo} at {head[:12]}: {nfiles} files, {commits} commits; {pairs} pairs; load {' '.join(load)}", flush=True)

commit_case("checkpoint 1+1", 1, 1, 0)
commit_case("checkpoint 10+2", 10, 2, 0)
commit_case("checkpoint 100+500", 100, 0, 500)
pair_case("log", None, [wf, "log"], ["git", "log", "--grep=Wf-Checkpoint", "--format=%H"])
# git's nearest commands, for ratios in the same pairs: the diffstat of
# the latest checkpoint (HEAD after the checkpoint cases), and the scan of
# the work tree for uncommitted changes that resume makes.
pair_case("show latest", None, [wf, "show", "latest"], ["git", "show", "--stat", "HEAD"])
pair_case("resume", None, [wf, "resume"], ["git", "status", "--porcelain"])
# git's untracked cache (core.untrackedCache) is its counterpart of wf's
# folder-listing cache: with it, git status reads no folder whose stat
# data is unchanged either. Two untimed runs build it in the git twin's
# index first.
uc = ["git", "-c", "core.untrackedCache=true", "status", "--porcelain"]
for _ in range(2):
    subprocess.run(uc, cwd=B, stdout=subprocess.DEVNULL, check=True)
pair_case("resume (git: cache on)", None, [wf, "resume"], uc)
solo_case("status", [wf, "status"])

load2 = open("/proc/loadavg").read().split()[:3]
with open(os.path.join(work, "result.md"), "w") as fh:
    fh.write(f"{os.path.basename(repo)} at {head[:12]} ({nfiles} files, {commits} commits), "
             f"{pairs} pairs, load {' '.join(load)} → {' '.join(load2)}\n\n")
    fh.write("| case | wf | git | wf/git (median of pairs) | p10–p90 | CPU wf/git | peak MB wf / git (largest) | peak wf/git (median of pairs) |\n|---|---|---|---|---|---|---|---|\n")
    for name, w, g, r, lo, hi, mw, mg, c, pm in rows:
        if g is None:
            fh.write(f"| {name} | {w*1000:.1f} ms | — | — | — | — | {mw:.1f} / — | — |\n")
        else:
            fh.write(f"| {name} | {w*1000:.1f} ms | {g*1000:.1f} ms | {r:.2f} | {lo:.2f}–{hi:.2f} | {c:.2f} | {mw:.1f} / {mg:.1f} | {pm:.2f} |\n")
print(open(os.path.join(work, "result.md")).read())
