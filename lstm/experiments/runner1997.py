"""Runs of the "paper97" setting: the paper's own net (`net1997`), seeds in lockstep.

    results = run_net1997("2a", seeds=range(100, 110), max_sequences=300_000)

The same stopping rules, data and test sets as every other setting (`runner.stopping_rule`
draws each seed's sequences from np.random.default_rng([seed, 1]) and its check and test
sets from [seed, 2]; the weights come from [seed, 0]); only the net and its learning rule
differ: the experiment's `paper_net` (a `net1997.Spec`), trained online by appendix A's
truncated rule. The result dicts have the keys of `runner.run`'s.
"""
import time

import numpy as np

from .net1997 import Net1997
from .registry import EXPERIMENTS, score
from .stopping import Window, stopping_rule
from .training import Setting

SETTING = "paper97"
CRITERIA = ("window", "check", "fixed")  # the rules that draw one sequence at a time


def _stack(batches, dims):
    """Per-seed Batches of one sequence -> X (T, S, D), targets (T, S, K), mask (T, S), padded."""
    T = max(b.X.shape[0] for b in batches)
    X, targets = np.zeros((T, len(batches), dims[0])), np.zeros((T, len(batches), dims[1]))
    mask = np.zeros((T, len(batches)), dtype=bool)
    for k, b in enumerate(batches):
        L = b.X.shape[0]
        X[:L, k], targets[:L, k], mask[:L, k] = b.X[:, 0], b.targets[:, 0], b.mask[:, 0]
    return X, targets, mask


def run_net1997(name, seeds, max_sequences=None, spec=None, progress=0, experiment=None):
    """Train experiment `name`'s paper_net for every seed, in lockstep; a list of result
    dicts in the order of `seeds` (a solved seed leaves the stack).

    spec: a `net1997.Spec` to train instead of the experiment's paper_net (to probe one
    reading of the paper against another); progress: print a line every that many sequences
    (0: silent); experiment: an `Experiment` to run instead of EXPERIMENTS[name] (e.g. with
    another scoring rule)."""
    if name not in EXPERIMENTS:
        raise ValueError(f"unknown experiment {name!r}; expected one of {sorted(EXPERIMENTS)}")
    exp = EXPERIMENTS[name] if experiment is None else experiment
    if spec is None and exp.paper_net is None:
        raise ValueError(f"{name!r} has no paper_net: the paper's own net is written out for "
                         f"{sorted(n for n, e in EXPERIMENTS.items() if e.paper_net is not None)}")
    if exp.criterion not in CRITERIA:
        raise ValueError(f"the paper's net runs the stopping rules {CRITERIA}; {name!r} has {exp.criterion!r}")
    seeds = [int(s) for s in seeds]
    if not seeds or any(s < 0 for s in seeds) or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct non-negative integers, got {seeds}")
    if max_sequences is None:
        max_sequences = max(300_000, 4 * int(exp.paper.sequences or 0))
    spec = exp.paper_net if spec is None else spec
    start = time.perf_counter()
    nets = Net1997(spec, exp.input_size, exp.output_size, seeds)
    rule_setting = Setting(SETTING, head="sigmoid_sse", batch_size=1)  # what the rules read: the output head
    rules = [stopping_rule(exp, rule_setting, np.random.default_rng([s, 1]), np.random.default_rng([s, 2]))
             for s in seeds]
    active = list(range(len(seeds)))  # positions in `seeds` of the seeds still training
    windows = [Window(exp.window) for _ in seeds]
    curves, next_point = [[] for _ in seeds], [0] * len(seeds)
    results, seen = [None] * len(seeds), 0
    weights = sum(int(v.sum()) for v in nets.exists.values())

    def point(j):
        w = windows[j]
        return seen, w.mean_error(), 1.0 - w.wrong() / max(len(w.right), 1)

    def finish(j, k, solved):
        train_seconds = time.perf_counter() - start
        curves[j].append(point(j))
        test_wrong, test_total, test_error = rules[j].test(nets.seed_model(k))
        results[j] = {
            "experiment": name, "setting": SETTING, "seed": seeds[j], "solved": bool(solved), "sequences": int(seen),
            "test_wrong": int(test_wrong), "test_total": int(test_total), "test_error": float(test_error),
            "seconds": round(time.perf_counter() - start, 2), "train_seconds": round(train_seconds, 2),
            "max_sequences": int(max_sequences), "budget_hit": False, "parameters": weights,
            "config": dict(vars(spec)), "curve": [list(map(float, c)) for c in curves[j]],
            "paper": {"sequences": exp.paper.sequences, "success": exp.paper.success,
                      "test_wrong": exp.paper.test_wrong, "source": exp.paper.source, "note": exp.paper.note},
            "lockstep": len(seeds), **rules[j].info}

    while active and seen < max_sequences:
        batches = [rules[j].draw(1) for j in active]
        y = nets.train_sequence(*_stack(batches, (exp.input_size, exp.output_size)))
        seen += 1
        if progress and seen % progress == 0:
            print(f"  {name} {seen:,}: right in the last window {[round(1 - windows[j].wrong() / max(len(windows[j].right), 1), 3) for j in active]}, "
                  f"mean error {[round(windows[j].mean_error(), 4) for j in active]}, solved {[seeds[j] for j in range(len(seeds)) if results[j] is not None]} "
                  f"({time.perf_counter() - start:.0f} s)", flush=True)
        done = []
        for k, (j, batch) in enumerate(zip(active, batches)):
            windows[j].add(*score(exp, y[:batch.X.shape[0], k][:, None, :], batch))
            if seen >= next_point[j]:
                curves[j].append(point(j))
                next_point[j] = seen + max(max_sequences // 200, 1)
            if rules[j].solved(nets.seed_model(k), windows[j], seen):
                done.append((j, k))
        for j, k in done:
            finish(j, k, True)
        if done:
            gone = {j for j, _ in done}
            nets.keep([k for k, j in enumerate(active) if j not in gone])
            active = [j for j in active if j not in gone]
    for k, j in enumerate(active):
        finish(j, k, False)
    return results
