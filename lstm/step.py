"""One LSTM time step as pure functions: forward returns a named cache, backward takes it.

Notation (shapes): N batch, D input, H hidden, G gates (4 for the standard cell).

    a   = x W_ih^T + h_prev W_hh^T + b                    (N, G*H)  pre-activations
    i   = sigmoid(a_i [+ w_ci * c_prev])                  (N, H)    input gate (write)
    f   = sigmoid(a_f [+ w_cf * c_prev])                  (N, H)    forget gate (keep)
    g   = tanh(a_g)                                       (N, H)    candidate value
    c   = f * c_prev + i * g      (1997 cell: c_prev + i * g)
    o   = sigmoid(a_o [+ w_co * c])                       (N, H)    output gate (read)
    h   = o * tanh(c)

Terms in [brackets] belong to the peephole cell only. `cell_forward` and
`cell_backward` are the element-wise part, shared with the layer in `lstm.layer`, which
does the matrix products for all time steps at once; `step_forward` and `step_backward`
add the matrix products of a single step and are what the chapters show a reader.
The variants of Greff et al. 2017 (nig, nfg, nog, niaf, noaf, cifg, fgr) are handed on
to `lstm.variants`, which writes the cell once for the whole family.
"""
from typing import NamedTuple, Optional

import numpy as np

from .activations import sigmoid, sigmoid_grad, tanh, tanh_grad
from .cells import get_cell_kind, gate_slices

CORE_CELLS = ("standard", "1997", "peephole")  # written out here; the rest in lstm.variants


class CellCache(NamedTuple):
    """What the element-wise backward pass needs from the forward pass; each (N, H)."""
    i: Optional[np.ndarray]  # None for a cell without an input gate (nig)
    f: Optional[np.ndarray]  # None for a cell without a forget gate; 1 - i for cifg
    g: np.ndarray
    o: Optional[np.ndarray]  # None for a cell without an output gate (nog)
    c_prev: np.ndarray
    c: np.ndarray
    tanh_c: np.ndarray  # the output activation of c: tanh(c), or c itself for noaf


class CellGrads(NamedTuple):
    """What `cell_backward` returns."""
    da: np.ndarray  # (N, G*H) gradient w.r.t. the gate pre-activations
    dc: np.ndarray  # (N, H) total gradient w.r.t. this step's c, all paths summed
    dc_prev: np.ndarray  # (N, H) gradient passed back to c_{t-1}
    peepholes: dict  # weight_ci, weight_cf, weight_co -> (H,), those the cell has; else empty


class StepCache(NamedTuple):
    """What `step_backward` needs: the step's inputs and the element-wise cache."""
    x: np.ndarray  # (N, D)
    h_prev: np.ndarray  # (N, H)
    cell: CellCache
    params: dict
    kind_name: str


def cell_forward(a, c_prev, kind="standard", peepholes=None, gates_prev=None):
    """Element-wise part of a step: pre-activations -> new hidden and cell state.

    a: (N, G*H) gate pre-activations in the order of kind.gates; c_prev: (N, H);
    peepholes: dict with weight_ci, weight_cf, weight_co (each (H,)) for the peephole cell
    (the layer passes its params). gates_prev: only for the fgr variant (lstm.variants).
    Returns h (N, H), c (N, H), CellCache.
    """
    kind = get_cell_kind(kind)
    if kind.name not in CORE_CELLS:
        from .variants import variant_cell_forward  # imported here: lstm.variants builds on this module
        return variant_cell_forward(a, c_prev, kind, peepholes, gates_prev)
    if kind.peephole and peepholes is None:
        raise ValueError(f"the {kind.name!r} cell has peepholes: pass its params as `peepholes`")
    H = c_prev.shape[-1]
    s = gate_slices(kind, H)
    if kind.peephole:
        i = sigmoid(a[:, s["i"]] + peepholes["weight_ci"] * c_prev)
        f = sigmoid(a[:, s["f"]] + peepholes["weight_cf"] * c_prev)
    else:
        i = sigmoid(a[:, s["i"]])
        f = sigmoid(a[:, s["f"]]) if kind.has_forget_gate else None
    g = tanh(a[:, s["g"]])
    # The cell state is the constant error carousel: a sum, not a squashed product.
    c = (f * c_prev if f is not None else c_prev) + i * g
    a_o = a[:, s["o"]] + peepholes["weight_co"] * c if kind.peephole else a[:, s["o"]]
    o = sigmoid(a_o)
    tanh_c = tanh(c)
    h = o * tanh_c
    return h, c, CellCache(i, f, g, o, c_prev, c, tanh_c)


