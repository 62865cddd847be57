"""CPU time to decode 10 images at 32 px with `glad.generators.tiny_generator` (mapping + synthesis, no gradient).

Usage: python benchmarks/bench_decode.py [--n 10] [--res 32] [--repeats 5] [--threads T] [--compile]
Prints one markdown table row per measurement; nothing is asserted. With --compile a second row times the same
generator under `torch.compile` (its one-off compile time is reported separately).
"""
import argparse
import time

import torch

from glad.core import make_generator
from glad.generators import tiny_generator


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--n', type=int, default=10, help='images per decode')
    ap.add_argument('--res', type=int, default=32, help='image resolution')
    ap.add_argument('--repeats', type=int, default=5, help='timed repeats (after one warm-up)')
    ap.add_argument('--threads', type=int, default=None, help='torch CPU threads (default: torch default)')
    ap.add_argument('--compile', action='store_true', help='also time torch.compile(G)')
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    G = tiny_generator(res=args.res).eval()
    build = time.perf_counter() - t0
    g = make_generator(0)
    z = torch.randn(args.n, G.z_dim, generator=g)
    c = torch.arange(args.n) % G.c_dim
    rows = [('decode tiny_generator, CPU', build, _time(G, z, c, args.repeats))]
    if args.compile:
        Gc = torch.compile(G)
        t0 = time.perf_counter()
        with torch.no_grad():
            Gc(z, c)
        rows.append(('decode tiny_generator, CPU, torch.compile', time.perf_counter() - t0,
                     _time(Gc, z, c, args.repeats)))
    print('| benchmark | images | res | threads | build or compile (s) | best (s) | median (s) |')
    print('|---|---|---|---|---|---|---|')
    for name, setup, times in rows:
        print(f'| {name} | {args.n} | {args.res} | {torch.get_num_threads()} | {setup:.3f} '
              f'| {times[0]:.3f} | {times[len(times) // 2]:.3f} |')


def _time(G, z, c, repeats: int) -> list[float]:
    "Sorted wall times of `repeats` no-grad decodes after one warm-up."
    times = []
    with torch.no_grad():
        G(z, c)
        for _ in range(repeats):
            t0 = time.perf_counter()
            G(z, c)
            times.append(time.perf_counter() - t0)
    return sorted(times)


if __name__ == '__main__':
    main()
