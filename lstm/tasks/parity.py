"""Running parity: after every bit, is the number of 1s so far odd?

    bits     0 1 1 0 1 ...
    target   0 1 0 0 1 ...        target_t = (x_1 + ... + x_t) mod 2

Each step is a flip-flop: on a 1 the answer must flip, whatever it was, so the update
of the memory depends on the memory itself (a state-dependent gate). A recurrence
whose coefficient of h_{t-1} lies in [0, 1] and does not read h_{t-1} (minLSTM,
minGRU, Mamba's selective SSM) cannot flip a state; the LSTM's gates can read h_{t-1}.
Inputs are one-hot bits (2 values), targets (T, N, 1) in {0, 1}, every step scored.
"""
import numpy as np

from ..validate import check_int, check_rng
from .batch import pad


def parity_batch(rng, n, T):
    """n random bit strings of length T as a Batch: X (T, n, 2), targets (T, n, 1)."""
    check_rng(rng)
    n, T = check_int("n", n, 1), check_int("T", T, 1)
    bits = rng.integers(0, 2, size=(n, T))
    parity = np.cumsum(bits, axis=1) % 2
    inputs = [np.eye(2)[b] for b in bits]
    return pad(inputs, [p[:, None].astype(float) for p in parity], [np.ones(T, dtype=bool) for _ in range(n)])
