"""JupyterLab for real: a headless Jupyter server opens a module notebook through its REST API and runs it, cell by
cell, in one of its kernels over the kernel websocket, as JupyterLab does when a user presses "Run All".

Needs the `lab` extra (`pip install -e ".[lab]"`); without it the test skips, unless `GLAD_REQUIRE_LAB=1` (CI).
"""
import asyncio
import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = 'nbs/00_core.ipynb'          # quick to run; every cell of it runs in the kernel
SKIP_FLAGS = ('#| slow', '#| gpu')


def _need_lab():
    if importlib.util.find_spec('jupyterlab') is None or importlib.util.find_spec('jupyter_server') is None:
        if os.environ.get('GLAD_REQUIRE_LAB') == '1':
            pytest.fail('GLAD_REQUIRE_LAB=1 but jupyterlab is not installed: pip install -e ".[lab]"')
        pytest.skip('jupyterlab not installed (pip install -e ".[lab]")')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Server:
    "A headless JupyterLab server on localhost with a random token; REST calls through `api`."
    def __init__(self, tmp: Path):
        self.port, self.token = _free_port(), uuid.uuid4().hex
        self.base = f'http://127.0.0.1:{self.port}'
        env = {**os.environ, 'JUPYTER_CONFIG_DIR': str(tmp / 'config'), 'JUPYTER_DATA_DIR': str(tmp / 'data'),
               'JUPYTER_RUNTIME_DIR': str(tmp / 'runtime'), 'OMP_NUM_THREADS': '1',
               'PATH': f'{Path(sys.executable).parent}{os.pathsep}{os.environ.get("PATH", "")}'}
        self.log = open(tmp / 'server.log', 'w')
        self.proc = subprocess.Popen(
            [sys.executable, '-m', 'jupyter', 'lab', '--no-browser', '--allow-root', '--ServerApp.ip=127.0.0.1',
             f'--ServerApp.port={self.port}', '--ServerApp.port_retries=0', f'--IdentityProvider.token={self.token}',
             f'--ServerApp.root_dir={ROOT}'], env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def api(self, method: str, path: str, body=None):
        req = urllib.request.Request(self.base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={'Authorization': f'token {self.token}',
                                              'Content-Type': 'application/json'})
        with urllib.request.urlopen(req, timeout=60) as r:
            text = r.read().decode()
            return r.status, (json.loads(text) if text and r.headers.get_content_type() == 'application/json' else text)

    def wait_ready(self, timeout: float = 180):
        t0 = time.time()
        while time.time() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f'jupyter lab exited with {self.proc.returncode}: see {self.log.name}')
            try:
                if self.api('GET', '/api/status')[0] == 200:
                    return
            except OSError:
                time.sleep(0.5)
        raise TimeoutError(f'jupyter lab did not answer within {timeout} s: see {self.log.name}')

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture
def server(tmp_path):
    _need_lab()
    s = Server(tmp_path)
    try:
        s.wait_ready()
        yield s
    finally:
        s.stop()


def _message(session: str, code: str) -> dict:
    msg_id = uuid.uuid4().hex
    return {'header': {'msg_id': msg_id, 'msg_type': 'execute_request', 'session': session, 'username': 'test',
                       'version': '5.3', 'date': ''},
            'parent_header': {}, 'metadata': {}, 'channel': 'shell', 'buffers': [],
            'content': {'code': code, 'silent': False, 'store_history': True, 'user_expressions': {},
                        'allow_stdin': False, 'stop_on_error': True}}


async def _run_cells(url: str, cells: list[str], timeout: float = 300) -> list[dict]:
    "Execute `cells` in order over the kernel websocket; per cell its reply status, stdout text and error (if any)."
    from tornado.websocket import websocket_connect
    ws, session, results = await websocket_connect(url), uuid.uuid4().hex, []
    try:
        for code in cells:
            msg = _message(session, code)
            await ws.write_message(json.dumps(msg))
            out = {'status': None, 'stdout': '', 'error': None}
            while out['status'] is None:
                raw = await asyncio.wait_for(ws.read_message(), timeout)
                if raw is None:
                    raise ConnectionError('kernel websocket closed')
                reply = json.loads(raw)
                if reply.get('parent_header', {}).get('msg_id') != msg['header']['msg_id']:
                    continue
                kind, content = reply['msg_type'], reply['content']
                if kind == 'stream' and content.get('name') == 'stdout':
                    out['stdout'] += content['text']
                elif kind == 'error':
                    out['error'] = f"{content['ename']}: {content['evalue']}"
                elif kind == 'execute_reply':
                    out['status'] = content['status']
            results.append(out)
            if out['status'] != 'ok':
                break
    finally:
        ws.close()
    return results


def _runnable(cell: dict) -> bool:
    src = ''.join(cell['source'])
    return cell['cell_type'] == 'code' and 'nbdev_export(' not in src and not src.lstrip().startswith(SKIP_FLAGS)


def test_notebook_runs_in_a_jupyterlab_kernel(server):
    status, page = server.api('GET', '/lab')
    assert status == 200 and 'JupyterLab' in page
    status, model = server.api('GET', f'/api/contents/{NOTEBOOK}?content=1')
    assert status == 200 and model['type'] == 'notebook'
    cells = [''.join(c['source']) for c in model['content']['cells'] if _runnable(c)]
    assert len(cells) > 5
    status, session = server.api('POST', '/api/sessions', {'path': NOTEBOOK, 'type': 'notebook', 'name': 'core',
                                                           'kernel': {'name': 'python3'}})
    assert status == 201, session
    kernel = session['kernel']['id']
    probe = "import glad, sys, os, importlib.metadata as m; print(glad.__file__, sys.executable, os.getcwd(), m.version('glad'), sep='\\n')"
    url = f"ws://127.0.0.1:{server.port}/api/kernels/{kernel}/channels?token={server.token}"
    try:
        results = asyncio.run(_run_cells(url, cells + [probe]))
    finally:
        server.api('DELETE', f"/api/sessions/{session['id']}")
    failed = [(i, r['error']) for i, r in enumerate(results) if r['status'] != 'ok']
    assert not failed, f'cells failed in the kernel: {failed}'
    assert len(results) == len(cells) + 1
    glad_file, executable, cwd, version = results[-1]['stdout'].split('\n')[:4]
    # the kernel runs beside the notebook (nbs/, where there is no glad/): it imported the installed package
    assert Path(cwd) == ROOT / 'nbs'
    assert Path(glad_file) == ROOT / 'glad' / '__init__.py'
    assert Path(executable).parent == Path(sys.executable).parent
    assert version
