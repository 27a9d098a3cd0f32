"""A recurrent layer with a linear readout, and the loss over the steps a task scores.

    X (T, N, D) -> recurrent layer -> hidden (T, N, H) -> Linear -> outputs (T, N, K)

Tasks score the output at every step ("all", e.g. next-symbol prediction), only at
the last step ("last", e.g. the adding problem), or at the steps a mask marks (padded
batches); the gradient of the steps that are not scored is zero. Training is `lstm.trainer`.
"""
import numpy as np

from .checkpoint import Checkpointable
from .linear import Linear
from .losses import mse_loss, sigmoid_cross_entropy, softmax_cross_entropy

LOSSES = {"mse": mse_loss, "ce": softmax_cross_entropy, "bce": sigmoid_cross_entropy}


class SequenceModel(Checkpointable):
    """SequenceModel(recurrent, out_features, rng=..., init_range=None, shortcut=False).

    recurrent: any recurrent layer of the package (the contract of
    `lstm.recurrent.RecurrentLayer`); the readout reads its output (output_size wide).
    forward(X, state=None) -> outputs (T, N, K); backward(dOut (T, N, K)) -> dX.
    `layers` lists the recurrent layer and the readout, for an optimiser.
    shortcut: also connect the inputs directly to the outputs, z_t = W [h_t; x_t] + b
    (readout weight (K, H + D)). The 1997 paper's nets for experiment 2 need this: one
    memory cell cannot tell the output layer which of 100 symbols comes next, the
    input can, so the cell is left to carry only what the input cannot.
    """

    def __init__(self, recurrent, out_features, rng=None, init_range=None, shortcut=False):
        needed = ("forward", "backward", "params", "grads", "output_size", "dtype")
        if not all(hasattr(recurrent, a) for a in needed):
            raise TypeError(f"recurrent must be a layer such as LSTM or RNN (with {', '.join(needed)}), "
                            f"got {type(recurrent).__name__}")
        if not isinstance(shortcut, bool):
            raise TypeError(f"shortcut must be True or False, got {shortcut!r}")
        if shortcut and not hasattr(recurrent, "input_size"):
            raise TypeError(f"shortcut=True needs a layer with input_size, got {type(recurrent).__name__}")
        self.recurrent = recurrent
        self.shortcut = shortcut
        readout_in = recurrent.output_size + (recurrent.input_size if shortcut else 0)
        self.readout = Linear(readout_in, out_features, rng=rng, dtype=recurrent.dtype, init_range=init_range)
        self.out_features = self.readout.out_features
        self.hidden = None  # (T, N, output_size) from the last forward
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
        H = self.recurrent.output_size
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
