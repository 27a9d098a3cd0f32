"""Run one experiment in one setting until its stopping rule holds or a budget runs out.

    result = run("adding-100", setting="modern", seed=0, max_sequences=200_000)
    result["solved"], result["sequences"], result["test_wrong"]

Three generators, all derived from the seed, keep the runs reproducible and independent:
one for the initial weights, one for the training data, one for check and test sets.
"""
import platform
import time
from collections import deque

import numpy as np
from tqdm.auto import tqdm

from .training import build_model, evaluate, make_optimizer, predict, train_batch
from .registry import EXPERIMENTS, SETTINGS, score


class Window:
    """The last `size` training sequences: were they right, and their errors."""

    def __init__(self, size):
        self.right = deque(maxlen=size)
        self.error = deque(maxlen=size)

    def add(self, right, error):
        self.right.extend(bool(r) for r in right)
        self.error.extend(float(e) for e in error)

    @property
    def full(self):
        return len(self.right) == self.right.maxlen

    def wrong(self):
        return len(self.right) - sum(self.right)

    def mean_error(self):
        return float(np.mean(self.error)) if self.error else float("nan")


def _test(exp, model, setting, batch_fn, rng, count, chunk=512):
    """(wrong, mean error, right (count,)) on `count` fresh sequences, made in chunks."""
    rights, errors = [], []
    for start in range(0, count, chunk):
        batch = batch_fn(rng, min(chunk, count - start))
        right, err = score(exp, evaluate(model, batch, setting.head), batch)
        rights.append(right)
        errors.append(err)
    right = np.concatenate(rights)
    return int((~right).sum()), float(np.mean(np.concatenate(errors))), right


def _check_passes(exp, wrong, mean_error):
    rule = exp.check_rule
    if rule == "all":
        return wrong == 0
    if rule == "st2a":
        return wrong == 0 and mean_error < 0.01
    if rule == "st2b":
        return wrong < 6 and mean_error < 0.04
    if rule == "st2c":
        return wrong == 0 and mean_error < 0.015
    raise ValueError(f"unknown check rule {rule!r}")


def _reber_sets(rng):
    from ..tasks import reber
    train = reber.generate_many(reber.EMBEDDED_REBER, rng, 256)
    test = reber.generate_many(reber.EMBEDDED_REBER, rng, 256)
    return train, test


def _fixed_batch(exp, strings):
    from .. import tasks
    if exp.name == "reber":
        from ..tasks import reber
        return tasks.Batch(*reber.encode_batch(reber.EMBEDDED_REBER, strings))
    return tasks.anbn_batch(strings, exp.extra["language"])


def _stream_eval(exp, model, setting, rng, n_strings):
    """Predict one test stream of n_strings strings with no reset: (strings wrong, steps wrong)."""
    from ..tasks import continual_reber
    X, targets, starts = continual_reber.stream(rng, n_strings)
    z = model.forward(X[:, None, :])
    y = predict(z[:, 0], setting.head)
    bad_step = np.any((y > 0.5) != (targets > 0.5), axis=1)
    string_of_step = np.searchsorted(starts, np.arange(len(X)), side="right") - 1
    return len(np.unique(string_of_step[bad_step])), int(bad_step.sum())


