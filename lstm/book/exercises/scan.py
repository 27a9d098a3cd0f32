"""Checker for chapter 10's exercise: composing two steps of a linear recurrence.

A step of h_t = a_t * h_{t-1} + b_t is the pair (a_t, b_t). The reader writes the
composition "first step 1, then step 2" (the chapter's equation of the combination)::

    def compose(a1, b1, a2, b2):
        # each (...) the same shape: step 1 = (a1, b1), step 2 = (a2, b2)
        ...
        return a, b               # the one step that does both: h -> a * h + b

`check_compose` compares the pair with step 2 applied to step 1 by the package's loop
(`lstm.scan.scan_loop` on two steps, from h_0 = 0 and from h_0 = 1), then runs a parallel
prefix scan built from the reader's `compose` over T = 8 steps and compares every h_t
with `lstm.scan.scan`. It names the slip: the two steps composed in the wrong order,
b2 left out, the a's added, the pair returned as (b, a), ...

Needs numpy and the core package only, so it runs in JupyterLite.
"""
from __future__ import annotations

import numbers

import numpy as np

from lstm.scan import scan, scan_loop

from . import Report
from .catalogue import Note, Slip, check

__all__ = ["check_compose", "CATALOGUE"]

COMPOSE = "chapter 10's equation of the combination of two steps"

CATALOGUE = {
    "order_swapped": Slip("the steps composed the other way round (step 1 applied after step 2)",
                          "(a2, b2) o (a1, b1) = (a2 * a1, a2 * b1 + b2): step 2 scales what step 1 left", COMPOSE),
    "b_sum": Slip("b1 + b2, without step 2 scaling b1", "b = a2 * b1 + b2", COMPOSE),
    "a_sum": Slip("a1 + a2: the factors added instead of multiplied", "a = a2 * a1", COMPOSE),
    "no_b2": Slip("b2 left out", "b = a2 * b1 + b2", COMPOSE),
    "a1_scales_b1": Slip("b1 scaled by its own step's a1 instead of by a2", "b = a2 * b1 + b2", COMPOSE),
    "a2_scales_both": Slip("a2 * (b1 + b2): step 2's factor applied to its own b2 too", "b = a2 * b1 + b2", COMPOSE),
    "a_only_second": Slip("a = a2: step 1's factor dropped", "a = a2 * a1", COMPOSE),
    "product_scales_b1": Slip("b1 scaled by a2 * a1 (step 1's factor applied to its own b1 once more)",
                              "b = a2 * b1 + b2", COMPOSE),
    "pair_swapped": Slip("the pair returned as (b, a)", "return a, b   (a = a2 * a1, b = a2 * b1 + b2)", COMPOSE),
}


def random_steps(seed: int = 0, T: int = 8, S: tuple = (3, 4)):
    """Random float64 steps a (T, *S) in (0.2, 1.2) and b (T, *S)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    rng = np.random.default_rng(seed)
    return rng.uniform(0.2, 1.2, (T,) + S), rng.standard_normal((T,) + S)


def _compose_with_slips(a1, b1, a2, b2, slips):
    if "order_swapped" in slips:
        a1, b1, a2, b2 = a2, b2, a1, b1
    a = a1 + a2 if "a_sum" in slips else (a2 if "a_only_second" in slips else a2 * a1)
    if "b_sum" in slips:
        b = b1 + b2
    elif "no_b2" in slips:
        b = a2 * b1
    elif "a1_scales_b1" in slips:
        b = a1 * b1 + b2
    elif "a2_scales_both" in slips:
        b = a2 * (b1 + b2)
    elif "product_scales_b1" in slips:
        b = a2 * a1 * b1 + b2
    else:
        b = a2 * b1 + b2
    return (b, a) if "pair_swapped" in slips else (a, b)


def prefix_scan(compose, a, b):
    """h_t (T, ...) from h_0 = 0 by a Hillis-Steele prefix scan that calls ``compose(a1, b1, a2, b2)``
    log2 T times on whole arrays: after round k, position t holds steps t-2^k+1 .. t composed."""
    A, B = a.copy(), b.copy()
    shift = 1
    while shift < len(a):
        newA, newB = compose(A[:-shift], B[:-shift], A[shift:], B[shift:])  # earlier steps first, then step t
        A = np.concatenate([A[:shift], np.asarray(newA, dtype=np.float64)])
        B = np.concatenate([B[:shift], np.asarray(newB, dtype=np.float64)])
        shift *= 2
    return B  # applied to h_0 = 0, h_t = B_t


def _results(compose, a, b):
    """What is compared: the pair for steps 1 and 2, and h_t of the scan built from ``compose``."""
    pair = compose(a[0].copy(), b[0].copy(), a[1].copy(), b[1].copy())
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        return f"your function returned {type(pair).__name__}; it should return two arrays: a, b"
    out = {"a": pair[0], "b": pair[1]}
    try:
        out["h (scan with your compose)"] = prefix_scan(compose, a, b)
    except Exception as err:  # a pair of the wrong shape, say: reported on a and b too
        out["h (scan with your compose)"] = Note(f"could not be computed: the scan with your compose raised "
                                                 f"{type(err).__name__}: {err}")
    return out


def check_compose(compose, seed: int = 0) -> Report:
    """Check the reader's ``compose(a1, b1, a2, b2)`` on random steps of shape (3, 4), float64; a Report."""
    if not callable(compose):
        raise TypeError(f"compose must be your function (a1, b1, a2, b2) -> (a, b), got {compose!r}")
    a, b = random_steps(seed)
    zero, one = np.zeros_like(a[0]), np.ones_like(a[0])
    # the composed step maps h to A h + B: from h0 = 0 the loop gives B, from h0 = 1 it gives A + B
    B = scan_loop(a[:2], b[:2], zero)[1]
    A = scan_loop(a[:2], b[:2], one)[1] - B
    reference = {"a": A, "b": B, "h (scan with your compose)": scan(a, b)}
    return check(lambda: _results(compose, a, b), lambda out: out, reference, CATALOGUE,
                 lambda slips: _results(lambda *args: _compose_with_slips(*args, slips), a, b))
