"""xLSTM's two cells (Beck et al. 2024): sLSTM and mLSTM, with hand-written backward passes.

Notation (shapes): T time, N batch, D input, H hidden (sLSTM), d head size (mLSTM).

sLSTM: the LSTM with an exponential input gate and a normaliser state.
    a_t = W x_t + R h_{t-1} + b, rows i, f, z, o                        (N, 4H)
    i_t = exp(a_i),  f_t = sigmoid(a_f),  z_t = tanh(a_z),  o_t = sigmoid(a_o)
    c_t = f_t c_{t-1} + i_t z_t          the cell state, as in 2000's LSTM
    n_t = f_t n_{t-1} + i_t              the normaliser: the same recurrence on 1
    h_t = o_t * c_t / n_t
c_t / n_t is a weighted average of the z's written so far, the weights i_t times the
forget products since; an exponential input gate can give a new write a weight that
outweighs everything stored, which revises a stored decision in one step.
exp overflows, so a stabiliser state m_t rescales c and n together:
    m_t = max(log f_t + m_{t-1}, a_i)
    i'_t = exp(a_i - m_t),  f'_t = exp(log f_t + m_{t-1} - m_t)     (both <= 1)
and the cell runs on c'_t = c_t e^{-m_t}, n'_t = n_t e^{-m_t}. h_t = o c' / n' does not
depend on m at all (for any sequence m_t, c'/n' = c/n): inside the sequence the terms of
the backward pass that run through m cancel. The state a forward call starts from and
ends with is (h, c', n', m), and there they do not cancel (a loss may read c'_T or m_T
directly), so the backward pass differentiates m as well; the tests check it by finite
differences.

mLSTM: a matrix memory, written with an outer product and read with a query.
    q_t = W_q x_t + b_q,  k_t = (W_k x_t + b_k) / sqrt(d),  v_t = W_v x_t + b_v     (N, d)
    i_t = exp(w_i . x_t + b_i),  f_t = sigmoid(w_f . x_t + b_f)   (scalars per sequence)
    o_t = sigmoid(W_o x_t + b_o)
    C_t = f_t C_{t-1} + i_t v_t k_t^T      (N, d, d)
    n_t = f_t n_{t-1} + i_t k_t            (N, d)
    h_t = o_t * C_t q_t / max(|n_t . q_t|, 1)          state (C, n, m)
With keys of size d, C holds up to d nearly independent (key, value) pairs: reading
with q = k_j returns v_j plus cross-talk sum_p v_p (k_p . k_j), small when keys are
nearly orthogonal. The same stabiliser as in the sLSTM applies (the 1 becomes e^{-m_t}).
No gate reads h_{t-1}, so the mLSTM parallelises like `lstm.scan`; here it runs as a
loop, which is clearest. The paper's multi-head, block-diagonal and normalisation
layers are left out: one head, one cell.
"""
import math
from typing import NamedTuple

import numpy as np

from .activations import log_sigmoid, sigmoid, tanh
from .recurrent import RecurrentLayer, weight_grads


class SLSTMCache(NamedTuple):
    X: np.ndarray  # (T, N, D)
    hs: np.ndarray  # (T+1, N, H): h_0, h_1 .. h_T
    cs: np.ndarray  # (T+1, N, H): stabilised c'_t
    ns: np.ndarray  # (T+1, N, H): stabilised n'_t
    ms: np.ndarray  # (T+1, N, H): the stabiliser m_t
    i: np.ndarray  # (T, N, H): i'_t (stabilised input gate)
    f: np.ndarray  # (T, N, H): f'_t (stabilised forget gate)
    sig_f: np.ndarray  # (T, N, H): sigmoid(a_f), for d log f / d a_f = 1 - sigmoid(a_f)
    z: np.ndarray  # (T, N, H)
    o: np.ndarray  # (T, N, H)
    keep: np.ndarray  # (T, N, H) bool: m_{t+1} = log f_t + m_t (else a_i)


