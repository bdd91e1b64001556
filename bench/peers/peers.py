#!/usr/bin/env python3
"""usage: peers.py WORK RUNS (called by run.sh): builds the three scratch
projects of 5,000 tasks and times done and list in each, alternating."""
import json, os, re, shutil, statistics, subprocess, sys, time

work, runs = sys.argv[1], int(sys.argv[2])
wf, gen = os.path.join(work, "bin", "wf"), os.path.join(work, "bin", "gen")
bin_ = os.path.join(work, "peers", "node_modules", ".bin")
ITEM = 2500


def sh(cwd, *argv):
    subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)


def fresh(name):
    d = os.path.join(work, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    sh(d, "git", "init", "-q", "-b", "main")
    return d


# wf: the rich 5,000-item TODO.md; its item texts feed the peers.
wfdir = fresh("wf")
sh(wfdir, gen, "-rich", "-items", "5000", ".")
sh(wfdir, wf, "todo", "undo", str(ITEM))
sh(wfdir, "git", "add", "-A")
sh(wfdir, "git", "commit", "-qm", "tasks")
titles = [re.sub(r"^\s*- \[.\] ", "", l).rstrip("\n")
          for l in open(os.path.join(wfdir, "TODO.md")) if re.match(r"^\s*- \[.\] ", l)]
assert len(titles) == 5000, len(titles)

# Backlog.md: one file per task under backlog/tasks, as its task create
# writes them (front matter, then the body).
bl = fresh("backlog")
os.makedirs(os.path.join(bl, "backlog", "tasks"))
for sub in ("drafts", "completed", "docs", "decisions", "milestones", "archive/tasks", "archive/drafts", "archive/milestones"):
    os.makedirs(os.path.join(bl, "backlog", sub), exist_ok=True)
with open(os.path.join(bl, "backlog", "config.yml"), "w") as f:
    f.write('project_name: "bench"\ndefault_status: "To Do"\nstatuses: ["To Do", "In Progress", "Done"]\n'
            'labels: []\ndate_format: yyyy-mm-dd\nmax_column_width: 20\nauto_open_browser: false\n'
            'default_port: 6420\nremote_operations: false\nauto_commit: false\nfilesystem_only: false\n'
            'bypass_git_hooks: false\ncheck_active_branches: false\nactive_branch_days: 30\ntask_prefix: "task"\n')
for i, t in enumerate(titles, 1):
    slug = re.sub(r"[^A-Za-z0-9]+", "-", t)[:50].strip("-")
    title = t.replace("'", "''")
    with open(os.path.join(bl, "backlog", "tasks", f"task-{i} - {slug}.md"), "w") as f:
        f.write(f"---\nid: TASK-{i}\ntitle: '{title}'\nstatus: To Do\nassignee: []\n"
                f"created_date: '2026-11-30 06:00'\nlabels: []\ndependencies: []\nordinal: {i * 1000}\n---\n\n"
                f"## Description\n\n{t}\n")
sh(bl, "git", "add", "-A")
sh(bl, "git", "commit", "-qm", "tasks")

# Task Master: one tasks.json in its tagged format.
tm = fresh("taskmaster")
os.makedirs(os.path.join(tm, ".taskmaster", "tasks"))
tasks = [{"id": i, "title": t[:80], "description": t, "details": "", "testStrategy": "", "status": "pending",
          "dependencies": [], "priority": "medium", "subtasks": []} for i, t in enumerate(titles, 1)]
json.dump({"master": {"tasks": tasks, "metadata": {"created": "2026-11-30T06:00:00.000Z", "updated": "2026-11-30T06:00:00.000Z",
                                                   "description": "Tasks for master context"}}},
          open(os.path.join(tm, ".taskmaster", "tasks", "tasks.json"), "w"), indent=2)
json.dump({"currentTag": "master", "lastSwitched": "2026-11-30T06:00:00.000Z", "branchTagMapping": {}, "migrationNoticeShown": True},
          open(os.path.join(tm, ".taskmaster", "state.json"), "w"), indent=2)
sh(tm, "git", "add", "-A")
sh(tm, "git", "commit", "-qm", "tasks")

tools = {
    "wf": (wfdir, [wf, "todo", "done", str(ITEM)], [wf, "todo", "undo", str(ITEM)], [wf, "todo", "list"]),
    "Backlog.md": (bl, [f"{bin_}/backlog", "task", "edit", str(ITEM), "-s", "Done", "--plain"],
                   [f"{bin_}/backlog", "task", "edit", str(ITEM), "-s", "To Do", "--plain"],
                   [f"{bin_}/backlog", "task", "list", "--plain"]),
    "Task Master": (tm, [f"{bin_}/task-master", "set-status", f"--id={ITEM}", "--status=done"],
                    [f"{bin_}/task-master", "set-status", f"--id={ITEM}", "--status=pending"],
                    [f"{bin_}/task-master", "list"]),
}


def timed(cwd, argv):
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + argv, cwd=cwd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{p.stderr.split(chr(9) + 'Command being timed')[0][-1500:]}")
    kb = next(int(l.split(":")[1]) for l in p.stderr.splitlines() if "Maximum resident set size" in l)
    return dt, kb


def check_done(name):
    d = tools[name][0]
    if name == "wf":
        ok = any(re.match(rf"^\s*- \[x\] T{ITEM} ", l) for l in open(os.path.join(d, "TODO.md")))
    elif name == "Backlog.md":
        f = [x for x in os.listdir(os.path.join(d, "backlog", "tasks")) if x.startswith(f"task-{ITEM} ")]
        ok = bool(f) and "status: Done" in open(os.path.join(d, "backlog", "tasks", f[0])).read()
    else:
        ts = json.load(open(os.path.join(d, ".taskmaster", "tasks", "tasks.json")))["master"]["tasks"]
        ok = ts[ITEM - 1]["status"] == "done"
    if not ok:
        sys.exit(f"{name}: task {ITEM} is not done after its done command")


res = {(n, c): [] for n in tools for c in ("done", "list")}
load = open("/proc/loadavg").read().split()[:3]
for r in range(runs):
    for name, (d, done, undo, lst) in tools.items():
        subprocess.run(undo, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        res[(name, "done")].append(timed(d, done))
        check_done(name)
        res[(name, "list")].append(timed(d, lst))
    print(f"run {r + 1}/{runs} done", file=sys.stderr, flush=True)
load2 = open("/proc/loadavg").read().split()[:3]
print(f"5,000 tasks, {runs} runs each, load {' '.join(load)} -> {' '.join(load2)}; "
      f"backlog.md {os.environ.get('BACKLOG_VERSION', '1.52.0')}, task-master-ai {os.environ.get('TASKMASTER_VERSION', '0.43.1')}\n")
print("| tool | mark one task done | peak MB | list all tasks | peak MB |\n|---|---|---|---|---|")
for name in tools:
    d, l = res[(name, "done")], res[(name, "list")]
    fmt = lambda s: f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"
    print(f"| {name} | {fmt(statistics.median(x[0] for x in d))} | {max(x[1] for x in d) / 1024:.1f} | "
          f"{fmt(statistics.median(x[0] for x in l))} | {max(x[1] for x in l) / 1024:.1f} |")
