"""Online training speed of the paper setting: sequences per second, one seed at a time
(`training.train_batch`, as `runner.run` does) against K seeds in lockstep
(`experiments.lockstep.LockstepNets`). Each loop draws its sequences, updates and
scores them, as a run does; the final test is not timed.

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_online.py adding-100 6a --sequences 400 --k 1 5 10
    python benchmarks/bench_online.py adding-100 --profile     # where one online update spends its time
"""
import argparse
import cProfile
import os
import pstats
import time

import numpy as np

from lstm.experiments import EXPERIMENTS, score
from lstm.experiments.lockstep import LockstepNets, _stack
from lstm.experiments.runner import stopping_rule
from lstm.experiments.training import build_model, make_optimizer, train_batch


def one_at_a_time(exp, n, seed=0):
    cfg = exp.setting("paper")
    rng = np.random.default_rng(seed)
    model = build_model(cfg, exp.input_size, exp.output_size, rng)
    opt = make_optimizer(cfg, model)
    rule = stopping_rule(exp, cfg, rng, rng)  # draws the sequences as a run does
    start = time.perf_counter()
    for _ in range(n):
        batch = rule.draw(1)
        _, y = train_batch(model, opt, batch, cfg)
        score(exp, y, batch)
    return n / (time.perf_counter() - start)


def lockstep(exp, n, K):
    cfg = exp.setting("paper")
    rngs = [np.random.default_rng(k) for k in range(K)]
    nets = LockstepNets([build_model(cfg, exp.input_size, exp.output_size, r) for r in rngs], cfg)
    rules = [stopping_rule(exp, cfg, r, r) for r in rngs]
    start = time.perf_counter()
    for _ in range(max(1, n // K)):
        batches = [rule.draw(1) for rule in rules]
        y = nets.update(*_stack(batches, (exp.input_size, exp.output_size)))
        for k, b in enumerate(batches):
            score(exp, y[:b.X.shape[0], k:k + 1], b)
    return max(1, n // K) * K / (time.perf_counter() - start)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="+")
    p.add_argument("--sequences", type=int, default=400)
    p.add_argument("--k", type=int, nargs="+", default=[1, 5, 10])
    p.add_argument("--profile", action="store_true")
    args = p.parse_args()
    for name in args.names:
        exp = EXPERIMENTS[name]
        if args.profile:
            cProfile.runctx("one_at_a_time(exp, args.sequences)", globals(), locals(), "/tmp/bench_online.prof")
            pstats.Stats("/tmp/bench_online.prof").sort_stats("tottime").print_stats(12)
            continue
        load = os.getloadavg()[0]
        base = one_at_a_time(exp, args.sequences)
        row = [f"{name}: one at a time {base:,.0f} seq/s"]
        for K in args.k:
            rate = lockstep(exp, args.sequences, K)
            row.append(f"lockstep K={K} {rate:,.0f} seq/s ({rate / base:.1f}x)")
        print(", ".join(row) + f"; load average {load:.1f} -> {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
