"""The fast LSTM kernel: the cells without peepholes, written in place.

The package has three places for the LSTM step, each with one role:

    lstm.cells.cell_forward            the reference step the chapters show and explain
    lstm.variants.variant_cell_forward the family's general step (every cell of lstm.cells),
                                       the readable loop of lstm.lstm_layer.LSTM
    lstm.fused.forward / backward      this module: the same equations for a whole sequence,
                                       written for speed, for the cells most runs use

`lstm.lstm_layer.LSTM` runs this kernel when `layer.fused` is True (the default for the cells
it handles: "standard", PyTorch's, and "1997"); set it to False to run the readable loop
instead. Lockstep training (`lstm.experiments.lockstep`) runs K nets, each with its own
weights, through the same two functions: `side_by_side` lays K nets out as one net K
times as wide whose weights are block-diagonal (seed k's units see only seed k's inputs
and units), so a step of all K nets is one step of this kernel, and `diagonal_blocks`
takes each net's gradients back out.

Why the fast kernel is a special case of the general cell and not the same function: it
computes every gate of a step with one exp, one add and one reciprocal over the whole
(N, G*H) block, which needs every gate to be a sigmoid (or, for g, a tanh) of its
pre-activation alone. A peephole adds c_{t-1} to a_i and a_f and c_t to a_o (so o cannot
be computed until c is), cifg derives f from i, niaf and noaf drop an activation, fgr
feeds the gates back: each would be a branch inside the loop. The general cell keeps
those readable, and the tests check this kernel against it (tests/test_layers.py).

At small sizes the time goes into the number of Python-level numpy calls, not into
arithmetic, so the loops below make as few calls as they can: every buffer is
preallocated, the per-step views are made once before the loop, the input projection
of all steps is one matrix product, constants are numpy scalars (a Python number costs
a conversion at every call), and the 2-D products use np.dot, which skips the ufunc
machinery of np.matmul (the same BLAS call, the same numbers).
`benchmarks/bench_lstm.py` measures the kernel against torch.nn.LSTM.

Shapes: T steps, N batch, D input, H hidden, G gates (4, or 3 for the 1997 cell);
K nets side by side (lockstep).
"""
import numpy as np

from .cells import gate_slices


def fusable(kind):
    """True for the cells this kernel handles: sigmoid gates i, [f], o and a tanh candidate
    g, no peepholes, with o the last gate (so i, [f], g share one block of the pre-activations)."""
    return (not kind.peephole and not kind.coupled and not kind.gate_recurrence and kind.gates[-1] == "o"
            and kind.input_activation == "tanh" and kind.output_activation == "tanh")


