"""Seconds per distillation iteration and peak memory for DC, DM and MTT in pixel, W+ and F_n space.

Usage: python benchmarks/distill_step.py [--res 32] [--ipc 1 10] [--threads T] [--iters 3] [--device cpu|cuda]
       [--generator tiny|official] [--batch-real 256]

Each (distiller, space, ipc) runs in its own process (so the peak resident memory is that configuration's
own), builds the run exactly as `glad.distill.run` does (`setup_run`), does one warm-up iteration and times
`--iters` more (`distill_step`: decode, pixel gradient, two-pass backward, SGD step). Data are random images of
the requested shape (timing depends on shapes only); MTT reads a buffer of random trajectories written to a
temporary folder. On CPU the generator is `tiny_generator` at the given resolution; with `--generator
official` (meant for a GPU at 128 px) it is the official 128-px StyleGAN-XL architecture with random weights.
Prints a Markdown table with the thread count and device; nothing is asserted.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

SPACES = (('pixel', None), ('wplus', None), ('f', 'mid'))
DISTILLERS = ('dc', 'dm', 'mtt')


def _data(res: int, channels: int, per_class: int = 300):
    from glad.data import ImageData
    g = torch.Generator().manual_seed(0)
    x = torch.randint(0, 256, (10 * per_class, channels, res, res), dtype=torch.uint8, generator=g)
    return ImageData(x, torch.arange(10).repeat_interleave(per_class), [str(i) for i in range(10)],
                     (0.5,) * channels, (0.25,) * channels, 'random')


def _fake_buffer(folder: Path, spec, epochs: int = 6):
    from glad.experts import ExpertConfig, _prepare_buffer, expert_path, save_expert
    from glad.backbones import flat_params
    cfg = ExpertConfig(out=str(folder), model=spec.name, depth=spec.depth, width=spec.width, norm=spec.norm,
                       epochs=epochs)
    _prepare_buffer(folder, spec, cfg)
    th = flat_params(spec.build(generator=0))
    traj = torch.stack([th + 0.01 * k * torch.randn_like(th) for k in range(epochs + 1)])
    save_expert(expert_path(folder, 0), spec, cfg, {'trajectory': traj, 'train_loss': [], 'test_acc': [0.0],
                                                    'seed': 0, 'seconds': 0.0})


def one(args) -> dict:
    "Time one configuration in this process; returns the measurements."
    from glad.distill import DistillConfig, distill_step, resolve_config, setup_run
    from glad.experts import BackboneSpec
    from glad.core import make_generator
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    channels = 3 if args.generator == 'official' else args.channels
    data = _data(args.res, channels)
    G = None
    if args.space != 'pixel':
        from glad.generators import official_generator, tiny_generator
        G = (official_generator('imagenet128', device='cpu', seed=0) if args.generator == 'official'
             else tiny_generator(res=args.res, img_channels=channels, c_dim=10, seed=0)).to(device).eval().requires_grad_(False)
    layer = None
    if args.space == 'f':
        layer = len(G.synthesis.layer_names) // 2 if args.layer is None else args.layer
    tmp = tempfile.mkdtemp()
    kw = dict(distiller=args.distiller, space=args.space, layer=layer, ipc=args.ipc, batch_real=args.batch_real,
              device=str(device), progress=False, out=tmp)
    if args.distiller == 'mtt':
        spec = BackboneSpec('ConvNet', channels, 10, args.res, None, 128, 'instance')
        _fake_buffer(Path(tmp) / 'experts', spec)
        kw.update(experts=str(Path(tmp) / 'experts'), syn_steps=args.syn_steps, expert_epochs=2, max_start_epoch=2)
    cfg = resolve_config(DistillConfig(**kw))
    space, distiller, opt = setup_run(cfg, data, G, device)
    g = make_generator(0)
    if device.type == 'cuda':
        torch.cuda.reset_peak_memory_stats()
    distill_step(space, distiller, opt, g)                # warm-up
    times = []
    for _ in range(args.iters):
        if device.type == 'cuda':
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        distill_step(space, distiller, opt, g)
        if device.type == 'cuda':
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    times.sort()
    peak = (torch.cuda.max_memory_allocated() / 2**30 if device.type == 'cuda'
            else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20)
    return {'distiller': args.distiller, 'space': args.space if layer is None else f'F_{layer}', 'ipc': args.ipc,
            'median_s': times[len(times) // 2], 'peak_gib': peak, 'threads': torch.get_num_threads(),
            'device': torch.cuda.get_device_name() if device.type == 'cuda' else 'cpu'}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--res', type=int, default=32)
    ap.add_argument('--channels', type=int, default=1, help='image channels for the tiny generator (Fashion-MNIST: 1)')
    ap.add_argument('--ipc', type=int, nargs='+', default=[1, 10])
    ap.add_argument('--iters', type=int, default=3, help='timed iterations after one warm-up')
    ap.add_argument('--threads', type=int, default=None)
    ap.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    ap.add_argument('--generator', choices=('tiny', 'official'), default='tiny')
    ap.add_argument('--layer', type=int, default=None, help='F_n layer (default: the middle one)')
    ap.add_argument('--batch-real', type=int, default=256)
    ap.add_argument('--syn-steps', type=int, default=20, help='MTT student steps (reference default 20)')
    ap.add_argument('--distillers', nargs='+', default=list(DISTILLERS))
    ap.add_argument('--one', nargs=3, metavar=('DISTILLER', 'SPACE', 'IPC'), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        args.distiller, args.space, args.ipc = args.one[0], args.one[1], int(args.one[2])
        print(json.dumps(one(args)))
        return
    rows = []
    for ipc in args.ipc:
        for d in args.distillers:
            for space, _ in SPACES:
                cmd = [sys.executable, __file__, '--one', d, space, str(ipc)] + [
                    a for k, v in vars(args).items() if k not in ('one', 'ipc', 'distillers') and v is not None
                    for a in (f'--{k.replace("_", "-")}', str(v))]
                r = subprocess.run(cmd, capture_output=True, text=True)
                if r.returncode != 0:
                    print(f'{d} {space} ipc {ipc} failed:\n{r.stderr[-2000:]}', file=sys.stderr)
                    continue
                rows.append(json.loads(r.stdout.strip().splitlines()[-1]))
    mem = 'peak GPU memory (GiB)' if args.device.startswith('cuda') else 'peak RSS (GiB)'
    print(f'\n{args.res} px, {args.generator} generator, batch_real {args.batch_real}, MTT syn_steps {args.syn_steps}, '
          f'device {rows[0]["device"] if rows else args.device}, {rows[0]["threads"] if rows else "?"} threads\n')
    print(f'| distiller | space | ipc | s / iteration (median) | {mem} |')
    print('|---|---|--:|--:|--:|')
    for r in rows:
        print(f"| {r['distiller']} | {r['space']} | {r['ipc']} | {r['median_s']:.3f} | {r['peak_gib']:.2f} |")


if __name__ == '__main__':
    main()
