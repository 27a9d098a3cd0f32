"""The plain recurrent layer, h_t = phi(x_t W_ih^T + h_{t-1} W_hh^T + b), with BPTT.

The layer of chapter 1: its backward pass multiplies the error by W_hh^T and phi'
once per step, which is why that error vanishes or explodes with the lag.
"""
from typing import NamedTuple

import numpy as np

from .activations import get_activation
from .recurrent import RecurrentLayer, weight_grads
from .torch_io import from_torch_state_dict, to_torch_state_dict


class RNNCache(NamedTuple):
    X: np.ndarray  # (T, N, D)
    h0: np.ndarray  # (N, H)
    Y: np.ndarray  # (T, N, H)


class RNN(RecurrentLayer):
    """A single-layer Elman RNN with hand-written backpropagation through time.

    RNN(input_size=D, hidden_size=H, rng=np.random.default_rng(0), dtype=np.float64,
        nonlinearity="tanh" | "relu" | "sigmoid" | "identity", init_range=None)

    params: weight_ih (H, D), weight_hh (H, H), bias (H,). "tanh" and "relu" are
    PyTorch's nn.RNN; "sigmoid" is the logistic unit of the 1997 paper's analysis and
    "identity" the linear unit of its naive constant error carousel.
    state: h (N, H). After `backward`, `grad_h` (T, N, H) holds the total
    gradient w.r.t. every h_t.
    """

    def __init__(self, input_size, hidden_size, rng=None, dtype=np.float64, *, nonlinearity="tanh",
                 init_range=None):
        super().__init__(input_size, hidden_size, dtype)
        self.nonlinearity = nonlinearity
        self.phi, self.phi_grad = get_activation(nonlinearity)
        D, H = self.input_size, self.hidden_size
        shapes = {"weight_ih": (H, D), "weight_hh": (H, H), "bias": (H,)}
        self._init_params(shapes, rng, init_range)

    def forward(self, X, state=None):
        """Run over X (T, N, D) from state h0 (N, H) (None: zeros). Returns Y (T, N, H), hT (N, H)."""
        X = self._check_input(X)
        (h0,) = self._check_state("state", state, X.shape[1])
        A_x = self._input_part(X)  # (T, N, H): x_t W_ih^T + b for every step, before the loop
        Y = np.empty(A_x.shape, dtype=self.dtype)
        h, W_hh = h0, self.params["weight_hh"]
        for t in range(len(X)):
            h = self.phi(A_x[t] + h @ W_hh.T)
            Y[t] = h
        self._cache = RNNCache(X, h0, Y)
        return Y, h

    def backward(self, dY, dstate=None):
        """BPTT for the last forward call. dY (T, N, H), dstate = dhT (N, H) or None.

        Returns dX (T, N, D), dh0 (N, H); fills self.grads and self.grad_h.
        """
        dY = self._check_dY(dY)
        (dh_next,) = self._check_state("dstate", dstate, dY.shape[1])
        X, h0, Y = self._cache
        p = self.params
        DA = np.empty_like(Y)  # gradient w.r.t. every pre-activation
        grad_h = np.empty_like(Y)
        for t in reversed(range(len(X))):
            dh = dY[t] + dh_next
            grad_h[t] = dh
            DA[t] = dh * self.phi_grad(Y[t])  # through phi
            dh_next = DA[t] @ p["weight_hh"]  # through the recurrent weights
        H_prev = np.concatenate([h0[None], Y])[:-1]  # (T, N, H): h_{t-1} for every t
        self.grads = weight_grads(DA, X, H_prev)
        self._keep_state_grads({"h": grad_h})
        return DA @ p["weight_ih"], dh_next

    def load_torch_state_dict(self, state_dict):
        """Take the parameters of a one-layer torch.nn.RNN (tensors or numpy arrays)."""
        self._load_params(from_torch_state_dict(state_dict))

    def torch_state_dict(self):
        """Our parameters as a torch.nn.RNN state dict of numpy arrays."""
        return to_torch_state_dict(self.params)

    def __repr__(self):
        return super().__repr__()[:-1] + f", nonlinearity={self.nonlinearity!r})"
