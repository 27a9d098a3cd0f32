"""When a run of a 1997 experiment stops: its stopping rules and the test behind them.

`stopping_rule(exp, setting, rng_data, rng_test)` picks the rule the experiment names:
a window of recent training sequences all right ("window"), a fixed check set right
("check"), the Reber variants, or a stream scored string by string ("stream"). Both
runners (`runner` for the package's models, `runner1997` for the paper's own nets) use
these rules, so a run stops by the same test whichever net it trains.
"""
from __future__ import annotations

from collections import deque

import numpy as np

from .. import tasks
from .registry import score
from .training import evaluate, predict, train_batch


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
