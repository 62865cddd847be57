"""The Ray backend of `glad paper` on a local Ray instance that declares two logical GPUs.

Two jobs run at the same time, each in its own Ray task with its own CUDA_VISIBLE_DEVICES (which the job's
notebook kernel inherits); a failing job is reported and its executed notebook kept. CI installs the `ray`
extra and sets GLAD_REQUIRE_RAY=1, so there this test cannot be skipped."""
import json
import os
import textwrap
from pathlib import Path

import nbformat
import pytest

if os.environ.get('GLAD_REQUIRE_RAY') != '1':
    pytest.importorskip('ray', reason='pip install -e ".[ray]"')

from glad.paper import load_results, run_profile  # noqa: E402

PROBE = '''import json, os, time
start = time.time(); time.sleep(seconds); end = time.time()
open(result_path, 'w').write(json.dumps({'kind': 'probe', 'x': x, 'cvd': os.environ.get('CUDA_VISIBLE_DEVICES'),
                                         'start': start, 'end': end}))'''


def _notebook(path: Path, params: str, body: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(params, metadata={'tags': ['parameters']}), nbformat.v4.new_code_cell(body)]
    nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'python3', 'language': 'python'}
    nbformat.write(nb, str(path))


@pytest.fixture(scope='module')
def ray_sweep(tmp_path_factory):
    import ray
    root = tmp_path_factory.mktemp('ray')
    exp = root / 'experiments'
    exp.mkdir()
    _notebook(exp / 'probe.ipynb', 'x = 0\nseconds = 8\nresult_path = None', PROBE)
    _notebook(exp / 'fail.ipynb', 'result_path = None', 'raise RuntimeError("this job fails on purpose")')
    (exp / 'profiles.toml').write_text(textwrap.dedent('''
        [mini]
        [[mini.stages.run.grid]]
        notebook = "probe"
        name = "probe{x}"
        axes.x = [1, 2]
        [[mini.stages.check.jobs]]
        notebook = "fail"
    '''))
    ray.init(num_cpus=2, num_gpus=2, include_dashboard=False, log_to_driver=False)
    try:
        res = run_profile('mini', root / 'sweep', root / 'figures', profiles=exp / 'profiles.toml', experiments=exp,
                          progress=False, backend='ray')
    finally:
        ray.shutdown()
    return res, root


def test_counts(ray_sweep):
    res, _ = ray_sweep
    assert (res['done'], res['failed'], res['pending']) == (2, 1, 0)


def test_each_job_gets_its_own_gpu_and_they_overlap(ray_sweep):
    _, root = ray_sweep
    probes = load_results(root / 'sweep', 'probe')
    assert sorted(p['cvd'] for p in probes) == ['0', '1']
    assert max(p['start'] for p in probes) < min(p['end'] for p in probes), 'the two jobs did not run at the same time'


def test_failed_job_is_reported_with_its_notebook(ray_sweep):
    res, _ = ray_sweep
    folder = Path(res['failed_jobs'][0])
    status = json.loads((folder / 'status.json').read_text())
    assert status['state'] == 'failed' and 'fails on purpose' in status['error']
    assert (folder / 'fail.ipynb').is_file()
