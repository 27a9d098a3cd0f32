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
such as r or 1 - n^2, a flipped sign, or one of the slips of `CATALOGUE`, with the line
it breaks).

Needs numpy and the core package only, so it runs in JupyterLite.
"""
from __future__ import annotations

import numbers

import numpy as np

from lstm.gru import GRUCellCache, gru_cell_backward, gru_cell_forward

from . import Report
from .catalogue import Slip, check

__all__ = ["check_gru_backward", "random_gru_step", "CATALOGUE"]

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


WHERE = "chapter 7's backward step of the GRU"

#: The slips learners make in the GRU's backward step, and the line each breaks.
CATALOGUE = {
    "z_for_one_minus_z": Slip("z where 1 - z belongs on the path into the candidate (the update written "
                              "h = z * n + (1 - z) * h_prev, the paper's convention, not PyTorch's)",
                              "da_n = dh * (1 - z) * (1 - n**2)   (h = (1 - z) * n + z * h_prev)", WHERE),
    "r_z_swapped": Slip("the r and z blocks swapped (stacked z, r, n)",
                        "da_x = [da_r, da_z, da_n]: the rows of W_ih and W_hh are r, z, n", WHERE),
    "no_r_in_da_h_n": Slip("the reset gate r left out of da_h's n block",
                           "da_h[n] = da_n * r   (n sees h_prev W_hn^T + b_hn only through r)", WHERE),
    "r_in_da_x_n": Slip("r multiplied into da_x's n block too", "da_x[n] = da_n   (r scales only the recurrent part)",
                        WHERE),
    "n_for_hn": Slip("n used where the reset gate's partner hn = h_prev W_hn^T + b_hn belongs",
                     "da_r = da_n * hn * r * (1 - r)", WHERE),
    "dz_sign": Slip("dz taken as dh * (n - h_prev), the wrong way round", "da_z = dh * (h_prev - n) * z * (1 - z)",
                    WHERE),
    "tanh_not_squared": Slip("tanh'(.) written 1 - n, not squared", "da_n = dh * (1 - z) * (1 - n**2)", WHERE),
    "no_tanh_prime": Slip("tanh' left out of da_n", "da_n = dh * (1 - z) * (1 - n**2)", WHERE),
    "tanh_prime_for_gates": Slip("tanh's derivative 1 - s**2 used for the sigmoid gates r and z",
                                 "da_z = dh * (h_prev - n) * z(1 - z);  da_r = da_n * hn * r(1 - r)", WHERE),
    "no_direct_path": Slip("the direct path dh * z left out of dh_prev",
                           "dh_prev = dh * z + da_h W_hh   (h_t keeps z * h_prev)", WHERE),
    "one_minus_z_direct": Slip("(1 - z) on the direct path where h_t keeps z * h_prev",
                               "dh_prev = dh * z + da_h W_hh", WHERE),
    "da_x_for_da_h": Slip("da_x used where da_h belongs in dh_prev (the reset gate's r not applied)",
                          "dh_prev = dh * z + da_h W_hh", WHERE),
}


def _with_slips(dh, cache, weight_hh, slips):
    """The seven blocks when the slips in ``slips`` are made (the rest done right)."""
    h_prev, r, z, n, hn = cache
    sp = (lambda s: 1 - s ** 2) if "tanh_prime_for_gates" in slips else (lambda s: s * (1 - s))
    tp = 1 - n if "tanh_not_squared" in slips else (1.0 if "no_tanh_prime" in slips else 1 - n ** 2)
    da_n = dh * (z if "z_for_one_minus_z" in slips else 1 - z) * tp
    da_z = dh * ((n - h_prev) if "dz_sign" in slips else (h_prev - n)) * sp(z)
    da_r = da_n * (n if "n_for_hn" in slips else hn) * sp(r)
    first, second = (da_z, da_r) if "r_z_swapped" in slips else (da_r, da_z)
    da_x = np.concatenate([first, second, da_n * r if "r_in_da_x_n" in slips else da_n], axis=1)
    da_h = np.concatenate([first, second, da_n if "no_r_in_da_h_n" in slips else da_n * r], axis=1)
    direct = 0.0 if "no_direct_path" in slips else dh * ((1 - z) if "one_minus_z_direct" in slips else z)
    dh_prev = direct + (da_x if "da_x_for_da_h" in slips else da_h) @ weight_hh
    return _blocks(da_x, da_h, dh_prev, h_prev.shape[1])


def check_gru_backward(reader_function, seed=0) -> Report:
    """Run ``reader_function(dh, cache, weight_hh)`` on a random GRU step and compare it with the package.

    reader_function: returns (da_x (N, 3H), da_h (N, 3H), dh_prev (N, H)), e.g. a tuple
        or an lstm.gru.GRUCellGrads.
    Returns a Report (print it; ``report.ok`` is True when every block is right) that names
    the slip of `CATALOGUE` behind wrong blocks.
    """
    if not callable(reader_function):
        raise TypeError(f"reader_function must be a function (dh, cache, weight_hh) -> (da_x, da_h, dh_prev), "
                        f"got {reader_function!r}")
    dh, cache, weight_hh = random_gru_step(seed)
    H = dh.shape[1]
    reference = gru_cell_backward(dh, cache, weight_hh)

    def parse(result):
        if result is None or isinstance(result, (str, bytes, dict)) or not hasattr(result, "__len__") \
                or len(result) != 3:
            return ("your function must return three arrays: da_x, da_h, dh_prev "
                    f"(got {type(result).__name__})")
        shapes = []
        for name, a, want in zip(("da_x", "da_h", "dh_prev"), result, reference):
            a = np.asarray(a)
            if a.dtype == object:
                shapes.append(f"{name} is not an array of numbers")
            elif a.shape != want.shape:
                shapes.append(f"{name} has shape {a.shape}, expected {want.shape}"
                              + (" (it is transposed)" if a.shape == want.shape[::-1] else ""))
        if shapes:  # compare block by block only when every shape is right
            return "; ".join(shapes)
        return _blocks(*(np.asarray(a) for a in result), H)

    h_prev, r, z, n, hn = cache
    factors = {"r": r, "z": z, "(1 - z)": 1.0 - z, "tanh'(.) = 1 - n^2": 1.0 - n ** 2,
               "sigma'(z) = z (1 - z)": z * (1.0 - z), "sigma'(r) = r (1 - r)": r * (1.0 - r),
               "hn": hn, "(h_prev - n)": h_prev - n}
    # the reader gets copies, so a function that writes into its inputs cannot change the reference
    return check(lambda: reader_function(dh.copy(), GRUCellCache(*(a.copy() for a in cache)), weight_hh.copy()),
                 parse, _blocks(*reference, H), CATALOGUE, lambda slips: _with_slips(dh, cache, weight_hh, slips),
                 factors)
