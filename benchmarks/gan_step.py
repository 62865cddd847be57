"""Seconds per GAN training step (`glad.gan.train_step`) and images per second, for the default `GANConfig`.

Usage: python benchmarks/gan_step.py [--batch 64] [--steps 3] [--threads N] [--device cpu|cuda]
Prints one table row with the thread count and device. Run it alone: other torch processes distort it.
"""
import argparse
import time

import torch

from glad.gan import GANConfig, init_state, train_step


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--steps', type=int, default=3)
    p.add_argument('--threads', type=int, default=None)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    cfg = GANConfig(batch=a.batch, device=a.device, progress=False)
    state = init_state(cfg, 1, 32, 10, a.device)
    real = torch.rand(a.batch, 1, 32, 32, device=a.device) * 2 - 1
    labels = torch.randint(10, (a.batch,), device=a.device)
    train_step(state, real, labels, cfg)                    # warm-up (and the R1 step)
    times = []
    for _ in range(a.steps):
        if a.device.startswith('cuda'):
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        train_step(state, real, labels, cfg)
        if a.device.startswith('cuda'):
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    best = min(times)
    print('| device | threads | batch | best step (s) | images/s |\n|---|---|---|---|---|')
    print(f'| {a.device} | {torch.get_num_threads()} | {a.batch} | {best:.2f} | {a.batch / best:.1f} |')


if __name__ == '__main__':
    main()
