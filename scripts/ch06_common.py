"""Helpers shared by the chapter 6 scripts: encodings and an LSTM training loop with
early stopping. Run the scripts from the repository root, e.g.
    nice -n 10 python scripts/ch06_fsm_sweep.py
"""
import time

import numpy as np

from lstm.tasks.batch import Batch
from lstm.experiments.training import Setting, build_model, evaluate, make_optimizer, train_batch

DATA = "book/data"


def one_hot_symbols(symbols, n_symbols):
    """Integer symbols (T, B) -> one-hot (T, B, A) floats."""
    return np.eye(n_symbols)[symbols]


def recall_batch(symbols, targets, n_symbols, n_classes):
    """A Batch for the recall task: scored only at the last step (the query)."""
    T, B = symbols.shape
    Y = np.zeros((T, B, n_classes))
    Y[-1, np.arange(B), targets] = 1.0
    mask = np.zeros((T, B), dtype=bool)
    mask[-1] = True
    return Batch(one_hot_symbols(symbols, n_symbols), Y, mask, np.full(B, T))


def subset(batch, idx):
    """The sequences `idx` of a Batch, trimmed to their longest length."""
    T = int(batch.lengths[idx].max())
    return Batch(batch.X[:T, idx], batch.targets[:T, idx], batch.mask[:T, idx], batch.lengths[idx])


def train_lstm(train, score, setting, n_in, n_out, rng, max_steps, check_every=50, target=1.0):
    """Train a SequenceModel on minibatches drawn from the Batch `train` until
    score(model) >= target (checked every `check_every` updates) or max_steps.

    Returns (model, steps taken, seconds, history of (step, score)).
    """
    model = build_model(setting, n_in, n_out, rng)
    opt = make_optimizer(setting, model)
    start, history = time.perf_counter(), []
    N = train.X.shape[1]
    for step in range(1, max_steps + 1):
        idx = rng.choice(N, size=min(setting.batch_size, N), replace=False)
        train_batch(model, opt, subset(train, idx), setting)
        if step % check_every == 0:
            s = score(model)
            history.append((step, s))
            if s >= target:
                break
    return model, step, time.perf_counter() - start, history


def predictions(model, batch, head="bce"):
    return evaluate(model, batch, head)


__all__ = ["Setting", "one_hot_symbols", "recall_batch", "subset", "train_lstm", "predictions", "DATA"]
