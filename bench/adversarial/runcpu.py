#!/usr/bin/env python3
"""usage: runcpu.py WF_BINARY SHAPES_DIR [shape...]: CPU seconds (user+sys) of
wf status, lint, todo list and resume with each shape (gen.py writes them to
SHAPES_DIR) as TODO.md and as workflow-state.md, uncommitted. CPU time, not
wall time, is what compares on a shared machine. resume's time includes
gitcp's line diff of the uncommitted file against HEAD."""
import os, subprocess, sys, tempfile, glob, shutil
wf = os.path.abspath(sys.argv[1])
here = os.path.abspath(sys.argv[2])
shapes = sys.argv[3:] or sorted(os.path.basename(p)[:-3] for p in glob.glob(here + '/*.md'))
d = tempfile.mkdtemp()
def run(*a):
    p = subprocess.Popen(a, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    return ru.ru_utime + ru.ru_stime
for c in (['git','init','-q'],['git','config','user.email','a@b'],['git','config','user.name','t'],[wf,'init','--name','t']):
    subprocess.run(c, cwd=d, stdout=subprocess.DEVNULL)
subprocess.run(['git','add','-A'],cwd=d); subprocess.run(['git','commit','-qm','init'],cwd=d)
for s in shapes:
    for target in ('TODO.md', 'workflow-state.md'):
        orig = open(os.path.join(d, target),'rb').read()
        shutil.copy(os.path.join(here, s + '.md'), os.path.join(d, target))
        res = [f"{c.replace(' ','-')}={run(wf, *c.split()):.2f}" for c in ('status', 'lint', 'todo list', 'resume')]
        print(f"{s:16} in {target:18}", ' '.join(res), flush=True)
        open(os.path.join(d, target),'wb').write(orig)
shutil.rmtree(d)
