"""A recurrent layer with a linear readout, and one training step for it.

    X (T, N, D) -> recurrent layer -> hidden (T, N, H) -> Linear -> outputs (T, N, K)

Tasks either score the output at every step ("all", e.g. next-symbol prediction) or
only at the last step ("last", e.g. the adding problem); the gradient of the steps
that are not scored is zero.
"""
import numpy as np
from tqdm.auto import tqdm

from .checkpoint import Checkpointable
from .linear import Linear
from .losses import mse_loss, sigmoid_cross_entropy, softmax_cross_entropy
from .optim import clip_grad_norm

LOSSES = {"mse": mse_loss, "ce": softmax_cross_entropy, "bce": sigmoid_cross_entropy}


class SequenceModel(Checkpointable):
    """SequenceModel(recurrent, out_features, rng=..., init_range=None, shortcut=False).

    recurrent: an LSTM, RNN or any layer with the same forward/backward contract.
    forward(X, state=None) -> outputs (T, N, K); backward(dOut (T, N, K)) -> dX.
    `layers` lists the recurrent layer and the readout, for an optimiser.
    shortcut: also connect the inputs directly to the outputs, z_t = W [h_t; x_t] + b
    (readout weight (K, H + D)). The 1997 paper's nets for experiment 2 need this: one
    memory cell cannot tell the output layer which of 100 symbols comes next, the
    input can, so the cell is left to carry only what the input cannot.
    """

    def __init__(self, recurrent, out_features, rng=None, init_range=None, shortcut=False):
        needed = ("forward", "backward", "params", "grads", "hidden_size", "dtype")
        if not all(hasattr(recurrent, a) for a in needed):
            raise TypeError(f"recurrent must be a layer such as LSTM or RNN (with {', '.join(needed)}), "
                            f"got {type(recurrent).__name__}")
        if not isinstance(shortcut, bool):
            raise TypeError(f"shortcut must be True or False, got {shortcut!r}")
        if shortcut and not hasattr(recurrent, "input_size"):
            raise TypeError(f"shortcut=True needs a layer with input_size, got {type(recurrent).__name__}")
        self.recurrent = recurrent
        self.shortcut = shortcut
        readout_in = recurrent.hidden_size + (recurrent.input_size if shortcut else 0)
        self.readout = Linear(readout_in, out_features, rng=rng, dtype=recurrent.dtype, init_range=init_range)
        self.out_features = self.readout.out_features
        self.hidden = None  # (T, N, H) from the last forward
        self.final_state = None

    @property
    def layers(self):
        return [self.recurrent, self.readout]

    def forward(self, X, state=None):
        self.hidden, self.final_state = self.recurrent.forward(X, state)
        if self.shortcut:  # the recurrent layer has checked X, so its shape is (T, N, D)
            return self.readout.forward(np.concatenate([self.hidden, np.asarray(X, self.hidden.dtype)], axis=-1))
        return self.readout.forward(self.hidden)

    def backward(self, dOut, **backward_options):
        dZin = self.readout.backward(dOut)
        H = self.recurrent.hidden_size
        dX, _ = self.recurrent.backward(dZin[..., :H], None, **backward_options)
        if self.shortcut:  # the direct path adds its own share to dL/dX
            dX = dX + dZin[..., H:]
        return dX


def sequence_loss(outputs, targets, loss="mse", at="last"):
    """Loss over the scored steps and its gradient w.r.t. all outputs (T, N, K).

    at="last": targets are (N, K) (or (N,) class indices for "ce") for the last step;
    at="all": targets are (T, N, K) (or (T, N)) for every step.
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {loss!r}")
    if at == "all":
        return LOSSES[loss](outputs, targets)
    if at != "last":
        raise ValueError(f"at must be 'last' or 'all', got {at!r}")
    if np.ndim(outputs) < 1 or len(outputs) == 0:
        raise ValueError(f"at='last' scores the last time step, but outputs has shape {np.shape(outputs)} "
                         f"(no time step)")
    value, d_last = LOSSES[loss](outputs[-1], targets)
    dOut = np.zeros_like(outputs)
    dOut[-1] = d_last
    return value, dOut


def train_step(model, X, targets, optimizer, loss="mse", at="last", clip=None, **backward_options):
    """Forward, loss, backward, optional clipping by global norm, update. Returns
    (loss value, outputs (T, N, K), gradient norm before clipping or None)."""
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"optimizer must have a step() method (e.g. lstm.SGD or lstm.Adam), got {type(optimizer).__name__}")
    outputs = model.forward(X)
    value, dOut = sequence_loss(outputs, targets, loss, at)
    model.backward(dOut, **backward_options)
    norm = clip_grad_norm(model.layers, clip) if clip is not None else None
    optimizer.step()
    return value, outputs, norm


def fit(model, batches, optimizer, steps, loss="mse", at="last", clip=None, progress=True, **backward_options):
    """Train for `steps` updates on batches(step) -> (X, targets); returns the loss history.

    progress: show a tqdm bar (a text bar in a terminal, a widget in a notebook).
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    if not callable(batches):
        raise TypeError(f"batches must be a function step -> (X, targets), got {type(batches).__name__}")
    history = []
    bar = tqdm(range(steps), disable=not progress, desc="training", unit="batch")
    for step in bar:
        batch = batches(step)
        if not (isinstance(batch, (tuple, list)) and len(batch) == 2):
            raise ValueError(f"batches({step}) must return a pair (X, targets), got {type(batch).__name__}")
        X, targets = batch
        value, _, _ = train_step(model, X, targets, optimizer, loss, at, clip, **backward_options)
        history.append(value)
        if step % 10 == 0:
            bar.set_postfix(loss=f"{value:.4f}")
    return np.array(history)
