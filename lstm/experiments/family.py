"""One constructor for the whole LSTM family: every cell of `lstm.cells` and the GRU.

    layer = make_recurrent("cifg", input_size=2, hidden_size=16, rng=rng, keep_bias=3.0)

picks the layer class the member needs (LSTM, FGRLSTM for "fgr", GRU for "gru") and,
with keep_bias, starts the gate that decides how much of the memory survives a step
near "keep" (Gers et al. 2000; Jozefowicz et al. 2015 recommend +1):

    cells with a forget gate   b_f = +keep_bias          f = sigmoid(b_f) ~ 1
    cifg (f = 1 - i)           b_i = -keep_bias          f = 1 - sigmoid(b_i) ~ 1
    gru                        b_z = +keep_bias          h_t ~ h_{t-1}
    1997, nfg (no forget gate) nothing to set: they always keep everything
"""
import numpy as np

from ..cells import get_cell_kind
from ..fgr import FGRLSTM
from ..gates import set_gate
from ..gru import GRU
from ..layer import LSTM

FAMILY = ("peephole", "standard", "nig", "nfg", "nog", "niaf", "noaf", "cifg", "fgr", "1997", "gru")


def set_keep_bias(layer, keep_bias):
    """Set, in place, the bias of the gate that keeps the memory (see the module docstring)."""
    if isinstance(layer, GRU):
        return set_gate(layer, "z", b=keep_bias)  # z keeps h
    if layer.kind.has_forget_gate:
        return set_gate(layer, "f", b=keep_bias)
    if layer.kind.coupled:
        return set_gate(layer, "i", b=-keep_bias)  # f = 1 - i
    return layer


def make_recurrent(cell, input_size, hidden_size, rng=None, dtype=np.float64, keep_bias=None, init_range=None):
    """A recurrent layer for any member of the family: a cell name of lstm.cells or "gru"."""
    if cell == "gru":
        layer = GRU(input_size, hidden_size, rng=rng, dtype=dtype, init_range=init_range)
    else:
        kind = get_cell_kind(cell)
        cls = FGRLSTM if kind.gate_recurrence else LSTM
        layer = cls(input_size, hidden_size, cell=kind.name, rng=rng, dtype=dtype, init_range=init_range)
    return layer if keep_bias is None else set_keep_bias(layer, keep_bias)
