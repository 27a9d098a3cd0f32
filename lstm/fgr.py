"""The full-gate-recurrence LSTM (FGR) of Greff et al. 2017, with BPTT.

The peephole cell, plus recurrent connections from every gate at t-1 into every gate
at t (nine H x H matrices, stacked into one):

    [a_i, a_f, a_o]_t += [i_{t-1}, f_{t-1}, o_{t-1}] R^T      R = weight_gates (3H, 3H)

rows of R in the order of the receiving gates i, f, o, columns in the order of the
sending gates i, f, o. The gate activations before the first step are zeros, so the
state carried between calls is still (h, c). Greff et al. trace these connections to
the fully connected nets of the original LSTM papers; they found them no help, at a
cost of 9H^2 more weights.

It is its own layer because the gates of step t need the gates of step t-1, which the
generic loop of `lstm.layer.LSTM` does not carry. The element-wise maths stays in
`lstm.variants.variant_cell_forward` / `variant_cell_backward` (with `gates_prev` / `dgates`).
"""
from typing import List, NamedTuple

import numpy as np

from .cells import RECURRENT_GATES, gate_slices, get_cell_kind
from .layer import LSTM
from .cells import CellCache
from .variants import variant_cell_backward, variant_cell_forward


class FGRCache(NamedTuple):
    X: np.ndarray  # (T, N, D)
    h0: np.ndarray  # (N, H)
    Y: np.ndarray  # (T, N, H)
    gates_prev: np.ndarray  # (T, N, 3H): [i, f, o] of step t-1 seen by step t (zeros at t=0)
    cells: List[CellCache]


class FGRLSTM(LSTM):
    """FGRLSTM(input_size=D, hidden_size=H, rng=..., dtype=np.float64, forget_bias=None,
    init_range=None): the LSTM contract (forward(X, (h0, c0)) -> Y, (hT, cT);
    backward(dY, (dhT, dcT)) -> dX, (dh0, dc0); .grads, .grad_h, .grad_c).

    params: weight_ih (4H, D), weight_hh (4H, H), bias (4H,), weight_ci, weight_cf,
    weight_co (H,) and weight_gates (3H, 3H).
    """

    runs_gate_recurrence = True

    def __init__(self, input_size, hidden_size, cell="fgr", rng=None, dtype=np.float64,
                 forget_bias=None, init_range=None):
        if not get_cell_kind(cell).gate_recurrence:
            raise ValueError(f"FGRLSTM runs the 'fgr' cell only, got cell={cell!r}")
        super().__init__(input_size, hidden_size, cell, rng, dtype, forget_bias, init_range)

    def _ifo(self, arr):
        """The i, f, o blocks of an (N, 4H) array side by side: (N, 3H)."""
        s = gate_slices(self.kind, self.hidden_size)
        return np.concatenate([arr[:, s[x]] for x in RECURRENT_GATES], axis=1)

    def forward(self, X, state=None):
        """Run over X (T, N, D) from (h0, c0) (None: zeros). Returns Y (T, N, H), (hT, cT)."""
        X = self._check_input(X)
        T, N, _ = X.shape
        h0, c = self._check_state_pair("state", ("h0", "c0"), state, N)
        h = h0
        p, H = self.params, self.hidden_size
        A_x = X @ p["weight_ih"].T + p["bias"]  # (T, N, 4H)
        Y = np.empty((T, N, H), dtype=self.dtype)
        G_prev = np.zeros((T, N, 3 * H), dtype=self.dtype)
        gates = np.zeros((N, 3 * H), dtype=self.dtype)  # no gate activity before the first step
        caches = []
        for t in range(T):
            G_prev[t] = gates
            a = A_x[t] + h @ p["weight_hh"].T  # (N, 4H)
            h, c, cache = variant_cell_forward(a, c, self.kind, p, gates_prev=gates)
            gates = np.concatenate([cache.i, cache.f, cache.o], axis=1)  # (N, 3H), for step t+1
            Y[t] = h
            caches.append(cache)
        self._cache = FGRCache(X, h0, Y, G_prev, caches)
        return Y, (h, c)

    def backward(self, dY, dstate=None, cec_only=False):
        """BPTT for the last forward call; as `LSTM.backward`. Returns dX, (dh0, dc0)."""
        dY = self._check_dY(dY)
        X, h0, Y, G_prev, caches = self._cache
        T, N, _ = X.shape
        dh_next, dc_next = self._check_state_pair("dstate", ("dhT", "dcT"), dstate, N)
        p, H = self.params, self.hidden_size
        DA = np.empty((T, N, 4 * H), dtype=self.dtype)
        self.grad_h = np.empty((T, N, H), dtype=self.dtype)
        self.grad_c = np.empty((T, N, H), dtype=self.dtype)
        grads = {k: np.zeros_like(v) for k, v in p.items()}
        dgates = None  # the last step's gates feed no later step
        for t in reversed(range(T)):
            dh = dY[t] + dh_next
            step = variant_cell_backward(dh, dc_next, caches[t], self.kind, p, dgates=dgates)
            DA[t] = step.da
            self.grad_h[t], self.grad_c[t] = dh, step.dc
            dc_next = step.dc_prev
            dh_next = np.zeros_like(dh) if cec_only else step.da @ p["weight_hh"]
            dgates = self._ifo(step.da) @ p["weight_gates"]  # (N, 3H): through R, into the gates of t-1
            for name, value in step.peepholes.items():
                grads[name] += value
        if T > 0:
            H_prev = np.concatenate([h0[None], Y[:-1]])  # (T, N, H)
            DA_flat = DA.reshape(T * N, 4 * H)
            grads["weight_ih"] = DA_flat.T @ X.reshape(T * N, -1)
            grads["weight_hh"] = DA_flat.T @ H_prev.reshape(T * N, -1)
            grads["bias"] = DA_flat.sum(axis=0)
            grads["weight_gates"] = self._ifo(DA_flat).T @ G_prev.reshape(T * N, 3 * H)
        self.grads = grads
        return DA @ p["weight_ih"], (dh_next, dc_next)
