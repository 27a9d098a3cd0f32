"""Parameter initialisation.

PyTorch draws every weight and bias of nn.LSTM / nn.RNN from U(-k, k) with
k = 1/sqrt(H). We do the same, with one bias vector where PyTorch keeps two
(bias_ih + bias_hh, which only ever act through their sum). The 1997 paper drew
weights from U(-0.2, 0.2) or U(-0.1, 0.1): pass `init_range` for that.
"""
import numpy as np

from .validate import check_dtype, check_rng


def uniform(shape, bound, rng, dtype):
    """An array of `shape` drawn from U(-bound, bound) with the generator `rng`."""
    check_rng(rng)
    return rng.uniform(-bound, bound, size=shape).astype(check_dtype(dtype))


def init_params(shapes, hidden_size, rng, dtype, init_range=None):
    """Name -> array for every name -> shape in `shapes`, each from U(-k, k).

    k = init_range if given, else 1/sqrt(hidden_size) (PyTorch's default).
    rng: a numpy Generator; None draws from a fresh, unseeded one (pass a seeded
    generator to get the same parameters again).
    """
    rng = np.random.default_rng() if rng is None else rng
    bound = 1.0 / np.sqrt(hidden_size) if init_range is None else float(init_range)
    if not bound >= 0:
        raise ValueError(f"init_range must be a non-negative number, got {init_range!r}")
    return {name: uniform(shape, bound, rng, dtype) for name, shape in shapes.items()}
