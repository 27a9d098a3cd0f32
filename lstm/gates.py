"""A layer's gates by name: record them over a sequence, or set their weights by hand.

    >>> import numpy as np
    >>> from lstm import LSTM
    >>> layer = LSTM(input_size=2, hidden_size=3, rng=np.random.default_rng(0))
    >>> out = trace(layer, np.ones((5, 1, 2)))           # out["f"]: (T, N, H), the forget gate
    >>> sorted(out), out["f"].shape
    (['c', 'f', 'g', 'h', 'i', 'o'], (5, 1, 3))
    >>> layer = set_gate(layer, "i", W_ih=0.0, W_hh=0.0, b=-30.0)   # an input gate that stays closed
    >>> float(np.abs(trace(layer, np.ones((5, 1, 2)))["c"]).max()) < 1e-12
    True

`trace` runs the layer forward and reads what its forward pass keeps for the backward
pass anyway (the layer's cache), so nothing is computed twice. `set_gate` writes the
rows of one gate in weight_ih (G*H, D), weight_hh (G*H, H) and bias (G*H,), found with
`layer.gate_rows`, the one way every layer says how its gates are stacked.

Names: for an LSTM the gates of its cell (i, f, g, o; a cell without a gate has no
entry, cifg's f is 1 - i), c and h; for a GRU r, z, n and h; for an RNN h.
"""
import numpy as np

from .gru import GRU, GRU_GATES
from .lstm_layer import LSTM
from .rnn import RNN


def trace(layer, X, state=None):
    """Run `layer` over X (T, N, D) from `state` (as its forward takes it) and return
    name -> (T, N, H): every gate and state at every step (see the module docstring)."""
    if not isinstance(layer, (LSTM, GRU, RNN)):
        raise TypeError(f"layer must be an lstm.LSTM, GRU or RNN, got {type(layer).__name__}")
    Y = layer.forward(X, state)[0] if state is not None else layer.forward(X)[0]
    T, N, H = Y.shape
    cache = layer._cache  # noqa: SLF001 (the cache is what the forward pass recorded)

    def stack(values):
        return np.stack(values) if T else np.empty((0, N, H), dtype=Y.dtype)

    if isinstance(layer, LSTM):
        cells = cache.cells
        names = [name for name in ("i", "f", "g", "o") if name in layer.kind.gates
                 or (name == "f" and layer.kind.coupled)]
        out = {name: stack([getattr(cell, name) for cell in cells]) for name in names}
        out["c"] = cache.cs[1:].copy()
    elif isinstance(layer, GRU):
        out = {name: stack([getattr(cell, name) for cell in cache.cells]) for name in GRU_GATES}
    else:  # an RNN has no gates
        out = {}
    out["h"] = Y.copy()
    return out


def set_gate(layer, gate, W_ih=None, W_hh=None, b=None):
    """Set, in place, the rows of one gate: W_ih (H, D), W_hh (H, H), b (H,), each an array
    of that shape or a number for all its entries; None leaves that part as it is.

    layer: any layer with stacked gate rows (`layer.gate_rows`): an lstm.LSTM (gates of
    its cell), GRU (r, z, n; b is the input bias, to which the r and z recurrent biases
    are merged), MinGRU, MinLSTM, SLSTM. Returns the layer.
    """
    rows = getattr(layer, "gate_rows", None)
    if not rows:
        raise TypeError(f"layer must be a layer with gates (gate_rows), such as lstm.LSTM or GRU; "
                        f"got {type(layer).__name__}")
    if gate not in rows:
        raise ValueError(f"this layer has no gate {gate!r}; its gates are {list(rows)}")
    rows = rows[gate]
    for key, value in (("weight_ih", W_ih), ("weight_hh", W_hh), ("bias", b)):
        if value is None:
            continue
        if key not in layer.params:
            raise ValueError(f"{type(layer).__name__} has no {key}: its gates read x_t only")
        block = layer.params[key][rows]
        value = np.asarray(value, dtype=layer.dtype)
        if value.ndim and value.shape != block.shape:
            raise ValueError(f"the {gate!r} rows of {key} have shape {block.shape}, got {value.shape}")
        if not np.all(np.isfinite(value)):
            raise ValueError(f"the values for the {gate!r} rows of {key} must be finite")
        layer.params[key][rows] = value
    return layer
