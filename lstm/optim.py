"""Optimisers and gradient clipping.

An optimiser is given the layers it trains (anything with `params` and `grads`
dicts) and updates their params in place from their grads on every `step()`.
"""
import numpy as np

from .validate import check_fraction, check_positive_number


def _check_layers(layers):
    layers = list(layers) if isinstance(layers, (list, tuple)) else [layers]
    if not layers:
        raise ValueError("layers is empty: give the layers to train, e.g. model.layers")
    for layer in layers:
        if not (hasattr(layer, "params") and hasattr(layer, "grads")):
            hint = " (for a model, pass model.layers)" if hasattr(layer, "layers") else ""
            raise TypeError(f"expected layers with `params` and `grads` dicts, got {type(layer).__name__}{hint}")
    return layers


def _check_positive(name, value):
    return check_positive_number(name, value)


def _check_grads(layers):
    """Every gradient present, of its parameter's shape, and finite, before any update."""
    for k, layer in enumerate(layers):
        for name, p in layer.params.items():
            g = layer.grads.get(name)
            label = f"{type(layer).__name__} (layer {k}) gradient {name!r}"
            if g is None:
                raise ValueError(f"{label} is missing: call backward before step")
            if np.shape(g) != p.shape:
                raise ValueError(f"{label} has shape {np.shape(g)}, its parameter {p.shape}")
            if not np.all(np.isfinite(g)):
                raise ValueError(f"{label} contains NaN or infinity; parameters left unchanged")


class SGD:
    """Stochastic gradient descent: v <- momentum * v + g; p <- p - lr * v.

    With momentum = 0 this is the plain update of the 1997 paper (p <- p - lr * g).
    """

    def __init__(self, layers, lr, momentum=0.0):
        self.layers = _check_layers(layers)
        self.lr = _check_positive("lr", lr)
        self.momentum = check_fraction("momentum", momentum)
        self.velocity = [{k: np.zeros_like(v) for k, v in layer.params.items()} for layer in self.layers]

    def step(self):
        _check_grads(self.layers)
        for layer, vel in zip(self.layers, self.velocity):
            for name, p in layer.params.items():
                g = layer.grads[name]
                if self.momentum:
                    vel[name] *= self.momentum
                    vel[name] += g
                    g = vel[name]
                p -= self.lr * g


class Adam:
    """Adam (Kingma & Ba 2015) with bias-corrected first and second moments."""

    def __init__(self, layers, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.layers = _check_layers(layers)
        self.lr = _check_positive("lr", lr)
        if not (isinstance(betas, (tuple, list)) and len(betas) == 2):
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.b1, self.b2 = check_fraction("betas[0]", betas[0]), check_fraction("betas[1]", betas[1])
        self.eps = _check_positive("eps", eps)
        self.t = 0
        self.m = [{k: np.zeros_like(v) for k, v in layer.params.items()} for layer in self.layers]
        self.v = [{k: np.zeros_like(v) for k, v in layer.params.items()} for layer in self.layers]

    def step(self):
        _check_grads(self.layers)
        self.t += 1
        c1, c2 = 1.0 - self.b1 ** self.t, 1.0 - self.b2 ** self.t  # bias corrections
        for layer, m, v in zip(self.layers, self.m, self.v):
            for name, p in layer.params.items():
                g = layer.grads[name]
                m[name] = self.b1 * m[name] + (1.0 - self.b1) * g
                v[name] = self.b2 * v[name] + (1.0 - self.b2) * g * g
                p -= (self.lr * (m[name] / c1) / (np.sqrt(v[name] / c2) + self.eps)).astype(p.dtype)


def global_grad_norm(layers):
    """The L2 norm of all gradients of `layers` taken together, as one long vector."""
    layers = _check_layers(layers)
    return float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for l in layers for g in l.grads.values())))


def clip_grad_norm(layers, max_norm):
    """Scale all gradients of `layers` together so their global L2 norm is <= max_norm.

    Returns the norm before clipping (useful to plot exploding gradients).
    """
    layers = _check_layers(layers)
    max_norm = _check_positive("max_norm", max_norm)
    total = global_grad_norm(layers)
    if not np.isfinite(total):  # scaling by max_norm / inf would silently zero (or NaN) every gradient
        raise ValueError("the gradients contain NaN or infinity: there is no norm to clip to")
    if total > max_norm:
        scale = max_norm / total
        for layer in layers:
            for g in layer.grads.values():
                g *= scale
    return total
