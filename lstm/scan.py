"""The linear recurrence h_t = a_t * h_{t-1} + b_t, by a loop and by a parallel scan.

    h_t = a_t * h_{t-1} + b_t        t = 1..T, element-wise, h_0 given      (1)

An LSTM's cell state is of this form, c_t = f_t * c_{t-1} + i_t * g_t, with a_t = f_t
and b_t = i_t * g_t, but a_t and b_t read h_{t-1}, so step t must wait for step t-1.
When they read only x_t (minLSTM, minGRU, mLSTM, Mamba's selective SSM), every a_t
and b_t is known before the recurrence starts, and (1) is a prefix computation with
the associative operator on pairs (Blelloch 1990):

    (a2, b2) o (a1, b1) = (a2 * a1, a2 * b1 + b2)                                (2)

"first apply step 1, then step 2". `scan_parallel` combines neighbours at distance
1, 2, 4, ...: after round r every position holds the composition of the last 2^r
steps up to it, so ceil(log2 T) rounds of whole-array operations suffice (Hillis &
Steele 1986; O(T log T) work; Blelloch's up- and down-sweep do it in O(T) work and
2 log2 T rounds). On a parallel machine each round is one step; in numpy each round
is a few vectorised calls instead of T Python-level iterations.

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
    """h (T, *S) from (1) by a loop over t: T dependent steps. h0 None means zeros."""
    a, b, h0 = _check(a, b, h0)
    h = np.empty_like(b)
    prev = h0
    for t in range(len(a)):
        prev = h[t] = a[t] * prev + b[t]
    return h


def scan_parallel(a, b, h0=None):
    """h (T, *S) from (1) by ceil(log2 T) rounds of the combination (2).

    h_0 enters as part of the first step: b_1 + a_1 h_0. After the round with
    distance d, A[t] and B[t] describe the composition of steps max(1, t-2d+2)..t+1, so
    h_{t+1} = B[t] once d >= T.
    """
    a, b, h0 = _check(a, b, h0)
    A, B = a.copy(), b.copy()
    if len(B):
        B[0] += a[0] * h0
    d = 1
    while d < len(A):
        # (A[t], B[t]) o (A[t-d], B[t-d]); the right-hand sides are evaluated in full
        # before the assignment, so every position reads the previous round's values
        B[d:] = A[d:] * B[:-d] + B[d:]
        A[d:] = A[d:] * A[:-d]
        d *= 2
    return B


def scan(a, b, h0=None, parallel=True):
    """h (T, *S) with h_t = a_t * h_{t-1} + b_t: `scan_parallel` or, parallel=False, `scan_loop`."""
    return scan_parallel(a, b, h0) if parallel else scan_loop(a, b, h0)


def scan_backward(dh, a, h, h0=None, dhT=None, parallel=True):
    """Gradients of (1) from dh (T, *S) = dL/dh_t at each step (direct part only).

    a (T, *S), h (T, *S) the forward's coefficients and result, h0 (*S) or None (zeros);
    dhT (*S): an extra gradient on the last state h_T (e.g. from a later chunk).
    Returns da, db (T, *S) and dh0 (*S), by the reversed recurrence (3), run by the
    same scan as the forward.
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