def _through_max(dm, g_f, g_i, keep):
    """Split dm, the gradient w.r.t. m_{t+1} = max(log f_t + m_t, a_i), between its two
    arguments, adding the direct gradients g_f (w.r.t. log f_t + m_t - m_{t+1}, through
    f') and g_i (w.r.t. a_i - m_{t+1}, through i'). Returns (d(log f_t + m_t), d a_i)."""
    dm = dm - g_f - g_i  # i' and f' both divide by e^{m_{t+1}}
    return g_f + dm * keep, g_i + dm * ~keep


class SLSTM(RecurrentLayer):
    """The sLSTM cell over a sequence.

    SLSTM(input_size=D, hidden_size=H, rng=np.random.default_rng(0), dtype=np.float64, init_range=None)
    params: weight_ih (4H, D), weight_hh (4H, H), bias (4H,), rows i, f, z, o.
    forward(X (T, N, D), state=(h, c', n', m)) -> Y (T, N, H), (hT, cT, nT, mT)
    backward(dY, dstate) -> dX, (dh0, dc0, dn0, dm0); fills .grads and .grad_h, .grad_c, .grad_n, .grad_m.
    The state starts at zeros (None). After forward, `m` (T, N, H) holds the stabiliser.
    """

    gate_names = ("i", "f", "z", "o")
    state_layout = {"h": ("N", "H"), "c": ("N", "H"), "n": ("N", "H"), "m": ("N", "H")}

    def __init__(self, input_size, hidden_size, rng=None, dtype=np.float64, *, init_range=None):
        super().__init__(input_size, hidden_size, dtype)
        D, H = self.input_size, self.hidden_size
        self._init_params({"weight_ih": (4 * H, D), "weight_hh": (4 * H, H), "bias": (4 * H,)}, rng, init_range)

    def random_state(self, batch_size, rng):
        """As for any layer, but with the normaliser n' > 0, as every sequence makes it."""
        h, c, n, m = super().random_state(batch_size, rng)
        return h, c, (0.5 + np.abs(n)).astype(self.dtype), m

    def forward(self, X, state=None):
        X = self._check_input(X)
        T, N, _ = X.shape
        H, p, rows = self.hidden_size, self.params, self.gate_rows
        hs, cs, ns, ms = (np.empty((T + 1, N, H), dtype=self.dtype) for _ in range(4))
        hs[0], cs[0], ns[0], ms[0] = self._check_state("state", state, N)
        I, F, SF, Z, O = (np.empty((T, N, H), dtype=self.dtype) for _ in range(5))
        keep = np.empty((T, N, H), dtype=bool)
        A_x = self._input_part(X)  # (T, N, 4H): x_t W_ih^T + b for every step, before the loop
        for t in range(T):
            a = A_x[t] + hs[t] @ p["weight_hh"].T
            a_i, a_f, a_z, a_o = (a[:, rows[g]] for g in self.gate_names)
            log_f = log_sigmoid(a_f)
            keep[t] = log_f + ms[t] >= a_i
            ms[t + 1] = np.maximum(log_f + ms[t], a_i)
            I[t] = np.exp(a_i - ms[t + 1])  # i' <= 1
            F[t] = np.exp(log_f + ms[t] - ms[t + 1])  # f' <= 1
            SF[t], Z[t], O[t] = sigmoid(a_f), tanh(a_z), sigmoid(a_o)
            cs[t + 1] = F[t] * cs[t] + I[t] * Z[t]
            ns[t + 1] = F[t] * ns[t] + I[t]
            hs[t + 1] = O[t] * cs[t + 1] / ns[t + 1]
        self._cache = SLSTMCache(X, hs, cs, ns, ms, I, F, SF, Z, O, keep)
        self.m = ms[1:]
        return hs[1:], tuple(a[T].copy() for a in (hs, cs, ns, ms))

    def backward(self, dY, dstate=None):
        """BPTT for the last forward call (see the module docstring for m)."""
        dY = self._check_dY(dY)
        X, hs, cs, ns, ms, I, F, SF, Z, O, keep = self._cache
        T, N, _ = X.shape
        p, rows = self.params, self.gate_rows
        dh_next, dc_next, dn_next, dm_next = self._check_state("dstate", dstate, N)
        DA = np.empty((T, N, p["bias"].size), dtype=self.dtype)
        grad = {name: np.empty((T,) + dh_next.shape, dtype=self.dtype) for name in self.state_names}
        for t in reversed(range(T)):
            dh = dY[t] + dh_next
            c, n = cs[t + 1], ns[t + 1]
            dc = dh * O[t] / n + dc_next
            dn = -dh * O[t] * c / n ** 2 + dn_next
            g_f = (dc * cs[t] + dn * ns[t]) * F[t]  # f' scales c'_{t-1} and n'_{t-1}
            g_i = (dc * Z[t] + dn) * I[t]  # i' scales z in c and 1 in n; i' = exp(a_i - m)
            du, da_i = _through_max(dm_next, g_f, g_i, keep[t])
            grad["h"][t], grad["c"][t], grad["n"][t], grad["m"][t] = dh, dc, dn, dm_next
            DA[t, :, rows["i"]] = da_i
            DA[t, :, rows["f"]] = du * (1 - SF[t])  # d log sigmoid(a_f) / d a_f
            DA[t, :, rows["z"]] = dc * I[t] * (1 - Z[t] ** 2)  # through tanh
            DA[t, :, rows["o"]] = dh * c / n * O[t] * (1 - O[t])  # through h = o c / n, then sigmoid
            dc_next, dn_next, dm_next = dc * F[t], dn * F[t], du  # along c, n and m
            dh_next = DA[t] @ p["weight_hh"]  # through the recurrent weights
        self.grads = weight_grads(DA, X, hs[:-1])  # hs[:-1]: h_{t-1} for every t
        self._keep_state_grads(grad)
        return DA @ p["weight_ih"], (dh_next, dc_next, dn_next, dm_next)


