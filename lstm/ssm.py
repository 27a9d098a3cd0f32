"""A diagonal selective state-space layer (Mamba's S6, Gu & Dao 2023), with its backward.

Notation (shapes): T time, N batch, D channels (input = output size), S state size
per channel (the layer's hidden_size). Every channel d has its own S-dimensional state
h_t[d].

    Delta_t = softplus(W_Delta x_t + b_Delta)      (N, D)   step size, one per channel
    B_t     = W_B x_t                               (N, S)   input projection (shared by channels)
    C_t     = W_C x_t                               (N, S)   read-out
    A       = -exp(A_log)                           (D, S)   fixed decay rates, A < 0

discretised (zero-order hold for A; Euler for B, as Mamba's implementation does):

    A-bar_t = exp(Delta_t A)                        (N, D, S)  in (0, 1)
    B-bar_t x_t = Delta_t x_t B_t                   (N, D, S)
    h_t = A-bar_t * h_{t-1} + B-bar_t x_t           the linear recurrence of `lstm.scan`
    y_t = h_t C_t + D_skip * x_t                    (N, D)   (sum over the S states)

Read as an LSTM: exp(Delta_t A) is a forget gate that x_t sets (a large step forgets,
a small one keeps), Delta_t B_t is an input gate times the candidate x_t, and C_t is
an output gate that reads a mixture of the states. "Selective" means that Delta, B
and C depend on x_t, as the LSTM's gates do; but none of them reads h_{t-1}, so the
whole layer is one scan. Mamba computes Delta through a low-rank projection and runs
the layer inside a block with a convolution and a gate; here, one layer, full rank.
"""
from typing import NamedTuple

import numpy as np

from .activations import sigmoid, softplus
from .initialisation import init_params
from .recurrent import RecurrentLayer
from .scan import scan, scan_backward


class SSMStep(NamedTuple):
    """One step written out: what the chapter computes by hand."""
    delta: np.ndarray  # (N, D)
    A_bar: np.ndarray  # (N, D, S) exp(Delta A): the forget gate
    Bx: np.ndarray  # (N, D, S) Delta x B: what is written
    C: np.ndarray  # (N, S) the read-out
    h: np.ndarray  # (N, D, S) the new state
    y: np.ndarray  # (N, D)


def ssm_step(x, h_prev, params):
    """One step of the selective SSM: x (N, D), h_prev (N, D, S). Returns an SSMStep."""
    delta = softplus(x @ params["weight_delta"].T + params["bias_delta"])
    A = -np.exp(params["A_log"])
    B, C = x @ params["weight_B"].T, x @ params["weight_C"].T
    A_bar = np.exp(delta[..., None] * A)
    Bx = (delta * x)[..., None] * B[:, None, :]
    h = A_bar * h_prev + Bx
    y = np.einsum("nds,ns->nd", h, C) + params["D_skip"] * x
    return SSMStep(delta, A_bar, Bx, C, h, y)


class SSMCache(NamedTuple):
    X: np.ndarray  # (T, N, D)
    h0: np.ndarray  # (N, D, S)
    H: np.ndarray  # (T, N, D, S) states h_1 .. h_T
    u: np.ndarray  # (T, N, D) pre-activation of Delta
    delta: np.ndarray  # (T, N, D)
    A_bar: np.ndarray  # (T, N, D, S)
    B: np.ndarray  # (T, N, S)
    C: np.ndarray  # (T, N, S)
    parallel: bool


