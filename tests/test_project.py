"""Project-level checks: the package is what the notebooks export, notebooks are clean, README is current."""
import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / 'tools'))
import readme  # noqa: E402
import refresh_outputs  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NBDEV_EXPORT = Path(sys.executable).with_name('nbdev_export')


def test_glad_matches_fresh_export(tmp_path):
    "glad/ must be exactly what `nbdev_export` writes from nbs/: nobody edits glad/*.py by hand."
    for name in ('settings.ini', 'setup.py', 'pyproject.toml'):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / 'nbs', tmp_path / 'nbs', ignore=shutil.ignore_patterns('.ipynb_checkpoints'))
    subprocess.run([str(NBDEV_EXPORT)], cwd=tmp_path, check=True, capture_output=True)
    fresh, ours = tmp_path / 'glad', ROOT / 'glad'
    fresh_py = sorted(p.relative_to(fresh) for p in fresh.rglob('*.py'))
    ours_py = sorted(p.relative_to(ours) for p in ours.rglob('*.py'))
    assert fresh_py == ours_py, f'module lists differ: {set(fresh_py) ^ set(ours_py)}'
    differ = [str(p) for p in fresh_py if not filecmp.cmp(fresh / p, ours / p, shallow=False)]
    assert not differ, f'glad/ differs from a fresh nbdev_export in {differ}: run nbdev_export'


def source_notebooks():
    return sorted((ROOT / 'nbs').rglob('*.ipynb'))


def test_notebooks_are_clean(tmp_path):
    "Notebooks are exactly what `nbdev_clean` leaves (no execution counts, no stray metadata); outputs may stay."
    shutil.copy(ROOT / 'settings.ini', tmp_path / 'settings.ini')
    shutil.copytree(ROOT / 'nbs', tmp_path / 'nbs', ignore=shutil.ignore_patterns('.ipynb_checkpoints'))
    subprocess.run([str(NBDEV_EXPORT.with_name('nbdev_clean'))], cwd=tmp_path, check=True, capture_output=True)
    for path in source_notebooks():
        nb = nbformat.read(str(path), as_version=4)
        counts = [c.execution_count for c in nb.cells if c.cell_type == 'code' and c.execution_count is not None]
        assert not counts, f'{path.name} has execution counts: run nbdev_clean'
        cleaned = tmp_path / path.relative_to(ROOT)
        assert cleaned.read_bytes() == path.read_bytes(), f'{path.name} is not clean: run nbdev_clean'


def module_notebooks():
    return sorted((ROOT / 'nbs').glob('[0-9][0-9]_*.ipynb'))


def test_module_notebooks_show_their_outputs():
    "Module notebooks keep the outputs `tools/refresh_outputs.py` saved (figures as PNG), each under the size cap."
    assert len(module_notebooks()) >= 10
    for path in module_notebooks():
        assert path.stat().st_size <= refresh_outputs.MAX_BYTES, \
            f'{path.name} is {path.stat().st_size:,} bytes, over the cap of {refresh_outputs.MAX_BYTES:,}: smaller figures'
        outputs = [o for c in nbformat.read(str(path), as_version=4).cells if c.cell_type == 'code' for o in c.outputs]
        assert outputs, f'{path.name} has no outputs: run tools/refresh_outputs.py {path.relative_to(ROOT)}'
        kinds = {k for o in outputs for k in o.get('data', {}) if k.startswith('image/')}
        assert kinds <= {'image/png'}, f'{path.name} stores images as {kinds}: PNG only'


def test_templates_carry_no_outputs():
    "The experiment notebooks (papermill templates, hashed into job keys) and the README's source stay output-free."
    for path in sorted((ROOT / 'nbs' / 'experiments').glob('*.ipynb')) + [ROOT / 'nbs' / 'index.ipynb']:
        nb = nbformat.read(str(path), as_version=4)
        assert not any(c.outputs for c in nb.cells if c.cell_type == 'code'), f'{path.name} has outputs'


def test_readme_is_rendered_from_index():
    assert (ROOT / 'README.md').read_text() == readme.render(), 'README.md is stale: run python tests/readme.py'


def test_every_module_has_a_notebook():
    "Each glad module comes from a numbered notebook (`#| default_exp`)."
    exported = {p.stem for p in (ROOT / 'glad').glob('*.py') if not p.stem.startswith('_')}
    declared = set()
    for path in source_notebooks():
        for cell in nbformat.read(str(path), as_version=4).cells:
            for line in cell.source.splitlines():
                if line.startswith('#| default_exp'):
                    declared.add(line.split()[-1].split('.')[-1])
    assert exported == declared, exported ^ declared


def test_nbdev_clean_keeps_papermill_parameters_tag(tmp_path):
    "papermill finds its parameters through a cell tag: `nbdev_clean` (with our settings.ini) must keep it."
    shutil.copy(ROOT / 'settings.ini', tmp_path / 'settings.ini')
    (tmp_path / 'nbs').mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('epochs = 10', metadata={'tags': ['parameters'], 'scrolled': True},
                                          execution_count=3),
                nbformat.v4.new_code_cell('print(epochs)')]
    path = tmp_path / 'nbs' / 'p.ipynb'
    nbformat.write(nb, str(path))
    subprocess.run([str(Path(sys.executable).with_name('nbdev_clean')), '--fname', str(path)], cwd=tmp_path,
                   check=True, capture_output=True)
    cleaned = nbformat.read(str(path), as_version=4)
    assert cleaned.cells[0].metadata.get('tags') == ['parameters'], cleaned.cells[0].metadata
    assert 'scrolled' not in cleaned.cells[0].metadata and cleaned.cells[0].execution_count is None
