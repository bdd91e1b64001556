#!/usr/bin/env python3
"""Write 1 MB TODO files of adversarial shapes into the folder given (default:
this script's folder): deep nesting on one line, lazy lines under deep
containers, many headings, pipes, runs of the bytes wf's annotation readers
look for, and the 80 KB line of repo-states case 24."""
import os, sys
out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
N = 1_000_000
shapes = {
    'case24-80k': '- ' * 40000 + '[ ] deep\n',
    'dash-line': '- ' * (N // 2 - 10) + '[ ] deep\n',
    'quote-line': '> ' * (N // 2 - 10) + '- [ ] deep\n',
    'mixed-line': '> - 1. ' * (N // 7 - 10) + '[ ] deep\n',
    'indent-chain': ''.join(' ' * (2 * k) + '- [ ] x\n' for k in range(900)) + 'x\n' * ((N - 900 * 900) // 2),
    'deep32-lazy': '- ' * 32 + '[ ] x\n' + 'lazy\n' * (N // 5),
    'quote32-lazy': '> ' * 32 + 'x\n' + 'lazy\n' * (N // 5),
    'brackets': '- [ ] ' + '[' * (N - 10) + '\n',
    'linkref': '[a]: <' * (N // 6) + '\n',
    'pipes': '|' * (N // 2) + '\n' + '|-' * (N // 4) + '\n',
    'current': '- [ ] x' + ' <-' * (N // 3) + '\n',
    'parens': '- [ ] x' + ' (' * (N // 2 - 5) + '\n',
    'failed': '- [ ] x' + ' (failed: a 1' * (N // 14) + ')\n',
    'carets': '- [ ] x' + ' ^a' * (N // 3) + '\n',
    'fences': '```\n' * (N // 4),
    'html': '<details>\n' * (N // 10),
    'suspects': '- [~] x\n' * (N // 8),
    'items': '- [ ] item\n' * (N // 11),
    'headings': '## h\n- [ ] x\n' * (N // 13),
    'state-lists': '## Blocking Issues\nSTOP\n- b\n' * (N // 27),
    'setext': 'x\n=\n' * (N // 4),
    'lt': '- [ ] x' + '<' * (N - 10) + '\n',
    'blank-deep-many': ('- ' * 40 + 'x\n') * (N // 82),
}
for name, body in shapes.items():
    with open(os.path.join(out, name + '.md'), 'w') as f:
        f.write('# TODO\n\n## Planning\n' + body)
