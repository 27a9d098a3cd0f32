"""Delayed recall of the first symbol: the memory test of chapter 6's finite-state-machine
networks (`lstm.fsm`).

    symbols, targets = first_symbol_recall(rng, count=1000, lag=20)

A signal symbol, then `lag` random distractors, then a query symbol; the answer is the
signal. Symbols are integers, not one-hot vectors: the machines read them as table indices.
"""
import numpy as np

from ..validate import check_positive_int, check_rng


def first_symbol_recall(rng, count, lag, n_signals=4, n_distractors=4):
    """The delayed recall task used to test memory: a signal symbol, `lag` random
    distractors, then a query symbol; the answer is the signal.

    Symbols: signals 0..n_signals-1, distractors n_signals..n_signals+n_distractors-1,
    query n_signals+n_distractors (A = n_signals + n_distractors + 1 in all).
    Returns symbols (lag + 2, count) ints and targets (count,) ints in [0, n_signals).
    """
    check_rng(rng)
    count = check_positive_int("count", count)
    n_signals = check_positive_int("n_signals", n_signals)
    n_distractors = check_positive_int("n_distractors", n_distractors)
    if isinstance(lag, bool) or not isinstance(lag, (int, np.integer)) or lag < 0:
        raise ValueError(f"lag must be a non-negative integer, got {lag!r}")
    targets = rng.integers(n_signals, size=count)
    middle = n_signals + rng.integers(n_distractors, size=(lag, count))
    query = np.full((1, count), n_signals + n_distractors)
    return np.concatenate([targets[None, :], middle, query]), targets

