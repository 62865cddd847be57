"""Re-execute the module notebooks (`nbs/NN_*.ipynb`) and save their outputs, so that a reader sees figures,
tables and shapes without running anything, as in nbdev's own notebooks.

    .venv/bin/python tools/refresh_outputs.py                       # every module notebook, then the README image
    .venv/bin/python tools/refresh_outputs.py nbs/05_generators.ipynb

Each notebook runs top to bottom in a fresh process (execnb, as `nbdev_test` runs it) from `nbs/`. Cells flagged
with settings.ini's `tst_flags` (`#| slow`, `#| gpu`) and the trailing `nbdev_export()` cell are skipped, as
`nbdev_test` skips them, so the saved outputs are what a CPU machine shows. Progress bars are turned off
(`TQDM_DISABLE=1`); figures are stored as PNG. A failing cell stops that notebook and leaves its file untouched.
`nbdev_clean` then strips execution counts and metadata; `tests/test_project.py` checks the result (clean
metadata, outputs present, at most `MAX_BYTES` per notebook).

With no arguments it also reruns the README's "A taste" (from `nbs/index.ipynb`, whose cells stay without
outputs) and moves the image it saves to `nbs/images/taste.png`, where the README shows it.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT / 'nbs'
MAX_BYTES = 1_000_000        # the size cap per module notebook (tests/test_project.py reads it from here)


def skip_flags() -> set[str]:
    "The flags (settings.ini `tst_flags`) whose cells `nbdev_test` skips by default."
    from nbdev.config import get_config
    return set(get_config(path=ROOT).tst_flags.split())


def _skip(flags):
    from nbdev.process import extract_directives

    def skip(cell) -> bool:
        if cell.cell_type != 'code' or 'nbdev_export' + '(' in cell.source:
            return True
        directives = extract_directives(cell, remove=False)
        return directives.get('eval:', [''])[0].lower() == 'false' or bool(flags & directives.keys())
    return skip


def run_notebook(path: Path, flags: set[str], save: bool = True) -> float:
    "Execute `path` from its folder; with `save`, write it back with its outputs. Returns the seconds taken."
    from execnb.nbio import read_nb, write_nb
    from execnb.shell import CaptureShell
    nb, t0 = read_nb(path), time.time()
    for cell in nb.cells:
        if cell.cell_type == 'code':
            cell.outputs, cell.execution_count = [], None
    shell, cwd = CaptureShell(path, mpl_format='png'), os.getcwd()
    try:
        os.chdir(path.parent)
        shell.run_all(nb, exc_stop=True, preproc=_skip(flags))
    except Exception:
        sys.stderr.write(shell.prettytb(fname=path) + '\n')
        raise SystemExit(f'{path.name}: a cell failed; the notebook is left as it was')
    finally:
        os.chdir(cwd)
    if save:
        write_nb(nb, path)
        subprocess.run([str(Path(sys.executable).with_name('nbdev_clean')), '--fname', str(path)], cwd=ROOT, check=True)
    return time.time() - t0


def refresh_taste(flags: set[str]):
    "Rerun the README's example (index.ipynb, outputs not kept) and move its `taste.png` beside the README's images."
    run_notebook(NBS / 'index.ipynb', flags, save=False)
    shutil.move(str(NBS / 'taste.png'), NBS / 'images' / 'taste.png')


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('notebooks', nargs='*', type=Path, help='notebooks to refresh (default: every nbs/NN_*.ipynb)')
    args = p.parse_args(argv)
    os.environ.setdefault('TQDM_DISABLE', '1')
    os.environ.setdefault('MPLBACKEND', 'Agg')
    flags, paths = skip_flags(), [q.resolve() for q in args.notebooks] or sorted(NBS.glob('[0-9][0-9]_*.ipynb'))
    for path in paths:
        if len(paths) > 1:   # each notebook in a fresh process, as it runs in its own kernel in JupyterLab
            if subprocess.run([sys.executable, __file__, str(path)]).returncode:
                raise SystemExit(f'{path.name} failed: the notebooks after it were not refreshed')
            continue
        seconds = run_notebook(path, flags)
        size = path.stat().st_size
        print(f'{path.name}: {seconds:.0f} s, {size / 1e3:.0f} kB' + ('  OVER THE SIZE CAP' if size > MAX_BYTES else ''))
    if not args.notebooks:
        refresh_taste(flags)
        print('nbs/images/taste.png refreshed')


if __name__ == '__main__':
    main()
