"""Every recurrent layer of the package by name: the one place a model factory builds one.

    >>> import numpy as np
    >>> layer = make_layer("lstm", input_size=2, hidden_size=16, rng=np.random.default_rng(0),
    ...                    cell="cifg", keep_bias=3.0)
    >>> layer
    LSTM(input_size=2, hidden_size=16, dtype=float64, parameters=944, cell='cifg')
    >>> float(layer.params["bias"][layer.gate_rows["i"]][0])   # cifg keeps with a closed input gate
    -3.0

LAYERS maps a name to its class; options go to the class's constructor (cell for the
LSTM, nonlinearity for the RNN, forget_bias, init_range, parallel). "lstm" builds the
FGRLSTM for cell="fgr", whose gates read the previous step's gates.

keep_bias starts the gates that decide how much of the memory survives a step near
"keep" (Gers et al. 2000; Jozefowicz et al. 2015 recommend +1):

    LSTM with a forget gate, sLSTM    b_f = +keep_bias          f = sigmoid(b_f) ~ 1
    LSTM cifg (f = 1 - i)             b_i = -keep_bias          f = 1 - sigmoid(b_i) ~ 1
    GRU                               b_z = +keep_bias          h_t ~ h_{t-1}
    minGRU                            b_z = -keep_bias          h_t ~ h_{t-1}
    minLSTM                           b_f = +keep_bias, b_i = -keep_bias   f' = f/(f+i) ~ 1
    LSTM 1997, nfg (no forget gate)   nothing to set: they always keep everything
"""
import numpy as np

from .cells import get_cell_kind
from .fgr_lstm import FGRLSTM
from .gates import set_gate
from .gru import GRU
from .lstm_layer import LSTM
from .minrnn import MinGRU, MinLSTM
from .rnn import RNN
from .ssm import SelectiveSSM
from .xlstm import MLSTM, SLSTM

LAYERS = {"lstm": LSTM, "rnn": RNN, "gru": GRU, "mingru": MinGRU, "minlstm": MinLSTM, "slstm": SLSTM,
          "mlstm": MLSTM, "ssm": SelectiveSSM}

# The gates keep_bias sets, with the sign that means "keep" (see the module docstring).
_KEEP_GATES = {GRU: {"z": 1.0}, MinGRU: {"z": -1.0}, MinLSTM: {"f": 1.0, "i": -1.0}, SLSTM: {"f": 1.0}}


def keep_gates(layer):
    """Gate name -> the sign of keep_bias it gets: the gates that keep the memory."""
    if isinstance(layer, LSTM):
        if layer.kind.has_forget_gate:
            return {"f": 1.0}
        return {"i": -1.0} if layer.kind.coupled else {}  # cifg: f = 1 - i
    for cls, gates in _KEEP_GATES.items():
        if isinstance(layer, cls):
            return gates
    raise ValueError(f"{type(layer).__name__} has no gate that keeps its memory for keep_bias to set")


def set_keep_bias(layer, keep_bias):
    """Set, in place, the biases of the gates that keep the memory (see the module docstring)."""
    for gate, sign in keep_gates(layer).items():
        set_gate(layer, gate, b=sign * keep_bias)
    return layer


def make_layer(name, input_size, hidden_size, rng=None, dtype=np.float64, keep_bias=None, **options):
    """A recurrent layer by its name in LAYERS; options go to its constructor."""
    if name not in LAYERS:
        raise ValueError(f"unknown layer {name!r}; expected one of {sorted(LAYERS)}")
    cls = LAYERS[name]
    if cls is LSTM and get_cell_kind(options.get("cell", "standard")).gate_recurrence:
        cls = FGRLSTM
    layer = cls(input_size, hidden_size, rng=rng, dtype=dtype, **options)
    return layer if keep_bias is None else set_keep_bias(layer, keep_bias)
