"""The LSTM cell: the kinds the package knows, and one step as pure functions.

This module is the reference copy of the cell, the one the chapters show. It has
two parts: the table of cell kinds and their parameter layout, then the step of the
three cells the book teaches (standard, 1997, peephole) written out, forward returning
a named cache and backward taking it. The other members of the family (Greff et al.
2017) are computed by `lstm.variants`, which writes one general cell for all of them;
`lstm.lstm_layer.LSTM` runs that general cell, or the fused kernels of `lstm.fused`.

Every cell computes gate pre-activations with one fused product

    a_t = x_t W_ih^T + h_{t-1} W_hh^T + b          a_t: (N, G*H)

where G is the number of gates the cell has, stacked in the order of `CellKind.gates`
(PyTorch's order i, f, g, o, leaving out the gates a cell does not have). What a cell
does with a_t is below (`cell_forward`).

    standard  (Gers et al. 2000, PyTorch's nn.LSTM)      gates i, f, g, o
        c_t = f_t * c_{t-1} + i_t * g_t,   h_t = o_t * tanh(c_t)
    1997      (Hochreiter & Schmidhuber 1997)             gates i, g, o
        c_t = c_{t-1} + i_t * g_t          (no forget gate: the constant error carousel)
    peephole  (Gers & Schmidhuber 2000, Graves 2012)      gates i, f, g, o + peepholes
        i_t, f_t also see c_{t-1}; o_t sees c_t, through the vectors w_ci, w_cf, w_co (H,)

The variants of Greff et al. 2017 ("LSTM: A Search Space Odyssey") are each the
paper's *vanilla* LSTM minus one feature. Greff's vanilla LSTM has peepholes, so it
is our "peephole" cell, and every variant below keeps the peepholes of the gates it
still has. Greff's NP ("no peepholes") is our "standard" cell.

    nig   no input gate         i_t = 1                     gates f, g, o
    nfg   no forget gate        f_t = 1                     gates i, g, o
    nog   no output gate        o_t = 1                     gates i, f, g
    niaf  no input activation   g_t = a_g (linear)          gates i, f, g, o
    noaf  no output activation  h_t = o_t * c_t             gates i, f, g, o
    cifg  coupled input-forget  f_t = 1 - i_t               gates i, g, o
    fgr   full gate recurrence  i, f, o also see i, f, o of step t-1 through the
                                (3H, 3H) matrix weight_gates; run by `lstm.fgr_lstm.FGRLSTM`

`CellKind.equations` holds each cell's equations as text.

Notation (shapes): N batch, D input, H hidden, G gates (4 for the standard cell).

    a   = x W_ih^T + h_prev W_hh^T + b                    (N, G*H)  pre-activations
    i   = sigmoid(a_i [+ w_ci * c_prev])                  (N, H)    input gate (write)
    f   = sigmoid(a_f [+ w_cf * c_prev])                  (N, H)    forget gate (keep)
    g   = tanh(a_g)                                       (N, H)    candidate value
    c   = f * c_prev + i * g      (1997 cell: c_prev + i * g)
    o   = sigmoid(a_o [+ w_co * c])                       (N, H)    output gate (read)
    h   = o * tanh(c)

Terms in [brackets] belong to the peephole cell only. `cell_forward` and
`cell_backward` are the element-wise part; `step_forward` and `step_backward` add the
matrix products of a single step. They handle the cells of CORE_CELLS; for the others
use `lstm.variants.variant_cell_forward` / `variant_cell_backward`, which give the same
numbers for these three (tests/test_core_cells.py checks it bit for bit).
"""
from dataclasses import dataclass
from typing import NamedTuple, Optional

import numpy as np

from .activations import sigmoid, sigmoid_grad, tanh, tanh_grad

RECURRENT_GATES = ("i", "f", "o")  # the gates that fgr feeds back, in this order


