"""Online training speed of the paper setting: sequences per second, one seed at a time
(`training.train_batch`, as `runner.run` does) against K seeds in lockstep
(`experiments.lockstep.LockstepNets`). Each loop draws its sequences, updates and
scores them, as a run does; the final test is not timed.

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_online.py adding-100 6a --sequences 400 --k 1 5 10
    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_online.py adding-100 --k 10 --baseline /tmp/old --rounds 3
    python benchmarks/bench_online.py adding-100 --profile     # where one online update spends its time

Rates are given per second of wall time and per second of CPU time (time.process_time;
the steadier of the two on a shared machine). --baseline DIR also times the lockstep
class of another copy of the package (DIR/lstm, e.g. `git archive <commit> lstm | tar -x
-C DIR`), in the same run, alternating with this one, on the same sequences (drawn by
this package's stopping rules).
"""
import argparse
import cProfile
import importlib
import os
import pstats
import statistics
import time

import numpy as np

from lstm.experiments import EXPERIMENTS, score
from lstm.experiments.lockstep import LockstepNets, _stack
from lstm.experiments.runner import stopping_rule
from lstm.experiments.training import build_model, make_optimizer, train_batch

from baseline import load_baseline


def _rates(n, start, start_cpu):
    return n / (time.perf_counter() - start), n / (time.process_time() - start_cpu)


def one_at_a_time(exp, n, seed=0):
    cfg = exp.setting("paper")
    rng = np.random.default_rng(seed)
    model = build_model(cfg, exp.input_size, exp.output_size, rng)
    opt = make_optimizer(cfg, model)
    rule = stopping_rule(exp, cfg, rng, rng)  # draws the sequences as a run does
    start, start_cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        batch = rule.draw(1)
        _, y = train_batch(model, opt, batch, cfg)
        score(exp, y, batch)
    return _rates(n, start, start_cpu)


def lockstep(exp, n, K, nets_class=LockstepNets):
    """(wall, CPU) sequences per second of K seeds in lockstep, with `nets_class`."""
    cfg = exp.setting("paper")
    rngs = [np.random.default_rng(k) for k in range(K)]
    nets = nets_class([build_model(cfg, exp.input_size, exp.output_size, r) for r in rngs], cfg)
    rules = [stopping_rule(exp, cfg, r, r) for r in rngs]
    rounds = max(1, n // K)
    start, start_cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        batches = [rule.draw(1) for rule in rules]
        y = nets.update(*_stack(batches, (exp.input_size, exp.output_size)))
        for k, b in enumerate(batches):
            score(exp, y[:b.X.shape[0], k:k + 1], b)
    return _rates(rounds * K, start, start_cpu)


def baseline_lockstep_class(directory):
    """LockstepNets of the package in directory/lstm, imported as lstm_baseline."""
    load_baseline(directory)
    return importlib.import_module("lstm_baseline.experiments.lockstep").LockstepNets


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="+")
    p.add_argument("--sequences", type=int, default=400)
    p.add_argument("--k", type=int, nargs="+", default=[1, 5, 10])
    p.add_argument("--baseline", metavar="DIR", help="also time LockstepNets of the package in DIR/lstm")
    p.add_argument("--rounds", type=int, default=1, help="repeat each measurement, report medians (default 1)")
    p.add_argument("--profile", action="store_true")
    args = p.parse_args()
    old_class = baseline_lockstep_class(args.baseline) if args.baseline else None
    for name in args.names:
        exp = EXPERIMENTS[name]
        if args.profile:
            cProfile.runctx("one_at_a_time(exp, args.sequences)", globals(), locals(), "/tmp/bench_online.prof")
            pstats.Stats("/tmp/bench_online.prof").sort_stats("tottime").print_stats(12)
            continue
        load = os.getloadavg()[0]
        base = [one_at_a_time(exp, args.sequences) for _ in range(args.rounds)]
        base_wall, base_cpu = statistics.median(r[0] for r in base), statistics.median(r[1] for r in base)
        row = [f"{name}: one at a time {base_wall:,.0f} seq/s ({base_cpu:,.0f} per CPU-s)"]
        for K in args.k:
            new, old = [], []
            for r in range(args.rounds):  # alternate which version goes first
                first, second = (LockstepNets, old_class) if r % 2 == 0 else (old_class, LockstepNets)
                for cls in (first, second):
                    if cls is not None:
                        (new if cls is LockstepNets else old).append(lockstep(exp, args.sequences, K, cls))
            wall, cpu = statistics.median(r[0] for r in new), statistics.median(r[1] for r in new)
            text = f"lockstep K={K} {wall:,.0f} seq/s ({cpu:,.0f} per CPU-s, {cpu / base_cpu:.1f}x one at a time)"
            if old:
                old_wall, old_cpu = statistics.median(r[0] for r in old), statistics.median(r[1] for r in old)
                text += (f", baseline {old_wall:,.0f} seq/s ({old_cpu:,.0f} per CPU-s): "
                         f"{wall / old_wall:.2f}x wall, {cpu / old_cpu:.2f}x CPU")
            row.append(text)
        print("; ".join(row) + f"; load average {load:.1f} -> {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
