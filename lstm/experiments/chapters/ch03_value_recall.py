"""Chapter 3's long-lag experiment: recall a value after 99 distractors.

Task: two input lines. At t = 0 the value line holds v ~ U(-1, 1) and the marker line
holds 1; at every later step the value line holds a fresh distractor from U(-1, 1) and
the marker line 0. After T steps (lag T - 1) the model must output v (MSE on the last
step only). Models, each trained with Adam from a seed:

    naive       lstm.experiments.chapters.ch02_error_flow.naive_cec_model: one linear unit, w_jj = 1 (chapter 2)
    lstm        LSTM(2, H, cell="1997"), input-gate bias initialised to B_IN, full BPTT
    lstm_cec    the same, with the paper's truncated gradient (backward(cec_only=True))
    lstm_bias0  the same as lstm, with the input-gate bias initialised to 0 instead

    losses, test_mse, model = run("lstm_cec", seed=0)      # about 10 s

scripts/ch03_long_lag.py runs every model and seed and stores the results that
chapter 3 reads (book/data/ch03_long_lag.npz).
"""
import numpy as np

from ...lstm_layer import LSTM
from ...model import SequenceModel
from ...trainer import train_step
from ...optim import Adam

from .ch02_error_flow import naive_cec_model, naive_cec_train_step

__all__ = ["T", "H", "BATCH", "STEPS", "LR", "B_IN", "SEEDS", "TEST_SIZE", "MODELS", "make_batch", "build", "run"]

T = 100  # sequence length: the value at t = 0 is asked for at t = 99
H = 2  # memory cells
BATCH = 32
STEPS = 1000
LR = 0.05
B_IN = -3.0  # negative input-gate bias, the 1997 paper's remedy for state drift
SEEDS = 5
TEST_SIZE = 1000
MODELS = ("naive", "lstm", "lstm_cec", "lstm_bias0")


def make_batch(rng, n, T=T):
    """X (T, n, 2): value line, marker line; targets (n, 1): the value at t = 0."""
    X = np.zeros((T, n, 2))
    X[:, :, 0] = rng.uniform(-1.0, 1.0, (T, n))
    X[0, :, 1] = 1.0
    return X, X[0, :, 0][:, None].copy()


def build(name, seed):
    """A fresh model and its one-batch update function, from the seed alone."""
    if name not in MODELS:
        raise ValueError(f"name must be one of {MODELS}, got {name!r}")
    rng = np.random.default_rng(seed)
    if name == "naive":
        model = naive_cec_model(2, 1, rng=rng)
        opt = Adam(model.layers, lr=LR)
        return model, lambda X, y: naive_cec_train_step(model, X, y, opt)[0]
    model = SequenceModel(LSTM(2, H, cell="1997", rng=rng), 1, rng=rng)
    model.recurrent.params["bias"][:H] = 0.0 if name == "lstm_bias0" else B_IN  # rows of the input gate
    opt = Adam(model.layers, lr=LR)
    cec_only = name == "lstm_cec"
    return model, lambda X, y: train_step(model, X, y, opt, cec_only=cec_only)[0]


def run(name, seed, steps=STEPS, T=T):
    """Train one model on sequences of length T; returns (loss per step (steps,), test MSE,
    trained model)."""
    model, update = build(name, seed)
    data_rng = np.random.default_rng(1000 + seed)
    losses = np.array([update(*make_batch(data_rng, BATCH, T)) for _ in range(steps)])
    X_test, y_test = make_batch(np.random.default_rng(12345), TEST_SIZE, T)
    test_mse = float(np.mean((model.forward(X_test)[-1] - y_test) ** 2))
    return losses, test_mse, model
