"""Input checks shared by every public entry point.

A reader types arrays into notebook cells; a wrong shape should stop with a message
that names the argument, the shape expected and the shape given, not with a numpy
broadcasting error three calls deeper.
"""
import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)


def check_dtype(dtype):
    """Return np.dtype(dtype) if it is float32 or float64, else raise."""
    try:
        dt = np.dtype(dtype)
    except TypeError as err:
        raise TypeError(f"dtype must be numpy.float32 or numpy.float64, got {dtype!r}") from err
    if dt not in [np.dtype(t) for t in FLOAT_DTYPES]:
        raise TypeError(f"dtype must be numpy.float32 or numpy.float64, got {dt}")
    return dt


def check_positive_int(name, value):
    """Raise unless value is an int >= 1 (bools are not sizes)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def as_float_array(name, value, dtype):
    """Convert value to an array of `dtype`; numbers, bools and ints are cast.

    Raises TypeError for non-numeric data (strings, objects) and ValueError for NaN or
    infinity, saying where the first one is.
    """
    if hasattr(value, "detach"):  # a torch tensor: read it without importing torch
        value = value.detach().cpu().numpy()
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    arr = arr.astype(dtype, copy=False)
    if not np.all(np.isfinite(arr)):
        where = tuple(int(k) for k in np.argwhere(~np.isfinite(arr))[0])
        raise ValueError(f"{name} contains NaN or infinity, first at index {where}")
    return arr


def describe(shape):
    return "(" + ", ".join(str(s) for s in shape) + ")"


def check_shape(name, arr, expected, names=None):
    """Raise ValueError unless arr.shape matches `expected`.

    expected: a tuple of ints, with None for a size that may be anything.
    names: optional letters for the sizes, used in the message, e.g. ("T", "N", "D").
    """
    ok = arr.ndim == len(expected) and all(e is None or e == s for e, s in zip(expected, arr.shape))
    if not ok:
        letters = names or ["*"] * len(expected)
        want = describe(l if e is None else (f"{l}={e}" if names else e) for e, l in zip(expected, letters))
        raise ValueError(f"{name} must have shape {want}, got {describe(arr.shape)}")
    return arr


def check_finite(name, arr, axes=("t", "n")):
    """Raise ValueError naming the first index of a NaN or infinity in arr."""
    if not np.all(np.isfinite(arr)):
        where = np.argwhere(~np.isfinite(arr))[0]
        place = ", ".join(f"{a}={int(k)}" for a, k in zip(axes, where))
        raise ValueError(f"{name} contains NaN or infinity at {place}")
