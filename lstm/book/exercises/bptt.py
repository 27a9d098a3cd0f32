"""Checker for chapter 5's exercise: one step of backpropagation through time.

The reader writes the backward step of the standard LSTM cell (i, f, g, o;
c = f c_prev + i g, h = o tanh(c)), matrix products included::

    def lstm_step_backward(dh, dc_next, cache):
        # dh, dc_next: (N, H); cache: lstm.cells.StepCache of lstm.step_forward, with
        # cache.x (N, D), cache.h_prev (N, H), cache.params (weight_ih (4H, D),
        # weight_hh (4H, H), bias (4H,)) and cache.cell (i, f, g, o, c_prev, c, tanh_c)
        ...
        return dx, dh_prev, dc_prev, {"weight_ih": ..., "weight_hh": ..., "bias": ...}

    print(check_lstm_step_backward(lstm_step_backward))

`check_lstm_step_backward` runs it next to the package's `lstm.step_backward` on
random inputs and reports, per result, whether it is right and, if not, which
mistake gives what the reader returned.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lstm.cells import step_backward, step_forward

from . import Report
from .mistakes import judge_all, mistakes_by_result

__all__ = ["check_lstm_step_backward", "reference_lstm_step_backward"]

NAMES = ("dx", "dh_prev", "dc_prev", "grads['weight_ih']", "grads['weight_hh']", "grads['bias']")


def reference_lstm_step_backward(dh, dc_next, cache):
    """The package's answer, ``lstm.step_backward``."""
    dx, dh_prev, dc_prev, grads = step_backward(dh, dc_next, cache)
    return dx, dh_prev, dc_prev, {k: grads[k] for k in ("weight_ih", "weight_hh", "bias")}


def _with_mistake(dh, dc_next, cache, mistake):
    """The six results when one known mistake is made (the rest done right)."""
    i, f, g, o, c_prev, c, tanh_c = cache.cell
    p = cache.params
    through_h = {"no_h_path": 0.0, "no_tanh_prime": dh * o}.get(mistake, dh * o * (1 - tanh_c ** 2))
    dc = dc_next + through_h
    da_i = dc * g * i * (1 - i)
    da_f = dc * (c if mistake == "c_for_c_prev" else c_prev) * f * (1 - f)
    da_g = dc * i * (1 - g ** 2)
    da_o = dh * tanh_c * o * (1 - o)
    if mistake == "i_and_f_swapped":
        da_i, da_f = da_f, da_i
    da = np.concatenate([da_i, da_f, da_g, da_o], axis=1)  # (N, 4H), PyTorch's gate order
    dc_prev = dc if mistake == "no_f" else dc * f
    W_x = p["weight_hh"] if mistake == "matrices_swapped" else p["weight_ih"]
    W_h = p["weight_ih"] if mistake == "matrices_swapped" else p["weight_hh"]
    return dict(zip(NAMES, (da @ W_x, da @ W_h, dc_prev, da.T @ cache.x, da.T @ cache.h_prev,
                            da.sum(axis=0))))


#: Each known mistake, and what the report says about a result it explains.
MISTAKES = {
    "no_h_path": "leaves out the path through h: dc must be dc_next + dh * o * tanh'(c) before it is "
                 "used (c is used twice: by h_t and by c_{t+1})",
    "no_tanh_prime": "takes the path through h as dh * o, without the derivative tanh'(c) = 1 - tanh(c)**2",
    "no_f": "is missing the forget gate: along the carousel the error is multiplied by f (dc_prev = dc * f)",
    "c_for_c_prev": "uses c where c_prev belongs: the forget gate multiplies c_{t-1}, so da_f = dc * c_prev * f(1-f)",
    "i_and_f_swapped": "has the gate blocks of da in the wrong order: the package stacks i, f, g, o",
    "matrices_swapped": "uses the wrong weight matrix: dx = da @ W_ih and dh_prev = da @ W_hh",
}


def _inputs(seed: int, N: int = 3, D: int = 5, H: int = 4):
    rng = np.random.default_rng(seed)
    params = {"weight_ih": rng.normal(0, 0.5, (4 * H, D)), "weight_hh": rng.normal(0, 0.5, (4 * H, H)),
              "bias": rng.normal(0, 0.5, 4 * H)}
    x, h_prev, c_prev = rng.standard_normal((N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
    _, _, cache = step_forward(x, h_prev, c_prev, params, cell="standard")
    return rng.standard_normal((N, H)), rng.standard_normal((N, H)), cache


def _copy(cache):
    """A deep copy of a StepCache, so the reader's function cannot change the reference."""
    cell = cache.cell._replace(**{k: (None if v is None else v.copy()) for k, v in cache.cell._asdict().items()})
    return cache._replace(x=cache.x.copy(), h_prev=cache.h_prev.copy(), cell=cell,
                          params={k: v.copy() for k, v in cache.params.items()})


def _as_results(returned) -> dict | str:
    if not isinstance(returned, (tuple, list)) or len(returned) != 4 or not isinstance(returned[3], dict):
        return ("your function must return dx, dh_prev, dc_prev and a dict of the gradients of "
                f"weight_ih, weight_hh and bias; got {type(returned).__name__}")
    dx, dh_prev, dc_prev, grads = returned
    results = {"dx": dx, "dh_prev": dh_prev, "dc_prev": dc_prev}
    results.update({f"grads['{k}']": grads[k] for k in ("weight_ih", "weight_hh", "bias") if k in grads})
    return results


def check_lstm_step_backward(backward: Callable, seed: int = 0) -> Report:
    """Run ``backward(dh, dc_next, cache)`` and the package on the same random inputs; a Report.

    The inputs are float64 from ``numpy.random.default_rng(seed)``: N = 3 sequences,
    D = 5 inputs, H = 4 cells (D differs from H, so a swapped matrix shows as a shape error).
    """
    if not callable(backward):
        raise TypeError(f"backward must be your function (dh, dc_next, cache) -> (dx, dh_prev, dc_prev, grads), "
                        f"got {backward!r}")
    dh, dc_next, cache = _inputs(seed)
    reference = _as_results(reference_lstm_step_backward(dh, dc_next, cache))
    results = _as_results(backward(dh.copy(), dc_next.copy(), _copy(cache)))
    if isinstance(results, str):
        return Report({"your function": results})
    mistakes = mistakes_by_result(reference, MISTAKES,
                                  lambda mistake: _with_mistake(dh, dc_next, cache, mistake))
    f = cache.cell.f
    return judge_all(results, reference, mistakes, factors={"f": f, "o": cache.cell.o, "i": cache.cell.i})
