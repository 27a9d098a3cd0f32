"""Checker for chapter 0's exercise: the reader writes one LSTM step forward.

The reader's function takes the step's inputs and the stacked parameters,

    def lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias):
        # x (N, D), h_prev and c_prev (N, H), weight_ih (4H, D), weight_hh (4H, H), bias (4H,)
        ...
        return {"i": i, "f": f, "g": g, "o": o, "c": c, "h": h}   # each (N, H)

`check_step_forward` runs it and `lstm.step_forward` (the package's step) on the same
random inputs and says, per result, whether it is right; when values are wrong it names
the slip from `CATALOGUE` that gives exactly the reader's numbers (a gate read from
another gate's rows, sigmoid on the candidate, the output gate where the input gate
belongs, (1 - f) * c_prev, a missing bias, c and h swapped, ...) and the line of the
chapter's equations it breaks.

Needs numpy and the core package only, so it runs in JupyterLite.
"""
from __future__ import annotations

import numbers

import numpy as np

from lstm.activations import sigmoid, tanh
from lstm.cells import step_forward

from . import Report
from .catalogue import Slip, check, copies

__all__ = ["check_step_forward", "GATE_ORDER", "CATALOGUE"]

#: Order of the four blocks of rows in weight_ih, weight_hh and bias (PyTorch's).
GATE_ORDER = ("i", "f", "g", "o")
RESULTS = ("i", "f", "g", "o", "c", "h")

# The numbers the built page prints for chapter 0's three equations (labels ch00-preact,
# ch00-gates, ch00-update); tests/test_exercises_step.py recounts them from the notebooks.
PRE = "equation (1), the pre-activations"
GATES = "equation (2), the gates"
UPDATE = "equation (3), the update of c and h"

CATALOGUE = {
    "order_igfo": Slip("the blocks read in the order i, g, f, o (TensorFlow's), not the package's i, f, g, o",
                       "a = [a^i, a^f, a^g, a^o]: rows 0..H-1 are i, H..2H-1 f, 2H..3H-1 g, 3H..4H-1 o", PRE),
    "order_ifog": Slip("the blocks read in the order i, f, o, g, not i, f, g, o",
                       "a = [a^i, a^f, a^g, a^o]: the candidate's rows are 2H..3H-1, the output gate's last", PRE),
    "no_bias": Slip("the bias b left out of the pre-activations", "a = x W_ih^T + h_prev W_hh^T + b", PRE),
    "no_recurrent": Slip("the recurrent part h_prev W_hh^T left out", "a = x W_ih^T + h_prev W_hh^T + b", PRE),
    "sigmoid_g": Slip("sigmoid on the candidate g", "g = tanh(a^g): the candidate lies in (-1, 1)", GATES),
    "tanh_gates": Slip("tanh on the gates i, f, o", "i, f, o = sigma(a^i), sigma(a^f), sigma(a^o): a gate lies in (0, 1)",
                       GATES),
    "o_writes": Slip("the output gate o multiplying the candidate", "c = f * c_prev + i * g: the input gate i writes",
                     UPDATE),
    "i_f_swapped": Slip("i and f swapped in the update (c = i * c_prev + f * g)",
                        "c = f * c_prev + i * g: f keeps the old content, i writes the new", UPDATE),
    "one_minus_f": Slip("(1 - f) * c_prev: the forget gate read as the share that is erased",
                        "c = f * c_prev + i * g: f is the share kept (f near 1 keeps)", UPDATE),
    "no_f": Slip("the forget gate left out (c = c_prev + i * g, the 1997 cell)", "c = f * c_prev + i * g", UPDATE),
    "no_i": Slip("the input gate left out (c = f * c_prev + g)", "c = f * c_prev + i * g", UPDATE),
    "g_twice": Slip("the candidate squashed twice (tanh(g) with g = tanh(a^g) already)", "c = f * c_prev + i * g", UPDATE),
    "h_o_c": Slip("h = o * c, without the tanh", "h = o * tanh(c)", UPDATE),
    "h_no_o": Slip("h = tanh(c), without the output gate", "h = o * tanh(c)", UPDATE),
    "h_c_prev": Slip("h read from the old cell state c_prev", "h = o * tanh(c): the new c", UPDATE),
    "c_h_swapped": Slip("c and h swapped in what is returned", 'return {..., "c": c, "h": h}', UPDATE),
}