class SelectiveSSM(RecurrentLayer):
    """SelectiveSSM(input_size=D, hidden_size=S, rng=np.random.default_rng(0), dtype=np.float64,
    parallel=True): D channels, each with a state of S numbers.

    params: weight_delta (D, D), bias_delta (D,), weight_B (S, D), weight_C (S, D),
    A_log (D, S), D_skip (D,). A_log starts at log(1..S) per channel (S4D-real, as Mamba).
    forward(X (T, N, D), state=h0 (N, D, S)) -> Y (T, N, D), hT (N, D, S)
    backward(dY (T, N, D), dstate=dhT) -> dX (T, N, D), dh0 (N, D, S); fills .grads.
    parallel: True runs the recurrence as a parallel scan, False as a loop (an
    attribute, as on the min-RNNs).
    """

    output_letter = "D"  # Y has the input's channels
    state_layout = {"h": ("N", "D", "S")}

    def __init__(self, input_size, hidden_size, rng=None, dtype=np.float64, *, parallel=True):
        super().__init__(input_size, hidden_size, dtype)
        D, S = self.input_size, self.hidden_size
        self.parallel = parallel
        drawn = init_params({"weight_delta": (D, D), "bias_delta": (D,), "weight_B": (S, D), "weight_C": (S, D)},
                            D, rng, self.dtype)  # U(-1/sqrt(D), 1/sqrt(D))
        self.params = {**drawn, "A_log": np.tile(np.log(np.arange(1, S + 1, dtype=self.dtype)), (D, 1)),
                       "D_skip": np.ones(D, dtype=self.dtype)}
        self.zero_grad()

    @property
    def output_size(self):
        return self.input_size

    def _sizes(self, batch_size):
        return {"N": batch_size, "D": self.input_size, "S": self.hidden_size}

    def forward(self, X, state=None):
        """Run over X (T, N, D) from state h0 (N, D, S) (None: zeros). Returns Y (T, N, D), hT."""
        parallel = self.parallel
        if not isinstance(parallel, bool):
            raise TypeError(f"parallel must be True or False, got {parallel!r}")
        X = self._check_input(X)
        (h0,) = self._check_state("state", state, X.shape[1])
        T, N, D = X.shape
        p = self.params
        u = X @ p["weight_delta"].T + p["bias_delta"]  # (T, N, D)
        delta = softplus(u)
        A = -np.exp(p["A_log"])  # (D, S)
        B, C = X @ p["weight_B"].T, X @ p["weight_C"].T  # (T, N, S) each
        A_bar = np.exp(delta[..., None] * A)  # (T, N, D, S): the forget gate
        Bx = (delta * X)[..., None] * B[:, :, None, :]  # (T, N, D, S): what is written
        H = scan(A_bar, Bx, h0, parallel=parallel)
        Y = np.einsum("tnds,tns->tnd", H, C) + p["D_skip"] * X
        self._cache = SSMCache(X, h0, H, u, delta, A_bar, B, C, parallel)
        return Y, (H[-1].copy() if T else h0.copy())

    def backward(self, dY, dstate=None):
        """Gradients for the last forward call; returns dX (T, N, D), dh0 (N, D, S)."""
        dY = self._check_dY(dY)
        (dhT,) = self._check_state("dstate", dstate, dY.shape[1])
        X, h0, H, u, delta, A_bar, B, C, parallel = self._cache
        T, N, D = X.shape
        p = self.params
        A = -np.exp(p["A_log"])
        dH = dY[..., None] * C[:, :, None, :]  # through y = h C
        dC = np.einsum("tnd,tnds->tns", dY, H)
        dA_bar, dBx, dh0 = scan_backward(dH, A_bar, H, h0, dhT, parallel=parallel)  # through the recurrence
        g = dA_bar * A_bar  # through exp(Delta A)
        d_delta = np.einsum("tnds,ds->tnd", g, A)
        dA = np.einsum("tnds,tnd->ds", g, delta)
        dBx_B = np.einsum("tnds,tns->tnd", dBx, B)  # d/d(Delta x) of Delta x B
        d_delta += dBx_B * X
        dB = np.einsum("tnds,tnd->tns", dBx, delta * X)
        du = d_delta * sigmoid(u)  # softplus' = sigmoid
        Xf, duf = X.reshape(T * N, D), du.reshape(T * N, D)
        dBf, dCf = dB.reshape(T * N, -1), dC.reshape(T * N, -1)
        self.grads = {"weight_delta": duf.T @ Xf, "bias_delta": duf.sum(axis=0), "weight_B": dBf.T @ Xf,
                      "weight_C": dCf.T @ Xf, "A_log": dA * A, "D_skip": np.einsum("tnd,tnd->d", dY, X)}
        self._keep_state_grads({"h": dBx})  # dL/db_t = dL/dh_t in total (lstm.scan, equation 3)
        dX = dY * p["D_skip"] + dBx_B * delta + du @ p["weight_delta"] + dB @ p["weight_B"] + dC @ p["weight_C"]
        return dX, dh0
