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
slip of `STEP_CATALOGUE` gives what the reader returned, with the line it breaks.

The chapter's main exercise is the whole backward pass through time::

    def lstm_backward(dY, caches):
        # dY (T, N, H): dL/dh_t from the loss at every step; caches: the T StepCaches of
        # lstm.step_forward, caches[t] for step t+1, from the state (h0, c0)
        ...
        return dX, dh0, dc0, {"weight_ih": ..., "weight_hh": ..., "bias": ...}

    print(check_lstm_backward(lstm_backward))

`check_lstm_backward` compares it with the package's `lstm.LSTM.backward` and names
the slip from `CATALOGUE` (the step's slips and those of the loop over time: the
error through h_{t-1} not carried back, the carousel's dc not carried back, weight
gradients overwritten instead of summed over steps, a bias gradient averaged, ...).
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lstm.cells import step_backward, step_forward
from lstm.lstm_layer import LSTM

from . import Report
from .catalogue import Slip, check, parse_tuple

__all__ = ["check_lstm_step_backward", "reference_lstm_step_backward", "check_lstm_backward",
           "reference_lstm_backward", "random_sequence", "STEP_CATALOGUE", "CATALOGUE"]

NAMES = ("dx", "dh_prev", "dc_prev", "grads['weight_ih']", "grads['weight_hh']", "grads['bias']")
SEQ_NAMES = ("dX", "dh0", "dc0", "grads['weight_ih']", "grads['weight_hh']", "grads['bias']")
WEIGHTS = ("weight_ih", "weight_hh", "bias")

STEP = "chapter 5's backward step"
GRADS = "chapter 5's weight gradients"
BPTT = "chapter 5's backward pass through time"

#: The slips of one backward step; each breaks one line of the backward step.
STEP_CATALOGUE = {
    "order_igfo": Slip("the blocks of da stacked in the order i, g, f, o, not the package's i, f, g, o",
                       "da = [da_i, da_f, da_g, da_o]   (the rows of W_ih, W_hh and b: i, f, g, o)", STEP),
    "order_ifog": Slip("the blocks of da stacked in the order i, f, o, g, not the package's i, f, g, o",
                       "da = [da_i, da_f, da_g, da_o]   (the rows of W_ih, W_hh and b: i, f, g, o)", STEP),
    "i_f_swapped": Slip("da_i and da_f swapped in da", "da = [da_i, da_f, da_g, da_o]", STEP),
    "no_h_path": Slip("the path through h_t left out of dc (dc = dc_next)",
                      "dc = dc_next + dh * o * (1 - tanh(c)**2)   (c is used by h_t and by c_{t+1})", STEP),
    "tanh_not_squared": Slip("tanh'(c) written 1 - tanh(c), not squared",
                             "dc = dc_next + dh * o * (1 - tanh(c)**2)", STEP),
    "no_tanh_prime": Slip("the path through h taken as dh * o, without tanh'(c)",
                          "dc = dc_next + dh * o * (1 - tanh(c)**2)", STEP),
    "o_missing": Slip("o missing from the path through h", "dc = dc_next + dh * o * (1 - tanh(c)**2)", STEP),
    "sigma_prime_for_g": Slip("sigma' = g(1-g) used for the candidate g, a tanh",
                              "da_g = dc * i * (1 - g**2)", STEP),
    "tanh_prime_for_gates": Slip("tanh's derivative 1 - s**2 used for the sigmoid gates i, f, o",
                                 "da_i = dc * g * i(1-i),  da_f = dc * c_prev * f(1-f),  da_o = dh * tanh(c) * o(1-o)",
                                 STEP),
    "no_f": Slip("the forget gate left out of the carousel (dc_prev = dc)", "dc_prev = dc * f", STEP),
    "c_for_c_prev": Slip("c used where c_prev belongs in da_f", "da_f = dc * c_prev * f * (1 - f)", STEP),
    "c_not_tanh_c": Slip("c used where tanh(c) belongs in da_o", "da_o = dh * tanh(c) * o * (1 - o)", STEP),
    "h_for_h_prev": Slip("h_t used where h_{t-1} belongs in the gradient of W_hh",
                         "dW_hh = da^T h_prev   (W_hh multiplies h_{t-1}, the state the step started from)", GRADS),
    "bias_mean": Slip("the bias gradient averaged over the batch instead of summed",
                      "db = sum over the batch (and over t) of da", GRADS),
    "dh_dc_swapped": Slip("the gradients of h and c returned in each other's place",
                          "return dx, dh_prev, dc_prev, grads", STEP),
}

