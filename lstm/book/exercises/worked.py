"""A backward step of the standard LSTM cell with numbers, for chapter 5 (H = D = N = 1).

`worked_backward_step` runs `lstm.step_forward` and `lstm.step_backward` on one
number per input and returns, for every line of the chapter's backward step, the line
with its numbers filled in and the value the package computed, so the page can print
them and check each one::

    for row in worked_backward_step():
        print(row.line)

Needs numpy and the core package only.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from lstm.cells import step_backward, step_forward

__all__ = ["worked_backward_step", "WorkedLine"]


class WorkedLine(NamedTuple):
    name: str  # the quantity, as the chapter writes it: "da_o"
    line: str  # the line with its numbers: "da_o = dh * tanh(c) * o(1-o) = 1.0000 * ... = 0.1234"
    value: float  # the line's arithmetic, done on the numbers shown
    package: float  # the package's value of the same quantity


def _n(v: float) -> str:
    return f"{v:.4f}" if v >= 0 else f"({v:.4f})"


def worked_backward_step(x=1.0, h_prev=0.5, c_prev=0.8, dh=1.0, dc_next=0.3,
                         w_ih=(0.6, -0.4, 0.9, 0.5), w_hh=(0.2, 0.3, -0.5, 0.1), b=(0.1, 1.0, 0.0, -0.2)):
    """Every line of the backward step for one cell (H = 1), its numbers, and the package's value.

    w_ih, w_hh, b: the four rows (i, f, g, o) of W_ih (4, 1), W_hh (4, 1) and b (4,).
    Returns a list of WorkedLine: the forward quantities first, then the lines of the
    backward step in the chapter's order, then the weight gradients.
    """
    params = {"weight_ih": np.array(w_ih, dtype=np.float64).reshape(4, 1),
              "weight_hh": np.array(w_hh, dtype=np.float64).reshape(4, 1),
              "bias": np.array(b, dtype=np.float64)}
    X, Hp, Cp = (np.array([[v]], dtype=np.float64) for v in (x, h_prev, c_prev))
    h, c, cache = step_forward(X, Hp, Cp, params)
    dx, dh_prev, dc_prev, grads = step_backward(np.array([[dh]]), np.array([[dc_next]]), cache)
    i, f, g, o, _, c_val, tanh_c = (float(v[0, 0]) for v in cache.cell)
    a = (X @ params["weight_ih"].T + Hp @ params["weight_hh"].T + params["bias"])[0]
    da_pkg = grads["bias"]  # with N = 1, db = da
    rows = [WorkedLine(f"a_{k}", f"a_{k} = {_n(params['weight_ih'][j, 0])} * {_n(x)} + {_n(params['weight_hh'][j, 0])}"
                       f" * {_n(h_prev)} + {_n(params['bias'][j])} = {_n(a[j])}",
                       params["weight_ih"][j, 0] * x + params["weight_hh"][j, 0] * h_prev + params["bias"][j], a[j])
            for j, k in enumerate("ifgo")]
    gates = {"i": i, "f": f, "g": g, "o": o}
    rows += [WorkedLine(k, f"{k} = {'tanh' if k == 'g' else 'sigma'}(a_{k}) = {'tanh' if k == 'g' else 'sigma'}"
                           f"({_n(a[j])}) = {_n(gates[k])}",
                        float(np.tanh(a[j]) if k == "g" else 1 / (1 + np.exp(-a[j]))), gates[k])
             for j, k in enumerate("ifgo")]
    rows += [WorkedLine("c", f"c = f * c_prev + i * g = {_n(f)} * {_n(c_prev)} + {_n(i)} * {_n(g)} = {_n(c_val)}",
                        f * c_prev + i * g, float(c[0, 0])),
             WorkedLine("h", f"h = o * tanh(c) = {_n(o)} * {_n(tanh_c)} = {_n(float(h[0, 0]))}", o * tanh_c,
                        float(h[0, 0]))]
    da_o = dh * tanh_c * o * (1 - o)
    dc = dc_next + dh * o * (1 - tanh_c ** 2)
    da_i = dc * g * i * (1 - i)
    da_g = dc * i * (1 - g ** 2)
    da_f = dc * c_prev * f * (1 - f)
    rows += [
        WorkedLine("da_o", f"da_o = dh * tanh(c) * o(1-o) = {_n(dh)} * {_n(tanh_c)} * {_n(o * (1 - o))} = {_n(da_o)}",
                   da_o, da_pkg[3]),
        WorkedLine("dc", f"dc = dc_next + dh * o * (1 - tanh(c)^2) = {_n(dc_next)} + {_n(dh)} * {_n(o)} * "
                         f"{_n(1 - tanh_c ** 2)} = {_n(dc)}", dc, dc_prev[0, 0] / f),
        WorkedLine("da_i", f"da_i = dc * g * i(1-i) = {_n(dc)} * {_n(g)} * {_n(i * (1 - i))} = {_n(da_i)}",
                   da_i, da_pkg[0]),
        WorkedLine("da_g", f"da_g = dc * i * (1 - g^2) = {_n(dc)} * {_n(i)} * {_n(1 - g ** 2)} = {_n(da_g)}",
                   da_g, da_pkg[2]),
        WorkedLine("da_f", f"da_f = dc * c_prev * f(1-f) = {_n(dc)} * {_n(c_prev)} * {_n(f * (1 - f))} = {_n(da_f)}",
                   da_f, da_pkg[1]),
        WorkedLine("dc_prev", f"dc_prev = dc * f = {_n(dc)} * {_n(f)} = {_n(dc * f)}", dc * f, dc_prev[0, 0]),
    ]
    da = np.array([da_i, da_f, da_g, da_o])
    terms = " + ".join(f"{_n(d)} * {_n(w)}" for d, w in zip(da, params["weight_hh"][:, 0]))
    rows.append(WorkedLine("dh_prev", f"dh_prev = da W_hh = {terms} = {_n(da @ params['weight_hh'][:, 0])}",
                           da @ params["weight_hh"][:, 0], dh_prev[0, 0]))
    terms = " + ".join(f"{_n(d)} * {_n(w)}" for d, w in zip(da, params["weight_ih"][:, 0]))
    rows.append(WorkedLine("dx", f"dx = da W_ih = {terms} = {_n(da @ params['weight_ih'][:, 0])}",
                           da @ params["weight_ih"][:, 0], dx[0, 0]))
    for j, k in enumerate("ifgo"):
        rows.append(WorkedLine(f"dW_ih[{k}]", f"dW_ih[{k}] = da_{k} * x = {_n(da[j])} * {_n(x)} = {_n(da[j] * x)}",
                               da[j] * x, grads["weight_ih"][j, 0]))
    for j, k in enumerate("ifgo"):
        rows.append(WorkedLine(f"dW_hh[{k}]", f"dW_hh[{k}] = da_{k} * h_prev = {_n(da[j])} * {_n(h_prev)} = "
                                              f"{_n(da[j] * h_prev)}", da[j] * h_prev, grads["weight_hh"][j, 0]))
    return [r._replace(value=float(r.value), package=float(r.package)) for r in rows]