def run(name, setting="modern", seed=0, max_sequences=None, max_seconds=600.0, progress=True, keep_model=False):
    """Train experiment `name` in `setting` with `seed`; returns a JSON-ready dict.

    max_sequences: training budget in sequences (default: 4x the paper's mean, at least
    300,000); max_seconds: wall-clock budget. A run that meets neither the stopping
    rule nor its budget reports solved=False with the sequences it saw.
    keep_model: also return the trained model under the key "model" (not JSON-ready).
    """
    if name not in EXPERIMENTS:
        raise ValueError(f"unknown experiment {name!r}; expected one of {sorted(EXPERIMENTS)}")
    if setting not in SETTINGS:
        raise ValueError(f"setting must be one of {SETTINGS}, got {setting!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    exp = EXPERIMENTS[name]
    cfg = exp.setting(setting)
    if max_sequences is None:
        max_sequences = max(300_000, 4 * int(exp.paper.sequences or 0))
    if isinstance(max_sequences, bool) or not isinstance(max_sequences, (int, np.integer)) or max_sequences < 1:
        raise ValueError(f"max_sequences must be a positive integer, got {max_sequences!r}")
    if not (isinstance(max_seconds, (int, float)) and max_seconds > 0):
        raise ValueError(f"max_seconds must be a positive number, got {max_seconds!r}")

    rng_init, rng_data, rng_test = (np.random.default_rng([seed, k]) for k in range(3))
    model = build_model(cfg, exp.input_size, exp.output_size, rng_init)
    opt = make_optimizer(cfg, model)
    window = Window(exp.window)
    start = time.perf_counter()
    seen, next_check, solved = 0, exp.check_every, False
    curve, next_point = [], 0
    info = {}
    bs = cfg.batch_size

    if exp.criterion == "fixed":
        if exp.name == "reber":
            train_set, test_set = _reber_sets(rng_data)
        else:
            train_set, test_set = list(range(1, exp.extra["train_n"] + 1)), []
        train_full = _fixed_batch(exp, train_set)
        test_full = _fixed_batch(exp, test_set) if test_set else None
    if exp.criterion == "stream":
        from ..tasks import continual_reber
        stream_iter, state = None, None

    bar = tqdm(total=max_sequences, disable=not progress, desc=f"{name} [{setting}]", unit="seq")
    while seen < max_sequences and time.perf_counter() - start < max_seconds:
        n = min(bs, max_sequences - seen)
        if exp.criterion == "stream":
            if stream_iter is None:
                full = continual_reber.stream_batch(rng_data, bs, exp.extra["strings_per_stream"])
                stream_iter, state = continual_reber.windows(full, exp.extra["window"]), None
            batch = next(stream_iter, None)
            if batch is None:
                stream_iter = None
                n = bs * exp.extra["strings_per_stream"]  # strings consumed by that stream batch
                seen += n
                bar.update(n)
            else:
                loss, y = train_batch(model, opt, batch, cfg, state)
                state = tuple(np.array(s) for s in model.final_state)
                right, err = score(exp, y, batch)
                window.add(right, err)
                n = 0
        else:
            if exp.criterion == "fixed":
                batch = _fixed_batch(exp, [train_set[k] for k in rng_data.integers(len(train_set), size=n)])
            else:
                batch = exp.batch(rng_data, n)
            loss, y = train_batch(model, opt, batch, cfg)
            right, err = score(exp, y, batch)
            window.add(right, err)
            seen += n
            bar.update(n)
        if seen >= next_point:
            curve.append((seen, window.mean_error(), 1.0 - window.wrong() / max(len(window.right), 1)))
            next_point = seen + max(max_sequences // 200, bs)
        if exp.criterion == "window":
            if window.full and window.wrong() <= exp.allowed_wrong and window.mean_error() < exp.beta:
                solved = True
        elif seen >= next_check:
            next_check = seen + exp.check_every
            recent_ok = window.wrong() == 0 or exp.check_rule != "all"
            if exp.criterion == "check" and recent_ok:
                wrong, mean_err, _ = _test(exp, model, cfg, exp.batch, rng_test, exp.check_size)
                if wrong == 0 and "st1_sequences" not in info:
                    info["st1_sequences"] = seen
                solved = _check_passes(exp, wrong, mean_err)
                info.update(check_wrong=wrong, check_total=exp.check_size)
            elif exp.criterion == "fixed":
                right_tr, _ = score(exp, evaluate(model, train_full, cfg.head), train_full)
                ok = bool(right_tr.all())
                if ok and test_full is not None:
                    right_te, _ = score(exp, evaluate(model, test_full, cfg.head), test_full)
                    ok = bool(right_te.all())
                solved = ok
            elif exp.criterion == "stream" and window.wrong() == 0 and window.full:
                wrong_strings, _ = _stream_eval(exp, model, cfg, rng_test, exp.test_size)
                solved = wrong_strings == 0
        if solved:
            break
        bar.set_postfix(err=f"{window.mean_error():.4f}", wrong=window.wrong())
    bar.close()
    train_seconds = time.perf_counter() - start
    curve.append((seen, window.mean_error(), 1.0 - window.wrong() / max(len(window.right), 1)))

    # the test after training
    if exp.criterion in ("window", "check") and exp.test_size > 0:
        wrong, mean_err, _ = _test(exp, model, cfg, exp.batch, rng_test, exp.test_size)
        test_wrong, test_total, test_error = wrong, exp.test_size, mean_err
    elif exp.criterion == "check":
        wrong, mean_err, _ = _test(exp, model, cfg, exp.batch, rng_test, exp.check_size)
        test_wrong, test_total, test_error = wrong, exp.check_size, mean_err
    elif exp.name == "reber":
        right_te, err = score(exp, evaluate(model, test_full, cfg.head), test_full)
        test_wrong, test_total, test_error = int((~right_te).sum()), len(test_set), float(err.mean())
    elif exp.criterion == "fixed":  # a^n b^n (c^n): how far beyond the training n does it go?
        n_max = 200 if exp.extra["language"] == "anbn" else 100
        big = _fixed_batch(exp, list(range(1, n_max + 1)))
        right_te, err = score(exp, evaluate(model, big, cfg.head, chunk=64), big)
        test_wrong, test_total, test_error = int((~right_te).sum()), n_max, float(err.mean())
        info["generalises_to"] = int(np.argmin(right_te)) if not right_te.all() else n_max
        info["wrong_n"] = [int(k + 1) for k in np.flatnonzero(~right_te)][:20]
    else:  # stream
        wrong_strings, wrong_steps = _stream_eval(exp, model, cfg, rng_test, exp.test_size)
        test_wrong, test_total, test_error = wrong_strings, exp.test_size, float(wrong_steps)
        info["test_steps_wrong"] = wrong_steps

    result = {
        "experiment": name, "setting": setting, "seed": int(seed), "solved": bool(solved),
        "sequences": int(seen), "test_wrong": int(test_wrong), "test_total": int(test_total),
        "test_error": float(test_error), "seconds": round(time.perf_counter() - start, 2),
        "train_seconds": round(train_seconds, 2), "max_sequences": int(max_sequences),
        "budget_hit": (not solved) and seen < max_sequences, "parameters": int(sum(
            v.size for layer in model.layers for v in layer.params.values())),
        "config": {k: v for k, v in vars(cfg).items()}, "curve": [list(map(float, c)) for c in curve],
        "paper": {"sequences": exp.paper.sequences, "success": exp.paper.success,
                  "test_wrong": exp.paper.test_wrong, "source": exp.paper.source, "note": exp.paper.note},
        **info,
    }
    result["budget_hit"] = (not solved) and seen < max_sequences  # stopped by the clock
    if keep_model:
        result["model"] = model
    return result


def machine_info():
    import os
    return {"python": platform.python_version(), "numpy": np.__version__, "machine": platform.machine(),
            "processor": platform.processor(), "cpus": os.cpu_count(), "system": platform.system()}
