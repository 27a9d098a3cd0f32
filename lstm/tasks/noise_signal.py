"""Experiment 3 of Hochreiter & Schmidhuber (1997): noise and signal on one channel.

Bengio et al.'s (1994) 2-sequence problem. One real input line; two classes, each with
probability 1/2; length uniform in [T, T + T/10]. The first N elements carry the class
(1.0 for class 1, -1.0 for class 2); every later element is Gaussian noise with mean 0
and variance 0.2. The only target is at the end.

3a  targets 1.0 (class 1) and 0.0 (class 2); right if |error| < 0.2.
3b  as 3a, with Gaussian noise (mean 0, variance 0.2) added to the first N elements too.
3c  as 3a, but the targets are 0.2 (class 1) and 0.8 (class 2) plus Gaussian noise of
    variance 0.1: the net must learn the conditional mean. A sequence is misclassified
    if the output differs from the noise-free target by more than 0.1.
"""
import numpy as np

from .adding import sequence_length
from ..validate import check_int, check_rng
from .batch import last_step_mask, pad

NOISE_VARIANCE = 0.2
TARGET_NOISE_VARIANCE = 0.1
VARIANTS = ("3a", "3b", "3c")


def two_sequence(rng, T=100, N=3, variant="3a"):
    """One sequence: returns (x (L, 1), target, clean target, class in {1, 2})."""
    check_rng(rng)
    T, N = check_int("T", T, 1), check_int("N", N, 1)
    if N > T:
        raise ValueError(f"N must be at most T, got N={N}, T={T}")
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, got {variant!r}")
    L = sequence_length(rng, T)
    cls = int(rng.integers(1, 3))
    x = rng.normal(0.0, np.sqrt(NOISE_VARIANCE), size=(L, 1))
    info = 1.0 if cls == 1 else -1.0
    if variant == "3b":
        x[:N, 0] += info
    else:
        x[:N, 0] = info
    if variant == "3c":
        clean = 0.2 if cls == 1 else 0.8
        target = clean + rng.normal(0.0, np.sqrt(TARGET_NOISE_VARIANCE))
    else:
        clean = target = 1.0 if cls == 1 else 0.0
    return x, float(target), float(clean), cls


def two_sequence_batch(rng, n, T=100, N=3, variant="3a"):
    """n sequences as a Batch; `clean` holds the noise-free targets (they differ only in 3c)."""
    n = check_int("n", n, 1)
    seqs = [two_sequence(rng, T, N, variant) for _ in range(n)]
    return pad([s[0] for s in seqs], [np.full((len(s[0]), 1), s[1]) for s in seqs],
               [last_step_mask(len(s[0])) for s in seqs], clean=[np.full((len(s[0]), 1), s[2]) for s in seqs])
