"""Experiment 2 of Hochreiter & Schmidhuber (1997): noise-free long time lags.

2a  Symbols a_1..a_{p-1}, x, y, one-hot in p + 1 dimensions. Only two sequences exist,
    (y, a_1, ..., a_{p-1}, y) and (x, a_1, ..., a_{p-1}, x), each with probability 1/2.
    The net predicts the next symbol at every step; the last prediction needs the first
    symbol, p steps back. Success: for 10,000 successive sequences the largest absolute
    error of any output is below 0.25.
2b  The same with the middle a_{i_1}..a_{i_{p-1}} drawn at random from a_1..a_{p-1}:
    no local regularities; success judged at the sequence end only.
2c  p + 4 symbols: distractors a_1..a_p, the trigger e, the start b, and x, y. A
    sequence is b, then x or y, then q distractors; then, repeatedly, another distractor
    with probability 9/10 or e with probability 1/10; after e comes the x or y of
    position 2. Length q + k + 4 (k >= 0 extra distractors, geometric with mean 9),
    so the expected length is q + 13 (the paper's formula gives this; it prints q + 14). The only
    target is at e: which of x, y comes next (2 outputs). Success: both outputs' errors
    below 0.2 for 10,000 successive sequences.

Sequences here are given as symbol indices; `*_batch` turns them into one-hot inputs
(all symbols but the last) and next-symbol targets.
"""
import numpy as np

from ..validate import check_int, check_rng
from .batch import last_step_mask, one_hot, pad


def noise_free_symbols(rng, p, random_middle=False):
    """One sequence of task 2a (or 2b if random_middle) as p + 1 indices in [0, p].

    Indices: a_i -> i - 1 (i = 1..p-1), x -> p - 1, y -> p.
    """
    check_rng(rng)
    p = check_int("p", p, 2)
    first = int(rng.choice([p - 1, p]))
    middle = rng.integers(0, p - 1, size=p - 1) if random_middle else np.arange(p - 1)
    return np.concatenate([[first], middle, [first]]).astype(int)


def noise_free_batch(rng, n, p, random_middle=False, scored="all"):
    """n sequences of task 2a/2b: X (p, n, p+1) one-hot, targets the next symbol at every
    step; mask True at every step (scored="all") or at the last step only (scored="last":
    in 2b the middle targets are random, so only the last one carries information)."""
    n = check_int("n", n, 1)
    if scored not in ("all", "last"):
        raise ValueError(f"scored must be 'all' or 'last', got {scored!r}")
    seqs = [noise_free_symbols(rng, p, random_middle) for _ in range(n)]
    mask = np.ones(p, dtype=bool) if scored == "all" else last_step_mask(p)
    return pad([one_hot(s[:-1], p + 1) for s in seqs], [one_hot(s[1:], p + 1) for s in seqs],
               [mask for _ in seqs])


def distractor_symbols(rng, p, q):
    """One sequence of task 2c as indices: a_i -> i - 1 (i = 1..p), e -> p, b -> p + 1,
    x -> p + 2, y -> p + 3. Distractors are drawn uniformly from a_1..a_p."""
    check_rng(rng)
    p, q = check_int("p", p, 1), check_int("q", q, 0)
    e, b, x, y = p, p + 1, p + 2, p + 3
    cls = int(rng.choice([x, y]))
    # after the q distractors: another one with probability 9/10, else e; so the number
    # k of extra distractors is geometric, P(k) = 0.1 * 0.9**k
    k = int(rng.geometric(0.1)) - 1
    return np.concatenate([[b, cls], rng.integers(0, p, size=q + k), [e, cls]]).astype(int)


def distractor_batch(rng, n, p, q):
    """n sequences of task 2c: inputs (all but the last symbol, one-hot over p + 4),
    targets (2,) one-hot [x, y] scored only at the last input step (the trigger e)."""
    n = check_int("n", n, 1)
    seqs = [distractor_symbols(rng, p, q) for _ in range(n)]
    inputs = [one_hot(s[:-1], p + 4) for s in seqs]
    targets = [np.tile(one_hot([s[-1] - (p + 2)], 2), (len(s) - 1, 1)) for s in seqs]
    return pad(inputs, targets, [last_step_mask(len(s) - 1) for s in seqs])