class MLSTMStates(NamedTuple):
    """What `mlstm_forward` returns (stabilised states)."""
    h: np.ndarray  # (T, N, d) outputs
    C: np.ndarray  # (T+1, N, d, d) memory C'_0 .. C'_T
    n: np.ndarray  # (T+1, N, d) normaliser
    m: np.ndarray  # (T+1, N) stabiliser
    i: np.ndarray  # (T, N) i'_t
    f: np.ndarray  # (T, N) f'_t
    sig_f: np.ndarray  # (T, N) sigmoid(f_pre)
    h_tilde: np.ndarray  # (T, N, d) C q / max(|n.q|, e^-m), before the output gate
    den: np.ndarray  # (T, N) max(|n.q|, e^-m)
    keep: np.ndarray  # (T, N) bool: m_{t+1} = log f_t + m_t (else i_pre)


def mlstm_forward(q, k, v, i_pre, f_pre, o, state=None):
    """The mLSTM recurrence from state (C'_0 (N, d, d), n'_0 (N, d), m_0 (N,)); None: zeros.

    q, k, v, o (T, N, d) (o: the output gate's values, in (0, 1)); i_pre, f_pre (T, N)
    the input and forget gates' pre-activations. Returns MLSTMStates, in q's dtype.
    """
    T, N, d = q.shape
    dtype = q.dtype
    C = np.zeros((T + 1, N, d, d), dtype=dtype)
    n = np.zeros((T + 1, N, d), dtype=dtype)
    m = np.zeros((T + 1, N), dtype=dtype)
    if state is not None:
        C[0], n[0], m[0] = state
    I, F, den = (np.empty((T, N), dtype=dtype) for _ in range(3))
    h_tilde = np.empty((T, N, d), dtype=dtype)
    log_f = log_sigmoid(f_pre)
    keep = np.empty((T, N), dtype=bool)
    for t in range(T):
        keep[t] = log_f[t] + m[t] >= i_pre[t]
        m[t + 1] = np.maximum(log_f[t] + m[t], i_pre[t])
        I[t] = np.exp(i_pre[t] - m[t + 1])
        F[t] = np.exp(log_f[t] + m[t] - m[t + 1])
        C[t + 1] = F[t][:, None, None] * C[t] + I[t][:, None, None] * v[t][:, :, None] * k[t][:, None, :]
        n[t + 1] = F[t][:, None] * n[t] + I[t][:, None] * k[t]
        den[t] = np.maximum(np.abs(np.einsum("nd,nd->n", n[t + 1], q[t])), np.exp(-m[t + 1]))
        h_tilde[t] = np.einsum("nij,nj->ni", C[t + 1], q[t]) / den[t][:, None]
    return MLSTMStates(o * h_tilde, C, n, m, I, F, sigmoid(f_pre), h_tilde, den, keep)


