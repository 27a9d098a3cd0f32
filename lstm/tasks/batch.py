"""What every task generator returns: a padded batch with a mask of the scored steps.

Sequences in one batch may have different lengths. They are right-padded with zeros to
the longest one. Padding after a sequence's end cannot change any earlier output of a
forward-running network, so training on the padded batch with the loss restricted to
`mask` is exactly training on the sequences one by one (the paper's online setting is
the special case N = 1).

    X        (T, N, D)  inputs, zero on padding
    targets  (T, N, K)  targets, zero where not scored
    mask     (T, N)     True where the output is scored (every step, or only the last)
    lengths  (N,)       number of real steps of each sequence
    clean    (T, N, K)  noise-free targets (differs from `targets` only in task 3c)
"""
from typing import NamedTuple, Optional

import numpy as np


class Batch(NamedTuple):
    X: np.ndarray
    targets: np.ndarray
    mask: np.ndarray
    lengths: np.ndarray
    clean: Optional[np.ndarray] = None

    @property
    def clean_targets(self):
        """The noise-free targets (the targets themselves for noise-free tasks)."""
        return self.targets if self.clean is None else self.clean

    def last(self, array):
        """Values of `array` (T, N, ...) at each sequence's last real step: (N, ...)."""
        return np.asarray(array)[self.lengths - 1, np.arange(len(self.lengths))]


def pad(inputs, targets, masks, clean=None):
    """Stack lists of per-sequence arrays into a Batch.

    inputs: N arrays (L_n, D); targets: N arrays (L_n, K); masks: N bool arrays (L_n,);
    clean: optional N arrays (L_n, K) of noise-free targets.
    """
    if len(inputs) == 0:
        raise ValueError("a batch needs at least one sequence")
    lengths = np.array([len(x) for x in inputs])
    T, N = int(lengths.max()), len(inputs)
    D, K = inputs[0].shape[1], targets[0].shape[1]
    X = np.zeros((T, N, D))
    Y = np.zeros((T, N, K))
    M = np.zeros((T, N), dtype=bool)
    C = None if clean is None else np.zeros((T, N, K))
    for n, L in enumerate(lengths):
        X[:L, n], Y[:L, n], M[:L, n] = inputs[n], targets[n], masks[n]
        if C is not None:
            C[:L, n] = clean[n]
    return Batch(X, Y, M, lengths, C)


def last_step_mask(length):
    """Bool (length,) with only the final step True: the error signal at the sequence end."""
    m = np.zeros(length, dtype=bool)
    m[-1] = True
    return m


def one_hot(indices, size):
    """One-hot rows (len(indices), size)."""
    indices = np.asarray(indices, dtype=int)
    out = np.zeros((len(indices), size))
    out[np.arange(len(indices)), indices] = 1.0
    return out
