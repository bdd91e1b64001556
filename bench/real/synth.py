#!/usr/bin/env python3
"""usage: synth.py DIR FILES [COMMITS]: a synthetic repository for
run.sh, for sizes no fetchable public repository has: FILES small text
files in folders of 100 (two levels deep), committed in COMMITS commits
(default 20) by git itself, then packed (git gc). Deterministic.

  bench/real/synth.py /tmp/synth200k 200000 && bench/real/run.sh /tmp/synth200k
"""
import os, subprocess, sys

d, n = sys.argv[1], int(sys.argv[2])
commits = int(sys.argv[3]) if len(sys.argv) > 3 else 20
os.makedirs(d)
subprocess.run(["git", "init", "-q", "-b", "main", d], check=True)
subprocess.run(["git", "-C", d, "config", "gc.auto", "0"], check=True)
env = dict(os.environ, GIT_AUTHOR_NAME="synth", GIT_AUTHOR_EMAIL="synth@example.com",
           GIT_COMMITTER_NAME="synth", GIT_COMMITTER_EMAIL="synth@example.com")
per = (n + commits - 1) // commits
for c in range(commits):
    for i in range(c * per, min(n, (c + 1) * per)):
        sub = os.path.join(d, f"d{i // 10000:02d}", f"s{(i // 100) % 100:02d}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"f{i % 100:02d}.md"), "w") as f:
            f.write(f"# file {i}\n\nline one of {i}\nline two of {i}\n")
    subprocess.run(["git", "-C", d, "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", d, "commit", "-q", "-m", f"add batch {c}"], check=True, env=env)
subprocess.run(["git", "-C", d, "gc", "-q"], check=True, env=env)
