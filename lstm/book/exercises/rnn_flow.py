"""Checkers for chapters 1 and 2: how an error flows back through a recurrent unit.

Chapter 1's exercise: the reader writes the backward recursion of a plain tanh RNN,
equation "one step of the backward pass" of chapter 1, for an error that starts at
the last step::

    def backward_deltas(delta_T, a, W_hh):
        # delta_T (N, n): dL/dh_T; a (T, N, n): the pre-activations a_1 .. a_T (a[t] is
        # a_{t+1}); W_hh (n, n). Row-vector form of delta_t = W_hh^T (phi'(a_{t+1}) * delta_{t+1}).
        ...
        return deltas            # (T, N, n): deltas[t] = delta_{t+1}, so deltas[-1] = delta_T

`check_error_flow` compares it with `lstm.RNN.backward` (its ``grad_h``).

Chapter 2's exercise: the reader writes the naive unit of the chapter, a logistic unit
with a self-connection, forward over a sequence, and the factor by which it scales an
error on the way back one step::

    def naive_unit(x, w_in, w_jj, b, y0):
        # x (T, N, D), w_in (1, D), w_jj and b numbers, y0 (N, 1)
        ...
        return y, factor         # each (T, N, 1): y_j(t) and f'(net_j(t)) * w_jj

`check_naive_unit` compares it with `lstm.RNN(D, 1, nonlinearity="sigmoid")`.

Needs numpy and the core package only, so it runs in JupyterLite.
"""
from __future__ import annotations

import numbers

import numpy as np

from lstm.activations import sigmoid, sigmoid_grad, tanh
from lstm.rnn import RNN

from . import Report
from .catalogue import Slip, check, parse_tuple

__all__ = ["check_error_flow", "check_naive_unit", "random_rnn_flow", "FLOW_CATALOGUE", "UNIT_CATALOGUE"]

# The number the built page prints for chapter 1's backward step (label ch01-backstep);
# tests/test_exercises_rnn_flow.py recounts it from the notebooks.
BACKSTEP = "equation (5), one step of the backward pass"

FLOW_CATALOGUE = {
    "no_transpose": Slip("the transpose of W_hh used: in row form you wrote delta @ W_hh.T where delta @ W_hh "
                         "belongs",
                         "delta_t = W_hh^T (phi'(a_{t+1}) * delta_{t+1}); for rows: (phi'(a_{t+1}) * delta_{t+1}) @ W_hh",
                         BACKSTEP),
    "prime_same_step": Slip("phi'(a_t) where phi'(a_{t+1}) belongs (the derivative of the step the error comes from)",
                            "delta_t = W_hh^T (phi'(a_{t+1}) * delta_{t+1})", BACKSTEP),
    "phi_not_prime": Slip("phi(a) = tanh(a) where its derivative belongs",
                          "phi'(a) = 1 - tanh(a)**2", BACKSTEP),
    "tanh_not_squared": Slip("tanh'(a) written 1 - tanh(a), not squared", "phi'(a) = 1 - tanh(a)**2", BACKSTEP),
    "prime_of_a": Slip("1 - a**2: the derivative written in terms of the output h applied to the "
                       "pre-activation a", "phi'(a) = 1 - tanh(a)**2 = 1 - h**2", BACKSTEP),
    "no_prime": Slip("phi' left out (the unit treated as linear)", "delta_t = W_hh^T (phi'(a_{t+1}) * delta_{t+1})",
                     BACKSTEP),
    "sigmoid_prime": Slip("the logistic derivative sigma(a)(1 - sigma(a)) for a tanh unit",
                          "phi'(a) = 1 - tanh(a)**2", BACKSTEP),
    "prime_after_matmul": Slip("phi' applied after the product with W_hh instead of before",
                               "delta_t = W_hh^T (phi'(a_{t+1}) * delta_{t+1})", BACKSTEP),
    "reversed_order": Slip("the deltas stored in the order they were computed (deltas[0] = delta_T)",
                           "deltas[t] = delta_{t+1}: step 1 first, deltas[-1] = delta_T", BACKSTEP),
}


