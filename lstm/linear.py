"""A linear readout y = h W^T + b, applied to the last axis of any array."""
from typing import NamedTuple

import numpy as np

from .checkpoint import Checkpointable
from .initialisation import init_params
from .validate import as_float_array, check_dtype, check_params, check_positive_int


class _LinearCache(NamedTuple):
    x: np.ndarray  # (..., in_features)


class Linear(Checkpointable):
    """Linear(in_features, out_features, rng=..., dtype=np.float64, init_range=None).

    params: weight (out_features, in_features), bias (out_features,), drawn from
    U(-1/sqrt(in_features), 1/sqrt(in_features)) like torch.nn.Linear, or U(-r, r).
    forward(x (..., in)) -> (..., out); backward(dy (..., out)) -> dx (..., in).
    """

    def __init__(self, in_features, out_features, rng=None, dtype=np.float64, init_range=None):
        self.in_features = check_positive_int("in_features", in_features)
        self.out_features = check_positive_int("out_features", out_features)
        self.dtype = check_dtype(dtype)
        shapes = {"weight": (self.out_features, self.in_features), "bias": (self.out_features,)}
        self.params = init_params(shapes, self.in_features, rng, self.dtype, init_range)
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self._cache = None

    def forward(self, x):
        shapes = {"weight": (self.out_features, self.in_features), "bias": (self.out_features,)}
        check_params("Linear", self.params, shapes, self.dtype)  # a reader may have edited them
        x = as_float_array("x", x, self.dtype)
        if x.ndim < 1 or x.shape[-1] != self.in_features:
            raise ValueError(f"x must have shape (..., {self.in_features}), got {x.shape}")
        self._cache = _LinearCache(x)
        return x @ self.params["weight"].T + self.params["bias"]

    def backward(self, dy):
        if self._cache is None:
            raise ValueError("backward called before forward: there is nothing to differentiate")
        x = self._cache.x
        dy = as_float_array("dy", dy, self.dtype)
        expected = x.shape[:-1] + (self.out_features,)
        if dy.shape != expected:
            raise ValueError(f"dy must have shape {expected}, like the last output, got {dy.shape}")
        x2, dy2 = x.reshape(-1, self.in_features), dy.reshape(-1, self.out_features)
        self.grads = {"weight": dy2.T @ x2, "bias": dy2.sum(axis=0)}
        return dy @ self.params["weight"]

    def __repr__(self):
        return f"Linear(in_features={self.in_features}, out_features={self.out_features}, dtype={self.dtype.name})"