def _inputs(rng: np.random.Generator, N: int = 3, D: int = 4, H: int = 5) -> dict:
    """Random inputs whose pre-activations stay in the gates' sensitive range (|a| of order 1),
    so that sigmoid and tanh, or one gate and another, give clearly different numbers."""
    return {
        "x": rng.normal(size=(N, D)),
        "h_prev": rng.uniform(-1, 1, size=(N, H)),
        "c_prev": rng.uniform(-2, 2, size=(N, H)),
        "weight_ih": rng.normal(scale=0.6, size=(4 * H, D)),
        "weight_hh": rng.normal(scale=0.6, size=(4 * H, H)),
        "bias": rng.normal(scale=0.5, size=4 * H),
    }


def _reference(inputs: dict) -> dict:
    """The package's step: {"i", "f", "g", "o", "c", "h"}, each (N, H)."""
    params = {k: inputs[k] for k in ("weight_ih", "weight_hh", "bias")}
    h, c, cache = step_forward(inputs["x"], inputs["h_prev"], inputs["c_prev"], params)
    cell = cache.cell
    return {"i": cell.i, "f": cell.f, "g": cell.g, "o": cell.o, "c": c, "h": h}


def _with_slips(inputs: dict, slips: tuple) -> dict:
    """The six results when the slips in ``slips`` are made and the rest is done right."""
    x, h_prev, c_prev = inputs["x"], inputs["h_prev"], inputs["c_prev"]
    a = x @ inputs["weight_ih"].T
    if "no_recurrent" not in slips:
        a = a + h_prev @ inputs["weight_hh"].T
    if "no_bias" not in slips:
        a = a + inputs["bias"]
    order = GATE_ORDER
    if "order_igfo" in slips:
        order = ("i", "g", "f", "o")
    elif "order_ifog" in slips:
        order = ("i", "f", "o", "g")
    block = dict(zip(order, np.split(a, 4, axis=1)))
    gate = tanh if "tanh_gates" in slips else sigmoid
    i, f, o = gate(block["i"]), gate(block["f"]), gate(block["o"])
    g = (sigmoid if "sigmoid_g" in slips else tanh)(block["g"])
    write_gate = o if "o_writes" in slips else i
    keep_gate = 1.0 - f if "one_minus_f" in slips else f
    if "i_f_swapped" in slips:
        keep_gate, write_gate = write_gate, keep_gate
    if "no_f" in slips:
        keep_gate = 1.0
    if "no_i" in slips:
        write_gate = 1.0
    c = keep_gate * c_prev + write_gate * (tanh(g) if "g_twice" in slips else g)
    read = c_prev if "h_c_prev" in slips else c
    h = (1.0 if "h_no_o" in slips else o) * (read if "h_o_c" in slips else tanh(read))
    if "c_h_swapped" in slips:
        c, h = h, c
    return {"i": i, "f": f, "g": g, "o": o, "c": c, "h": h}


def _follows(c_prev):
    """c and h as they follow from the reader's own gates and c (for "fix i first")."""
    return {"c": (("i", "f", "g"), lambda r: r["f"] * c_prev + r["i"] * r["g"]),
            "h": (("o", "c"), lambda r: r["o"] * tanh(r["c"]))}


def _parse(returned):
    if isinstance(returned, dict):
        return dict(returned)
    if isinstance(returned, (tuple, list)) and len(returned) == 2:
        # (h, c) alone: checked, but i, f, g, o are then reported missing
        return {"h": returned[0], "c": returned[1]}
    return ("your function should return a dict with the six results "
            f"{{'i', 'f', 'g', 'o', 'c', 'h'}}; it returned {type(returned).__name__}")


def check_step_forward(step, seed: int = 0) -> Report:
    """Run the reader's ``step(x, h_prev, c_prev, weight_ih, weight_hh, bias)`` and the package's
    `lstm.step_forward` on the same random inputs, and say which results are wrong and why.

    step: the reader's function; it returns {"i", "f", "g", "o", "c", "h"} (each (N, H)).
        seed: the random inputs (N = 3 sequences, D = 4 inputs, H = 5 units, float64).
    Returns a Report (print it; ``report.ok`` is True when every result is right).
    """
    if not callable(step):
        raise TypeError(f"check_step_forward needs your step function, got {type(step).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    inputs = _inputs(np.random.default_rng(seed))
    order = ("x", "h_prev", "c_prev", "weight_ih", "weight_hh", "bias")
    return check(lambda: step(*(copies(inputs)[k] for k in order)), _parse, _reference(inputs), CATALOGUE,
                 lambda slips: _with_slips(inputs, slips), follows=_follows(inputs["c_prev"]))
