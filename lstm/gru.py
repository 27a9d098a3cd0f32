"""The gated recurrent unit (Cho et al. 2014) in PyTorch's form, with BPTT.

Notation (shapes): N batch, D input, H hidden; gate rows stacked r, z, n as in torch.nn.GRU.

    a_x = x_t W_ih^T + b                                (N, 3H)  input part, all steps at once
    a_h = h_{t-1} W_hh^T                                (N, 3H)  recurrent part
    r   = sigmoid(a_x,r + a_h,r)                        (N, H)   reset gate
    z   = sigmoid(a_x,z + a_h,z)                        (N, H)   update gate
    n   = tanh(a_x,n + r * (a_h,n + b_hn))              (N, H)   candidate
    h_t = (1 - z) * n + z * h_{t-1}

The reset gate multiplies the recurrent part of the candidate *including its bias*
b_hn, so b_hn cannot be merged with the input bias of n; the r and z biases only ever
act through their sums and are merged. params: weight_ih (3H, D), weight_hh (3H, H),
bias (3H,) = torch's bias_ih + [bias_hr, bias_hz, 0], and bias_hn (H,).

There is no separate cell state: h itself is the memory, and z interpolates between
keeping it (z = 1) and overwriting it with n (z = 0), a coupled keep/write as in the
LSTM's cifg variant.
"""
from typing import NamedTuple

import numpy as np

from .activations import sigmoid, sigmoid_grad, tanh, tanh_grad
from .recurrent import RecurrentLayer, weight_grads
from .torch_io import read_torch_state_dict

GRU_GATES = ("r", "z", "n")  # row blocks of weight_ih, weight_hh and bias, in this order (PyTorch's)


class GRUCellCache(NamedTuple):
    """What `gru_cell_backward` needs from `gru_cell_forward`; each (N, H)."""
    h_prev: np.ndarray
    r: np.ndarray
    z: np.ndarray
    n: np.ndarray
    hn: np.ndarray  # a_h,n + b_hn, the recurrent part of n before the reset gate


class GRUCellGrads(NamedTuple):
    da_x: np.ndarray  # (N, 3H) gradient w.r.t. the input part a_x (so W_ih, b)
    da_h: np.ndarray  # (N, 3H) gradient w.r.t. the recurrent part a_h (+ b_hn for the n block)
    dh_prev: np.ndarray  # (N, H) gradient w.r.t. h_{t-1} along every path


def gru_cell_forward(a_x, h_prev, weight_hh, bias_hn):
    """One GRU step from its input part a_x (N, 3H) and h_prev (N, H).

    Returns h (N, H) and a GRUCellCache.
    """
    H = h_prev.shape[-1]
    a_h = h_prev @ weight_hh.T  # (N, 3H)
    r = sigmoid(a_x[:, :H] + a_h[:, :H])
    z = sigmoid(a_x[:, H:2 * H] + a_h[:, H:2 * H])
    hn = a_h[:, 2 * H:] + bias_hn
    n = tanh(a_x[:, 2 * H:] + r * hn)
    h = (1.0 - z) * n + z * h_prev
    return h, GRUCellCache(h_prev, r, z, n, hn)


def gru_cell_backward(dh, cache, weight_hh):
    """Backward of `gru_cell_forward`: dh (N, H), the total gradient w.r.t. this step's h."""
    h_prev, r, z, n, hn = cache
    da_n = dh * (1.0 - z) * tanh_grad(n)  # through (1 - z) * n, then tanh
    da_z = dh * (h_prev - n) * sigmoid_grad(z)  # z weighs h_prev against n
    da_r = da_n * hn * sigmoid_grad(r)  # the reset gate scales the recurrent part of n
    da_x = np.concatenate([da_r, da_z, da_n], axis=1)
    da_h = np.concatenate([da_r, da_z, da_n * r], axis=1)  # n sees a_h,n only through r
    dh_prev = dh * z + da_h @ weight_hh  # the direct path kept by z, and through W_hh
    return GRUCellGrads(da_x, da_h, dh_prev)


class GRUCache(NamedTuple):
    X: np.ndarray  # (T, N, D)
    h0: np.ndarray  # (N, H)
    Y: np.ndarray  # (T, N, H)
    cells: list  # GRUCellCache per step


