"""Experiment 5 of Hochreiter & Schmidhuber (1997): the multiplication problem.

Like the adding problem (`lstm.tasks.adding`), with the same markers and lengths, but
the values are uniform in [0, 1] and the target is the product X1 * X2. If the first
pair is marked its value counts as 1.0 (the paper's rule; we write it into the input).
A sequence is right if the absolute error at its end is below 0.04. The paper stopped
training when fewer than n_seq = 140 (or 13) of the 2000 most recent training sequences
had an error above 0.04.
"""
import numpy as np

from .adding import MarkedSequence, _check_T, marked_pairs
from ..validate import check_int, check_rng
from .batch import last_step_mask, pad


def multiplication_sequence(rng, T=100):
    """One sequence of the multiplication problem with minimal length T (T >= 20)."""
    check_rng(rng)
    x, (p1, p2) = marked_pairs(rng, _check_T(T), 0.0, 1.0, first_value=1.0)
    return MarkedSequence(x, float(x[p1, 0] * x[p2, 0]), (p1, p2))


def multiplication_batch(rng, n, T=100):
    """n sequences as a Batch (targets (T, n, 1), scored only at each sequence's end)."""
    n = check_int("n", n, 1)
    seqs = [multiplication_sequence(rng, T) for _ in range(n)]
    return pad([s.x for s in seqs], [np.full((len(s.x), 1), s.target) for s in seqs],
               [last_step_mask(len(s.x)) for s in seqs])
