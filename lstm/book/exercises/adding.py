"""Checker for chapter 8's exercise: the adding problem's sequences, targets and test criterion.

The reader writes two functions, as the paper states the task (experiment 4 of
Hochreiter & Schmidhuber 1997; `lstm.tasks.adding` is the package's version)::

    def adding_example(values, p1, p2):
        # values (L,): the random values, uniform in [-1, 1]; p1, p2: the two marked
        # positions (0-based), p1 among the first 10, p2 < T/2
        ...
        return x, target          # x (L, 2): value and marker per step; target a number

    def adding_right(outputs, targets):
        # outputs, targets (M,): the network's output at each sequence's end, and the target
        ...
        return right              # (M,) bool: True where the sequence counts as right

`check_adding(adding_example, adding_right)` builds examples with
`lstm.tasks.adding.adding_sequence` (one of them with position 0 marked), hands the
reader the same values and positions, compares, and names the slip.

Needs numpy and the core package only, so it runs in JupyterLite.
"""
from __future__ import annotations

import numbers

import numpy as np

from lstm.tasks.adding import TOLERANCE, adding_sequence

from . import Report
from .catalogue import NotWritten
from .catalogue import Slip, check

__all__ = ["check_adding", "random_adding_examples", "CATALOGUE"]

TASK = "chapter 8's statement of the adding problem"

CATALOGUE = {
    "target_raw_sum": Slip("the target as the raw sum X1 + X2", "target = 0.5 + (X1 + X2) / 4, the sum scaled into [0, 1]",
                           TASK),
    "target_no_half": Slip("the target without the offset 0.5", "target = 0.5 + (X1 + X2) / 4", TASK),
    "target_div2": Slip("the sum divided by 2 instead of 4", "target = 0.5 + (X1 + X2) / 4", TASK),
    "first_value_kept": Slip("the value at position 0 kept when that pair is marked",
                             "if the first pair is marked, X1 is set to zero (in the input and the target)", TASK),
    "first_zero_only_in_target": Slip("the value at position 0 set to zero in the target but left in the input",
                                      "if the first pair is marked, X1 is set to zero (in the input and the target)",
                                      TASK),
    "no_end_markers": Slip("the first and last steps left unmarked", "marker = -1 at the first and the last step", TASK),
    "no_last_marker": Slip("the last step left unmarked", "marker = -1 at the first and the last step", TASK),
    "end_marker_over_mark": Slip("the -1 end markers written after the marks, so a marked first pair gets -1",
                                 "marker = 1 at the two marked pairs, also when the first pair is marked", TASK),
    "end_markers_plus": Slip("+1 at the first and last steps instead of -1",
                             "marker = -1 at the first and the last step, 1 at the two marked pairs", TASK),
    "columns_swapped": Slip("the columns of x swapped (marker first, value second)",
                            "x[t] = (value, marker)", TASK),
    "one_based": Slip("the positions read as 1-based (p1 + 1 and p2 + 1 marked)",
                      "the marked pairs are x[p1] and x[p2], 0-based", TASK),
    "crit_no_abs": Slip("the error without its absolute value (an output far below the target counts as right)",
                        "right = |output - target| < 0.04", TASK),
    "crit_squared": Slip("the squared error compared with 0.04", "right = |output - target| < 0.04", TASK),
    "crit_relative": Slip("the error relative to the target", "right = |output - target| < 0.04", TASK),
    "crit_001": Slip("0.01, the paper's bound on the mean training error, used as the tolerance per sequence",
                     "right = |output - target| < 0.04", TASK),
}

OFFSETS = np.array([-0.15, -0.1, -0.05, -0.03, -0.01, 0.0, 0.005, 0.02, 0.035, 0.05, 0.1, 0.15])


