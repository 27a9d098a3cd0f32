"""Checking a backward pass against centred finite differences.

    df/dx_k ~ (f(x + eps e_k) - f(x - eps e_k)) / (2 eps)      error O(eps^2)

compared with the analytic gradient by the relative error
    max_k |a_k - n_k| / max(max_k (|a_k| + |n_k|), tiny).
Use float64: in float32 the rounding error of f swamps eps^2.
"""
import numpy as np


def numerical_gradient(f, x, eps=1e-6):
    """Centred differences of the scalar function f() w.r.t. every entry of array x.

    f takes no arguments and reads x, which is perturbed in place and restored.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("x must be a contiguous array that can be perturbed in place")
    for k in range(flat.size):
        old = flat[k]
        flat[k] = old + eps
        f_plus = f()
        flat[k] = old - eps
        f_minus = f()
        flat[k] = old
        gflat[k] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(analytic, numeric):
    """max |a - n| / max(|a| + |n|): 0 for a perfect match, about 1 for unrelated arrays."""
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"analytic and numeric gradients must have the same shape, got {a.shape} and {n.shape}")
    scale = np.max(np.abs(a) + np.abs(n)) if a.size else 0.0
    return float(np.max(np.abs(a - n)) / scale) if scale > 1e-300 else 0.0


def check_layer_gradients(layer, X, state=None, rng=None, eps=1e-6):
    """Relative error of layer.backward against finite differences, per quantity.

    Works for every recurrent layer of the package (their common contract). The loss is
    a random linear function of the outputs, L = sum(Y * dY) + sum over the final states
    of sum(s_T * ds_T), so its gradient w.r.t. Y is the random upstream gradient dY.
    state: the initial state, in the form the layer's forward takes; None draws one with
    `layer.random_state`, so the gradients w.r.t. the initial state are checked too.
    Returns a dict: parameter name, "X", and "h0", "c0", ... (one per state) -> error.
    """
    if layer.dtype != np.float64:
        raise ValueError("gradient checks need a float64 layer: float32 rounding swamps eps^2")
    rng = np.random.default_rng(0) if rng is None else rng
    X = np.array(X, dtype=np.float64)
    if state is None:
        state = layer.random_state(X.shape[1], rng)
    names = layer.state_names
    states = [np.array(s, dtype=np.float64) for s in ((state,) if len(names) == 1 else state)]
    one = len(names) == 1  # a layer with one state takes and returns the bare array
    unpack = (lambda s: (s,)) if one else tuple
    pack = (lambda s: s[0]) if one else tuple

    def run():
        Y, final = layer.forward(X, pack(states))
        return Y, unpack(final)

    Y, finals = run()
    dY = rng.standard_normal(Y.shape)
    dfinals = [rng.standard_normal(f.shape) for f in finals]

    def loss():
        Y, finals = run()
        return float(np.sum(Y * dY) + sum(np.sum(f * d) for f, d in zip(finals, dfinals)))

    run()
    dX, dstate = layer.backward(dY, pack(dfinals))
    analytic = dict(layer.grads)
    analytic["X"] = dX
    state_names = [f"{n}0" for n in names]
    analytic.update(zip(state_names, unpack(dstate)))
    wrt = dict(layer.params)
    wrt["X"] = X
    wrt.update(zip(state_names, states))
    return {name: relative_error(analytic[name], numerical_gradient(loss, wrt[name], eps)) for name in wrt}
