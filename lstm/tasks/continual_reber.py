"""Continual embedded Reber (Gers, Schmidhuber & Cummins 2000), as training batches.

Embedded Reber strings (`lstm.tasks.reber`) follow each other with no reset and no
marker of where one ends, other than the grammar itself. The net predicts the legal
next symbols at every step, across string boundaries. A 1997 LSTM cell state keeps
growing on such a stream; the forget gate lets the cell reset itself after each string.

Training cuts N independent streams into windows of `window` steps and carries the
network state from one window to the next (truncated backpropagation through time).
"""
import numpy as np

from ..validate import check_int, check_rng
from .batch import Batch
from .reber import continual_embedded_reber, one_hot


def stream(rng, n_strings):
    """One stream: X (T, 7) one-hot, targets (T, 7) multi-hot legal next symbols,
    starts (n_strings,) index of each string's first B."""
    check_rng(rng)
    n_strings = check_int("n_strings", n_strings, 1)
    symbols, legal, starts = continual_embedded_reber(rng, n_strings)
    return one_hot(symbols), legal.astype(float), starts


def stream_batch(rng, n_streams, n_strings):
    """N streams of n_strings strings each, cut to the shortest: a Batch (T, N, 7)
    with mask True everywhere (every step is scored)."""
    n_streams = check_int("n_streams", n_streams, 1)
    streams = [stream(rng, n_strings) for _ in range(n_streams)]
    T = min(len(x) for x, _, _ in streams)
    X = np.stack([x[:T] for x, _, _ in streams], axis=1)
    Y = np.stack([y[:T] for _, y, _ in streams], axis=1)
    return Batch(X, Y, np.ones((T, n_streams), dtype=bool), np.full(n_streams, T))


def windows(batch, window):
    """Cut a Batch along time into consecutive Batches of at most `window` steps."""
    window = check_int("window", window, 1)
    T = batch.X.shape[0]
    for t in range(0, T, window):
        sl = slice(t, min(t + window, T))
        L = sl.stop - sl.start
        yield Batch(batch.X[sl], batch.targets[sl], batch.mask[sl], np.full(batch.X.shape[1], L))
