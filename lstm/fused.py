"""Fast kernels for the LSTM layer: the cells without peepholes, written in place.

`lstm.layer.LSTM` runs these when `layer.fused` is True (the default for the cells
they handle: "standard", PyTorch's, and "1997"); set it to False to run the readable
loop over `lstm.variants.variant_cell_forward` instead. The equations are those of
`lstm.cells.cell_forward`, written as a few in-place numpy calls per step on
preallocated (T, N, ...) arrays, because at small sizes the time goes into the number
of Python-level calls, not into arithmetic. tests/test_layers.py checks both paths
against each other; `benchmarks/bench_lstm.py` measures them against torch.nn.LSTM.

Shapes: T steps, N batch, D input, H hidden, G gates (4, or 3 for the 1997 cell).
"""
import numpy as np

from .cells import gate_slices


def fusable(kind):
    """True for the cells these kernels handle: sigmoid gates i, [f], o and a tanh candidate
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
    A = X.reshape(T * N, D) @ (p["weight_ih"].T * scale) + p["bias"] * scale  # (T*N, G*H), all steps
    A = A.reshape(T, N, scale.size)
    tanh_c = np.empty((T, N, H), dtype=dtype)
    recurrent = np.empty((N, scale.size), dtype=dtype)  # buffers reused at every step
    ig = np.empty((N, H), dtype=dtype)
    with np.errstate(over="ignore"):
        for t in range(T):
            a = A[t]  # (N, G*H): becomes the gate activations of step t, in place
            np.matmul(hs[t], W_hh_T, out=recurrent)
            a += recurrent
            np.exp(a, out=a)
            a += 1
            np.reciprocal(a, out=a)  # sigmoid for i, f, o; (1 + tanh) / 2 for g
            g = a[:, s["g"]]
            g *= 2
            g -= 1  # tanh(a_g)
            np.multiply(a[:, s["i"]], g, out=ig)
            if "f" in s:
                np.multiply(a[:, s["f"]], cs[t], out=cs[t + 1])  # c_t = f * c_{t-1} + i * g
                cs[t + 1] += ig
            else:
                np.add(cs[t], ig, out=cs[t + 1])  # 1997: c_t = c_{t-1} + i * g
            np.tanh(cs[t + 1], out=tanh_c[t])
            np.multiply(a[:, s["o"]], tanh_c[t], out=hs[t + 1])
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
    f = gates[..., gate_slices(kind, H)["f"]] if kind.has_forget_gate else None
    DA = np.empty_like(gates)  # (T, N, G*H): local factors, then (in place) the gradients
    DA_gates = DA.reshape(T, N, G, H)  # o is the last gate: i, [f], g take dc, o takes dh
    grad_h = np.empty_like(tanh_c)
    grad_c = np.empty_like(tanh_c)  # holds o (1 - tanh^2 c) until step t overwrites it with dc_t
    dh_next, dc_next = dh_next.copy(), dc_next.copy()  # buffers, overwritten at every step
    chunk = max(1, 2 ** 16 // (N * G * H))  # steps per chunk: about 64k numbers
    for t in reversed(range(T)):
        if t % chunk == chunk - 1 or t == T - 1:
            t0 = t - t % chunk
            _local_factors(DA[t0:t + 1], grad_c[t0:t + 1], cs[t0:t + 1], gates[t0:t + 1], tanh_c[t0:t + 1], kind)
        dh = np.add(dY[t], dh_next, out=grad_h[t])  # from the output at t and from step t+1
        dc = grad_c[t]
        dc *= dh  # through h = o * tanh(c) ...
        dc += dc_next  # ... plus what flows back along the carousel
        DA_gates[t, :, :G - 1] *= dc[:, None, :]
        DA_gates[t, :, G - 1] *= dh
        if f is not None:
            np.multiply(dc, f[t], out=dc_next)  # the carousel, scaled by f
        else:
            dc_next[...] = dc  # 1997: f = 1
        if not cec_only:  # through the recurrent weights, unless truncated as in the 1997 paper
            np.matmul(DA[t], weight_hh, out=dh_next)
        elif t == T - 1:
            dh_next[...] = 0
    return DA, grad_h, grad_c, dh_next, dc_next


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