@dataclass(frozen=True)
class CellKind:
    name: str
    gates: tuple  # row blocks of weight_ih, weight_hh and bias, in this order
    peephole: bool = False  # adds weight_c<gate> (H,) for each of i, f, o the cell computes
    summary: str = ""
    input_activation: str = "tanh"  # squashes the candidate g; "identity" for niaf
    output_activation: str = "tanh"  # squashes c before the output gate; "identity" for noaf
    coupled: bool = False  # cifg: f_t = 1 - i_t, no forget rows of its own
    gate_recurrence: bool = False  # fgr: i, f, o see the previous step's i, f, o
    equations: str = ""

    @property
    def has_forget_gate(self):
        """True if the cell has forget-gate rows of its own (cifg derives f from i)."""
        return "f" in self.gates

    @property
    def peephole_names(self):
        """Names of the peephole vectors: weight_ci, weight_cf, weight_co for the gates it has."""
        if not self.peephole:
            return ()
        return tuple("weight_c" + x for x in RECURRENT_GATES if x in self.gates)

    def param_shapes(self, input_size, hidden_size):
        """Name -> shape of every parameter of this cell, for D = input_size, H = hidden_size."""
        G, D, H = len(self.gates), input_size, hidden_size
        shapes = {"weight_ih": (G * H, D), "weight_hh": (G * H, H), "bias": (G * H,)}
        shapes.update({name: (H,) for name in self.peephole_names})
        if self.gate_recurrence:
            shapes["weight_gates"] = (3 * H, 3 * H)
        return shapes

    def num_parameters(self, input_size, hidden_size):
        """How many numbers the cell's parameters hold, for D = input_size, H = hidden_size."""
        total = 0
        for shape in self.param_shapes(input_size, hidden_size).values():
            size = 1
            for s in shape:
                size *= s
            total += size
        return total


_PEEP_IN = "a_i + w_ci * c_{t-1}"
CELL_KINDS = {
    kind.name: kind
    for kind in [
        CellKind("standard", ("i", "f", "g", "o"), summary="forget gate, no peepholes (PyTorch's nn.LSTM)",
                 equations="i = s(a_i); f = s(a_f); g = tanh(a_g); o = s(a_o)\n"
                           "c_t = f * c_{t-1} + i * g; h_t = o * tanh(c_t)"),
        CellKind("1997", ("i", "g", "o"), summary="no forget gate: c_t = c_{t-1} + i_t g_t",
                 equations="i = s(a_i); g = tanh(a_g); o = s(a_o)\n"
                           "c_t = c_{t-1} + i * g; h_t = o * tanh(c_t)"),
        CellKind("peephole", ("i", "f", "g", "o"), peephole=True,
                 summary="forget gate and peepholes: i, f see c_{t-1}, o sees c_t",
                 equations="i = s(a_i + w_ci c_{t-1}); f = s(a_f + w_cf c_{t-1}); g = tanh(a_g)\n"
                           "c_t = f * c_{t-1} + i * g; o = s(a_o + w_co c_t); h_t = o * tanh(c_t)"),
        CellKind("nig", ("f", "g", "o"), peephole=True, summary="no input gate: i_t = 1",
                 equations="f = s(a_f + w_cf c_{t-1}); g = tanh(a_g)\n"
                           "c_t = f * c_{t-1} + g; o = s(a_o + w_co c_t); h_t = o * tanh(c_t)"),
        CellKind("nfg", ("i", "g", "o"), peephole=True, summary="no forget gate: f_t = 1",
                 equations="i = s(a_i + w_ci c_{t-1}); g = tanh(a_g)\n"
                           "c_t = c_{t-1} + i * g; o = s(a_o + w_co c_t); h_t = o * tanh(c_t)"),
        CellKind("nog", ("i", "f", "g"), peephole=True, summary="no output gate: o_t = 1",
                 equations="i = s(a_i + w_ci c_{t-1}); f = s(a_f + w_cf c_{t-1}); g = tanh(a_g)\n"
                           "c_t = f * c_{t-1} + i * g; h_t = tanh(c_t)"),
        CellKind("niaf", ("i", "f", "g", "o"), peephole=True, input_activation="identity",
                 summary="no input activation: g_t = a_g",
                 equations="i = s(a_i + w_ci c_{t-1}); f = s(a_f + w_cf c_{t-1}); g = a_g\n"
                           "c_t = f * c_{t-1} + i * g; o = s(a_o + w_co c_t); h_t = o * tanh(c_t)"),
        CellKind("noaf", ("i", "f", "g", "o"), peephole=True, output_activation="identity",
                 summary="no output activation: h_t = o_t c_t",
                 equations="i = s(a_i + w_ci c_{t-1}); f = s(a_f + w_cf c_{t-1}); g = tanh(a_g)\n"
                           "c_t = f * c_{t-1} + i * g; o = s(a_o + w_co c_t); h_t = o * c_t"),
        CellKind("cifg", ("i", "g", "o"), peephole=True, coupled=True,
                 summary="coupled input and forget gate: f_t = 1 - i_t",
                 equations="i = s(a_i + w_ci c_{t-1}); f = 1 - i; g = tanh(a_g)\n"
                           "c_t = f * c_{t-1} + i * g; o = s(a_o + w_co c_t); h_t = o * tanh(c_t)"),
        CellKind("fgr", ("i", "f", "g", "o"), peephole=True, gate_recurrence=True,
                 summary="full gate recurrence: i, f, o also see i, f, o of step t-1",
                 equations="[a_i, a_f, a_o] += [i_{t-1}, f_{t-1}, o_{t-1}] R^T   (R = weight_gates, 3H x 3H)\n"
                           "then as peephole: i = s(a_i + w_ci c_{t-1}); f = s(a_f + w_cf c_{t-1});\n"
                           "g = tanh(a_g); c_t = f * c_{t-1} + i * g; o = s(a_o + w_co c_t); h_t = o * tanh(c_t)"),
    ]
}

