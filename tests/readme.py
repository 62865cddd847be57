"""Render nbs/index.ipynb to README.md (a stand-in for `nbdev_readme`, which needs quarto).

Markdown cells are copied; code cells are shown as Python blocks unless they start with `#| hide`.
Run `python tests/readme.py` after editing the index notebook; `tests/test_project.py` checks it.
"""
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def render(nb_path=ROOT / 'nbs' / 'index.ipynb') -> str:
    nb = nbformat.read(str(nb_path), as_version=4)
    parts = []
    for cell in nb.cells:
        src = cell.source.strip()
        if not src or src.startswith('#| hide'):
            continue
        if cell.cell_type == 'markdown':
            parts.append(src)
        elif cell.cell_type == 'code':
            parts.append('```python\n' + src + '\n```')
    return '<!-- Generated from nbs/index.ipynb by tests/readme.py: edit the notebook, not this file. -->\n\n' + '\n\n'.join(parts) + '\n'


if __name__ == '__main__':
    (ROOT / 'README.md').write_text(render())
