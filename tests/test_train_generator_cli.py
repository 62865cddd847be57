"""`glad train-generator` from the command line: a few steps of a tiny generator, resumed, then loaded back."""
import subprocess
import sys
from pathlib import Path

import pytest

FASHION_MNIST = Path('/usr/share/datasets/fashion-mnist')
GLAD = Path(sys.executable).with_name('glad')
TINY = ['--batch', '4', '--num-layers', '3', '--channel-base', '64', '--channel-max', '8', '--margin-size', '2',
        '--w-dim', '32', '--z-dim', '16', '--d-widths', '8', '8', '8', '--max-per-class', '4', '--device', 'cpu',
        '--no-progress', '--checkpoint-every', '0.008', '--sample-every', '0.008']


@pytest.mark.skipif(not FASHION_MNIST.is_dir(), reason='needs the offline dataset (apt-get install dataset-fashion-mnist)')
def test_train_generator_runs_resumes_and_exports(tmp_path):
    out = tmp_path / 'gan'
    first = subprocess.run([str(GLAD), 'train-generator', '--kimg', '0.008', '--out', str(out), *TINY],
                           capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr[-2000:]
    assert 'trained 0.0 kimg' in first.stdout and (out / 'generator.safetensors').is_file()
    second = subprocess.run([str(GLAD), 'train-generator', '--kimg', '0.016', '--out', str(out), *TINY],
                            capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr[-2000:]
    import json
    summary = json.loads((out / 'summary.json').read_text())
    assert summary['steps'] == 4 and summary['kimg'] == 0.016          # 2 steps, then 2 more after the resume
    from glad.checkpoints import load_checkpoint
    G = load_checkpoint(out / 'generator.safetensors')
    assert (G.img_resolution, G.img_channels, G.c_dim) == (32, 1, 10)
    bad = subprocess.run([str(GLAD), 'train-generator', '--kimg', '0.024', '--gamma', '5', '--out', str(out), *TINY],
                         capture_output=True, text=True, timeout=600)
    assert bad.returncode == 2 and 'gamma: 0.1 vs 5.0' in bad.stderr