def random_adding_examples(seed: int = 0, n: int = 4, T: int = 20):
    """n sequences of `adding_sequence(rng, T)`, the last one with position 0 marked; and, for the
    criterion, outputs and targets (M,) with the outputs at fixed offsets from the targets."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    rng = np.random.default_rng(seed)
    seqs, with_zero = [], None
    while len(seqs) < n - 1 or with_zero is None:
        seq = adding_sequence(rng, T)
        if 0 in seq.marked and with_zero is None:
            with_zero = seq
        elif 0 not in seq.marked and len(seqs) < n - 1:
            seqs.append(seq)
    seqs.append(with_zero)
    values = []
    for seq in seqs:  # the raw values: the one at a marked position 0 is random, as drawn
        v = seq.x[:, 0].copy()
        if 0 in seq.marked:
            v[0] = rng.uniform(0.3, 1.0) * rng.choice([-1, 1])
        values.append(v)
    targets = rng.uniform(0.2, 0.8, OFFSETS.size)
    return seqs, values, targets + OFFSETS, targets


def _example_with_slips(values, p1, p2, slips):
    v = np.array(values, dtype=np.float64)
    x = np.zeros((len(v), 2))
    q1, q2 = (p1 + 1, p2 + 1) if "one_based" in slips else (p1, p2)
    target_values = v.copy()
    if 0 in (q1, q2) and "first_value_kept" not in slips:
        target_values[0] = 0.0
        if "first_zero_only_in_target" not in slips:
            v[0] = 0.0
    x[:, 0] = v
    end = 1.0 if "end_markers_plus" in slips else -1.0
    late_ends = "end_marker_over_mark" in slips  # the end markers overwrite a mark at position 0
    if late_ends:
        x[[q1, q2], 1] = 1.0
    if "no_end_markers" not in slips:
        x[0, 1] = end
        if "no_last_marker" not in slips:
            x[-1, 1] = end
    if not late_ends:
        x[[q1, q2], 1] = 1.0
    s = target_values[q1] + target_values[q2]
    target = s if "target_raw_sum" in slips else (s / 4 if "target_no_half" in slips else
                                                  0.5 + s / (2 if "target_div2" in slips else 4))
    if "columns_swapped" in slips:
        x = x[:, ::-1].copy()
    return x, target


def _right_with_slips(outputs, targets, slips):
    d = outputs - targets
    if "crit_no_abs" in slips:
        return d < TOLERANCE
    if "crit_squared" in slips:
        return d ** 2 < TOLERANCE
    if "crit_relative" in slips:
        return np.abs(d) / np.abs(targets) < TOLERANCE
    return np.abs(d) < (0.01 if "crit_001" in slips else TOLERANCE)


def _with_slips(seqs, values, outputs, targets, slips):
    xs, ts = zip(*(_example_with_slips(v, *s.marked, slips) for s, v in zip(seqs, values)))
    return {"x": np.concatenate(xs), "target": np.array(ts), "adding_right": _right_with_slips(outputs, targets, slips)}


def check_adding(adding_example, adding_right, seed: int = 0) -> Report:
    """Check the reader's ``adding_example(values, p1, p2)`` against `lstm.tasks.adding.adding_sequence`
    on 4 sequences (T = 20; all their x stacked as one (sum of L, 2) result) and ``adding_right(outputs,
    targets)`` against |output - target| < `lstm.tasks.adding.TOLERANCE` on 12 outputs; a Report."""
    for name, fn in (("adding_example", adding_example), ("adding_right", adding_right)):
        if not callable(fn):
            raise TypeError(f"{name} must be your function, got {fn!r}")
    seqs, values, outputs, targets = random_adding_examples(seed)
    reference = {"x": np.concatenate([s.x for s in seqs]), "target": np.array([s.target for s in seqs]),
                 "adding_right": np.abs(outputs - targets) < TOLERANCE}

    def call():
        out, unwritten = {}, []
        try:
            pairs = [adding_example(v.copy(), *s.marked) for s, v in zip(seqs, values)]
        except NotImplementedError:
            unwritten.append("adding_example")
            out["x"] = out["target"] = NotWritten("adding_example still raises NotImplementedError")
        else:
            bad = [p for p in pairs if not (isinstance(p, (tuple, list)) and len(p) == 2)]
            if bad:
                return f"adding_example returned {type(bad[0]).__name__}; it should return two things: x, target"
            shapes = {np.shape(p[0]) for p in pairs}
            if any(len(s) != 2 for s in shapes):
                return f"adding_example's x has shape {sorted(shapes)[0]}; it should be (L, 2)"
            out["x"] = np.concatenate([np.asarray(p[0]) for p in pairs])
            out["target"] = np.array([np.asarray(p[1]).item() if np.size(p[1]) == 1 else np.nan for p in pairs])
        try:
            out["adding_right"] = adding_right(outputs.copy(), targets.copy())
        except NotImplementedError:
            unwritten.append("adding_right")
            out["adding_right"] = NotWritten("adding_right still raises NotImplementedError")
        if len(unwritten) == 2:
            raise NotWritten("adding_example and adding_right are not written yet: replace "
                             "`raise NotImplementedError` with your code and run the cell again")
        return out

    def parse(out):
        return out  # a dict, or the sentence `call` returned

    return check(call, parse, reference, CATALOGUE, lambda slips: _with_slips(seqs, values, outputs, targets, slips))