# Greff et al.'s names for the cells above: their vanilla LSTM is our peephole cell.
GREFF_NAMES = {"peephole": "V (vanilla)", "standard": "NP", "nig": "NIG", "nfg": "NFG", "nog": "NOG",
               "niaf": "NIAF", "noaf": "NOAF", "cifg": "CIFG", "fgr": "FGR"}


def get_cell_kind(cell):
    """Look up a cell kind by name (a CellKind passes through)."""
    if isinstance(cell, CellKind):
        return cell
    if cell not in CELL_KINDS:
        raise ValueError(f"unknown cell kind {cell!r}; expected one of {sorted(CELL_KINDS)}")
    return CELL_KINDS[cell]


def gate_slices(kind, hidden_size):
    """Gate name -> slice of the G*H axis that holds that gate's rows."""
    H = hidden_size
    return {name: slice(k * H, (k + 1) * H) for k, name in enumerate(kind.gates)}


# One step of the reference cells ------------------------------------------------

CORE_CELLS = ("standard", "1997", "peephole")  # written out below; the rest in lstm.variants


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


def _core_kind(kind):
    """The CellKind of one of CORE_CELLS; any other cell is an error that names lstm.variants."""
    kind = get_cell_kind(kind)
    if kind.name not in CORE_CELLS:
        raise ValueError(f"this is the reference step of the cells {CORE_CELLS}; the {kind.name!r} cell is "
                         f"computed by lstm.variants.variant_cell_forward / variant_cell_backward")
    return kind


def cell_forward(a, c_prev, cell="standard", peepholes=None):
    """Element-wise part of a step: pre-activations -> new hidden and cell state.

    a: (N, G*H) gate pre-activations in the order of the cell's gates; c_prev: (N, H);
    cell: the cell's name, as in `LSTM(cell=...)` ("standard", "1997" or "peephole");
    peepholes: dict with weight_ci, weight_cf, weight_co (each (H,)) for the peephole cell
    (the layer passes its params). Returns h (N, H), c (N, H), CellCache.
    """
    kind = _core_kind(cell)
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


def cell_backward(dh, dc, cache, cell="standard", peepholes=None):
    """Backward of `cell_forward`.

    dh, dc: (N, H) gradients of the loss w.r.t. this step's h and c (from the output
    and from the next step). Returns CellGrads(da, dc, dc_prev, peepholes).
    """
    kind = _core_kind(cell)
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


def step_forward(x, h_prev, c_prev, params, cell="standard"):
    """One full LSTM step.

    x: (N, D), h_prev and c_prev: (N, H); params: weight_ih (G*H, D), weight_hh (G*H, H),
    bias (G*H,) and, for the peephole cell, weight_ci, weight_cf, weight_co (H,).
    Returns h (N, H), c (N, H), StepCache.
    """
    kind = _core_kind(cell)
    a = x @ params["weight_ih"].T + h_prev @ params["weight_hh"].T + params["bias"]  # (N, G*H)
    h, c, cell_cache = cell_forward(a, c_prev, kind, params if kind.peephole else None)
    return h, c, StepCache(x, h_prev, cell_cache, params, kind.name)


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
