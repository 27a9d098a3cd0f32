"""Run one experiment in one setting until its stopping rule holds or a budget runs out.

    result = run("adding-100", setting="modern", seed=0, max_sequences=200_000)
    result["solved"], result["sequences"], result["test_wrong"]

Three generators, all derived from the seed, keep the runs reproducible and independent:
one for the initial weights, one for the training data, one for check and test sets.
"""
import platform
import time

import numpy as np
from tqdm.auto import tqdm

from .registry import EXPERIMENTS, SETTINGS
from .stopping import Window, stopping_rule
from .training import build_model, make_optimizer


def _check_arguments(name, setting, seed, max_sequences, max_seconds):
    if name not in EXPERIMENTS:
        raise ValueError(f"unknown experiment {name!r}; expected one of {sorted(EXPERIMENTS)}")
    if setting not in SETTINGS:
        raise ValueError(f"setting must be one of {SETTINGS}, got {setting!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if isinstance(max_sequences, bool) or not isinstance(max_sequences, (int, np.integer)) or max_sequences < 1:
        raise ValueError(f"max_sequences must be a positive integer, got {max_sequences!r}")
    if not (isinstance(max_seconds, (int, float)) and max_seconds > 0):
        raise ValueError(f"max_seconds must be a positive number, got {max_seconds!r}")


def run(name, setting="modern", seed=0, max_sequences=None, max_seconds=600.0, progress=True, keep_model=False):
    """Train experiment `name` in `setting` with `seed`; returns a JSON-ready dict.

    max_sequences: training budget in sequences (default: 4x the paper's mean, at least
    300,000); max_seconds: wall-clock budget (not for "paper97", which `runner1997` runs). A run that meets neither the stopping
    rule nor its budget reports solved=False with the sequences it saw.
    keep_model: also return the trained model under the key "model" (not JSON-ready).
    """
    exp = EXPERIMENTS.get(name)
    if max_sequences is None and exp is not None:
        max_sequences = max(300_000, 4 * int(exp.paper.sequences or 0))
    _check_arguments(name, setting, seed, max_sequences, max_seconds)
    if setting == "paper97":  # the paper's own net: its runner trains seeds in lockstep, without a clock
        from .runner1997 import run_net1997
        return run_net1997(name, [seed], max_sequences)[0]
    cfg = exp.setting(setting)
    rng_init, rng_data, rng_test = (np.random.default_rng([seed, k]) for k in range(3))
    model = build_model(cfg, exp.input_size, exp.output_size, rng_init)
    opt = make_optimizer(cfg, model)
    window = Window(exp.window)
    start = time.perf_counter()
    rule = stopping_rule(exp, cfg, rng_data, rng_test)
    seen, solved, curve, next_point = 0, False, [], 0

    def point():  # a point of the learning curve: (sequences, mean error, fraction right)
        return (seen, window.mean_error(), 1.0 - window.wrong() / max(len(window.right), 1))

    bar = tqdm(total=max_sequences, disable=not progress, desc=f"{name} [{setting}]", unit="seq")
    while seen < max_sequences and time.perf_counter() - start < max_seconds:
        n = rule.train(model, opt, min(cfg.batch_size, max_sequences - seen), window)
        seen += n
        bar.update(n)
        if seen >= next_point:
            curve.append(point())
            next_point = seen + max(max_sequences // 200, cfg.batch_size)
        solved = rule.solved(model, window, seen)
        if solved:
            break
        bar.set_postfix(err=f"{window.mean_error():.4f}", wrong=window.wrong())
    bar.close()
    train_seconds = time.perf_counter() - start
    curve.append(point())
    test_wrong, test_total, test_error = rule.test(model)

    result = run_result(exp, setting, seed, solved, seen, max_sequences, (test_wrong, test_total, test_error),
                        model, curve, start, train_seconds, rule.info)
    if keep_model:
        result["model"] = model
    return result


def run_result(exp, setting, seed, solved, seen, max_sequences, test, model, curve, start, train_seconds, info):
    """The JSON-ready record of one run (what `run` returns). test: (wrong, total, error);
    start: the run's `time.perf_counter()` at its start; info: the stopping rule's extras."""
    test_wrong, test_total, test_error = test
    return {
        "experiment": exp.name, "setting": setting, "seed": int(seed), "solved": bool(solved),
        "sequences": int(seen), "test_wrong": int(test_wrong), "test_total": int(test_total),
        "test_error": float(test_error), "seconds": round(time.perf_counter() - start, 2),
        "train_seconds": round(train_seconds, 2), "max_sequences": int(max_sequences),
        "budget_hit": (not solved) and seen < max_sequences, "parameters": int(sum(
            v.size for layer in model.layers for v in layer.params.values())),
        "config": dict(vars(exp.setting(setting))), "curve": [list(map(float, c)) for c in curve],
        "paper": {"sequences": exp.paper.sequences, "success": exp.paper.success,
                  "test_wrong": exp.paper.test_wrong, "source": exp.paper.source, "note": exp.paper.note},
        **info,
    }


def machine_info():
    import os
    return {"python": platform.python_version(), "numpy": np.__version__, "machine": platform.machine(),
            "processor": platform.processor(), "cpus": os.cpu_count(), "system": platform.system()}
