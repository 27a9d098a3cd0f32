"""Chapter 1's long-lag experiment: a plain tanh RNN must report, at the last step, the
sign of the first input of a sequence whose other inputs are Gaussian noise (a
fixed-length form of Bengio et al.'s 1994 two-sequence problem, the 1997 paper's
experiment 3). The distance between the informative input and the target is the lag.

`train_one` trains one small RNN with Adam and returns its loss curve, its accuracy on
fresh sequences, and how much of the error injected at the last step reaches the first
step at initialisation. scripts/ch01_long_lag.py runs it for every lag and seed and
writes book/data/ch01_long_lag.npz; the chapter imports this module, so the task it
shows is the task those numbers come from.
"""
import numpy as np

import lstm

LAGS = (5, 10, 20, 40, 80, 160)
SEEDS = (0, 1, 2, 3, 4)
STEPS = 600  # Adam updates per run
BATCH = 32  # sequences per update
HIDDEN = 16  # RNN units
LR = 0.01  # Adam learning rate
NOISE_VARIANCE = 0.2  # of the distractor inputs, as in the 1997 paper's experiment 3
TEST_SIZE = 1000  # fresh sequences for the final accuracy


def sign_batch(rng, lag, n):
    """n sequences of length lag + 1 and their labels.

    x_0 = +1 or -1 (equally likely), x_1 .. x_lag ~ N(0, 0.2).
    Returns X (lag + 1, n, 1) and targets (n, 1): 1.0 if x_0 = +1, else 0.0.
    """
    X = rng.normal(0.0, np.sqrt(NOISE_VARIANCE), size=(lag + 1, n, 1))
    sign = rng.choice([-1.0, 1.0], size=n)
    X[0, :, 0] = sign
    return X, (sign > 0).astype(float)[:, None]


def first_step_error_share(model):
    """||dL/dh_0|| / ||dL/dh_T|| averaged over the batch, from the last backward pass."""
    norms = np.linalg.norm(model.recurrent.grad_h, axis=2).mean(axis=1)  # (T,)
    return norms[0] / norms[-1]


def train_one(lag, seed, steps=STEPS):
    """Train one RNN on sign_batch at this lag. Returns (losses (steps,), test accuracy,
    error share reaching the first step at the first update)."""
    rng = np.random.default_rng(seed)  # the weights
    data = np.random.default_rng(10_000 + seed)  # the training sequences
    model = lstm.SequenceModel(lstm.RNN(1, HIDDEN, nonlinearity="tanh", rng=rng), 1, rng=rng)
    optimizer = lstm.Adam(model.layers, lr=LR)
    losses = np.empty(steps)
    for step in range(steps):
        X, y = sign_batch(data, lag, BATCH)
        losses[step], _, _ = lstm.train_step(model, X, y, optimizer, loss="bce", at="last")
        if step == 0:
            share = first_step_error_share(model)
    X, y = sign_batch(np.random.default_rng(99), lag, TEST_SIZE)
    logits = model.forward(X)[-1]  # (TEST_SIZE, 1)
    accuracy = float(np.mean((logits > 0) == (y > 0.5)))
    return losses, accuracy, share
