"""The element-wise cell of every member of the LSTM family (Greff et al. 2017).

`lstm.cells` keeps the three cells the chapters teach (standard, 1997, peephole) short
enough to read in one go; this module is the general copy: one cell for every kind of
`lstm.cells`, the variants of "LSTM: A Search Space Odyssey" included. Each variant changes one line of the cell (see
`lstm.cells` for their equations):

    nig, nfg, nog   a missing gate is the constant 1
    cifg            f = 1 - i
    niaf            g = a_g (no tanh on the candidate)
    noaf            h = o * c (no tanh on the cell state)
    fgr             [i, f, o]_{t-1} weight_gates^T added to a_i, a_f, a_o (pass gates_prev)

The layer (`lstm.lstm_layer.LSTM`) calls this pair of functions for every cell it does not
run through the fused kernels of `lstm.fused`. For the three core cells they give the
same numbers as `lstm.cells.cell_forward` / `cell_backward` (tests/test_core_cells.py
checks it bit for bit).
"""
import numpy as np

from .activations import sigmoid, sigmoid_grad, tanh, tanh_grad
from .cells import RECURRENT_GATES, CellCache, CellGrads, gate_slices, get_cell_kind


def _squash(name, z):
    """tanh, or the identity for the variants that drop an activation (niaf, noaf)."""
    return tanh(z) if name == "tanh" else z


def _gate_recurrence(a, gates_prev, kind, peepholes):
    """a with [i, f, o]_{t-1} weight_gates^T added to the i, f, o blocks (the fgr cell)."""
    H = gates_prev.shape[-1] // 3
    s = gate_slices(kind, H)
    extra = gates_prev @ peepholes["weight_gates"].T  # (N, 3H): into i, f, o
    a = a.copy()
    for k, name in enumerate(RECURRENT_GATES):
        a[:, s[name]] += extra[:, k * H:(k + 1) * H]
    return a


def variant_cell_forward(a, c_prev, kind, peepholes=None, gates_prev=None):
    """`lstm.cells.cell_forward` for any cell of `lstm.cells`, variants included.

    a: (N, G*H) gate pre-activations in the order of kind.gates; c_prev: (N, H);
    peepholes: dict with the cell's peephole vectors weight_ci, weight_cf, weight_co
    (each (H,)) for cells with peepholes (the layer passes its params), and weight_gates
    (3H, 3H) for fgr; gates_prev: (N, 3H), [i, f, o] of the previous step, fgr only
    (zeros at the first step). Returns h (N, H), c (N, H), CellCache.
    """
    kind = get_cell_kind(kind)
    H = c_prev.shape[-1]
    s = gate_slices(kind, H)
    if kind.peephole and peepholes is None:
        raise ValueError(f"the {kind.name!r} cell has peepholes: pass its params as `peepholes`")
    if kind.gate_recurrence:
        if gates_prev is None:
            raise ValueError(f"the {kind.name!r} cell's gates read the previous step's gates: pass "
                             f"gates_prev (N, 3H) (lstm.FGRLSTM runs this cell over a sequence)")
        a = _gate_recurrence(a, gates_prev, kind, peepholes)

    def gate(name, c_seen):  # sigmoid of the gate's block, plus its peephole if any
        if kind.peephole:
            return sigmoid(a[:, s[name]] + peepholes["weight_c" + name] * c_seen)
        return sigmoid(a[:, s[name]])

    i = gate("i", c_prev) if "i" in kind.gates else None
    if kind.coupled:
        f = 1.0 - i  # cifg: what is written displaces what was kept
    else:
        f = gate("f", c_prev) if kind.has_forget_gate else None
    g = _squash(kind.input_activation, a[:, s["g"]])
    # The cell state is the constant error carousel: a sum, not a squashed product.
    c = (f * c_prev if f is not None else c_prev) + (i * g if i is not None else g)
    o = gate("o", c) if "o" in kind.gates else None
    tanh_c = _squash(kind.output_activation, c)
    h = o * tanh_c if o is not None else tanh_c
    return h, c, CellCache(i, f, g, o, c_prev, c, tanh_c)


def variant_cell_backward(dh, dc, cache, kind, peepholes=None, dgates=None):
    """Backward of `variant_cell_forward`.

    dh, dc: (N, H) gradients of the loss w.r.t. this step's h and c (from the output
    and from the next step). dgates: (N, 3H) or None, the gradient w.r.t. this step's
    gate activations [i, f, o] from the next step, which only fgr has.
    Returns CellGrads(da, dc, dc_prev, peepholes); da is the gradient w.r.t. the
    pre-activations after fgr's gate recurrence was added (the layer takes it from there).
    """
    kind = get_cell_kind(kind)
    i, f, g, o, c_prev, c, tanh_c = cache.i, cache.f, cache.g, cache.o, cache.c_prev, cache.c, cache.tanh_c
    H = c.shape[-1]
    s = gate_slices(kind, H)
    da = np.empty((c.shape[0], len(kind.gates) * H), dtype=c.dtype)
    dpeep = {}
    if dgates is not None:
        extra = {name: dgates[:, k * H:(k + 1) * H] for k, name in enumerate(RECURRENT_GATES)}

    if o is not None:
        d_o = dh * tanh_c if dgates is None else dh * tanh_c + extra["o"]
        da_o = d_o * sigmoid_grad(o)  # through h = o * tanh(c), into the output gate
        d_squashed = dh * o
    else:
        d_squashed = dh  # nog: h = tanh(c)
    if kind.output_activation == "tanh":
        dc = dc + d_squashed * tanh_grad(tanh_c)  # through tanh(c), added to what flows in from t+1
    else:
        dc = dc + d_squashed  # noaf: h = o * c
    if o is not None:
        if kind.peephole:
            dc = dc + da_o * peepholes["weight_co"]  # o_t peeks at c_t
            dpeep["weight_co"] = np.sum(da_o * c, axis=0)
        da[:, s["o"]] = da_o
    if i is not None:
        d_i = dc * g if not kind.coupled else dc * (g - c_prev)  # cifg: i also sets f = 1 - i
        if dgates is not None:
            d_i = d_i + extra["i"]
        da[:, s["i"]] = d_i * sigmoid_grad(i)  # through i * g, into the input gate
    d_g = dc * i if i is not None else dc  # through i * g, into the candidate
    da[:, s["g"]] = d_g * tanh_grad(g) if kind.input_activation == "tanh" else d_g
    # The carousel: the error reaches c_prev scaled only by the forget gate (1 without one).
    dc_prev = dc * f if f is not None else dc.copy()
    if kind.has_forget_gate:
        d_f = dc * c_prev if dgates is None else dc * c_prev + extra["f"]
        da[:, s["f"]] = d_f * sigmoid_grad(f)  # through f * c_prev, into the forget gate
    if kind.peephole:
        seen_prev = [x for x in ("i", "f") if x in kind.gates]  # i and f peek at c_prev
        dc_prev += sum(da[:, s[x]] * peepholes["weight_c" + x] for x in seen_prev)
        for x in seen_prev:
            dpeep["weight_c" + x] = np.sum(da[:, s[x]] * c_prev, axis=0)
    return CellGrads(da, dc, dc_prev, dpeep)
