"""The linear recurrence h_t = a_t * h_{t-1} + b_t, by a loop and by a parallel scan.

    h_t = a_t * h_{t-1} + b_t        t = 1..T, element-wise, h_0 given      (1)

An LSTM's cell state is of this form, c_t = f_t * c_{t-1} + i_t * g_t, with a_t = f_t
and b_t = i_t * g_t, but a_t and b_t read h_{t-1}, so step t must wait for step t-1.
When they read only x_t (minLSTM, minGRU, mLSTM, Mamba's selective SSM), every a_t
and b_t is known before the recurrence starts, and (1) is a prefix computation with
the associative operator on pairs (Blelloch 1990):

    (a2, b2) o (a1, b1) = (a2 * a1, a2 * b1 + b2)                                (2)

"first apply step 1, then step 2". Because (2) is associative, the steps can be
grouped in any order. `scan_parallel` combines neighbouring pairs into T/2 steps,
solves that half-length problem the same way, and fills in the positions in between:
2 log2 T rounds of whole-array operations and O(T) work in all (Blelloch 1990). On a
parallel machine each round is one step; in numpy each round is a few vectorised
calls instead of T Python-level iterations.

Backward. With g_t = dL/dh_t in total (the direct gradient dh_t plus what flows back
from h_{t+1}):

    g_t = dh_t + a_{t+1} * g_{t+1}      (g_T = dh_T + dL/dh_T from outside)       (3)
    dL/da_t = g_t * h_{t-1},   dL/db_t = g_t,   dL/dh_0 = a_1 * g_1

(3) is the recurrence (1) run backwards in time with the coefficients shifted by one
step, so the same scan computes it (Martin & Cundy 2018).

Shapes: a, b, h (T, *S) with step t at index t-1 (a[0] is a_1), h0 (*S); S is any
shape, e.g. (N, H).
"""
import numpy as np

from .validate import as_float_array, check_shape


def _check(a, b, h0):
    a = as_float_array("a", a, np.float64 if np.asarray(a).dtype != np.float32 else np.float32)
    b = as_float_array("b", b, a.dtype)
    if a.ndim < 1:
        raise ValueError("a must have a leading time axis, shape (T, ...), got a scalar")
    check_shape("b", b, a.shape)
    if h0 is None:
        h0 = np.zeros(a.shape[1:], dtype=a.dtype)
    else:
        h0 = check_shape("h0", as_float_array("h0", h0, a.dtype), a.shape[1:])
    return a, b, h0


def scan_loop(a, b, h0=None):
    """h (T, *S) from the recurrence h_t = a_t h_{t-1} + b_t by a loop over t: T dependent steps.
    h0 None means zeros."""
    a, b, h0 = _check(a, b, h0)
    h = np.empty_like(b)
    prev = h0
    for t in range(len(a)):
        prev = h[t] = a[t] * prev + b[t]
    return h


def scan_parallel(a, b, h0=None):
    """h (T, *S) from the recurrence h_t = a_t h_{t-1} + b_t by the composition rule, in
    2 ceil(log2 T) - 1 rounds (T >= 2).

    h_0 enters as part of the first step: b_1 + a_1 h_0. Then `_pairs_scan` halves the
    problem: combine neighbours, solve the half, fill in the gaps.
    """
    a, b, h0 = _check(a, b, h0)
    if not len(a):
        return b.copy()
    b = b.copy()
    b[0] += a[0] * h0
    return _pairs_scan(a, b)


def _pairs_scan(a, b):
    """Every prefix of the steps (a_t, b_t), applied to h = 0: h_t for t = 1..T.

    Round down: combine steps 2j and 2j+1 (0-based) into one with the composition rule:
    T/2 steps, whose prefixes are h at the odd positions (solved the same way, recursively). Round up:
    each even position is one step after an odd one, h_{2j} = a_{2j} h_{2j-1} + b_{2j}.
    Each level does O(T) work on whole arrays (strided views), so the total is O(T)
    work in 2 ceil(log2 T) - 1 rounds for T >= 2 (Blelloch 1990); on a parallel machine each
    round is one step for all positions.
    """
    T = len(a)
    if T == 1:
        return b.copy()
    odd = slice(1, T, 2)
    even_before = slice(0, T - 1, 2)  # the partner of each odd position
    h = np.empty_like(b)
    h[odd] = _pairs_scan(a[odd] * a[even_before], a[odd] * b[even_before] + b[odd])
    h[0] = b[0]
    h[2::2] = a[2::2] * h[1:T - 1:2] + b[2::2]  # one step after the preceding odd position
    return h


def scan(a, b, h0=None, parallel=True):
    """h (T, *S) with h_t = a_t * h_{t-1} + b_t: `scan_parallel` or, parallel=False, `scan_loop`.

    >>> a, b = np.array([0.5, 2.0, 0.1]), np.array([1.0, -1.0, 3.0])
    >>> scan(a, b, np.array(4.0)).tolist()                  # 0.5*4 + 1, 2*3 - 1, 0.1*5 + 3
    [3.0, 5.0, 3.5]
    >>> bool(np.allclose(scan(a, b, np.array(4.0)), scan(a, b, np.array(4.0), parallel=False)))
    True
    """
    return scan_parallel(a, b, h0) if parallel else scan_loop(a, b, h0)


def scan_backward(dh, a, h, h0=None, dhT=None, parallel=True):
    """Gradients of the recurrence h_t = a_t h_{t-1} + b_t from dh (T, *S) = dL/dh_t at each step
    (direct part only).

    a (T, *S), h (T, *S) the forward's coefficients and result, h0 (*S) or None (zeros);
    dhT (*S): an extra gradient on the last state h_T (e.g. from a later chunk).
    Returns da, db (T, *S) and dh0 (*S), by the reversed recurrence g_t = dh_t + a_{t+1} g_{t+1},
    run by the same scan as the forward.
    """
    a, dh, h0 = _check(a, dh, h0)
    h = check_shape("h", as_float_array("h", h, a.dtype), a.shape)
    if dhT is not None:
        dh = dh.copy()
        dh[-1] += check_shape("dhT", as_float_array("dhT", dhT, a.dtype), a.shape[1:])
    # g_t = dh_t + a_{t+1} g_{t+1}: reversed in time, the coefficient of step t is a_{t+1}
    a_next = np.zeros_like(a)
    a_next[:-1] = a[1:]
    g = scan(a_next[::-1], dh[::-1], parallel=parallel)[::-1]  # (T, *S)
    h_prev = np.concatenate([h0[None], h[:-1]])  # h_{t-1} for every t
    dh0 = a[0] * g[0] if len(a) else np.zeros_like(h0)
    return g * h_prev, g, dh0
