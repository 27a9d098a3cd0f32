"""Checker for chapter 3's exercise: the backward step of the 1997 cell.

The reader writes the element-wise backward pass of the 1997 cell
(c = c_prev + i g, h = o tanh(c); no forget gate)::

    def cell1997_backward(dh, dc_next, cache):
        # dh, dc_next: (N, H); cache: lstm.cells.CellCache with i, g, o, c_prev, c, tanh_c
        ...
        return da_i, da_g, da_o, dc_prev          # each (N, H)

    print(check_cell1997_backward(cell1997_backward))

`check_cell1997_backward` runs it on random inputs next to the package's
`lstm.cell_backward(..., cell="1997")` and reports, per result, whether it is
right and, if not, which mistake gives what the reader returned.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lstm.cells import cell_backward, cell_forward, gate_slices, get_cell_kind

from . import Report
from .mistakes import judge_all, mistakes_by_result

__all__ = ["check_cell1997_backward", "reference_cell1997_backward"]

NAMES = ("da_i", "da_g", "da_o", "dc_prev")


def reference_cell1997_backward(dh, dc_next, cache):
    """The package's answer: ``lstm.cell_backward`` for the 1997 cell, split by gate."""
    grads = cell_backward(dh, dc_next, cache, cell="1997")
    rows = gate_slices(get_cell_kind("1997"), dh.shape[-1])
    return grads.da[:, rows["i"]], grads.da[:, rows["g"]], grads.da[:, rows["o"]], grads.dc_prev


def _with_mistake(dh, dc_next, cache, mistake):
    """The four results when one known mistake is made (the rest done right)."""
    i, _, g, o, _, c, tanh_c = cache
    through_h = {"no_h_path": 0.0, "no_tanh_prime": dh * o, "tanh_not_prime": dh * o * tanh_c}
    dc = dc_next + through_h.get(mistake, dh * o * (1 - tanh_c ** 2))
    da_i = dc * g * i * (1 - i)
    da_g = dc * i * (1 - g ** 2)
    da_o = dh * tanh_c * o * (1 - o)
    dc_prev = dc
    if mistake == "c_not_tanh_c":
        da_o = dh * c * o * (1 - o)
    elif mistake == "i_and_g_mixed":
        da_i, da_g = dc * i * i * (1 - i), dc * g * (1 - g ** 2)
    elif mistake == "tanh_prime_for_i":
        da_i = dc * g * (1 - i ** 2)
    elif mistake == "gate_not_derivative":
        da_i, da_o = dc * g * i, dh * tanh_c * o
    elif mistake == "no_dc_next":
        dc_prev = dc - dc_next
    return dict(zip(NAMES, (da_i, da_g, da_o, dc_prev)))


#: Each known mistake, and what the report says about a result it explains.
MISTAKES = {
    "no_h_path": "uses only the error from the next step: the path through h_t, dh * o * tanh'(c), "
                 "must be added to dc_next first (c is used twice: by h_t and by c_{t+1})",
    "no_tanh_prime": "takes the path through h as dh * o, without the derivative tanh'(c) = 1 - tanh(c)**2",
    "tanh_not_prime": "multiplies by tanh(c) where its derivative tanh'(c) = 1 - tanh(c)**2 belongs",
    "c_not_tanh_c": "uses c where tanh(c) belongs (h = o * tanh(c))",
    "i_and_g_mixed": "mixes up the input gate and the candidate: da_i = dc * g * i(1-i), da_g = dc * i * (1-g**2)",
    "tanh_prime_for_i": "uses tanh's derivative 1 - i**2 for the input gate, a sigmoid: sigma' = i(1-i)",
    "gate_not_derivative": "multiplies by the gate's value where its derivative belongs: "
                           "sigma'(a) = sigma(a)(1 - sigma(a)), e.g. o(1-o) for the output gate",
    "no_dc_next": "leaves out dc_next, the error arriving along the carousel from step t+1",
}


def _inputs(seed: int, N: int = 3, H: int = 4):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((N, 3 * H))  # pre-activations of i, g, o
    c_prev = rng.standard_normal((N, H))
    _, _, cache = cell_forward(a, c_prev, cell="1997")
    return rng.standard_normal((N, H)), rng.standard_normal((N, H)), cache


def _as_results(returned) -> dict | str:
    if not isinstance(returned, (tuple, list)) or len(returned) != len(NAMES):
        return f"your function must return the four arrays {', '.join(NAMES)}, got {type(returned).__name__}"
    return dict(zip(NAMES, returned))


def check_cell1997_backward(backward: Callable, seed: int = 0) -> Report:
    """Run ``backward(dh, dc_next, cache)`` and the package on the same random inputs; a Report.

    backward returns (da_i, da_g, da_o, dc_prev), each (N, H). The inputs are
    float64, N = 3 sequences, H = 4 cells, from ``numpy.random.default_rng(seed)``.
    """
    if not callable(backward):
        raise TypeError(f"backward must be your function (dh, dc_next, cache) -> 4 arrays, got {backward!r}")
    dh, dc_next, cache = _inputs(seed)
    reference = dict(zip(NAMES, reference_cell1997_backward(dh, dc_next, cache)))
    # the reader's function gets copies, so an in-place edit cannot change the reference
    results = _as_results(backward(dh.copy(), dc_next.copy(), cache._replace(**{
        k: (None if v is None else v.copy()) for k, v in cache._asdict().items()})))
    if isinstance(results, str):
        return Report({"your function": results})
    mistakes = mistakes_by_result(reference, MISTAKES,
                                  lambda mistake: _with_mistake(dh, dc_next, cache, mistake))
    i, _, g, o, _, _, tanh_c = cache
    factors = {"i": i, "g": g, "o": o, "i(1-i)": i * (1 - i), "o(1-o)": o * (1 - o), "1 - g**2": 1 - g ** 2,
               "tanh(c)": tanh_c, "tanh'(c) = 1 - tanh(c)**2": 1 - tanh_c ** 2}
    return judge_all(results, reference, mistakes, factors)
