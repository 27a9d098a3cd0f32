"""A recurrent layer with a linear readout, and one training step for it.

    X (T, N, D) -> recurrent layer -> hidden (T, N, H) -> Linear -> outputs (T, N, K)

Tasks score the output at every step ("all", e.g. next-symbol prediction), only at
the last step ("last", e.g. the adding problem), or at the steps a mask marks (padded
batches); the gradient of the steps that are not scored is zero. `train_step` is the
one training step of the package (the experiments' `train_batch` and the scripts call
it); `fit` loops it.
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
    at="all": targets are (T, N, K) (or (T, N)) for every step;
    at=mask, a bool array (T, N): only the steps where it is True are scored (e.g. each
    padded sequence's last real step, `lstm.tasks.Batch.mask`); targets as for "all",
    read at the same steps. The gradient is zero at every step that is not scored.
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {loss!r}")
    if isinstance(at, np.ndarray):
        if at.dtype != bool or at.shape != np.shape(outputs)[:2]:
            raise ValueError(f"a mask `at` must be a bool array of shape (T, N) = {np.shape(outputs)[:2]}, "
                             f"got {at.dtype} {at.shape}")
        value, d_scored = LOSSES[loss](outputs[at], np.asarray(targets)[at])
        dOut = np.zeros_like(outputs)
        dOut[at] = d_scored
        return value, dOut
    if at == "all":
        return LOSSES[loss](outputs, targets)
    if at != "last":
        raise ValueError(f"at must be 'last' or 'all', or a bool mask (T, N); got {at!r}")
    if np.ndim(outputs) < 1 or len(outputs) == 0:
        raise ValueError(f"at='last' scores the last time step, but outputs has shape {np.shape(outputs)} "
                         f"(no time step)")
    value, d_last = LOSSES[loss](outputs[-1], targets)
    dOut = np.zeros_like(outputs)
    dOut[-1] = d_last
    return value, dOut


def train_step(model, X, targets, optimizer, loss="mse", at="last", clip=None, state=None, frozen=(),
               **backward_options):
    """Forward, loss, backward, optional clipping by global norm, update. Returns
    (loss value, outputs (T, N, K), gradient norm before clipping or None).

    loss, at: as for `sequence_loss`; or loss is a function (outputs, targets) ->
    (value, dOutputs) and `at` is not used. state: the recurrent layer's initial state
    (None: zeros). frozen: (layer, parameter name) pairs that do not move: their
    gradients are set to zero before clipping and the update. backward_options go to
    the model's backward pass (e.g. cec_only=True for an LSTM).
    """
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"optimizer must have a step() method (e.g. lstm.SGD or lstm.Adam), got {type(optimizer).__name__}")
    outputs = model.forward(X) if state is None else model.forward(X, state)
    value, dOut = loss(outputs, targets) if callable(loss) else sequence_loss(outputs, targets, loss, at)
    model.backward(dOut, **backward_options)
    for layer, name in frozen:
        layer.grads[name][...] = 0.0  # a zero gradient moves neither SGD nor Adam
    norm = clip_grad_norm(model.layers, clip) if clip is not None else None
    optimizer.step()
    return value, outputs, norm


def fit(model, batches, optimizer, steps, loss="mse", at="last", clip=None, progress=True, frozen=(), stop=None,
        **backward_options):
    """Train for up to `steps` updates on batches(step) -> (X, targets); returns the loss history.

    progress: show a tqdm bar (a text bar in a terminal, a widget in a notebook).
    stop: a stopping rule, stop(step, loss value) -> True to end training after that
    update (None: run all steps). loss, at, clip, frozen, backward_options: as for
    `train_step`.
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    if not callable(batches):
        raise TypeError(f"batches must be a function step -> (X, targets), got {type(batches).__name__}")
    if stop is not None and not callable(stop):
        raise TypeError(f"stop must be a function (step, loss) -> bool, or None; got {type(stop).__name__}")
    history = []
    bar = tqdm(range(steps), disable=not progress, desc="training", unit="batch")
    for step in bar:
        batch = batches(step)
        if not (isinstance(batch, (tuple, list)) and len(batch) == 2):
            raise ValueError(f"batches({step}) must return a pair (X, targets), got {type(batch).__name__}")
        X, targets = batch
        value, _, _ = train_step(model, X, targets, optimizer, loss, at, clip, frozen=frozen, **backward_options)
        history.append(value)
        if step % 10 == 0:
            bar.set_postfix(loss=f"{value:.4f}")
        if stop is not None and stop(step, value):
            break
    return np.array(history)
