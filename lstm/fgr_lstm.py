"""The full-gate-recurrence LSTM (FGR) of Greff et al. 2017, with BPTT.

The peephole cell, plus recurrent connections from every gate at t-1 into every gate
at t (nine H x H matrices, stacked into one):

    [a_i, a_f, a_o]_t += [i_{t-1}, f_{t-1}, o_{t-1}] R^T      R = weight_gates (3H, 3H)

rows of R in the order of the receiving gates i, f, o, columns in the order of the
sending gates i, f, o. The state carried between calls is therefore (h, c, gates):
gates (N, 3H) holds i, f, o of the last step, zeros before the first step (None). Greff et al. trace these connections to
the fully connected nets of the original LSTM papers; they found them no help, at a
cost of 9H^2 more weights.

It is its own class because the gates of step t need the gates of step t-1, which the
plain `lstm.lstm_layer.LSTM` does not carry. The loops are LSTM's readable loops; this
class fills in their three fgr hooks (what step t reads from the gates of t-1, the
gradient it sends back to them, and the gradient of R). The element-wise maths is
`lstm.variants.variant_cell_forward` / `variant_cell_backward` (with `gates_prev` / `dgates`).
"""
import numpy as np

from .cells import RECURRENT_GATES, get_cell_kind
from .lstm_layer import LSTM


class FGRLSTM(LSTM):
    """FGRLSTM(input_size=D, hidden_size=H, rng=..., dtype=np.float64, forget_bias=None,
    init_range=None): the LSTM's contract with the gates of the last step as a third
    state (forward(X, (h0, c0, gates0)) -> Y, (hT, cT, gatesT);
    backward(dY, (dhT, dcT, dgatesT)) -> dX, (dh0, dc0, dgates0); .grads, .grad_h, .grad_c,
    .grad_gates, where grad_gates[t] is the gradient that reaches the gates of step t through
    R from step t+1, or from dgatesT at the last step).

    params: weight_ih (4H, D), weight_hh (4H, H), bias (4H,), weight_ci, weight_cf,
    weight_co (H,) and weight_gates (3H, 3H).
    """

    runs_gate_recurrence = True
    state_layout = {"h": ("N", "H"), "c": ("N", "H"), "gates": ("N", "3H")}

    def _sizes(self, batch_size):
        return {**super()._sizes(batch_size), "3H": 3 * self.hidden_size}

    def __init__(self, input_size, hidden_size, rng=None, dtype=np.float64, *, cell="fgr",
                 forget_bias=None, init_range=None):
        if not get_cell_kind(cell).gate_recurrence:
            raise ValueError(f"FGRLSTM runs the 'fgr' cell only, got cell={cell!r}")
        super().__init__(input_size, hidden_size, rng, dtype, cell=cell, forget_bias=forget_bias,
                         init_range=init_range)

    def _ifo(self, arr):
        """The i, f, o blocks of an (..., 4H) array side by side: (..., 3H)."""
        s = self.gate_rows
        return np.concatenate([arr[..., s[x]] for x in RECURRENT_GATES], axis=-1)

    def _gates_prev(self, steps, carried):
        if not steps:  # before the first step: the gates of the state forward started from
            return carried[0]
        last = steps[-1]
        return np.concatenate([last.i, last.f, last.o], axis=1)  # (N, 3H)

    def _dgates(self, da):
        return self._ifo(da) @ self.params["weight_gates"]  # (N, 3H): through R, into the gates of t-1

    def _carried_after(self, steps, carried):
        return (self._gates_prev(steps, carried).copy(),)

    def _gate_recurrence_grads(self, DA, steps, carried):
        T, N, _ = DA.shape
        H3 = 3 * self.hidden_size
        G_prev = np.empty((T, N, H3), dtype=self.dtype)  # [i, f, o]_{t-1} seen by step t
        for t in range(T):
            G_prev[t] = self._gates_prev(steps[:t], carried)
        return {"weight_gates": self._ifo(DA).reshape(T * N, H3).T @ G_prev.reshape(T * N, H3)}