#: The slips of the loop over time, on top of the step's.
SEQ_SLIPS = {
    "no_dh_carry": Slip("the error through the recurrent weights not carried back (dh = dY[t] only)",
                        "dh_t = dY[t] + da_{t+1} W_hh   (h_t is used by the output and by step t+1)", BPTT),
    "only_dh_carry": Slip("dY[t] left out at every step but the last (dh = dh_next)",
                          "dh_t = dY[t] + da_{t+1} W_hh", BPTT),
    "no_dc_carry": Slip("the cell's error not carried back along the carousel (dc_next = 0 at every step)",
                        "dc_next for step t is dc_prev of step t+1", BPTT),
    "grads_overwritten": Slip("the weight gradients overwritten at each step instead of summed over t "
                              "(only step 1's are left)",
                              "dW_ih = sum over t of da_t^T x_t (the same for W_hh and b)", BPTT),
    "forward_loop": Slip("the loop run forwards in time (t = 1 .. T) instead of backwards",
                         "for t = T, T-1, ..., 1: the error of step t needs step t+1's first", BPTT),
}
CATALOGUE = {**{k: v for k, v in STEP_CATALOGUE.items() if k != "dh_dc_swapped"}, **SEQ_SLIPS,
             "dh_dc_swapped": Slip("dh0 and dc0 returned in each other's place",
                                   "return dX, dh0, dc0, grads", BPTT)}


def reference_lstm_step_backward(dh, dc_next, cache):
    """The package's answer, ``lstm.step_backward``."""
    dx, dh_prev, dc_prev, grads = step_backward(dh, dc_next, cache)
    return dx, dh_prev, dc_prev, {k: grads[k] for k in WEIGHTS}


def _step_with_slips(dh, dc_next, cache, slips):
    """(dx, dh_prev, dc_prev, da, grads of one step) when the slips in ``slips`` are made."""
    i, f, g, o, c_prev, c, tanh_c = cache.cell
    p = cache.params
    tp = 1 - tanh_c ** 2
    if "tanh_not_squared" in slips:
        tp = 1 - tanh_c
    if "no_tanh_prime" in slips:
        tp = 1.0
    through_h = dh * (1.0 if "o_missing" in slips else o) * tp
    dc = dc_next + (0.0 if "no_h_path" in slips else through_h)
    sp = (lambda s: 1 - s ** 2) if "tanh_prime_for_gates" in slips else (lambda s: s * (1 - s))
    da_i = dc * g * sp(i)
    da_f = dc * (c if "c_for_c_prev" in slips else c_prev) * sp(f)
    da_g = dc * i * (g * (1 - g) if "sigma_prime_for_g" in slips else 1 - g ** 2)
    da_o = dh * (c if "c_not_tanh_c" in slips else tanh_c) * sp(o)
    if "i_f_swapped" in slips:
        da_i, da_f = da_f, da_i
    blocks = [da_i, da_f, da_g, da_o]
    if "order_igfo" in slips:
        blocks = [da_i, da_g, da_f, da_o]
    if "order_ifog" in slips:
        blocks = [da_i, da_f, da_o, da_g]
    da = np.concatenate(blocks, axis=1)  # (N, 4H)
    dc_prev = dc * np.ones_like(f) if "no_f" in slips else dc * f
    db = da.sum(axis=0) / (len(da) if "bias_mean" in slips else 1)
    h_read = o * tanh_c if "h_for_h_prev" in slips else cache.h_prev  # the slip: this step's h_t = o tanh(c)
    grads = {"weight_ih": da.T @ cache.x, "weight_hh": da.T @ h_read, "bias": db}
    return da @ p["weight_ih"], da @ p["weight_hh"], dc_prev, da, grads


def _step_results(dh, dc_next, cache, slips):
    dx, dh_prev, dc_prev, _, grads = _step_with_slips(dh, dc_next, cache, slips)
    if "dh_dc_swapped" in slips:
        dh_prev, dc_prev = dc_prev, dh_prev
    return dict(zip(NAMES, (dx, dh_prev, dc_prev, grads["weight_ih"], grads["weight_hh"], grads["bias"])))


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


def _parse(names, what):
    flat = parse_tuple(("a", "b", "c", "grads"), what)

    def parse(returned):
        out = flat(returned)
        if isinstance(out, str):
            return out
        grads = out.pop("grads")
        if not isinstance(grads, dict):
            return f"the fourth thing your function returned is a {type(grads).__name__}; {what}"
        results = dict(zip(names[:3], (out["a"], out["b"], out["c"])))
        results.update({f"grads[{k!r}]": v for k, v in grads.items()})
        return results
    return parse


def check_lstm_step_backward(backward: Callable, seed: int = 0) -> Report:
    """Run ``backward(dh, dc_next, cache)`` and the package on the same random inputs; a Report.

    The inputs are float64 from ``numpy.random.default_rng(seed)``: N = 3 sequences,
    D = 5 inputs, H = 4 cells (D differs from H, so a swapped matrix shows as a shape error).
    """
    if not callable(backward):
        raise TypeError(f"backward must be your function (dh, dc_next, cache) -> (dx, dh_prev, dc_prev, grads), "
                        f"got {backward!r}")
    dh, dc_next, cache = _inputs(seed)
    dx, dh_prev, dc_prev, grads = reference_lstm_step_backward(dh, dc_next, cache)
    reference = dict(zip(NAMES, (dx, dh_prev, dc_prev, *(grads[k] for k in WEIGHTS))))
    what = "it should return dx, dh_prev, dc_prev and a dict of the gradients of weight_ih, weight_hh and bias"
    cell = cache.cell
    return check(lambda: backward(dh.copy(), dc_next.copy(), _copy(cache)), _parse(NAMES, what), reference,
                 STEP_CATALOGUE, lambda slips: _step_results(dh, dc_next, cache, slips),
                 factors={"f": cell.f, "o": cell.o, "i": cell.i})