class GRU(RecurrentLayer):
    """A single-layer GRU with PyTorch's equations and hand-written BPTT.

    GRU(input_size=D, hidden_size=H, rng=np.random.default_rng(0), dtype=np.float64, init_range=None)

    forward(X (T, N, D), state=h0) -> Y (T, N, H), hT (N, H);
    backward(dY (T, N, H), dstate=dhT) -> dX (T, N, D), dh0 (N, H); fills .grads.
    After `backward`, `grad_h` (T, N, H) holds the total gradient w.r.t. every h_t.
    """

    gate_names = GRU_GATES

    def __init__(self, input_size, hidden_size, rng=None, dtype=np.float64, *, init_range=None):
        super().__init__(input_size, hidden_size, dtype)
        D, H = self.input_size, self.hidden_size
        shapes = {"weight_ih": (3 * H, D), "weight_hh": (3 * H, H), "bias": (3 * H,), "bias_hn": (H,)}
        self._init_params(shapes, rng, init_range)

    def forward(self, X, state=None):
        """Run over X (T, N, D) from state h0 (N, H) (None: zeros). Returns Y (T, N, H), hT (N, H)."""
        X = self._check_input(X)
        (h0,) = self._check_state("state", state, X.shape[1])
        T, N, _ = X.shape
        A_x = self._input_part(X)  # (T, N, 3H): x_t W_ih^T + b for every step, before the loop
        Y = np.empty((T, N, self.hidden_size), dtype=self.dtype)
        h, p, caches = h0, self.params, []
        for t in range(T):
            h, cache = gru_cell_forward(A_x[t], h, p["weight_hh"], p["bias_hn"])
            Y[t] = h
            caches.append(cache)
        self._cache = GRUCache(X, h0, Y, caches)
        return Y, h

    def backward(self, dY, dstate=None):
        """BPTT for the last forward call. dY (T, N, H), dstate = dhT (N, H) or None.

        Returns dX (T, N, D), dh0 (N, H); fills self.grads and self.grad_h.
        """
        dY = self._check_dY(dY)
        (dh_next,) = self._check_state("dstate", dstate, dY.shape[1])
        X, h0, Y, caches = self._cache
        T, N, _ = X.shape
        p, H = self.params, self.hidden_size
        DA_x = np.empty((T, N, 3 * H), dtype=self.dtype)
        DA_h = np.empty((T, N, 3 * H), dtype=self.dtype)
        grad_h = np.empty_like(Y)
        for t in reversed(range(T)):
            dh = dY[t] + dh_next  # from the output at t, and from step t+1
            grad_h[t] = dh
            DA_x[t], DA_h[t], dh_next = gru_cell_backward(dh, caches[t], p["weight_hh"])
        H_prev = np.concatenate([h0[None], Y])[:-1]  # (T, N, H): h_{t-1} for every t
        grads = weight_grads(DA_x, X, H_prev, DA_h)
        grads["bias_hn"] = DA_h.reshape(T * N, 3 * H)[:, 2 * H:].sum(axis=0)  # b_hn sits inside the reset
        self.grads = grads
        self._keep_state_grads({"h": grad_h})
        return DA_x @ p["weight_ih"], dh_next

    def load_torch_state_dict(self, state_dict):
        """Take the parameters of a one-layer torch.nn.GRU (tensors or numpy arrays)."""
        sd = read_torch_state_dict(state_dict, "torch.nn.GRU")
        H = self.hidden_size
        for key in ("bias_ih_l0", "bias_hh_l0"):
            if sd[key].shape != (3 * H,):
                raise ValueError(f"{key} must have shape (3H={3 * H},), got {sd[key].shape}")
        b_ih, b_hh = sd["bias_ih_l0"], sd["bias_hh_l0"]
        bias = b_ih + np.concatenate([b_hh[:2 * H], np.zeros(H, dtype=b_hh.dtype)])
        self._load_params({"weight_ih": sd["weight_ih_l0"], "weight_hh": sd["weight_hh_l0"],
                           "bias": bias, "bias_hn": b_hh[2 * H:]})

    def torch_state_dict(self):
        """Our parameters as a torch.nn.GRU state dict of numpy arrays (same network)."""
        p, H = self.params, self.hidden_size
        b_hh = np.concatenate([np.zeros(2 * H, dtype=self.dtype), p["bias_hn"]])
        return {"weight_ih_l0": p["weight_ih"].copy(), "weight_hh_l0": p["weight_hh"].copy(),
                "bias_ih_l0": p["bias"].copy(), "bias_hh_l0": b_hh}