def forward(X, hs, cs, params, kind):
    """The forward loop, in place. Fills hs[1:], cs[1:] (each (T+1, N, H), hs[0], cs[0]
    holding the initial state) and returns gates (T, N, G*H), the gate activations in
    the order of kind.gates, and tanh_c (T, N, H), tanh(c_t).

    All gates of a step come from one exp, one add and one reciprocal over the whole
    (N, G*H) block: the rows of W_ih, W_hh and b are scaled by -1 for the sigmoid
    gates and by -2 for g (exact: powers of two), so that 1 / (1 + e^a') is
    sigmoid(a) for i, f, o and sigmoid(2 a_g) = (1 + tanh(a_g)) / 2 for g. This is
    the textbook sigmoid (as in PyTorch), and exp is several times cheaper than tanh
    in float64. An overflow of e^a' gives 1 / inf = 0, the right limit.
    """
    T, N, D = X.shape
    H, dtype, p = hs.shape[-1], hs.dtype, params
    s = gate_slices(kind, H)
    scale = np.full(p["bias"].shape, -1.0, dtype=dtype)
    scale[s["g"]] = -2.0
    W_hh_T = np.multiply(p["weight_hh"].T, scale, out=np.empty((H, scale.size), dtype=dtype))
    A = X.reshape(T * N, D) @ (p["weight_ih"].T * scale)  # (T*N, G*H): the input part of every step at once
    A += p["bias"] * scale
    A = A.reshape(T, N, scale.size)  # becomes the gate activations, step by step, in place
    tanh_c = np.empty((T, N, H), dtype=dtype)
    recurrent = np.empty((N, scale.size), dtype=dtype)  # buffers reused at every step
    ig = np.empty((N, H), dtype=dtype)
    one, two = dtype.type(1), dtype.type(2)
    # One view per step of every array the loop touches, made before it (cheaper in bulk).
    I, G_, O = (list(A[..., s[x]]) for x in ("i", "g", "o"))  # (N, H) each
    F = list(A[..., s["f"]]) if "f" in s else [None] * T
    steps = zip(A, I, F, G_, O, hs[:-1], hs[1:], cs[:-1], cs[1:], tanh_c)
    # The calls below pass `out` by position (np.add(x, y, out) is np.add(x, y, out=out)):
    # at a few numbers per array, parsing a keyword is a noticeable part of a call.
    dot, add, multiply, subtract, exp, reciprocal, tanh = (np.dot, np.add, np.multiply, np.subtract, np.exp,
                                                           np.reciprocal, np.tanh)
    with np.errstate(over="ignore"):
        for a, i, f, g, o, h_prev, h, c_prev, c, tc in steps:
            dot(h_prev, W_hh_T, recurrent)
            add(a, recurrent, a)
            exp(a, a)
            add(a, one, a)
            reciprocal(a, a)  # sigmoid for i, f, o; (1 + tanh) / 2 for g
            multiply(g, two, g)
            subtract(g, one, g)  # tanh(a_g)
            multiply(i, g, ig)
            if f is not None:
                multiply(f, c_prev, c)  # c_t = f * c_{t-1} + i * g
                add(c, ig, c)
            else:
                add(c_prev, ig, c)  # 1997: c_t = c_{t-1} + i * g
            tanh(c, tc)
            multiply(o, tc, h)
    return A, tanh_c


