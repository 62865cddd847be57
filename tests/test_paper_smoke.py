"""`glad paper --profile smoke` on the offline dataset: every artefact is produced and parses; a rerun does no work."""
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FASHION_MNIST = Path('/usr/share/datasets/fashion-mnist')
GLAD = Path(sys.executable).with_name('glad')
TABLES = ('table_convnet', 'table_crossarch', 'table4_full_data', 'table1_classes', 'figure_layers', 'table_init',
          'table_generators', 'table_highres', 'prior_quality')
FIGURES = ('figure_grids', 'figure_layers', 'table_init', 'table_generators', 'prior_samples')


@pytest.fixture(scope='module')
def smoke(tmp_path_factory):
    if not FASHION_MNIST.is_dir():
        pytest.skip('needs the offline dataset (apt-get install dataset-fashion-mnist)')
    root = tmp_path_factory.mktemp('smoke')
    cmd = [str(GLAD), 'paper', '--profile', 'smoke', '--sweep', str(root / 'sweep'), '--figures', str(root / 'figures')]
    env = {**os.environ, 'MPLBACKEND': 'Agg'}
    first = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3600)
    second = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    return root / 'figures', first, second


def test_smoke_profile_succeeds(smoke):
    _, first, _ = smoke
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert ' 0 failed' in first.stdout


def test_smoke_artefacts_exist_and_parse(smoke):
    figures, _, _ = smoke
    for name in TABLES:
        rows = list(csv.reader((figures / f'{name}.csv').open()))
        assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows), name
        assert (figures / f'{name}.md').read_text().count('|') > 4
        assert (figures / f'{name}.tex').read_text().startswith('\\begin{table}')
    for name in FIGURES:
        assert (figures / f'{name}.png').read_bytes()[:8] == b'\x89PNG\r\n\x1a\n', name
        assert (figures / f'{name}.pdf').read_bytes()[:5] == b'%PDF-', name
    manifest = json.loads((figures / 'manifest.json').read_text())
    assert manifest['profile'] == 'smoke' and all(j['state'] != 'failed' for j in manifest['jobs'])
    convnet = list(csv.reader((figures / 'table_convnet.csv').open()))
    assert {'DC', 'DM', 'MTT'} <= {r[0] for r in convnet[1:]}
    assert any(r[0] == 'random real images' and r[2] != '-' for r in convnet)
    layers = list(csv.reader((figures / 'figure_layers.csv').open()))
    assert {r[2] for r in layers[1:]} >= {'layer = 4', 'layer = 8', 'layer = W+', 'pixel space'}
    generators = {r[2] for r in csv.reader((figures / 'table_generators.csv').open())}
    assert {'generator = trained prior', 'generator = random weights (tiny_generator)'} <= generators
    assert 'no runs' in (figures / 'table_highres.md').read_text()      # no high-resolution runs offline
    quality = list(csv.reader((figures / 'prior_quality.csv').open()))
    assert [r[0] for r in quality[1:]] == ['trained prior', 'tiny_generator (random weights)', 'real training images']


def test_second_invocation_does_no_work(smoke):
    _, _, second = smoke
    assert second.returncode == 0 and ' 0 done' in second.stdout, second.stdout[-2000:]