def cell_backward(dh, dc, cache, kind="standard", peepholes=None, dgates=None):
    """Backward of `cell_forward`.

    dh, dc: (N, H) gradients of the loss w.r.t. this step's h and c (from the output
    and from the next step); dgates: only for the fgr variant (lstm.variants).
    Returns CellGrads(da, dc, dc_prev, peepholes).
    """
    kind = get_cell_kind(kind)
    if kind.name not in CORE_CELLS:
        from .variants import variant_cell_backward  # imported here: lstm.variants builds on this module
        return variant_cell_backward(dh, dc, cache, kind, peepholes, dgates)
    i, f, g, o, c_prev, c, tanh_c = cache
    H = c.shape[-1]
    s = gate_slices(kind, H)
    da = np.empty((c.shape[0], len(kind.gates) * H), dtype=c.dtype)
    dpeep = {}

    da_o = dh * tanh_c * sigmoid_grad(o)  # through h = o * tanh(c), into the output gate
    dc = dc + dh * o * tanh_grad(tanh_c)  # through tanh(c), added to what flows in from t+1
    if kind.peephole:
        dc = dc + da_o * peepholes["weight_co"]  # o_t peeks at c_t
        dpeep["weight_co"] = np.sum(da_o * c, axis=0)
    da[:, s["o"]] = da_o
    da[:, s["i"]] = dc * g * sigmoid_grad(i)  # through i * g, into the input gate
    da[:, s["g"]] = dc * i * tanh_grad(g)  # through i * g, into the candidate
    # The carousel: the error reaches c_prev scaled only by the forget gate (1 in 1997).
    dc_prev = dc * f if f is not None else dc.copy()
    if f is not None:
        da[:, s["f"]] = dc * c_prev * sigmoid_grad(f)  # through f * c_prev, into the forget gate
    if kind.peephole:
        dc_prev += da[:, s["i"]] * peepholes["weight_ci"] + da[:, s["f"]] * peepholes["weight_cf"]
        dpeep["weight_ci"] = np.sum(da[:, s["i"]] * c_prev, axis=0)
        dpeep["weight_cf"] = np.sum(da[:, s["f"]] * c_prev, axis=0)
    return CellGrads(da, dc, dc_prev, dpeep)


def step_forward(x, h_prev, c_prev, params, kind="standard"):
    """One full LSTM step.

    x: (N, D), h_prev and c_prev: (N, H); params: weight_ih (G*H, D), weight_hh (G*H, H),
    bias (G*H,) and, for the peephole cell, weight_ci, weight_cf, weight_co (H,).
    Returns h (N, H), c (N, H), StepCache.
    """
    kind = get_cell_kind(kind)
    a = x @ params["weight_ih"].T + h_prev @ params["weight_hh"].T + params["bias"]  # (N, G*H)
    h, c, cell = cell_forward(a, c_prev, kind, params if kind.peephole else None)
    return h, c, StepCache(x, h_prev, cell, params, kind.name)


def step_backward(dh, dc, cache):
    """Backward of `step_forward`.

    dh, dc: (N, H) gradients w.r.t. the step's h and c. Returns dx (N, D),
    dh_prev (N, H), dc_prev (N, H) and grads, a dict with the keys of params.
    """
    kind = get_cell_kind(cache.kind_name)
    p = cache.params
    da, _, dc_prev, grads = cell_backward(dh, dc, cache.cell, kind, p if kind.peephole else None)
    grads["weight_ih"] = da.T @ cache.x  # (G*H, D)
    grads["weight_hh"] = da.T @ cache.h_prev  # (G*H, H)
    grads["bias"] = da.sum(axis=0)  # (G*H,)
    dx = da @ p["weight_ih"]  # (N, D)
    dh_prev = da @ p["weight_hh"]  # (N, H): through the recurrent weights
    return dx, dh_prev, dc_prev, grads
