"""Checker for chapter 7's exercise: the backward pass of one GRU step.

The reader writes a function with the signature of the package's
`lstm.gru.gru_cell_backward`::

    def gru_step_backward(dh, cache, weight_hh):
        # dh (N, H): dL/dh_t, every path summed; cache: lstm.gru.GRUCellCache
        # (h_prev, r, z, n, hn), each (N, H); weight_hh (3H, H), rows r, z, n.
        ...
        return da_x, da_h, dh_prev   # (N, 3H), (N, 3H), (N, H)

where da_x is the gradient of the input part a_x = x W_ih^T + b and da_h that of
the recurrent part a_h = h_{t-1} W_hh^T (its n block including b_hn), each in the
gate order r, z, n. `check_gru_backward(gru_step_backward)` runs it and the
package's function on the same random step and returns a Report that names each
block: ``da_x[r]``, ``da_x[z]``, ``da_x[n]``, ``da_h[r]``, ``da_h[z]``,
``da_h[n]`` and ``dh_prev``, saying how a wrong one differs (a missing factor
such as r or 1 - n^2, a flipped sign, or one of the usual slips named below).

Needs numpy and the core package only, so it runs in JupyterLite.
"""
from __future__ import annotations

import numbers

import numpy as np

from lstm.gru import GRUCellCache, gru_cell_backward, gru_cell_forward

from . import Report, compare

__all__ = ["check_gru_backward", "random_gru_step"]

GATES = ("r", "z", "n")


def random_gru_step(seed=0, N=3, H=4):
    """A random GRU step in float64: (dh, cache, weight_hh), with dh a random upstream gradient.

    Pre-activations are drawn wide enough that no gate sits at exactly 0.5 and
    no factor is 1, so each factor a mistake can drop changes the result.
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    rng = np.random.default_rng(seed)
    a_x = rng.normal(0.0, 1.0, size=(N, 3 * H))
    h_prev = rng.uniform(-0.9, 0.9, size=(N, H))
    weight_hh = rng.normal(0.0, 0.6, size=(3 * H, H))
    bias_hn = rng.normal(0.0, 0.5, size=H)
    _, cache = gru_cell_forward(a_x, h_prev, weight_hh, bias_hn)
    dh = rng.normal(size=(N, H))
    return dh, cache, weight_hh


def _blocks(da_x, da_h, dh_prev, H):
    """Name -> array: the three gate blocks of da_x and da_h, and dh_prev."""
    out = {}
    for prefix, a in (("da_x", da_x), ("da_h", da_h)):
        for k, g in enumerate(GATES):
            out[f"{prefix}[{g}]"] = a[:, k * H:(k + 1) * H]
    out["dh_prev"] = dh_prev
    return out


def _usual_slips(dh, cache, weight_hh, right):
    """Name -> [(what the slip is, the value it gives)], for slips that are no single factor."""
    h_prev, r, z, n, hn = cache
    da_n = dh * (1.0 - z) * (1.0 - n ** 2)
    da_h_right = np.concatenate([right["da_h[r]"], right["da_h[z]"], right["da_h[n]"]], axis=1)
    return {
        "da_x[r]": [("uses n where the reset gate multiplies the recurrent part hn = h_{t-1} W_hn^T + b_hn",
                     da_n * n * r * (1.0 - r))],
        "da_h[r]": [("uses n where the reset gate multiplies the recurrent part hn = h_{t-1} W_hn^T + b_hn",
                     da_n * n * r * (1.0 - r))],
        "dh_prev": [("is missing the direct path dh * z (the part of h_{t-1} that the update gate keeps)",
                     da_h_right @ weight_hh),
                    ("uses (1 - z) on the direct path where h_t keeps z * h_{t-1}",
                     dh * (1.0 - z) + da_h_right @ weight_hh)],
    }


def check_gru_backward(reader_function, seed=0) -> Report:
    """Run ``reader_function(dh, cache, weight_hh)`` on a random GRU step and compare it with the package.

    reader_function: returns (da_x (N, 3H), da_h (N, 3H), dh_prev (N, H)), e.g. a tuple
        or an lstm.gru.GRUCellGrads.
    Returns a Report (print it; ``report.ok`` is True when every block is right).
    """
    if not callable(reader_function):
        raise TypeError(f"reader_function must be a function (dh, cache, weight_hh) -> (da_x, da_h, dh_prev), "
                        f"got {reader_function!r}")
    dh, cache, weight_hh = random_gru_step(seed)
    H = dh.shape[1]
    # the reader gets copies, so a function that writes into its inputs cannot change the reference
    given = (dh.copy(), GRUCellCache(*(a.copy() for a in cache)), weight_hh.copy())
    result = reader_function(*given)
    if result is None or isinstance(result, (str, bytes)) or not hasattr(result, "__len__") or len(result) != 3:
        return Report({"your function": "your function must return three arrays: da_x, da_h, dh_prev "
                                 f"(got {type(result).__name__})"})
    reference = gru_cell_backward(dh, cache, weight_hh)
    shapes = {}
    for name, a, want in zip(("da_x", "da_h", "dh_prev"), result, reference):
        try:
            a = np.asarray(a, dtype=np.float64)
        except (TypeError, ValueError):
            shapes[name] = f"{name} is not an array of numbers (got {type(a).__name__})"
            continue
        if a.shape != want.shape:
            shapes[name] = f"{name} has shape {a.shape}, expected {want.shape}"
    if shapes:  # compare block by block only when every shape is right
        return Report({name: shapes.get(name) for name in ("da_x", "da_h", "dh_prev")})
    right = _blocks(*reference, H)
    got = _blocks(*(np.asarray(a, dtype=np.float64) for a in result), H)
    h_prev, r, z, n, hn = cache
    factors = {"r": r, "z": z, "(1 - z)": 1.0 - z, "tanh'(.) = 1 - n^2": 1.0 - n ** 2,
               "sigma'(z) = z (1 - z)": z * (1.0 - z), "sigma'(r) = r (1 - r)": r * (1.0 - r),
               "hn": hn, "(h_prev - n)": h_prev - n}
    report = compare(got, right, factors=factors)
    for name, slips in _usual_slips(dh, cache, weight_hh, right).items():
        if report.problems.get(name) is None:
            continue
        for words, value in slips:
            if np.allclose(got[name], value, rtol=1e-9, atol=1e-12):
                report.problems[name] = f"{name} {words}"
                break
    return report
