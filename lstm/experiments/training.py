"""Training on padded batches with masks, for the experiments of chapter 8.

A task batch (`lstm.tasks.Batch`) scores the network only where `mask` is True. The
output head turns the readout z (T, N, K) into predictions y and gives the loss and its
gradient dz, zero wherever the mask is False:

    "sigmoid_sse"  y = sigmoid(z), E = 1/2 sum (y - t)^2 / N     the 1997 paper's output
    "mse"          y = z,          mean squared error             regression, modern
    "bce"          y = sigmoid(z), mean binary cross-entropy      0/1 targets, modern
    "softmax"      y = softmax(z), mean cross-entropy             one-hot targets (one right
                                                                  answer per step), modern

Dividing by the batch size N makes the online case N = 1 the paper's per-sequence
update exactly.
"""
from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np

from ..activations import sigmoid, sigmoid_grad
from ..gates import set_gate
from ..layers import make_layer
from ..losses import log_softmax, mse_loss
from ..model import SequenceModel, sequence_loss
from ..trainer import train_step
from ..optim import SGD, Adam

HEADS = ("sigmoid_sse", "mse", "bce", "softmax")


@dataclass
class Setting:
    """How to build and train a network for one experiment."""
    name: str  # "paper", "modern" or "rnn"
    layer: str = "lstm"  # "lstm" or "rnn" (tanh)
    cell: str = "standard"  # LSTM cell kind: "1997", "standard", "peephole"
    hidden: int = 8  # number of memory cells (each with its own gates)
    optimizer: str = "adam"  # "sgd" (plain, the paper's) or "adam"
    lr: float = 1e-2
    batch_size: int = 32  # 1 = online, one update per sequence as in 1997
    clip: Optional[float] = 1.0  # global gradient-norm clipping, None for none
    forget_bias: Optional[float] = 1.0  # initial forget-gate bias (cells with a forget gate)
    init_range: Optional[float] = None  # U(-r, r) weights; None: PyTorch's 1/sqrt(H)
    input_gate_bias: Optional[Tuple[float, ...]] = None  # per cell, the paper's remedy for drift
    output_gate_bias: Optional[Tuple[float, ...]] = None  # per cell, against the abuse problem
    cec_only: bool = False  # the 1997 truncated gradient (error flows back only in the CEC)
    head: str = "mse"  # output head, one of HEADS
    shortcut: bool = False  # direct input-to-output connections (the readout also sees x_t)


def build_model(setting, input_size, output_size, rng):
    """A SequenceModel (recurrent layer + linear readout) as `setting` describes, its
    layer from the package's registry (`lstm.layers.make_layer`)."""
    if setting.layer == "rnn":
        layer = make_layer("rnn", input_size, setting.hidden, rng, init_range=setting.init_range)
    elif setting.layer == "lstm":
        kind_has_f = setting.cell != "1997"
        layer = make_layer("lstm", input_size, setting.hidden, rng, cell=setting.cell, init_range=setting.init_range,
                           forget_bias=setting.forget_bias if kind_has_f else None)
        for gate, bias in (("i", setting.input_gate_bias), ("o", setting.output_gate_bias)):
            if bias is not None:
                if len(bias) != setting.hidden:
                    raise ValueError(f"{gate} gate bias needs {setting.hidden} values, got {len(bias)}")
                set_gate(layer, gate, b=bias)
    else:
        raise ValueError(f"setting.layer must be 'lstm' or 'rnn', got {setting.layer!r}")
    return SequenceModel(layer, output_size, rng=rng, init_range=setting.init_range, shortcut=setting.shortcut)


def make_optimizer(setting, model):
    if setting.optimizer == "sgd":
        return SGD(model.layers, setting.lr)
    if setting.optimizer == "adam":
        return Adam(model.layers, setting.lr)
    raise ValueError(f"setting.optimizer must be 'sgd' or 'adam', got {setting.optimizer!r}")


def predict(z, head):
    """Predictions y from readout outputs z for an output head."""
    if head not in HEADS:
        raise ValueError(f"head must be one of {HEADS}, got {head!r}")
    if head == "mse":
        return z
    if head == "softmax":
        return np.exp(log_softmax(z))
    return sigmoid(z)


def head_loss(z, batch, head):
    """(loss, y, dz): predictions y (T, N, K) and the gradient dz, zero off the mask."""
    y = predict(z, head)
    m = batch.mask
    if head == "sigmoid_sse":  # the 1997 paper's: summed over the scored steps, divided by N
        dz = np.zeros_like(z)
        value, dy = mse_loss(y[m], batch.targets[m], reduction="sum")
        dz[m] = dy * sigmoid_grad(y[m]) / z.shape[1]
        return value / z.shape[1], y, dz
    if head == "softmax":  # the class is the target's one hot entry
        value, dz = sequence_loss(z, np.argmax(batch.targets, axis=-1), "ce", at=m)
    else:
        value, dz = sequence_loss(z, batch.targets, "mse" if head == "mse" else "bce", at=m)
    return value, y, dz


def train_batch(model, optimizer, batch, setting, state=None):
    """One update on a Batch: `lstm.train_step` with the setting's output head, clipping
    and gradient (the 1997 truncated one if setting.cec_only). Returns (loss, predictions
    y (T, N, K))."""
    options = {"cec_only": setting.cec_only} if setting.layer == "lstm" else {}

    def loss(z, batch):
        value, _, dz = head_loss(z, batch, setting.head)
        return value, dz

    value, z, _ = train_step(model, batch.X, batch, optimizer, loss, clip=setting.clip, state=state, **options)
    return value, predict(z, setting.head)


def evaluate(model, batch, head, chunk=256):
    """Predictions y (T, N, K) for a Batch, run in chunks of `chunk` sequences."""
    N = batch.X.shape[1]
    out = []
    for start in range(0, N, chunk):
        out.append(predict(model.forward(batch.X[:, start:start + chunk]), head))
    return np.concatenate(out, axis=1)