def backward(dY, dh_next, dc_next, cs, gates, tanh_c, kind, weight_hh, cec_only):
    """The backward loop of `forward`, in place.

    dY: (T, N, H); dh_next, dc_next: (N, H), the gradient w.r.t. the final state;
    cs, gates, tanh_c: what `forward` filled and returned. cec_only: drop the path
    through W_hh (the 1997 paper's truncated gradient).
    Returns DA (T, N, G*H), the gradient w.r.t. every pre-activation, grad_h and grad_c
    (T, N, H), the total gradients w.r.t. every h_t and c_t, and dh0, dc0 (N, H).

    The error of each gate pre-activation is a local factor, which does not depend
    on the error flowing back, times dc_t (for i, f, g) or dh_t (for o):

        da_i = dc * [g i (1 - i)]      da_f = dc * [c_{t-1} f (1 - f)]
        da_g = dc * [i (1 - g^2)]      da_o = dh * [tanh(c) o (1 - o)]
        dc_t = dc_{t+1 -> t} + dh * [o (1 - tanh^2 c)]

    `_local_factors` fills the brackets for a chunk of steps at once (few numpy calls,
    on data small enough to stay in the CPU cache); then each step of the loop is seven
    numpy calls.
    """
    T, N, H = tanh_c.shape
    G = len(kind.gates)
    DA = np.empty_like(gates)  # (T, N, G*H): local factors, then (in place) the gradients
    DA_gates = DA.reshape(T, N, G, H)  # o is the last gate: i, [f], g take dc, o takes dh
    grad_h = np.empty_like(tanh_c)
    grad_c = np.empty_like(tanh_c)  # holds o (1 - tanh^2 c) until step t overwrites it with dc_t
    dh_next, dc_next = dh_next.copy(), dc_next.copy()  # buffers, overwritten at every step
    F = gates[..., gate_slices(kind, H)["f"]] if kind.has_forget_gate else [None] * T
    if cec_only and T:
        return _backward_cec_only(dY, dh_next, dc_next, cs, gates, tanh_c, kind, DA, grad_h, grad_c, F)
    chunk = max(1, 2 ** 16 // max(N * G * H, 1))  # steps per chunk: about 64k numbers
    # One view per step of every array the loop touches, made before it, last step first.
    steps = zip(range(T - 1, -1, -1), dY[::-1], DA[::-1], DA_gates[::-1, :, :G - 1], DA_gates[::-1, :, G - 1],
                grad_h[::-1], grad_c[::-1], grad_c[::-1, :, None, :], F[::-1])
    add, multiply, dot = np.add, np.multiply, np.dot  # `out` passed by position, as in `forward`
    for t, dy, da, da_cell, da_o, dh, dc, dc_gates, f in steps:
        if t % chunk == chunk - 1 or t == T - 1:
            t0 = t - t % chunk
            _local_factors(DA[t0:t + 1], grad_c[t0:t + 1], cs[t0:t + 1], gates[t0:t + 1], tanh_c[t0:t + 1], kind)
        add(dy, dh_next, dh)  # from the output at t and from step t+1
        multiply(dc, dh, dc)  # through h = o * tanh(c) ...
        add(dc, dc_next, dc)  # ... plus what flows back along the carousel
        multiply(da_cell, dc_gates, da_cell)  # i, [f], g: dc_t times their local factors
        multiply(da_o, dh, da_o)  # o: dh_t times its local factor
        if f is not None:
            multiply(dc, f, dc_next)  # the carousel, scaled by f
        else:
            dc_next = dc  # 1997: f = 1, so c_{t-1} receives dc_t unchanged
        dot(da, weight_hh, dh_next)  # through the recurrent weights
    return DA, grad_h, grad_c, dh_next, dc_next.copy()


def weight_grads(DA, X, H_prev):
    """The gradients of W_ih, W_hh and b summed over every step: `lstm.recurrent.weight_grads`
    for the LSTM, with both weight matrices from one matrix product.

    DA: (T, N, G*H), X: (T, N, D), H_prev: (T, N, H), the h_{t-1} of every step.
    Returns {"weight_ih": (G*H, D), "weight_hh": (G*H, H), "bias": (G*H,)}.

    Why one product: dW_ih = DA^T X and dW_hh = DA^T H_prev read DA, the largest array,
    twice; [dW_ih | dW_hh] = DA^T [X | H_prev] reads it once, and one large product keeps
    the BLAS kernel busier than two narrower ones (10-20% less time at N >= 32 here).
    Each entry is the same sum over the same T*N rows, so the numbers are those of the
    two products (the tests compare them bit for bit).
    """
    T, N, D = X.shape
    GH = DA.shape[-1]
    XH = np.empty((T * N, D + H_prev.shape[-1]), dtype=DA.dtype)  # [x_t | h_{t-1}], one row per step and sequence
    XH[:, :D] = X.reshape(T * N, D)
    XH[:, D:] = H_prev.reshape(T * N, H_prev.shape[-1])
    DA_x = DA.reshape(T * N, GH)
    W = DA_x.T @ XH  # (G*H, D+H)
    return {"weight_ih": W[:, :D], "weight_hh": W[:, D:], "bias": DA_x.sum(axis=0)}


def _backward_cec_only(dY, dhT, dcT, cs, gates, tanh_c, kind, DA, grad_h, grad_c, F):
    """`backward` for the 1997 paper's truncated gradient, which drops the path through
    W_hh: then dh_t is known at every step before the loop (dY_t, plus dh_T at the last
    step), and only the carousel's dc_t = dh_t [o (1 - tanh^2 c)] + f_{t+1} dc_{t+1} is
    left to run backwards in time: a running sum for the 1997 cell (f = 1), two numpy
    calls a step with a forget gate. The numbers are those of the loop of `backward`."""
    T = len(dY)
    G = len(kind.gates)
    DA_gates = DA.reshape(*DA.shape[:2], G, -1)
    grad_h[...] = dY
    np.add(dY[T - 1], dhT, out=grad_h[T - 1])
    _local_factors(DA, grad_c, cs[:-1], gates, tanh_c, kind)  # cs[:-1]: c_{t-1} of every step
    grad_c *= grad_h  # the part of dc_t that comes through h_t
    grad_c[T - 1] += dcT
    if F[0] is None:  # 1997: dc_t = ... + dc_{t+1}, a running sum from the last step back
        np.cumsum(grad_c[::-1], axis=0, out=grad_c[::-1])
        dc0 = grad_c[0].copy()
    else:
        dc_next = np.empty_like(dcT)
        for dc, dc_prev_part, f in zip(grad_c[::-1], grad_c[-2::-1], F[:0:-1]):  # t = T-1 .. 1
            np.multiply(dc, f, out=dc_next)
            np.add(dc_prev_part, dc_next, out=dc_prev_part)
        dc0 = grad_c[0] * F[0]
    DA_gates[:, :, :G - 1] *= grad_c[:, :, None, :]
    DA_gates[:, :, G - 1] *= grad_h
    return DA, grad_h, grad_c, np.zeros_like(dhT), dc0


def _local_factors(DA, dc_dh, c_prev, gates, tanh_c, kind):
    """Fill DA and dc_dh (a chunk of steps) with the bracketed factors of `backward`;
    c_prev holds c_{t-1} for the same steps."""
    s = gate_slices(kind, tanh_c.shape[-1])
    np.subtract(1, gates, out=DA)
    DA *= gates  # sigmoid'(a) = s (1 - s) for i, f, o; g is redone below
    i, g, o = gates[..., s["i"]], gates[..., s["g"]], gates[..., s["o"]]
    DA[..., s["i"]] *= g
    if "f" in s:
        DA[..., s["f"]] *= c_prev
    da_g = DA[..., s["g"]]
    np.multiply(g, g, out=da_g)
    np.subtract(1, da_g, out=da_g)  # tanh'(a) = 1 - g^2
    da_g *= i
    DA[..., s["o"]] *= tanh_c
    np.multiply(tanh_c, tanh_c, out=dc_dh)
    np.subtract(1, dc_dh, out=dc_dh)
    dc_dh *= o


# K nets side by side: lockstep training --------------------------------------------

def side_by_side(params, kind):
    """K nets' weights as the weights of one net K times as wide.

    params: weight_ih (K, G*H, D), weight_hh (K, G*H, H), bias (K, G*H), net k's
    weights at index k. Returns the wide net's weight_ih (G*K*H, K*D), weight_hh
    (G*K*H, K*H) and bias (G*K*H,): gate-major like any layer's (all K*H rows of i,
    then of f, ...), and block-diagonal, so wide unit k*H + j is unit j of net k and
    sees only net k's inputs X[..., k*D:(k+1)*D] and units. Run over inputs laid out
    the same way, (T, N, K*D), `forward` and `backward` compute the K nets at once:
    the zeros add nothing (x + 0 = x exactly), so each net's numbers are its own, up
    to the order in which the matrix products sum their terms.
    """
    K, GH, D = params["weight_ih"].shape
    G = len(kind.gates)
    H = GH // G
    seeds = np.arange(K)
    wide = {"bias": np.ascontiguousarray(params["bias"].reshape(K, G, H).transpose(1, 0, 2)).reshape(G * K * H)}
    for name, width in (("weight_ih", D), ("weight_hh", H)):
        W = np.zeros((G, K, H, K, width), dtype=params[name].dtype)
        W[:, seeds, :, seeds, :] = params[name].reshape(K, G, H, width)  # block k of every gate
        wide[name] = W.reshape(G * K * H, K * width)
    return wide


def diagonal_blocks(wide, K, kind):
    """Each net's part of the wide net's arrays (the inverse of `side_by_side`): for
    weight_ih, weight_hh and bias of the wide shapes (gradients, say), the arrays
    (K, G*H, D), (K, G*H, H), (K, G*H). The off-diagonal blocks (weights between nets,
    which `side_by_side` keeps at 0) are dropped."""
    G = len(kind.gates)
    H = wide["bias"].size // (G * K)
    seeds = np.arange(K)
    out = {"bias": np.ascontiguousarray(wide["bias"].reshape(G, K, H).transpose(1, 0, 2)).reshape(K, G * H)}
    for name in ("weight_ih", "weight_hh"):
        width = wide[name].shape[1] // K
        blocks = wide[name].reshape(G, K, H, K, width)[:, seeds, :, seeds, :]  # (K, G, H, width)
        out[name] = blocks.reshape(K, G * H, width)
    return out
