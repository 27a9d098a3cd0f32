"""Checker for chapter 4's exercise: one step of the peephole cell, from its pre-activations.

The reader writes the element-wise part of the step of the cell with a forget gate and
peepholes (the chapter's equation of the peephole cell)::

    def peephole_cell(a, c_prev, w_ci, w_cf, w_co):
        # a (N, 4H): a_i, a_f, a_g, a_o stacked in the order i, f, g, o; c_prev (N, H);
        # w_ci, w_cf, w_co (H,): the peephole weights
        ...
        return {"i": i, "f": f, "g": g, "o": o, "c": c, "h": h}     # each (N, H)

`check_peephole_cell` compares it with `lstm.cells.cell_forward(..., cell="peephole")`
and names the slip (the output gate peeking at c_prev, the peephole weights swapped,
the peephole added outside the sigmoid, (1 - f) * c_prev, ...).

Needs numpy and the core package only, so it runs in JupyterLite.
"""
from __future__ import annotations

import numbers

import numpy as np

from lstm.activations import sigmoid, tanh
from lstm.cells import cell_forward

from . import Report
from .catalogue import Slip, check, parse_dict

__all__ = ["check_peephole_cell", "CATALOGUE"]

RESULTS = ("i", "f", "g", "o", "c", "h")
WHERE = "chapter 4's equation of the peephole cell"

CATALOGUE = {
    "o_peeks_c_prev": Slip("the output gate peeking at the old state c_prev",
                           "o = sigma(a_o + w_co * c): the output gate sees the new state", WHERE),
    "i_f_peek_c": Slip("the input and forget gates peeking at the new state c (computed without peepholes first)",
                       "i = sigma(a_i + w_ci * c_prev);  f = sigma(a_f + w_cf * c_prev)", WHERE),
    "no_peepholes": Slip("the peepholes left out (the cell of section 2)",
                         "i = sigma(a_i + w_ci * c_prev);  f = sigma(a_f + w_cf * c_prev);  o = sigma(a_o + w_co * c)",
                         WHERE),
    "no_o_peephole": Slip("the output gate's peephole left out", "o = sigma(a_o + w_co * c)", WHERE),
    "weights_swapped": Slip("w_ci and w_cf swapped", "i = sigma(a_i + w_ci * c_prev);  f = sigma(a_f + w_cf * c_prev)",
                            WHERE),
    "outside_sigmoid": Slip("the peephole term added outside the sigmoid",
                            "i = sigma(a_i + w_ci * c_prev): the peephole is part of the pre-activation", WHERE),
    "peek_tanh_c": Slip("the output gate peeking at tanh(c) instead of c", "o = sigma(a_o + w_co * c)", WHERE),
    "one_minus_f": Slip("(1 - f) * c_prev: f read as the share erased", "c = f * c_prev + i * g: f is the share kept",
                        WHERE),
    "i_f_swapped": Slip("i and f swapped in the update", "c = f * c_prev + i * g", WHERE),
    "no_f": Slip("the forget gate left out of the update (c = c_prev + i * g)", "c = f * c_prev + i * g", WHERE),
    "h_o_c": Slip("h = o * c, without the tanh", "h = o * tanh(c)", WHERE),
    "order_igfo": Slip("the blocks of a read in the order i, g, f, o", "a = [a_i, a_f, a_g, a_o], i, f, g, o", WHERE),
}


def random_peephole_step(seed: int = 0, N: int = 3, H: int = 4) -> dict:
    """Random float64 inputs: a (N, 4H), c_prev (N, H), w_ci, w_cf, w_co (H,)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    rng = np.random.default_rng(seed)
    return {"a": rng.standard_normal((N, 4 * H)), "c_prev": rng.uniform(-2, 2, (N, H)),
            "w_ci": rng.normal(0, 0.8, H), "w_cf": rng.normal(0, 0.8, H), "w_co": rng.normal(0, 0.8, H)}


def _with_slips(inp, slips):
    a, c_prev = inp["a"], inp["c_prev"]
    w_ci, w_cf, w_co = inp["w_ci"], inp["w_cf"], inp["w_co"]
    if "weights_swapped" in slips:
        w_ci, w_cf = w_cf, w_ci
    if "no_peepholes" in slips:
        w_ci = w_cf = w_co = 0.0 * w_co
    if "no_o_peephole" in slips:
        w_co = 0.0 * w_co
    order = ("i", "g", "f", "o") if "order_igfo" in slips else ("i", "f", "g", "o")
    blk = dict(zip(order, np.split(a, 4, axis=1)))
    g = tanh(blk["g"])

    def gate(pre, peek):
        return sigmoid(pre) + peek if "outside_sigmoid" in slips else sigmoid(pre + peek)

    def update(i, f):
        keep, write = (1 - f if "one_minus_f" in slips else f), i
        if "i_f_swapped" in slips:
            keep, write = write, keep
        if "no_f" in slips:
            keep = 1.0
        return keep * c_prev + write * g

    peek = c_prev
    if "i_f_peek_c" in slips:
        peek = update(sigmoid(blk["i"]), sigmoid(blk["f"]))
    i, f = gate(blk["i"], w_ci * peek), gate(blk["f"], w_cf * peek)
    c = update(i, f)
    seen = c_prev if "o_peeks_c_prev" in slips else (tanh(c) if "peek_tanh_c" in slips else c)
    o = gate(blk["o"], w_co * seen)
    h = o * (c if "h_o_c" in slips else tanh(c))
    return {"i": i, "f": f, "g": g, "o": o, "c": c, "h": h}


def _follows(c_prev):
    """c and h as they follow from the reader's own gates and c (for "fix i first")."""
    return {"c": (("i", "f", "g"), lambda r: r["f"] * c_prev + r["i"] * r["g"]),
            "h": (("o", "c"), lambda r: r["o"] * tanh(r["c"]))}


def check_peephole_cell(peephole_cell, seed: int = 0) -> Report:
    """Run ``peephole_cell(a, c_prev, w_ci, w_cf, w_co)`` and the package's peephole cell on random
    inputs (N = 3, H = 4, float64); a Report that names the slip."""
    if not callable(peephole_cell):
        raise TypeError(f"peephole_cell must be your function (a, c_prev, w_ci, w_cf, w_co) -> dict, "
                        f"got {peephole_cell!r}")
    inp = random_peephole_step(seed)
    peep = {"weight_ci": inp["w_ci"], "weight_cf": inp["w_cf"], "weight_co": inp["w_co"]}
    h, c, cache = cell_forward(inp["a"], inp["c_prev"], cell="peephole", peepholes=peep)
    reference = {"i": cache.i, "f": cache.f, "g": cache.g, "o": cache.o, "c": c, "h": h}
    order = ("a", "c_prev", "w_ci", "w_cf", "w_co")
    return check(lambda: peephole_cell(*(inp[k].copy() for k in order)),
                 parse_dict(RESULTS, "it should return a dict with the six results 'i', 'f', 'g', 'o', 'c', 'h'"),
                 reference, CATALOGUE, lambda slips: _with_slips(inp, slips), follows=_follows(inp["c_prev"]))