def random_sequence(seed: int = 0, T: int = 5, N: int = 3, D: int = 5, H: int = 4):
    """A random forward pass for the exercise: (dY (T, N, H), caches, (h0, c0), X, params).

    caches[t] is the StepCache of `lstm.step_forward` at step t+1; everything float64.
    """
    rng = np.random.default_rng(seed)
    params = {"weight_ih": rng.normal(0, 0.5, (4 * H, D)), "weight_hh": rng.normal(0, 0.5, (4 * H, H)),
              "bias": rng.normal(0, 0.5, 4 * H)}
    X = rng.standard_normal((T, N, D))
    h, c = rng.uniform(-0.8, 0.8, (N, H)), rng.standard_normal((N, H))
    h0c0 = (h, c)
    caches = []
    for t in range(T):
        h, c, cache = step_forward(X[t], h, c, params)
        caches.append(cache)
    return rng.standard_normal((T, N, H)), caches, h0c0, X, params


def reference_lstm_backward(dY, X, params, h0c0):
    """The package's answer: `lstm.LSTM.backward` on a layer with these params, as (dX, dh0, dc0, grads)."""
    T, N, D = X.shape
    layer = LSTM(D, params["bias"].size // 4)
    layer.params = {k: v.copy() for k, v in params.items()}
    layer.forward(X, h0c0)
    dX, (dh0, dc0) = layer.backward(dY)
    return dX, dh0, dc0, {k: layer.grads[k] for k in WEIGHTS}


def _sequence_with_slips(dY, caches, slips):
    """The whole backward pass with the slips in ``slips`` made (the rest done right)."""
    T = len(caches)
    dh_next, dc_next = np.zeros_like(dY[0]), np.zeros_like(dY[0])
    dX = np.zeros((T,) + caches[0].x.shape)
    grads = {k: np.zeros_like(caches[0].params[k]) for k in WEIGHTS}
    order = range(T) if "forward_loop" in slips else reversed(range(T))
    for t in order:
        dh = dY[t] + dh_next
        if "no_dh_carry" in slips:
            dh = dY[t]
        if "only_dh_carry" in slips:
            dh = dh_next if t < T - 1 else dY[t]
        # the slip passes zeros into every step; dc0 is then step 1's dc_prev, as the reader returns it
        dc_in = np.zeros_like(dc_next) if "no_dc_carry" in slips else dc_next
        dX[t], dh_next, dc_next, _, g = _step_with_slips(dh, dc_in, caches[t], slips)
        for k in WEIGHTS:
            grads[k] = g[k] if "grads_overwritten" in slips else grads[k] + g[k]
    dh0, dc0 = dh_next, dc_next
    if "dh_dc_swapped" in slips:
        dh0, dc0 = dc0, dh0
    return dict(zip(SEQ_NAMES, (dX, dh0, dc0, grads["weight_ih"], grads["weight_hh"], grads["bias"])))


def _copy_caches(caches):
    return [_copy(cache) for cache in caches]


def check_lstm_backward(lstm_backward: Callable, seed: int = 0) -> Report:
    """Run the reader's ``lstm_backward(dY, caches)`` on a random sequence and compare it with
    `lstm.LSTM.backward`; a Report that names the slip.

    T = 5 steps, N = 3 sequences, D = 5 inputs, H = 4 cells, float64, from the random
    initial state (h0, c0) (`random_sequence`). It returns dX (T, N, D), dh0 (N, H), dc0 (N, H)
    and {"weight_ih": (4H, D), "weight_hh": (4H, H), "bias": (4H,)}.
    """
    if not callable(lstm_backward):
        raise TypeError(f"lstm_backward must be your function (dY, caches) -> (dX, dh0, dc0, grads), "
                        f"got {lstm_backward!r}")
    dY, caches, h0c0, X, params = random_sequence(seed)
    dX, dh0, dc0, grads = reference_lstm_backward(dY, X, params, h0c0)
    reference = dict(zip(SEQ_NAMES, (dX, dh0, dc0, *(grads[k] for k in WEIGHTS))))
    what = "it should return dX, dh0, dc0 and a dict of the gradients of weight_ih, weight_hh and bias"
    return check(lambda: lstm_backward(dY.copy(), _copy_caches(caches)), _parse(SEQ_NAMES, what), reference,
                 CATALOGUE, lambda slips: _sequence_with_slips(dY, caches, slips))
