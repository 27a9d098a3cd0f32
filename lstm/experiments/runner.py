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

from .. import tasks
from .registry import EXPERIMENTS, SETTINGS, score
from .training import build_model, evaluate, make_optimizer, predict, train_batch


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


# Stopping rules: one class per `Experiment.criterion`. A rule draws the training data
# (`train`: one update, returns how many sequences it used), says when training is done
# (`solved`, asked after every update) and runs the test after training (`test`).
# `info` collects what the result reports beyond the common keys.

class WindowRule:
    """The paper's ST3(beta): the last `exp.window` training sequences were right (up to
    `allowed_wrong`) and their mean error is below beta; then a fresh test set."""

    def __init__(self, exp, setting, rng_data, rng_test):
        self.exp, self.setting, self.rng_data, self.rng_test = exp, setting, rng_data, rng_test
        self.next_check = exp.check_every
        self.info = {}

    def draw(self, n):
        """The next n training sequences, as a Batch."""
        return self.exp.batch(self.rng_data, n)

    def train(self, model, optimizer, n, window):
        batch = self.draw(n)
        _, y = train_batch(model, optimizer, batch, self.setting)
        window.add(*score(self.exp, y, batch))
        return n

    def solved(self, model, window, seen):
        exp = self.exp
        return window.full and window.wrong() <= exp.allowed_wrong and window.mean_error() < exp.beta

    def test(self, model):
        """(wrong, total, error) on the test set after training."""
        wrong, error, _ = _test(self.exp, model, self.setting, self.exp.batch, self.rng_test, self.exp.test_size)
        return wrong, self.exp.test_size, error


class CheckRule(WindowRule):
    """Every `check_every` sequences (once the recent ones were right, for the "all" rule),
    a fresh check set of `check_size` sequences; done when it passes `check_rule`."""

    def solved(self, model, window, seen):
        if seen < self.next_check:
            return False
        self.next_check = seen + self.exp.check_every
        return self.check(model, window, seen)

    def check(self, model, window, seen):
        exp = self.exp
        if window.wrong() != 0 and exp.check_rule == "all":
            return False
        wrong, mean_error, _ = _test(exp, model, self.setting, exp.batch, self.rng_test, exp.check_size)
        if wrong == 0 and "st1_sequences" not in self.info:
            self.info["st1_sequences"] = seen
        self.info.update(check_wrong=wrong, check_total=exp.check_size)
        return _check_passes(exp, wrong, mean_error)

    def test(self, model):
        if self.exp.test_size > 0:
            return super().test(model)
        wrong, error, _ = _test(self.exp, model, self.setting, self.exp.batch, self.rng_test, self.exp.check_size)
        return wrong, self.exp.check_size, error


class ReberRule(CheckRule):
    """A fixed training set of `train_strings` embedded Reber strings and as many test
    strings; every `check_every` sequences, done when every string of both is right."""

    def __init__(self, exp, setting, rng_data, rng_test):
        super().__init__(exp, setting, rng_data, rng_test)
        self.train_set, self.test_set = self.training_sets(rng_data)
        self.train_full = self.encode(self.train_set)
        self.test_full = self.encode(self.test_set) if self.test_set else None

    def training_sets(self, rng):
        from ..tasks import reber
        train = reber.generate_many(reber.EMBEDDED_REBER, rng, self.exp.train_strings)
        test = reber.generate_many(reber.EMBEDDED_REBER, rng, self.exp.train_strings)
        return train, test

    def encode(self, strings):
        from ..tasks import reber
        return tasks.Batch(*reber.encode_batch(reber.EMBEDDED_REBER, strings))

    def draw(self, n):
        """n strings of the fixed training set, drawn with replacement, as a Batch."""
        return self.encode([self.train_set[k] for k in self.rng_data.integers(len(self.train_set), size=n)])

    def all_right(self, model, batch):
        right, _ = score(self.exp, evaluate(model, batch, self.setting.head), batch)
        return bool(right.all())

    def check(self, model, window, seen):
        ok = self.all_right(model, self.train_full)
        if ok and self.test_full is not None:
            ok = self.all_right(model, self.test_full)
        return ok

    def test(self, model):
        right, error = score(self.exp, evaluate(model, self.test_full, self.setting.head), self.test_full)
        return int((~right).sum()), len(self.test_set), float(error.mean())