class MLSTMGrads(NamedTuple):
    """What `mlstm_backward` returns."""
    q: np.ndarray  # (T, N, d)
    k: np.ndarray  # (T, N, d)
    v: np.ndarray  # (T, N, d)
    i_pre: np.ndarray  # (T, N)
    f_pre: np.ndarray  # (T, N)
    o: np.ndarray  # (T, N, d)
    state0: tuple  # (dC'_0, dn'_0, dm_0)
    states: dict  # "C", "n", "m" -> the total gradient w.r.t. each state at t = 1..T


def mlstm_backward(dh, q, k, v, o, s, dstate=None):
    """Gradients of `mlstm_forward` from dh (T, N, d) and dstate = (dC'_T, dn'_T, dm_T)
    (None: zeros); s: the MLSTMStates of the forward. Returns MLSTMGrads."""
    T, N, d = q.shape
    dq, dk, dv, do = (np.empty_like(q) for _ in range(4))
    di_pre, df_pre = np.empty((T, N), dtype=q.dtype), np.empty((T, N), dtype=q.dtype)
    grad = {"C": np.empty_like(s.C[1:]), "n": np.empty_like(s.n[1:]), "m": np.empty_like(s.m[1:])}
    if dstate is None:
        dC_next, dn_next, dm_next = np.zeros_like(s.C[0]), np.zeros_like(s.n[0]), np.zeros_like(s.m[0])
    else:
        dC_next, dn_next, dm_next = dstate
    for t in reversed(range(T)):
        C, n, den, e_m = s.C[t + 1], s.n[t + 1], s.den[t], np.exp(-s.m[t + 1])
        do[t] = dh[t] * s.h_tilde[t]
        dht = dh[t] * o[t]  # into h~ = C q / den
        dCq = dht / den[:, None]
        dden = -np.einsum("ni,ni->n", dht, s.h_tilde[t]) / den
        dC = dC_next + dCq[:, :, None] * q[t][:, None, :]
        dq[t] = np.einsum("nij,ni->nj", C, dCq)
        nq = np.einsum("nd,nd->n", n, q[t])
        big = np.abs(nq) > e_m  # den = |n.q|, else den = e^{-m}
        ds = dden * np.sign(nq) * big
        dn = dn_next + ds[:, None] * q[t]
        dq[t] += ds[:, None] * n
        dm = dm_next - dden * e_m * ~big
        dCk = np.einsum("nij,nj->ni", dC, k[t])  # dC k
        g_f = (np.einsum("nij,nij->n", dC, s.C[t]) + np.einsum("nd,nd->n", dn, s.n[t])) * s.f[t]
        g_i = (np.einsum("ni,ni->n", dCk, v[t]) + np.einsum("nd,nd->n", dn, k[t])) * s.i[t]  # (v^T dC k + dn.k) i'
        grad["C"][t], grad["n"][t], grad["m"][t] = dC, dn, dm
        du, di_pre[t] = _through_max(dm, g_f, g_i, s.keep[t])
        df_pre[t] = du * (1 - s.sig_f[t])  # d log sigmoid(f_pre) / d f_pre
        dv[t] = s.i[t][:, None] * dCk
        dk[t] = s.i[t][:, None] * (np.einsum("nij,ni->nj", dC, v[t]) + dn)
        dC_next, dn_next, dm_next = s.f[t][:, None, None] * dC, s.f[t][:, None] * dn, du
    return MLSTMGrads(dq, dk, dv, di_pre, df_pre, do, (dC_next, dn_next, dm_next), grad)