def random_rnn_flow(seed: int = 0, T: int = 6, N: int = 3, n: int = 4, D: int = 3):
    """A random tanh RNN run: (delta_T (N, n), a (T, N, n), W_hh (n, n), the RNN, X)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    rng = np.random.default_rng(seed)
    rnn = RNN(D, n, nonlinearity="tanh", rng=rng)
    rnn.params = {"weight_ih": rng.normal(0, 0.8, (n, D)), "weight_hh": rng.normal(0, 0.7, (n, n)),
                  "bias": rng.normal(0, 0.3, n)}
    X, h0 = rng.standard_normal((T, N, D)), rng.uniform(-0.5, 0.5, (N, n))
    Y, _ = rnn.forward(X, h0)
    H_prev = np.concatenate([h0[None], Y[:-1]])
    a = X @ rnn.params["weight_ih"].T + H_prev @ rnn.params["weight_hh"].T + rnn.params["bias"]
    return rng.standard_normal((N, n)), a, rnn.params["weight_hh"].copy(), rnn, X


def _flow_with_slips(delta_T, a, W_hh, slips):
    T = len(a)
    prime = lambda z: 1 - tanh(z) ** 2  # noqa: E731
    if "phi_not_prime" in slips:
        prime = tanh
    if "tanh_not_squared" in slips:
        prime = lambda z: 1 - tanh(z)  # noqa: E731
    if "prime_of_a" in slips:
        prime = lambda z: 1 - z ** 2  # noqa: E731
    if "no_prime" in slips:
        prime = np.ones_like
    if "sigmoid_prime" in slips:
        prime = lambda z: sigmoid(z) * (1 - sigmoid(z))  # noqa: E731
    W = W_hh.T if "no_transpose" in slips else W_hh
    deltas = [delta_T]
    for t in range(T - 2, -1, -1):  # delta_{t+1} from delta_{t+2}
        d = deltas[-1]
        a_used = a[t] if "prime_same_step" in slips else a[t + 1]
        deltas.append(prime(a_used) * (d @ W) if "prime_after_matmul" in slips else (prime(a_used) * d) @ W)
    out = np.stack(deltas if "reversed_order" in slips else deltas[::-1])
    return {"deltas": out}


def check_error_flow(backward_deltas, seed: int = 0) -> Report:
    """Run the reader's ``backward_deltas(delta_T, a, W_hh)`` and `lstm.RNN.backward` on a random tanh RNN
    (T = 6 steps, N = 3 sequences, n = 4 units, float64); a Report that names the slip."""
    if not callable(backward_deltas):
        raise TypeError("check_error_flow needs your function backward_deltas(delta_T, a, W_hh) -> deltas, "
                        f"got {backward_deltas!r}")
    delta_T, a, W_hh, rnn, X = random_rnn_flow(seed)
    dY = np.zeros_like(a)
    dY[-1] = delta_T  # the loss sits at the last step only
    rnn.backward(dY)
    reference = {"deltas": rnn.grad_h.copy()}
    return check(lambda: backward_deltas(delta_T.copy(), a.copy(), W_hh.copy()),
                 parse_tuple(("deltas",), "it should return one array, deltas (T, N, n)"), reference,
                 FLOW_CATALOGUE, lambda slips: _flow_with_slips(delta_T, a, W_hh, slips))


UNIT = "chapter 2's equation of the unit with a loop"
ONESTEP = "chapter 2's equation of the error one step back"

UNIT_CATALOGUE = {
    "no_bias": Slip("the bias b_j left out of net_j(t)", "net_j(t) = w_jj y_j(t-1) + x(t) w_in^T + b_j", UNIT),
    "no_self_weight": Slip("y_j(t-1) added without its weight w_jj", "net_j(t) = w_jj y_j(t-1) + x(t) w_in^T + b_j",
                           UNIT),
    "no_feedback": Slip("y_j(t-1) never updated: every step reads the initial y0",
                        "net_j(t) = w_jj y_j(t-1) + ...: the unit's own last output", UNIT),
    "squash_input_only": Slip("only the input squashed: y = w_jj y(t-1) + f(x w_in^T + b)",
                              "y_j(t) = f_j(net_j(t)), with the self-connection inside f_j", UNIT),
    "no_squash": Slip("f_j left out: y = net", "y_j(t) = f_j(net_j(t)), f_j the logistic sigmoid", UNIT),
    "tanh_unit": Slip("tanh where the logistic sigmoid belongs", "y_j(t) = f_j(net_j(t)), f_j the logistic sigmoid",
                      UNIT),
    "factor_not_prime": Slip("f(net) where f'(net) belongs in the factor", "factor = f_j'(net_j(t)) w_jj", ONESTEP),
    "factor_no_w": Slip("w_jj left out of the factor", "factor = f_j'(net_j(t)) w_jj", ONESTEP),
    "factor_tanh_prime": Slip("tanh's derivative 1 - y**2 for the logistic unit",
                              "factor = f_j'(net_j(t)) w_jj, with sigma'(net) = y (1 - y)", ONESTEP),
    "factor_prime_of_net": Slip("net (1 - net): the derivative written for y applied to net",
                                "sigma'(net) = sigma(net)(1 - sigma(net)) = y (1 - y)", ONESTEP),
    "factor_previous_step": Slip("the factor taken from the output before the step, y_j(t-1) (1 - y_j(t-1)) w_jj "
                                 "(y0 at the first step), where y_j(t) (1 - y_j(t)) w_jj belongs (one step early)",
                                 "factor = f_j'(net_j(t)) w_jj, with f_j'(net_j(t)) = y_j(t) (1 - y_j(t))", ONESTEP),
}


def random_naive_unit(seed: int = 0, T: int = 6, N: int = 3, D: int = 2):
    """Random inputs for chapter 2's exercise: x (T, N, D), w_in (1, D), w_jj, b, y0 (N, 1)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    rng = np.random.default_rng(seed)
    return {"x": rng.standard_normal((T, N, D)), "w_in": rng.normal(0, 0.8, (1, D)),
            "w_jj": float(rng.uniform(1.5, 3.0)), "b": float(rng.uniform(-1, 1)), "y0": rng.uniform(0.1, 0.9, (N, 1))}


