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
depend on m at all (for any sequence m_t, c'/n' = c/n), so the backward pass may hold m
constant: the gradient it gives is exact, which the tests check by finite differences.

mLSTM: a matrix memory, written with an outer product and read with a query.
    q_t = W_q x_t + b_q,  k_t = (W_k x_t + b_k) / sqrt(d),  v_t = W_v x_t + b_v     (N, d)
    i_t = exp(w_i . x_t + b_i),  f_t = sigmoid(w_f . x_t + b_f)   (scalars per sequence)
    o_t = sigmoid(W_o x_t + b_o)
    C_t = f_t C_{t-1} + i_t v_t k_t^T      (N, d, d)
    n_t = f_t n_{t-1} + i_t k_t            (N, d)
    h_t = o_t * C_t q_t / max(|n_t . q_t|, 1)
With keys of size d, C holds up to d nearly independent (key, value) pairs: reading
with q = k_j returns v_j plus cross-talk sum_p v_p (k_p . k_j), small when keys are
nearly orthogonal. The same stabiliser as in the sLSTM applies (the 1 becomes e^{-m_t}).
No gate reads h_{t-1}, so the mLSTM parallelises like `lstm.scan`; here it runs as a
loop, which is clearest. The paper's multi-head, block-diagonal and normalisation
layers are left out: one head, one cell.
"""
from typing import NamedTuple

import numpy as np

from .activations import sigmoid, tanh
from .recurrent import RecurrentLayer, weight_grads


def log_sigmoid(x):
    """log sigmoid(x) = -softplus(-x), exact for large |x|."""
    return -(np.maximum(-x, 0) + np.log1p(np.exp(-np.abs(x))))


class SLSTMCache(NamedTuple):
    X: np.ndarray  # (T, N, D)
    hs: np.ndarray  # (T+1, N, H): h_0 = 0, h_1 .. h_T
    cs: np.ndarray  # (T+1, N, H): stabilised c'_t
    ns: np.ndarray  # (T+1, N, H): stabilised n'_t
    ms: np.ndarray  # (T+1, N, H): the stabiliser m_t
    i: np.ndarray  # (T, N, H): i'_t (stabilised input gate)
    f: np.ndarray  # (T, N, H): f'_t (stabilised forget gate)
    sig_f: np.ndarray  # (T, N, H): sigmoid(a_f), for d log f / d a_f = 1 - sigmoid(a_f)
    z: np.ndarray  # (T, N, H)
    o: np.ndarray  # (T, N, H)


class SLSTM(RecurrentLayer):
    """The sLSTM cell over a sequence, from zero states (h, c, n, m all 0).

    SLSTM(input_size=D, hidden_size=H, rng=np.random.default_rng(0))
    params: weight_ih (4H, D), weight_hh (4H, H), bias (4H,), rows i, f, z, o.
    forward(X (T, N, D)) -> Y (T, N, H); backward(dY) -> dX; fills .grads.
    After forward, `m` (T, N, H) holds the stabiliser, `i_raw` the unstabilised exp(a_i).
    """

    def __init__(self, input_size, hidden_size, rng=None, dtype=np.float64):
        super().__init__(input_size, hidden_size, dtype)
        D, H = self.input_size, self.hidden_size
        self._init_params({"weight_ih": (4 * H, D), "weight_hh": (4 * H, H), "bias": (4 * H,)}, rng)

    def forward(self, X):
        X = self._check_input(X)
        T, N, _ = X.shape
        H, p = self.hidden_size, self.params
        hs, cs, ns, ms = (np.zeros((T + 1, N, H), dtype=self.dtype) for _ in range(4))
        I, F, SF, Z, O = (np.empty((T, N, H), dtype=self.dtype) for _ in range(5))
        A_x = self._input_part(X)  # (T, N, 4H): x_t W_ih^T + b for every step, before the loop
        for t in range(T):
            a = A_x[t] + hs[t] @ p["weight_hh"].T
            a_i, a_f, a_z, a_o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
            log_f = log_sigmoid(a_f)
            ms[t + 1] = np.maximum(log_f + ms[t], a_i)
            I[t] = np.exp(a_i - ms[t + 1])  # i' <= 1
            F[t] = np.exp(log_f + ms[t] - ms[t + 1])  # f' <= 1
            SF[t], Z[t], O[t] = sigmoid(a_f), tanh(a_z), sigmoid(a_o)
            cs[t + 1] = F[t] * cs[t] + I[t] * Z[t]
            ns[t + 1] = F[t] * ns[t] + I[t]
            hs[t + 1] = O[t] * cs[t + 1] / ns[t + 1]
        self._cache = SLSTMCache(X, hs, cs, ns, ms, I, F, SF, Z, O)
        self.m = ms[1:]
        return hs[1:]

    def backward(self, dY):
        """BPTT with the stabiliser held constant (exact, see the module docstring)."""
        dY = self._check_dY(dY)
        X, hs, cs, ns, ms, I, F, SF, Z, O = self._cache
        T, N, _ = X.shape
        H, p = self.hidden_size, self.params
        DA = np.empty((T, N, 4 * H), dtype=self.dtype)
        dh_next = np.zeros((N, H), dtype=self.dtype)
        dc_next, dn_next = np.zeros_like(dh_next), np.zeros_like(dh_next)
        for t in reversed(range(T)):
            dh = dY[t] + dh_next
            c, n = cs[t + 1], ns[t + 1]
            da_o = dh * c / n * O[t] * (1 - O[t])  # through h = o c / n, then sigmoid
            dc = dh * O[t] / n + dc_next
            dn = -dh * O[t] * c / n ** 2 + dn_next
            df = dc * cs[t] + dn * ns[t]  # f' scales c'_{t-1} and n'_{t-1}
            di = dc * Z[t] + dn  # i' scales z in c and 1 in n
            DA[t, :, :H] = di * I[t]  # i' = exp(a_i - m): d i'/d a_i = i'
            DA[t, :, H:2 * H] = df * F[t] * (1 - SF[t])  # f' = exp(log sigmoid(a_f) + ...)
            DA[t, :, 2 * H:3 * H] = dc * I[t] * (1 - Z[t] ** 2)  # through tanh
            DA[t, :, 3 * H:] = da_o
            dc_next, dn_next = dc * F[t], dn * F[t]  # along c and n
            dh_next = DA[t] @ p["weight_hh"]  # through the recurrent weights
        self.grads = weight_grads(DA, X, hs[:-1])  # hs[:-1]: h_{t-1} for every t
        return DA @ p["weight_ih"]


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


def mlstm_forward(q, k, v, i_pre, f_pre, o):
    """The mLSTM recurrence from zero states.

    q, k, v, o (T, N, d) (o: the output gate's values, in (0, 1)); i_pre, f_pre (T, N)
    the input and forget gates' pre-activations. Returns MLSTMStates.
    """
    T, N, d = q.shape
    C = np.zeros((T + 1, N, d, d))
    n = np.zeros((T + 1, N, d))
    m = np.zeros((T + 1, N))
    I, F, h_tilde, den = np.empty((T, N)), np.empty((T, N)), np.empty((T, N, d)), np.empty((T, N))
    log_f = log_sigmoid(f_pre)
    for t in range(T):
        m[t + 1] = np.maximum(log_f[t] + m[t], i_pre[t])
        I[t] = np.exp(i_pre[t] - m[t + 1])
        F[t] = np.exp(log_f[t] + m[t] - m[t + 1])
        C[t + 1] = F[t][:, None, None] * C[t] + I[t][:, None, None] * v[t][:, :, None] * k[t][:, None, :]
        n[t + 1] = F[t][:, None] * n[t] + I[t][:, None] * k[t]
        den[t] = np.maximum(np.abs(np.einsum("nd,nd->n", n[t + 1], q[t])), np.exp(-m[t + 1]))
        h_tilde[t] = np.einsum("nij,nj->ni", C[t + 1], q[t]) / den[t][:, None]
    return MLSTMStates(o * h_tilde, C, n, m, I, F, sigmoid(f_pre), h_tilde, den)


def mlstm_backward(dh, q, k, v, o, s):
    """Gradients of `mlstm_forward` w.r.t. q, k, v, i_pre, f_pre, o from dh (T, N, d);
    s: the MLSTMStates of the forward. The stabiliser is held constant (exact)."""
    T, N, d = q.shape
    dq, dk, dv, do = (np.empty_like(q) for _ in range(4))
    di_pre, df_pre = np.empty((T, N)), np.empty((T, N))
    dC_next, dn_next = np.zeros((N, d, d)), np.zeros((N, d))
    for t in reversed(range(T)):
        C, n, den = s.C[t + 1], s.n[t + 1], s.den[t]
        do[t] = dh[t] * s.h_tilde[t]
        dht = dh[t] * o[t]  # into h~ = C q / den
        dCq = dht / den[:, None]
        dden = -np.einsum("ni,ni->n", dht, s.h_tilde[t]) / den
        dC = dC_next + dCq[:, :, None] * q[t][:, None, :]
        dq[t] = np.einsum("nij,ni->nj", C, dCq)
        nq = np.einsum("nd,nd->n", n, q[t])
        ds = np.where(np.abs(nq) > np.exp(-s.m[t + 1]), dden * np.sign(nq), 0.0)  # den = |n.q| or a constant
        dn = dn_next + ds[:, None] * q[t]
        dq[t] += ds[:, None] * n
        df = np.einsum("nij,nij->n", dC, s.C[t]) + np.einsum("nd,nd->n", dn, s.n[t])
        dCk = np.einsum("nij,nj->ni", dC, k[t])  # dC k
        di = np.einsum("ni,ni->n", dCk, v[t]) + np.einsum("nd,nd->n", dn, k[t])  # v^T dC k + dn.k
        dv[t] = s.i[t][:, None] * dCk
        dk[t] = s.i[t][:, None] * (np.einsum("nij,ni->nj", dC, v[t]) + dn)
        di_pre[t] = di * s.i[t]  # i' = exp(i_pre - m)
        df_pre[t] = df * s.f[t] * (1 - s.sig_f[t])  # f' = exp(log sigmoid(f_pre) + ...)
        dC_next, dn_next = s.f[t][:, None, None] * dC, s.f[t][:, None] * dn
    return dq, dk, dv, di_pre, df_pre, do


class MLSTMCache(NamedTuple):
    X: np.ndarray  # (T, N, D)
    q: np.ndarray
    k: np.ndarray
    v: np.ndarray
    o: np.ndarray
    states: MLSTMStates


class MLSTM(RecurrentLayer):
    """One mLSTM head over a sequence, from zero states, with its input projections.

    MLSTM(input_size=D, hidden_size=d, rng=np.random.default_rng(0))
    params: weight_qkvo (4d, D), bias_qkvo (4d,) (rows q, k, v, o); weight_if (2, D),
    bias_if (2,) (the scalar input and forget gates).
    forward(X (T, N, D)) -> Y (T, N, d); backward(dY) -> dX; fills .grads.
    """

    def __init__(self, input_size, hidden_size, rng=None, dtype=np.float64):
        super().__init__(input_size, hidden_size, dtype)
        D, d = self.input_size, self.hidden_size
        self._init_params({"weight_qkvo": (4 * d, D), "bias_qkvo": (4 * d,), "weight_if": (2, D), "bias_if": (2,)},
                          rng)

    def forward(self, X):
        X = self._check_input(X)
        d, p = self.hidden_size, self.params
        A = X @ p["weight_qkvo"].T + p["bias_qkvo"]  # (T, N, 4d)
        G = X @ p["weight_if"].T + p["bias_if"]  # (T, N, 2)
        q, k, v, o = A[..., :d], A[..., d:2 * d] / np.sqrt(d), A[..., 2 * d:3 * d], sigmoid(A[..., 3 * d:])
        s = mlstm_forward(q, k, v, G[..., 0], G[..., 1], o)
        self._cache = MLSTMCache(X, q, k, v, o, s)
        return s.h

    def backward(self, dY):
        dY = self._check_dY(dY)
        X, q, k, v, o, s = self._cache
        T, N, D = X.shape
        d, p = self.hidden_size, self.params
        dq, dk, dv, di, df, do = mlstm_backward(dY, q, k, v, o, s)
        dA = np.concatenate([dq, dk / np.sqrt(d), dv, do * o * (1 - o)], axis=-1).reshape(T * N, 4 * d)
        dG = np.stack([di, df], axis=-1).reshape(T * N, 2)
        Xf = X.reshape(T * N, D)
        self.grads = {"weight_qkvo": dA.T @ Xf, "bias_qkvo": dA.sum(axis=0), "weight_if": dG.T @ Xf,
                      "bias_if": dG.sum(axis=0)}
        return (dA @ p["weight_qkvo"] + dG @ p["weight_if"]).reshape(T, N, D)
