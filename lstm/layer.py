"""The LSTM layer: a cell run over a whole sequence, with backpropagation through time.

    X (T, N, D) --> for t = 0..T-1: h_t, c_t = cell(x_t, h_{t-1}, c_{t-1}) --> Y (T, N, H)

Two things make it fast without changing the maths of `lstm.step`: the input part of
the pre-activations, x_t W_ih^T + b, is one matrix product for all T steps before the
loop; and the weight gradients are one product each after the backward loop, summing
over time and batch at once. Inside the loops only the recurrent product h W_hh^T and
the element-wise cell remain.
"""
from typing import List, NamedTuple

import numpy as np

from .cells import get_cell_kind
from .init import init_params
from .recurrent import RecurrentLayer
from .step import CellCache, cell_backward, cell_forward
from .torch_io import from_torch_state_dict, to_torch_state_dict


class LSTMCache(NamedTuple):
    X: np.ndarray  # (T, N, D)
    h0: np.ndarray  # (N, H)
    Y: np.ndarray  # (T, N, H), the hidden states h_1..h_T
    cells: List[CellCache]  # one per time step


class LSTM(RecurrentLayer):
    """A single-layer LSTM with hand-written backpropagation through time.

    LSTM(input_size=D, hidden_size=H, cell="standard" | "1997" | "peephole",
         rng=np.random.default_rng(0), dtype=np.float64, forget_bias=None, init_range=None)

    params: weight_ih (G*H, D), weight_hh (G*H, H), bias (G*H,), gate rows in the order
    of the cell's gates (i, f, g, o for "standard" and "peephole", i, g, o for "1997");
    the peephole cell adds weight_ci, weight_cf, weight_co, each (H,).
    forget_bias: if given, the forget gate's bias starts at this value (1.0 is the usual
    choice, Jozefowicz et al. 2015). init_range: draw weights from U(-r, r) instead of
    PyTorch's U(-1/sqrt(H), 1/sqrt(H)).

    After `backward`, `grad_h` and `grad_c` (T, N, H) hold the total gradients of the
    loss w.r.t. every h_t and c_t, for the chapters that look at how they decay.
    """

    def __init__(self, input_size, hidden_size, cell="standard", rng=None, dtype=np.float64,
                 forget_bias=None, init_range=None):
        super().__init__(input_size, hidden_size, dtype)
        self.kind = get_cell_kind(cell)
        rng = np.random.default_rng() if rng is None else rng
        shapes = self.kind.param_shapes(self.input_size, self.hidden_size)
        self.params = init_params(shapes, self.hidden_size, rng, self.dtype, init_range)
        if forget_bias is not None:
            if not self.kind.has_forget_gate:
                raise ValueError(f"the {self.kind.name!r} cell has no forget gate to set a bias for")
            f = self.kind.gates.index("f")
            self.params["bias"][f * self.hidden_size:(f + 1) * self.hidden_size] = forget_bias
        self.zero_grad()
        self.grad_h = self.grad_c = None

    @property
    def cell(self):
        return self.kind.name

    def _peepholes(self):
        return self.params if self.kind.peephole else None

    def forward(self, X, state=None):
        """Run the cell over X (T, N, D) from state (h0, c0), each (N, H) (None: zeros).

        Returns Y (T, N, H), the hidden state at every step, and (hT, cT).
        For T = 0, Y is empty and the initial state comes back unchanged.
        """
        X = self._check_input(X)
        T, N, _ = X.shape
        if state is None:
            state = (None, None)
        elif not (isinstance(state, (tuple, list)) and len(state) == 2):
            raise ValueError("state must be a pair (h0, c0) of arrays of shape (N, H), or None")
        h = self._check_state("h0", state[0], N)
        c = self._check_state("c0", state[1], N)
        h0 = h
        p = self.params
        A_x = X @ p["weight_ih"].T + p["bias"]  # (T, N, G*H): input projection, all steps at once
        Y = np.empty((T, N, self.hidden_size), dtype=self.dtype)
        caches = []
        for t in range(T):
            a = A_x[t] + h @ p["weight_hh"].T  # (N, G*H)
            h, c, cache = cell_forward(a, c, self.kind, self._peepholes())
            Y[t] = h
            caches.append(cache)
        self._cache = LSTMCache(X, h0, Y, caches)
        return Y, (h, c)

    def backward(self, dY, dstate=None, cec_only=False):
        """Backpropagation through time for the last forward call.

        dY: (T, N, H) gradient of the loss w.r.t. Y; dstate: (dhT, dcT), each (N, H), the
        gradient w.r.t. the final state, or None for zeros.
        cec_only: the 1997 paper's truncated gradient. Error reaches earlier time steps
        only along the cell state (the constant error carousel); what would flow back
        through the recurrent weights W_hh into h_{t-1} is dropped.
        Returns dX (T, N, D) and (dh0, dc0); fills self.grads.
        """
        dY = self._check_dY(dY)
        X, h0, Y, caches = self._cache
        T, N, _ = X.shape
        if dstate is None:
            dstate = (None, None)
        elif not (isinstance(dstate, (tuple, list)) and len(dstate) == 2):
            raise ValueError("dstate must be a pair (dhT, dcT) of arrays of shape (N, H), or None")
        dh_next = self._check_state("dhT", dstate[0], N)
        dc_next = self._check_state("dcT", dstate[1], N)
        p = self.params
        G_H = p["bias"].shape[0]
        DA = np.empty((T, N, G_H), dtype=self.dtype)  # gradient w.r.t. every pre-activation
        self.grad_h = np.empty((T, N, self.hidden_size), dtype=self.dtype)
        self.grad_c = np.empty((T, N, self.hidden_size), dtype=self.dtype)
        grads = {k: np.zeros_like(v) for k, v in p.items()}
        for t in reversed(range(T)):
            dh = dY[t] + dh_next  # from the output at t, and from step t+1 through W_hh
            step = cell_backward(dh, dc_next, caches[t], self.kind, self._peepholes())
            DA[t] = step.da
            self.grad_h[t], self.grad_c[t] = dh, step.dc
            dc_next = step.dc_prev  # along the carousel
            # through the recurrent weights, unless truncated as in the 1997 paper
            dh_next = np.zeros_like(dh) if cec_only else step.da @ p["weight_hh"]
            for name, value in step.peepholes.items():
                grads[name] += value
        if T > 0:
            H_prev = np.concatenate([h0[None], Y[:-1]])  # (T, N, H): h_{t-1} for every t
            DA_flat = DA.reshape(T * N, G_H)
            grads["weight_ih"] = DA_flat.T @ X.reshape(T * N, -1)
            grads["weight_hh"] = DA_flat.T @ H_prev.reshape(T * N, -1)
            grads["bias"] = DA_flat.sum(axis=0)
        self.grads = grads
        dX = DA @ p["weight_ih"]  # (T, N, D)
        return dX, (dh_next, dc_next)

    def load_torch_state_dict(self, state_dict):
        """Take the parameters of a one-layer torch.nn.LSTM (tensors or numpy arrays)."""
        if self.kind.name != "standard":
            raise ValueError(f"torch.nn.LSTM has the 'standard' cell only; this layer's cell is {self.cell!r}")
        self._load_params(from_torch_state_dict(state_dict))

    def torch_state_dict(self):
        """Our parameters as a torch.nn.LSTM state dict of numpy arrays."""
        if self.kind.name != "standard":
            raise ValueError(f"torch.nn.LSTM has the 'standard' cell only; this layer's cell is {self.cell!r}")
        return to_torch_state_dict(self.params)

    def __repr__(self):
        return super().__repr__()[:-1] + f", cell={self.cell!r})"
