"""Input checks for the sequence layers of chapter 10 (minGRU, minLSTM, sLSTM, mLSTM, SSM).

The same checks, and messages, as the book's other layers: `lstm.validate`'s helpers
applied to the parameters, the input X (T, N, D), a state and the upstream gradient dY.
"""
import numpy as np

from .validate import as_float_array, check_params, check_shape


def check_input(owner, X, input_size):
    """Check owner.params (names, shapes, finite) and return X as a (T, N, D) array."""
    check_params(type(owner).__name__, owner.params, owner._param_shapes, owner.dtype)
    X = as_float_array("X", X, owner.dtype, axes=("t", "n", "d"))
    check_shape("X", X, (None, None, input_size), ("T", "N", "D"))
    if X.shape[1] == 0:  # T = 0 is a valid (empty) sequence; N = 0 is no sequence at all
        raise ValueError(f"X must hold at least one sequence (N >= 1), got shape {X.shape}")
    return X


def check_state(name, value, shape, dtype, letters=("N", "H")):
    """A state or state gradient of `shape`: zeros if None, else a checked array.

    letters name the sizes in messages, e.g. "h0 must have shape (N=2, H=4)".
    """
    if value is None:
        return np.zeros(shape, dtype=dtype)
    value = as_float_array(name, value, dtype, axes=("n", "j", "s")[:len(shape)])
    return check_shape(name, value, shape, letters)


def check_dY(owner, dY, output_size, letter="H"):
    """dY shaped like the output (T, N, output_size) of owner's last forward call."""
    if owner._cache is None:
        raise ValueError("backward called before forward: there is nothing to differentiate")
    T, N = owner._cache.X.shape[:2]
    dY = as_float_array("dY", dY, owner.dtype, axes=("t", "n", "j"))
    return check_shape("dY", dY, (T, N, output_size), ("T", "N", letter))