class AnbnRule(ReberRule):
    """Gers & Schmidhuber 2001: train on n = 1..train_n until every one is right, then
    test how far beyond that the network still counts (up to n = 200, 100 for a^n b^n c^n)."""

    def training_sets(self, rng):
        return list(range(1, self.exp.train_n + 1)), []

    def encode(self, strings):
        return tasks.anbn_batch(strings, self.exp.language)

    def test(self, model):
        n_max = 200 if self.exp.language == "anbn" else 100
        big = self.encode(list(range(1, n_max + 1)))
        right, error = score(self.exp, evaluate(model, big, self.setting.head, chunk=64), big)
        self.info["generalises_to"] = int(np.argmin(right)) if not right.all() else n_max
        self.info["wrong_n"] = [int(k + 1) for k in np.flatnonzero(~right)][:20]
        return int((~right).sum()), n_max, float(error.mean())


class StreamRule(CheckRule):
    """Gers et al. 2000: streams of `strings_per_stream` continual Reber strings, trained in
    windows of `stream_window` steps with the state carried over; every `check_every`
    strings, once the recent windows were all right, a test stream must be all right."""

    def __init__(self, exp, setting, rng_data, rng_test):
        super().__init__(exp, setting, rng_data, rng_test)
        self.windows, self.state = None, None

    def train(self, model, optimizer, n, window):
        from ..tasks import continual_reber
        exp, bs = self.exp, self.setting.batch_size
        if self.windows is None:  # a new batch of streams, from a fresh state
            full = continual_reber.stream_batch(self.rng_data, bs, exp.strings_per_stream)
            self.windows, self.state = continual_reber.windows(full, exp.stream_window), None
        batch = next(self.windows, None)
        if batch is None:  # the streams are used up: count their strings
            self.windows = None
            return bs * exp.strings_per_stream
        _, y = train_batch(model, optimizer, batch, self.setting, self.state)
        self.state = tuple(np.array(s) for s in model.final_state)
        window.add(*score(exp, y, batch))
        return 0

    def check(self, model, window, seen):
        if not (window.wrong() == 0 and window.full):
            return False
        wrong_strings, _ = _stream_eval(self.exp, model, self.setting, self.rng_test, self.exp.test_size)
        return wrong_strings == 0

    def test(self, model):
        wrong_strings, wrong_steps = _stream_eval(self.exp, model, self.setting, self.rng_test, self.exp.test_size)
        self.info["test_steps_wrong"] = wrong_steps
        return wrong_strings, self.exp.test_size, float(wrong_steps)


def stopping_rule(exp, setting, rng_data, rng_test):
    """The stopping rule of `exp` (its criterion), ready to train."""
    if exp.criterion == "fixed":
        cls = ReberRule if exp.language is None else AnbnRule
    else:
        rules = {"window": WindowRule, "check": CheckRule, "stream": StreamRule}
        if exp.criterion not in rules:
            raise ValueError(f"unknown criterion {exp.criterion!r}")
        cls = rules[exp.criterion]
    return cls(exp, setting, rng_data, rng_test)


def _stream_eval(exp, model, setting, rng, n_strings):
    """Predict one test stream of n_strings strings with no reset: (strings wrong, steps wrong)."""
    from ..tasks import continual_reber
    X, targets, starts = continual_reber.stream(rng, n_strings)
    z = model.forward(X[:, None, :])
    y = predict(z[:, 0], setting.head)
    bad_step = np.any((y > 0.5) != (targets > 0.5), axis=1)
    string_of_step = np.searchsorted(starts, np.arange(len(X)), side="right") - 1
    return len(np.unique(string_of_step[bad_step])), int(bad_step.sum())


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
