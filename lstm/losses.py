"""Losses, each returning (loss, gradient w.r.t. the prediction).

Returning the gradient with the value keeps a training loop to three lines:
    loss, dy = mse_loss(y, target); dh = readout.backward(dy); lstm.backward(dh)
"""
import numpy as np

from .activations import sigmoid
from .validate import as_float_array, as_numeric_array


def _float_dtype(arr):
    return arr.dtype if arr.dtype in (np.float32, np.float64) else np.float64


def _check_same_shape(y, target, names=("y", "target")):
    """Both as finite float arrays of y's float dtype (float64 for ints), of one shape."""
    y = as_numeric_array(names[0], y)
    y = as_float_array(names[0], y, _float_dtype(y))
    target = as_float_array(names[1], target, y.dtype)
    if y.shape != target.shape:
        raise ValueError(f"prediction and target must have the same shape: {names[0]} has shape {y.shape}, "
                         f"{names[1]} has shape {target.shape}")
    return y, target


def mse_loss(y, target, reduction="mean"):
    """Squared error. reduction="mean": mean over all elements; "sum": 1/2 * sum, the
    1997 paper's E = 1/2 sum (y - target)^2. Returns (loss, dL/dy with y's shape)."""
    y, target = _check_same_shape(y, target)
    diff = y - target
    if reduction == "mean":
        # an empty prediction (e.g. T = 0) has loss 0, as in the other losses, not NaN
        return float(np.mean(diff ** 2)) if diff.size else 0.0, 2.0 * diff / max(diff.size, 1)
    if reduction == "sum":
        return float(0.5 * np.sum(diff ** 2)), diff
    raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")


def log_softmax(logits):
    """log softmax over the last axis, shifted by the max so exp never overflows."""
    z = logits - np.max(logits, axis=-1, keepdims=True)
    return z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))


def softmax_cross_entropy(logits, targets):
    """Mean cross-entropy of softmax(logits) against integer class targets.

    logits: (..., K) floats; targets: (...) integers in [0, K).
    Returns (loss, dL/dlogits (..., K)) where the gradient is (softmax - onehot) / count.
    """
    logits = as_numeric_array("logits", logits)
    logits = as_float_array("logits", logits, _float_dtype(logits))
    if logits.ndim < 1 or logits.shape[-1] < 1:
        raise ValueError(f"logits must have shape (..., K) with K >= 1 classes, got {logits.shape}")
    targets = np.asarray(targets)
    if targets.dtype.kind not in "iu":
        raise TypeError(f"targets must be integer class indices, got dtype {targets.dtype}")
    if logits.shape[:-1] != targets.shape:
        raise ValueError(f"targets must have shape {logits.shape[:-1]} (logits without the class axis), "
                         f"got {targets.shape}")
    K = logits.shape[-1]
    if targets.size and (targets.min() < 0 or targets.max() >= K):
        raise ValueError(f"targets must lie in [0, {K}), got values from {targets.min()} to {targets.max()}")
    logp = log_softmax(logits)
    count = max(targets.size, 1)
    picked = np.take_along_axis(logp, targets[..., None], axis=-1)
    grad = np.exp(logp)
    np.put_along_axis(grad, targets[..., None], np.take_along_axis(grad, targets[..., None], -1) - 1.0, -1)
    return float(-picked.sum() / count), grad / count


def sigmoid_cross_entropy(logits, targets):
    """Mean binary cross-entropy of sigmoid(logits) against targets in [0, 1].

    Written as softplus(z) - z * t, which is exact for large |z|.
    Returns (loss, dL/dlogits) = (sigmoid(z) - t) / count.
    """
    z, t = _check_same_shape(logits, targets, ("logits", "targets"))
    if t.size and (t.min() < 0 or t.max() > 1):
        raise ValueError(f"targets must lie in [0, 1], got values from {t.min()} to {t.max()}")
    count = max(z.size, 1)
    loss = np.logaddexp(0, z) - z * t
    return float(loss.sum() / count), (sigmoid(z) - t) / count
