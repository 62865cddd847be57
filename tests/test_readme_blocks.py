"""Every Python block of README.md runs as pasted, in a fresh interpreter, and every image it shows exists."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / 'README.md').read_text()
BLOCKS = re.findall(r'```python\n(.*?)```', README, flags=re.S)
FASHION_MNIST = Path('/usr/share/datasets/fashion-mnist')


def test_readme_has_python_blocks():
    assert BLOCKS, 'README.md shows no Python example'


@pytest.mark.parametrize('i', range(len(BLOCKS)))
def test_readme_block_runs_in_fresh_interpreter(i, tmp_path):
    code = BLOCKS[i]
    if 'fashion-mnist' in code and not FASHION_MNIST.is_dir():
        pytest.skip('needs the offline dataset (apt-get install dataset-fashion-mnist)')
    env = {**os.environ, 'MPLBACKEND': 'Agg'}
    r = subprocess.run([sys.executable, '-c', code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f'README block {i} failed:\n{code}\n--- stderr ---\n{r.stderr[-3000:]}'
    for name in re.findall(r"savefig\('([^']+)'", code):
        assert (tmp_path / name).stat().st_size > 0, f'block {i} promised {name}'


def test_readme_images_exist():
    images = re.findall(r'!\[[^\]]*\]\(([^)]+)\)', README)
    assert images, 'README shows no image'
    for path in images:
        assert (ROOT / path).is_file(), f'README shows {path}, which does not exist'