def _unit_with_slips(inp, slips):
    x, w_in, w_jj, b, y = inp["x"], inp["w_in"], inp["w_jj"], inp["b"], inp["y0"]
    f = tanh if "tanh_unit" in slips else (lambda z: z) if "no_squash" in slips else sigmoid
    ys, factors = [], []
    for t in range(len(x)):
        y_prev = y  # the unit's output before this step (y0 at the first)
        y_in = inp["y0"] if "no_feedback" in slips else y
        self_part = y_in * (1.0 if "no_self_weight" in slips else w_jj)
        drive = x[t] @ w_in.T + (0.0 if "no_bias" in slips else b)
        net = self_part + drive
        y = self_part + f(drive) if "squash_input_only" in slips else f(net)
        s = sigmoid(net)
        prime = s * (1 - s)
        if "factor_previous_step" in slips:
            prime = y_prev * (1 - y_prev)
        if "factor_not_prime" in slips:
            prime = s
        if "factor_tanh_prime" in slips:
            prime = 1 - s ** 2
        if "factor_prime_of_net" in slips:
            prime = net * (1 - net)
        factors.append(prime * (1.0 if "factor_no_w" in slips else w_jj))
        ys.append(y)
    return {"y": np.stack(ys), "factor": np.stack(factors)}


def check_naive_unit(naive_unit, seed: int = 0) -> Report:
    """Run the reader's ``naive_unit(x, w_in, w_jj, b, y0)`` and `lstm.RNN(D, 1, "sigmoid")` on random
    inputs (T = 6, N = 3, D = 2, float64); a Report that names the slip."""
    if not callable(naive_unit):
        raise TypeError(f"naive_unit must be your function (x, w_in, w_jj, b, y0) -> (y, factor), got {naive_unit!r}")
    inp = random_naive_unit(seed)
    D = inp["x"].shape[2]
    rnn = RNN(D, 1, nonlinearity="sigmoid")
    rnn.params = {"weight_ih": inp["w_in"].copy(), "weight_hh": np.array([[inp["w_jj"]]]), "bias": np.array([inp["b"]])}
    Y, _ = rnn.forward(inp["x"], inp["y0"])
    reference = {"y": Y, "factor": sigmoid_grad(Y) * inp["w_jj"]}  # f'(net) = y (1 - y) for the logistic unit
    order = ("x", "w_in", "w_jj", "b", "y0")
    return check(lambda: naive_unit(*(np.copy(inp[k]) if isinstance(inp[k], np.ndarray) else inp[k] for k in order)),
                 parse_tuple(("y", "factor"), "it should return two arrays, y and factor, each (T, N, 1)"),
                 reference, UNIT_CATALOGUE, lambda slips: _unit_with_slips(inp, slips))