class MLSTMCache(NamedTuple):
    X: np.ndarray  # (T, N, D)
    q: np.ndarray
    k: np.ndarray
    v: np.ndarray
    o: np.ndarray
    states: MLSTMStates


class MLSTM(RecurrentLayer):
    """One mLSTM head over a sequence, with its input projections.

    MLSTM(input_size=D, hidden_size=d, rng=np.random.default_rng(0), dtype=np.float64, init_range=None)
    params: weight_ih (4d + 2, D), bias (4d + 2,), rows q, k, v, o (d each), then i and f
    (one each: the scalar input and forget gates).
    forward(X (T, N, D), state=(C', n', m)) -> Y (T, N, d), (C'_T (N, d, d), n'_T (N, d), m_T (N,))
    backward(dY, dstate) -> dX, (dC'_0, dn'_0, dm_0); fills .grads and .grad_C, .grad_n, .grad_m.
    """

    gate_names = ("q", "k", "v", "o", "i", "f")
    state_layout = {"C": ("N", "H", "H"), "n": ("N", "H"), "m": ("N",)}

    def __init__(self, input_size, hidden_size, rng=None, dtype=np.float64, *, init_range=None):
        super().__init__(input_size, hidden_size, dtype)
        G, D = 4 * self.hidden_size + 2, self.input_size
        self._init_params({"weight_ih": (G, D), "bias": (G,)}, rng, init_range)

    @property
    def gate_rows(self):
        """q, k, v, o: d rows each; i, f: one row each (scalar gates)."""
        d = self.hidden_size
        return {"q": slice(0, d), "k": slice(d, 2 * d), "v": slice(2 * d, 3 * d), "o": slice(3 * d, 4 * d),
                "i": slice(4 * d, 4 * d + 1), "f": slice(4 * d + 1, 4 * d + 2)}

    def forward(self, X, state=None):
        X = self._check_input(X)
        state = self._check_state("state", state, X.shape[1])
        A, r = self._input_part(X), self.gate_rows  # (T, N, 4d + 2)
        q, k, v = A[..., r["q"]], A[..., r["k"]] / math.sqrt(self.hidden_size), A[..., r["v"]]
        o = sigmoid(A[..., r["o"]])
        s = mlstm_forward(q, k, v, A[..., r["i"]][..., 0], A[..., r["f"]][..., 0], o, state)
        self._cache = MLSTMCache(X, q, k, v, o, s)
        return s.h, (s.C[-1].copy(), s.n[-1].copy(), s.m[-1].copy())

    def backward(self, dY, dstate=None):
        dY = self._check_dY(dY)
        X, q, k, v, o, s = self._cache
        g = mlstm_backward(dY, q, k, v, o, s, self._check_state("dstate", dstate, dY.shape[1]))
        r = self.gate_rows
        DA = np.empty(X.shape[:2] + (self.params["bias"].size,), dtype=self.dtype)
        DA[..., r["q"]], DA[..., r["k"]], DA[..., r["v"]] = g.q, g.k / math.sqrt(self.hidden_size), g.v
        DA[..., r["o"]] = g.o * o * (1 - o)
        DA[..., r["i"]], DA[..., r["f"]] = g.i_pre[..., None], g.f_pre[..., None]
        self.grads = weight_grads(DA, X)  # no W_hh: no gate reads h_{t-1}
        self._keep_state_grads(g.states)
        return DA @ self.params["weight_ih"], g.state0
