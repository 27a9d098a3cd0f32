"""Experiment 6 of Hochreiter & Schmidhuber (1997): temporal order.

Eight symbols E, B, a, b, c, d, X, Y, one-hot. A sequence of length 100..110 starts with
E, ends with the trigger B, and is otherwise random symbols from {a, b, c, d}, except at
the relevant positions, which hold X or Y:

6a  t1 in [10, 20], t2 in [50, 60]; 4 classes by the order: XX, XY, YX, YY (Q, R, S, U).
6b  t1 in [10, 20], t2 in [33, 43], t3 in [66, 76]; 8 classes XXX .. YYY (Q .. C).

Positions are 1-based as in the paper (the E is at position 1). The class index reads
the relevant symbols as a binary number with X = 0, Y = 1, first symbol most significant.
The target, one-hot over the classes, is scored at the end only; a sequence is right if
every output's absolute error is below 0.3.
"""
import numpy as np

from ..validate import check_int, check_rng
from .batch import last_step_mask, one_hot, pad

SYMBOLS = "EBabcdXY"
SYMBOL_INDEX = {s: k for k, s in enumerate(SYMBOLS)}
POSITION_RANGES = {2: [(10, 20), (50, 60)], 3: [(10, 20), (33, 43), (66, 76)]}
LENGTH_RANGE = (100, 110)
CLASS_NAMES = {2: "QRSU", 3: "QRSUVABC"}


def temporal_order_sequence(rng, n_relevant=2):
    """One sequence: (symbols as a str, class index, 1-based relevant positions)."""
    check_rng(rng)
    if n_relevant not in POSITION_RANGES:
        raise ValueError(f"n_relevant must be 2 (task 6a) or 3 (task 6b), got {n_relevant!r}")
    L = int(rng.integers(LENGTH_RANGE[0], LENGTH_RANGE[1] + 1))
    seq = list(rng.choice(list("abcd"), size=L))
    seq[0], seq[-1] = "E", "B"
    positions = tuple(int(rng.integers(lo, hi + 1)) for lo, hi in POSITION_RANGES[n_relevant])
    bits = rng.integers(0, 2, size=n_relevant)
    for t, bit in zip(positions, bits):
        seq[t - 1] = "XY"[bit]
    cls = int(sum(int(b) << (n_relevant - 1 - k) for k, b in enumerate(bits)))
    return "".join(seq), cls, positions


def encode(symbols):
    """One-hot (L, 8) of a string over SYMBOLS."""
    return one_hot([SYMBOL_INDEX[s] for s in symbols], len(SYMBOLS))


def temporal_order_batch(rng, n, n_relevant=2):
    """n sequences as a Batch: X (T, n, 8), targets one-hot over 2**n_relevant classes,
    scored at each sequence's last step."""
    n = check_int("n", n, 1)
    seqs = [temporal_order_sequence(rng, n_relevant) for _ in range(n)]
    K = 2 ** n_relevant
    return pad([encode(s) for s, _, _ in seqs], [np.tile(one_hot([c], K), (len(s), 1)) for s, c, _ in seqs],
               [last_step_mask(len(s)) for s, _, _ in seqs])
