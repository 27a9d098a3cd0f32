"""Experiment 4 of Hochreiter & Schmidhuber (1997): the adding problem.

Each step is a pair (value, marker). Values are uniform in [-1, 1]; markers are 0,
except -1 at the first and the last step and 1 at exactly two steps:

    X1: one of the first 10 pairs;
    X2: one of the first T/2 - 1 pairs that are still unmarked.

The length L is an integer drawn uniformly from [T, T + T/10]. The only target, at the
last step, is 0.5 + (X1 + X2) / 4, the sum scaled into [0, 1]. If the first pair is one
of the marked ones, its value counts as 0 (the paper's "X1 is set to zero"); we write
the 0 into the input as well, so the target is always 0.5 + (sum of marked values) / 4.
A sequence is right if the absolute error at its end is below 0.04.

The paper does not set the values at the -1 markers to 0: every value is random. Many
re-implementations use an easier variant (one marker in each half, the raw sum as
target, judged by mean squared error); this module is the paper's version.
"""
from typing import NamedTuple

import numpy as np

from ..validate import check_int, check_rng
from .batch import last_step_mask, pad

TOLERANCE = 0.04  # a sequence is right if |output - target| < 0.04 at its end


class MarkedSequence(NamedTuple):
    x: np.ndarray  # (L, 2): value, marker
    target: float
    marked: tuple  # the two marked positions (0-based), X1's first


def sequence_length(rng, T):
    """An integer uniform in [T, T + T // 10]."""
    return int(rng.integers(T, T + T // 10 + 1))


def marked_positions(rng, T):
    """(p1, p2): p1 uniform over the first 10 positions; p2 uniform over the first
    T/2 - 1 positions that p1 leaves unmarked (so p2 < T/2 and p2 != p1)."""
    p1 = int(rng.integers(10))
    free = [k for k in range(T // 2) if k != p1][:T // 2 - 1]
    p2 = int(free[rng.integers(len(free))])
    return p1, p2


def _check_T(T):
    T = check_int("T", T, 20)
    return T


def marked_pairs(rng, T, low, high, first_value):
    """The input of the adding or multiplication problem: values U(low, high), the
    markers above, and `first_value` written at position 0 if that pair is marked."""
    L = sequence_length(rng, T)
    x = np.zeros((L, 2))
    x[:, 0] = rng.uniform(low, high, size=L)
    x[0, 1] = x[-1, 1] = -1.0
    p1, p2 = marked_positions(rng, T)
    x[[p1, p2], 1] = 1.0
    if 0 in (p1, p2):
        x[0, 0] = first_value
    return x, (p1, p2)


def adding_sequence(rng, T=100):
    """One sequence of the adding problem with minimal length T (T >= 20)."""
    check_rng(rng)
    x, (p1, p2) = marked_pairs(rng, _check_T(T), -1.0, 1.0, first_value=0.0)
    return MarkedSequence(x, 0.5 + (x[p1, 0] + x[p2, 0]) / 4.0, (p1, p2))


def adding_batch(rng, n, T=100):
    """n sequences as a Batch (targets (T, n, 1), scored only at each sequence's end)."""
    n = check_int("n", n, 1)
    seqs = [adding_sequence(rng, T) for _ in range(n)]
    return pad([s.x for s in seqs], [np.full((len(s.x), 1), s.target) for s in seqs],
               [last_step_mask(len(s.x)) for s in seqs])
