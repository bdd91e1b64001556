#!/usr/bin/env python3
"""usage: inits.py N BIN [ARGS...]   (ARGS default: --version)

Runs BIN N times with GODEBUG=inittrace=1 and prints the package inits'
clock time (the mean over the runs), bytes and allocations, grouped by
where the packages come from (wf's own, goldmark, urfave/cli's docs, the
MCP SDK and what it pulls in, go-git, ...), and when the last init ends
after the process started. See BENCHMARKS.md, issue 12, start-up.
"""
import collections, os, re, subprocess, sys

if len(sys.argv) < 3:
    sys.exit(__doc__)
n, binary, args = int(sys.argv[1]), sys.argv[2], sys.argv[3:] or ["--version"]

# (group, package path prefix); the first that matches wins.
GROUPS = [
    ("wf (github.com/wf-tool/wf)", "github.com/wf-tool/"),
    ("goldmark", "github.com/yuin/goldmark"),
    ("blackfriday, go-md2man (urfave/cli's docs)", "github.com/russross/blackfriday"),
    ("blackfriday, go-md2man (urfave/cli's docs)", "github.com/cpuguy83/"),
    ("urfave/cli", "github.com/urfave/"),
    ("encoding/gob (MCP SDK, go-git/gcfg)", "encoding/gob"),
    ("jsonschema-go (MCP SDK)", "github.com/google/jsonschema-go"),
    ("MCP SDK, oauth2, segmentio", "github.com/modelcontextprotocol/"),
    ("MCP SDK, oauth2, segmentio", "golang.org/x/oauth2"),
    ("MCP SDK, oauth2, segmentio", "github.com/segmentio/"),
    ("MCP SDK, oauth2, segmentio", "github.com/yosida95/"),
    ("net, net/http, crypto/tls, crypto/x509 (MCP SDK)", "net"),
    ("net, net/http, crypto/tls, crypto/x509 (MCP SDK)", "crypto/tls"),
    ("net, net/http, crypto/tls, crypto/x509 (MCP SDK)", "crypto/x509"),
    ("net, net/http, crypto/tls, crypto/x509 (MCP SDK)", "vendor/golang.org/x/net"),
    ("net, net/http, crypto/tls, crypto/x509 (MCP SDK)", "mime"),
    ("go-git, gcfg", "github.com/go-git/"),
    ("x/text encodings (gitcp/internal/convert)", "golang.org/x/text"),
    ("runtime", "runtime"),
]


def group(pkg):
    for name, prefix in GROUPS:
        if pkg == prefix or pkg.startswith(prefix if prefix.endswith("/") else prefix + "/"):
            return name
    return "other standard library and dependencies"


line = re.compile(r"init (\S+) @([\d.]+) ms, ([\d.]+) ms clock, (\d+) bytes, (\d+) allocs")
clock, size, allocs = collections.Counter(), {}, {}
end = 0.0
env = dict(os.environ, GODEBUG="inittrace=1")
for _ in range(n):
    p = subprocess.run([binary] + args, env=env, capture_output=True, text=True)
    last = 0.0
    for l in p.stderr.splitlines():
        m = line.match(l)
        if m:
            pkg = m.group(1)
            clock[pkg] += float(m.group(3))
            size[pkg], allocs[pkg] = int(m.group(4)), int(m.group(5))
            last = max(last, float(m.group(2)) + float(m.group(3)))
    end += last
groups = collections.defaultdict(lambda: [0.0, 0, 0])
for pkg, c in clock.items():
    g = groups[group(pkg)]
    g[0] += c / n
    g[1] += size[pkg]
    g[2] += allocs[pkg]
print(f"{binary} {' '.join(args)}: package inits, mean of {n} runs")
for name, (c, b, a) in sorted(groups.items(), key=lambda kv: -kv[1][0]):
    print(f"  {c:6.2f} ms {b / 1024:8.1f} KB {a:7d} allocs  {name}")
total = [sum(g[i] for g in groups.values()) for i in range(3)]
print(f"  {total[0]:6.2f} ms {total[1] / 1024:8.1f} KB {total[2]:7d} allocs  all; the last init ends {end / n:.2f} ms after the start")
