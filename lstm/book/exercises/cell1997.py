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
from .catalogue import Slip, check, parse_tuple

__all__ = ["check_cell1997_backward", "reference_cell1997_backward", "CATALOGUE"]

NAMES = ("da_i", "da_g", "da_o", "dc_prev")


def reference_cell1997_backward(dh, dc_next, cache):
    """The package's answer: ``lstm.cell_backward`` for the 1997 cell, split by gate."""
    grads = cell_backward(dh, dc_next, cache, cell="1997")
    rows = gate_slices(get_cell_kind("1997"), dh.shape[-1])
    return grads.da[:, rows["i"]], grads.da[:, rows["g"]], grads.da[:, rows["o"]], grads.dc_prev


WHERE = "chapter 3's backward step of the 1997 cell"

#: Each slip learners make in this step, and the line it breaks.
CATALOGUE = {
    "no_h_path": Slip("only the error from the next step (dc_next) used as dc: the path through h_t left out",
                      "dc = dc_next + dh * o * (1 - tanh(c)**2)   (c is used twice: by h_t and by c_{t+1})", WHERE),
    "no_dc_next": Slip("dc_next left out: only the path through h_t used as dc",
                       "dc = dc_next + dh * o * (1 - tanh(c)**2)", WHERE),
    "no_tanh_prime": Slip("the path through h taken as dh * o, without tanh'(c)",
                          "dc = dc_next + dh * o * (1 - tanh(c)**2)", WHERE),
    "tanh_not_squared": Slip("tanh'(c) written 1 - tanh(c), not squared", "tanh'(c) = 1 - tanh(c)**2", WHERE),
    "tanh_for_prime": Slip("tanh(c) used where its derivative 1 - tanh(c)**2 belongs",
                           "dc = dc_next + dh * o * (1 - tanh(c)**2)", WHERE),
    "c_for_tanh_c_in_prime": Slip("tanh'(c) written 1 - c**2: c where tanh(c) belongs",
                                  "dc = dc_next + dh * o * (1 - tanh(c)**2)   (tanh'(c) = 1 - tanh(c)**2)", WHERE),
    "o_missing": Slip("o missing from the path through h", "dc = dc_next + dh * o * (1 - tanh(c)**2)", WHERE),
    "c_not_tanh_c": Slip("c used where tanh(c) belongs in da_o", "da_o = dh * tanh(c) * o * (1 - o)   (h = o * tanh(c))",
                         WHERE),
    "i_g_mixed": Slip("the input gate and the candidate mixed up (da_i = dc * i * i(1-i), da_g = dc * g * (1-g**2))",
                      "da_i = dc * g * i * (1 - i);  da_g = dc * i * (1 - g**2)", WHERE),
    "tanh_prime_for_i": Slip("tanh's derivative 1 - i**2 used for the input gate, a sigmoid",
                             "da_i = dc * g * i * (1 - i)   (sigma' = sigma (1 - sigma))", WHERE),
    "o_prime_for_i": Slip("the output gate's derivative o(1-o) used in da_i, where the input gate's i(1-i) belongs",
                          "da_i = dc * g * i * (1 - i)   (the input gate's own derivative)", WHERE),
    "sigma_prime_for_g": Slip("sigma' = g(1-g) used for the candidate, a tanh",
                              "da_g = dc * i * (1 - g**2)   (tanh' = 1 - tanh**2)", WHERE),
    "one_minus_g_squared": Slip("tanh'(a_g) written (1 - g)**2, the square of 1 - g, where 1 - g**2 belongs",
                                "da_g = dc * i * (1 - g**2)   (tanh' = 1 - tanh**2: square g, then subtract)", WHERE),
    "gate_not_derivative": Slip("the gate's value used where its derivative belongs (i for i(1-i), o for o(1-o))",
                                "da_i = dc * g * i * (1 - i);  da_o = dh * tanh(c) * o * (1 - o)", WHERE),
    "da_i_da_g_swapped": Slip("da_i and da_g returned in each other's place",
                              "return da_i, da_g, da_o, dc_prev", WHERE),
}


def _with_slips(dh, dc_next, cache, slips):
    """The four results when the slips in ``slips`` are made (the rest done right)."""
    i, _, g, o, _, c, tanh_c = cache
    tp = 1 - tanh_c ** 2
    if "tanh_not_squared" in slips:
        tp = 1 - tanh_c
    if "tanh_for_prime" in slips:
        tp = tanh_c
    if "no_tanh_prime" in slips:
        tp = 1.0
    if "c_for_tanh_c_in_prime" in slips:
        tp = 1 - c ** 2
    through_h = dh * (1.0 if "o_missing" in slips else o) * tp
    dc = (0.0 if "no_dc_next" in slips else dc_next) + (0.0 if "no_h_path" in slips else through_h)
    si = i if "gate_not_derivative" in slips else (1 - i ** 2 if "tanh_prime_for_i" in slips else i * (1 - i))
    if "o_prime_for_i" in slips:
        si = o * (1 - o)
    so = o if "gate_not_derivative" in slips else o * (1 - o)
    tg = g * (1 - g) if "sigma_prime_for_g" in slips else 1 - g ** 2
    if "one_minus_g_squared" in slips:
        tg = (1 - g) ** 2
    da_i = dc * g * si
    da_g = dc * i * tg
    if "i_g_mixed" in slips:
        da_i, da_g = dc * i * si, dc * g * tg
    da_o = dh * (c if "c_not_tanh_c" in slips else tanh_c) * so
    dc_prev = dc * np.ones_like(c)
    if "da_i_da_g_swapped" in slips:
        da_i, da_g = da_g, da_i
    return dict(zip(NAMES, (da_i, da_g, da_o, dc_prev)))


def _inputs(seed: int, N: int = 3, H: int = 4):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((N, 3 * H))  # pre-activations of i, g, o
    c_prev = rng.standard_normal((N, H))
    _, _, cache = cell_forward(a, c_prev, cell="1997")
    return rng.standard_normal((N, H)), rng.standard_normal((N, H)), cache


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
    given = lambda: backward(dh.copy(), dc_next.copy(), cache._replace(**{  # noqa: E731
        k: (None if v is None else v.copy()) for k, v in cache._asdict().items()}))
    i, _, g, o, _, _, tanh_c = cache
    factors = {"i": i, "g": g, "o": o, "i(1-i)": i * (1 - i), "o(1-o)": o * (1 - o), "1 - g**2": 1 - g ** 2,
               "tanh(c)": tanh_c, "tanh'(c) = 1 - tanh(c)**2": 1 - tanh_c ** 2}
    return check(given, parse_tuple(NAMES, "it should return the four arrays da_i, da_g, da_o, dc_prev"),
                 reference, CATALOGUE, lambda slips: _with_slips(dh, dc_next, cache, slips), factors)
