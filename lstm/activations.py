"""Squashing functions and their derivatives.

The derivatives are written in terms of the function's *output*, because the forward
pass has already computed it and the backward pass gets it from the cache for free:

    sigmoid'(x) = s (1 - s)      with s = sigmoid(x)
    tanh'(x)    = 1 - t^2        with t = tanh(x)
"""
import numpy as np


def sigmoid(x):
    """Logistic function 1 / (1 + e^-x), without overflow for any float input.

    The textbook formula overflows in e^-x for x < -709 (float64) or x < -88 (float32).
    We only ever exponentiate -|x| <= 0, so e lies in (0, 1]:
    x >= 0: 1 / (1 + e^-x);   x < 0: e^x / (1 + e^x) = e / (1 + e).
    """
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    e = np.exp(-np.abs(x))
    r = 1.0 / (1.0 + e)
    return np.where(x >= 0, r, e * r)


def sigmoid_grad(s):
    """sigmoid'(x) from s = sigmoid(x). Largest value 0.25, at x = 0."""
    return s * (1.0 - s)


def tanh(x):
    """Hyperbolic tangent (numpy's is already stable at any magnitude)."""
    return np.tanh(x)


def tanh_grad(t):
    """tanh'(x) from t = tanh(x). Largest value 1, at x = 0."""
    return 1.0 - t * t


def softplus(x):
    """log(1 + e^x), exact for large |x| (numpy's logaddexp(0, x)); its derivative is sigmoid(x).

    >>> softplus(np.array([-1000.0, 0.0, 1000.0])).round(4).tolist()
    [0.0, 0.6931, 1000.0]
    """
    return np.logaddexp(0, x)


def log_sigmoid(x):
    """log sigmoid(x) = -softplus(-x), exact for large |x|."""
    return -np.logaddexp(0, -np.asarray(x))


def relu(x):
    """max(0, x)."""
    return np.maximum(x, 0)


def relu_grad(y):
    """relu'(x) from y = relu(x): 1 where the unit is on, 0 where it is off."""
    return (y > 0).astype(np.asarray(y).dtype)


def identity(x):
    """The linear unit f(x) = x of the constant error carousel."""
    return np.asarray(x)


def identity_grad(y):
    """identity'(x) = 1 everywhere."""
    return np.ones_like(y)


# Name -> (function, derivative from the output). Used by layers that let the
# reader choose the squashing function, e.g. the plain RNN of chapter 1.
ACTIVATIONS = {
    "tanh": (tanh, tanh_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "relu": (relu, relu_grad),
    "identity": (identity, identity_grad),
}


def get_activation(name):
    """Return (f, f_grad_from_output) for an activation name in ACTIVATIONS."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; expected one of {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[name]
