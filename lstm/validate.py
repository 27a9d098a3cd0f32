"""Input checks shared by every public entry point.

A reader types arrays into notebook cells; a wrong shape should stop with a message
that names the argument, the shape expected and the shape given, not with a numpy
broadcasting error three calls deeper. The same goes for the wrong kind of data
(strings, objects -> TypeError) and for NaN or infinity (ValueError saying where).
"""
import math
import numbers

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


def check_int(name, value, minimum):
    """Return int(value), raising unless value is an int >= minimum (bools are not counts).

    >>> check_int("steps", 3, 0)
    3
    >>> check_int("steps", True, 0)
    Traceback (most recent call last):
    ...
    ValueError: steps must be a non-negative integer, got True
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        what = {0: "a non-negative integer", 1: "a positive integer"}.get(minimum, f"an integer >= {minimum}")
        raise ValueError(f"{name} must be {what}, got {value!r}")
    return int(value)


def check_positive_int(name, value):
    """check_int(name, value, 1): a size or a count of at least one."""
    return check_int(name, value, 1)


def check_rng(rng):
    """Raise unless rng is a numpy.random.Generator (randomness is always passed in explicitly)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return rng


def check_positive_number(name, value):
    """Raise unless value is a finite real number > 0 (bools and strings are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {value!r}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def check_fraction(name, value):
    """Raise unless value is a real number in [0, 1) (a momentum, a decay rate)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number in [0, 1), got {value!r}")
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return float(value)


def where(mask, axes=None):
    """Describe the first True entry of mask: "t=3, n=1, d=0" with axes, else "index (3, 1, 0)"."""
    first = tuple(int(k) for k in np.argwhere(mask)[0])
    if axes:
        return "at " + ", ".join(f"{a}={k}" for a, k in zip(axes, first))
    return f"first at index {first}"


def as_numeric_array(name, value):
    """np.asarray(value), refusing what is not real numbers (strings, objects, complex).

    Torch tensors are read without importing torch. Raises TypeError naming `name`.
    """
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    try:
        arr = np.asarray(value)
    except ValueError as err:  # ragged nested lists
        raise TypeError(f"{name} must be a numeric array of a regular shape, got a ragged "
                        f"{type(value).__name__}: {err}") from err
    if arr.dtype.kind not in "biuf":
        what = type(value).__name__ if arr.dtype.kind == "O" else f"dtype {arr.dtype}"
        raise TypeError(f"{name} must be a numeric array (bool, int or float), got {what}")
    return arr


def as_float_array(name, value, dtype, axes=None):
    """Convert value to an array of `dtype`; numbers, bools and ints are cast.

    Raises TypeError for non-numeric data (strings, objects) and ValueError for NaN or
    infinity, saying where the first one is: with axes=("t", "n", "d") the message
    reads "X contains NaN or infinity at t=3, n=1, d=0". A finite float64 value too
    large for float32 is refused too, rather than silently becoming infinity.
    """
    arr = as_numeric_array(name, value)
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr)
        if bad.any():
            raise ValueError(f"{name} contains NaN or infinity {where(bad, axes)}")
    with np.errstate(over="ignore"):  # checked just below, with a better message
        out = arr.astype(dtype, copy=False)
    if out.dtype.kind == "f" and arr.dtype != out.dtype:
        bad = ~np.isfinite(out)
        if bad.any():
            raise ValueError(f"{name} has a value too large for {np.dtype(dtype).name} {where(bad, axes)}")
    return out


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


def check_params(owner, params, spec, dtype):
    """Check a layer's params dict against spec (name -> shape) before it is used.

    A reader may have replaced or edited `layer.params` in a notebook cell: a missing or
    extra name, a wrong shape, non-numeric data or NaN/infinity raise here, naming the
    parameter. An array of another numeric dtype is cast to `dtype` (and stored back).
    """
    if not isinstance(params, dict):
        raise TypeError(f"{owner}.params must be a dict of arrays, got {type(params).__name__}")
    if set(params) != set(spec):
        missing, extra = sorted(set(spec) - set(params)), sorted(set(params) - set(spec))
        raise ValueError(f"{owner}.params must have the keys {sorted(spec)}; missing {missing}, unexpected {extra}")
    for key, shape in spec.items():
        label = f"{owner}.params[{key!r}]"
        value = as_float_array(label, params[key], dtype)
        check_shape(label, value, shape)
        if value is not params[key]:
            params[key] = value
    return params
