"""The step diagram with the numbers of a real run, and a time slider over it.

    trace = trace_lstm(layer, X)               # runs layer.forward(X), reads its step caches
    live_cell_diagram(trace, t=2, unit=0)       # step 2 (t = 1 .. T) of unit 0, as a Diagram
    live_cell_slider(trace, unit=0).box         # every step: switched in the browser, drawn live with a kernel

The values come from the caches the layer keeps for its backward pass (one
`lstm.cells.CellCache` per step: i, f, g, o, c_prev, c), so the drawing shows what
the package computed, not a recomputation. On the drawing each gate's value is
written in its box and sets the width and opacity of its output wire (a closed
gate is a thin, faint wire; an open one a thick, solid wire); c_{t-1}, c_t,
h_{t-1} and h_t are written at the ends of their lines.
"""
from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np

from lstm.cells import CellKind
from lstm.lstm_layer import LSTM
from lstm.validate import as_float_array

from .cell import W, lstm_layout

__all__ = ["CellTrace", "trace_lstm", "step_values", "live_cell_diagram", "live_cell_slider"]


class CellTrace(NamedTuple):
    """What one sequence of a run went through, step by step (t = 1 .. T)."""
    kind: CellKind
    x: np.ndarray  # (T, D) inputs x_1 .. x_T
    h: np.ndarray  # (T+1, H) h_0 (the initial state) .. h_T
    c: np.ndarray  # (T+1, H) c_0 .. c_T
    gates: dict  # gate name -> (T, H) activations, for the gates the cell has (and f = 1 - i for cifg)

    @property
    def steps(self):
        return self.x.shape[0]


def trace_lstm(layer, X, state=None, sequence=0):
    """Run ``layer.forward(X, state)`` and collect one sequence's values from its step caches.

    layer: an `lstm.LSTM` (any cell kind, `lstm.FGRLSTM` too). X: (T, N, D), or (T, D)
    for a single sequence. state: (h0, c0), each (N, H), or None for zeros.
    sequence: which of the N sequences to keep. Returns a CellTrace.
    Like any forward call, this replaces the cache a following ``layer.backward`` would use.
    """
    if not isinstance(layer, LSTM):
        raise TypeError(f"layer must be an lstm.LSTM (the GRU has no cell state to draw), got {type(layer).__name__}")
    X = as_float_array("X", X, layer.dtype)
    if X.ndim == 2:  # one sequence: a batch of one, and states of shape (H,) become (1, H)
        X = X[:, None, :]
        if state is not None:
            state = tuple(s if s is None or np.ndim(s) != 1 else np.asarray(s)[None] for s in state)
    if X.ndim != 3 or X.shape[0] < 1:
        raise ValueError(f"X must have shape (T, N, D) or (T, D) with T >= 1, got {X.shape}")
    N = X.shape[1]
    n = _index("sequence", sequence, N)
    Y, _ = layer.forward(X, state)
    cache = layer._cache  # what backward will use: LSTMCache, or FGRCache for fgr
    cells = cache.cells  # one CellCache per step
    h0 = cache.hs[0] if hasattr(cache, "hs") else cache.h0  # (N, H)
    h = np.concatenate([h0[n][None], Y[:, n]])
    c = np.stack([cells[0].c_prev[n]] + [cell.c[n] for cell in cells])
    names = [g for g in ("i", "f", "g", "o") if getattr(cells[0], g) is not None]
    gates = {g: np.stack([getattr(cell, g)[n] for cell in cells]) for g in names}
    return CellTrace(layer.kind, X[:, n].copy(), h, c, gates)


def _index(name, value, size):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if not 0 <= value < size:
        raise ValueError(f"{name} must be in 0 .. {size - 1}, got {value}")
    return int(value)


def step_values(trace, t, unit=0):
    """The numbers the live diagram of step t (1 .. T) writes for one unit: name -> float.

    Keys: the trace's gates, c_prev (c_{t-1}), c, h_prev (h_{t-1}), h.
    """
    if not isinstance(trace, CellTrace):
        raise TypeError(f"trace must be a CellTrace (see trace_lstm), got {type(trace).__name__}")
    if isinstance(t, bool) or not isinstance(t, numbers.Integral):
        raise TypeError(f"t must be an integer step 1 .. {trace.steps}, got {t!r}")
    if not 1 <= t <= trace.steps:
        raise ValueError(f"t must be a step 1 .. {trace.steps} (t = 0 is the initial state), got {t}")
    u = _index("unit", unit, trace.c.shape[1])
    values = {g: float(a[t - 1, u]) for g, a in trace.gates.items()}
    values.update(c_prev=float(trace.c[t - 1, u]), c=float(trace.c[t, u]),
                  h_prev=float(trace.h[t - 1, u]), h=float(trace.h[t, u]))
    return values


def live_cell_diagram(trace, t, unit=0):
    """The step diagram of ``trace.kind`` with the values of step t (1 .. T) of one unit."""
    values = step_values(trace, t, unit)
    title = f"Step t = {t} of the {trace.kind.name} LSTM cell, unit {unit}: gates, c and h of a run"
    cv = lstm_layout(trace.kind, values, title=title)
    cv.text(W - 4, 16, f"t = {t}, unit {unit}", anchor="end", size=22, math=False, color="#333333",
            cls="step", data={"t": t, "unit": unit})
    return cv.diagram("lstm-diagram cell live", kind=trace.kind.name, t=t, unit=unit)


def live_cell_slider(trace, unit=0, steps=None, value=None, description="step t"):
    """A time slider over the live diagram: precomputed steps on the static page, every step live.

    An explorable (lstm.book.explorable, through its one-slider wrapper
    ``precomputed_slider``). steps: the steps drawn in advance for the static page
    (default 1 .. T). Each is one SVG of about 11 kB in the page's saved widget
    state, so for long sequences pass the steps worth seeing (e.g.
    ``steps=range(1, 41)`` or the steps around an event). With a live kernel the
    slider reaches every step 1 .. T and draws it on demand. value: the step
    shown first. Returns lstm.book.explorable.PrecomputedSlider; display its ``box``.
    """
    from ..explorable import precomputed_slider  # needs ipywidgets, which the drawings do not

    steps = list(range(1, trace.steps + 1)) if steps is None else list(steps)
    for t in steps:
        step_values(trace, t, unit)  # a clear error for a bad step before anything is drawn
    live = (1, trace.steps, 1) if trace.steps > 1 else None
    return precomputed_slider(lambda t: live_cell_diagram(trace, int(t), unit), steps, value=value,
                              description=description, readout_format="{:.0f}", live=live)
