"""The LSTM layer: a cell run over a whole sequence, with backpropagation through time.

    X (T, N, D) --> for t = 0..T-1: h_t, c_t = cell(x_t, h_{t-1}, c_{t-1}) --> Y (T, N, H)

The maths is that of `lstm.cells`; what the layer adds is speed. Matrix products that do
not depend on the recursion leave the time loop: the input part of the pre-activations,
x_t W_ih^T + b, is one product for all T steps before the loop, and the weight
gradients are one product each after the backward loop, summing over time and batch at
once. Inside the loops only the recurrent product and the element-wise cell remain.

Which loop runs is a switch you can see in `forward`: `if self.fused:` the fast
kernel of `lstm.fused` (the cells without peepholes, "standard" and "1997": the same
equations, written in place; lockstep training runs it too), else the readable loop,
which calls the family's general cell `lstm.variants.variant_cell_forward` /
`variant_cell_backward` at every step. `layer.fused = False` runs the readable loop for
any cell. (The reference step the chapters show is `lstm.cells.cell_forward`.)
"""
from typing import List, NamedTuple, Optional

import numpy as np

from . import fused
from .cells import CellCache, gate_slices, get_cell_kind
from .recurrent import RecurrentLayer, weight_grads
from .variants import variant_cell_backward, variant_cell_forward
from .torch_io import from_torch_state_dict, to_torch_state_dict


class LSTMCache(NamedTuple):
    X: np.ndarray  # (T, N, D)
    hs: np.ndarray  # (T+1, N, H): h_0 (the initial state), h_1, ..., h_T
    cs: np.ndarray  # (T+1, N, H): c_0, c_1, ..., c_T
    kind: object  # the CellKind that made this cache
    gates: Optional[np.ndarray]  # fused path: (T, N, G*H) gate activations, in the order of kind.gates
    tanh_c: Optional[np.ndarray]  # fused path: (T, N, H) tanh(c_t)
    steps: Optional[List[CellCache]]  # readable loop: one CellCache per time step
    carried: tuple  # the initial states beyond (h, c) a cell carries: () but for fgr, (gates,)

    @property
    def cells(self):
        """One CellCache per time step, as the cell functions return it (views, for the fused path)."""
        if self.steps is not None:
            return self.steps
        H = self.cs.shape[-1]
        s = gate_slices(self.kind, H)

        def gate(name, t):
            return self.gates[t][:, s[name]] if name in s else None

        return [CellCache(gate("i", t), gate("f", t), gate("g", t), gate("o", t), self.cs[t], self.cs[t + 1],
                          self.tanh_c[t]) for t in range(len(self.gates))]


class LSTM(RecurrentLayer):
    """A single-layer LSTM with hand-written backpropagation through time.

    LSTM(input_size=D, hidden_size=H, rng=np.random.default_rng(0), dtype=np.float64,
         cell="standard" | "1997" | "peephole" | ..., forget_bias=None, init_range=None)

    params: weight_ih (G*H, D), weight_hh (G*H, H), bias (G*H,), gate rows in the order
    of the cell's gates (i, f, g, o for "standard" and "peephole", i, g, o for "1997");
    the peephole cell adds weight_ci, weight_cf, weight_co, each (H,).
    forget_bias: if given, the forget gate's bias starts at this value (1.0 is the usual
    choice, Jozefowicz et al. 2015). init_range: draw weights from U(-r, r) instead of
    PyTorch's U(-1/sqrt(H), 1/sqrt(H)).

    state: (h, c), each (N, H). After `backward`, `grad_h` and `grad_c` (T, N, H) hold the total gradients of the loss w.r.t. every h_t
    and c_t, for the chapters that look at how they decay.
    """

    state_layout = {"h": ("N", "H"), "c": ("N", "H")}

    runs_gate_recurrence = False  # FGRLSTM, which carries the gates from step to step, says True

    def __init__(self, input_size, hidden_size, rng=None, dtype=np.float64, *, cell="standard",
                 forget_bias=None, init_range=None):
        super().__init__(input_size, hidden_size, dtype)
        self.kind = get_cell_kind(cell)
        if self.kind.gate_recurrence and not self.runs_gate_recurrence:
            raise ValueError(f"the {self.kind.name!r} cell's gates read the previous step's gates, which this "
                             f"layer does not carry: use lstm.FGRLSTM")
        shapes = self.kind.param_shapes(self.input_size, self.hidden_size)
        self._init_params(shapes, rng, init_range)
        if forget_bias is not None:
            if not self.kind.has_forget_gate:
                raise ValueError(f"the {self.kind.name!r} cell has no forget gate to set a bias for")
            self.params["bias"][self.gate_rows["f"]] = forget_bias
        self.fused = fused.fusable(self.kind)  # run the fast kernels of lstm.fused (False: the readable loop)

    @property
    def gate_rows(self):
        """Gate name -> its rows, in the order of the cell's gates (`lstm.cells.gate_slices`)."""
        return gate_slices(self.kind, self.hidden_size)

    @property
    def cell(self):
        return self.kind.name

    def _peepholes(self):
        return self.params if self.kind.peephole else None

    def forward(self, X, state=None):
        """Run the cell over X (T, N, D) from state (h0, c0), each (N, H) (None: zeros;
        FGRLSTM's state has a third entry, the gates of the last step).

        Returns Y (T, N, H), the hidden state at every step, and (hT, cT).
        For T = 0, Y is empty and the initial state comes back unchanged.
        """
        X = self._check_input(X)
        T, N, D = X.shape
        h0, c0, *carried = self._check_state("state", state, N)  # carried: [] but for fgr
        hs = np.empty((T + 1, N, self.hidden_size), dtype=self.dtype)  # h_0 .. h_T
        cs = np.empty_like(hs)  # c_0 .. c_T
        hs[0], cs[0] = h0, c0
        if self.fused:
            if not fused.fusable(self.kind):
                raise ValueError(f"the fused kernels handle the cells without peepholes; the {self.cell!r} "
                                 f"cell needs layer.fused = False")
            gates, tanh_c = fused.forward(X, hs, cs, self.params, self.kind)
            self._cache = LSTMCache(X, hs, cs, self.kind, gates, tanh_c, None, ())
            return hs[1:], (hs[T].copy(), cs[T].copy())
        # the readable loop, one call of the cell per step
        self._cache = self._forward_cells(X, hs, cs, tuple(carried))
        return hs[1:], (hs[T].copy(), cs[T].copy()) + self._carried_after(self._cache.steps, self._cache.carried)

    def _forward_cells(self, X, hs, cs, carried=()):
        """The readable loop: the family's general cell at every step, any cell kind."""
        T, N, D = X.shape
        p = self.params
        A_x = (X.reshape(T * N, D) @ p["weight_ih"].T + p["bias"]).reshape(T, N, p["bias"].size)  # (T, N, G*H), all steps
        steps = []
        for t in range(T):
            a = A_x[t] + hs[t] @ p["weight_hh"].T  # (N, G*H)
            gates_prev = self._gates_prev(steps, carried)  # None but for fgr (lstm.fgr_lstm)
            hs[t + 1], cs[t + 1], cache = variant_cell_forward(a, cs[t], self.kind, self._peepholes(), gates_prev)
            steps.append(cache)
        return LSTMCache(X, hs, cs, self.kind, None, None, steps, carried)

    def backward(self, dY, dstate=None, cec_only=False):
        """Backpropagation through time for the last forward call.

        dY: (T, N, H) gradient of the loss w.r.t. Y; dstate: (dhT, dcT), each (N, H), the
        gradient w.r.t. the final state, or None for zeros.
        cec_only: the 1997 paper's truncated gradient. Error reaches earlier time steps
        only along the cell state (the constant error carousel); what would flow back
        through the recurrent weights W_hh into h_{t-1} is dropped.
        Returns dX (T, N, D) and (dh0, dc0); fills self.grads.
        The backward pass takes the path its forward pass took: the fused kernel of
        `lstm.fused`, or the readable loop below, over the family's general cell.
        """
        dY = self._check_dY(dY)
        X, hs, cs, kind, gates, tanh_c, steps, carried = self._cache
        T, N, D = X.shape
        dh_next, dc_next, *d_carried = self._check_state("dstate", dstate, N)
        p = self.params
        cell_grads = {name: np.zeros_like(p[name]) for name in kind.peephole_names}  # summed over steps
        if gates is not None:  # the forward pass ran the fused kernel
            DA, grad_h, grad_c, dh_next, dc_next = fused.backward(dY, dh_next, dc_next, cs, gates, tanh_c,
                                                                  kind, p["weight_hh"], cec_only)
        else:
            DA = np.empty((T, N, p["bias"].size), dtype=self.dtype)  # gradient w.r.t. every pre-activation
            grad_h = np.empty((T, N, self.hidden_size), dtype=self.dtype)
            grad_c = np.empty((T, N, self.hidden_size), dtype=self.dtype)
            # None but for fgr: the gradient w.r.t. the gates, from step t+1 (from dstate at t = T-1)
            dgates = d_carried[0] if d_carried else None
            grad_gates = [None] * T  # fgr: the gradient that reaches the gates of step t from step t+1
            for t in reversed(range(T)):
                grad_gates[t] = dgates
                dh = dY[t] + dh_next  # from the output at t, and from step t+1 through W_hh
                step = variant_cell_backward(dh, dc_next, steps[t], kind, self._peepholes(), dgates)
                DA[t] = step.da
                grad_h[t], grad_c[t] = dh, step.dc
                dc_next = step.dc_prev  # along the carousel
                # through the recurrent weights, unless truncated as in the 1997 paper
                dh_next = np.zeros_like(dh) if cec_only else step.da @ p["weight_hh"]
                dgates = self._dgates(step.da)
                for name, value in step.peepholes.items():
                    cell_grads[name] += value
            cell_grads.update(self._gate_recurrence_grads(DA, steps, carried))
        # The weight gradients sum da_t^T x_t and da_t^T h_{t-1} over all steps: one product each
        # (the fused path: one product for both, the same numbers; see fused.weight_grads).
        self.grads = (fused.weight_grads if gates is not None else weight_grads)(DA, X, hs[:-1])  # h_{t-1}, every t
        self.grads.update(cell_grads)
        dX = (DA.reshape(T * N, p["bias"].size) @ p["weight_ih"]).reshape(T, N, D)
        if d_carried:  # fgr: the gradient w.r.t. the gates before the first step
            self._keep_state_grads({"h": grad_h, "c": grad_c,
                                    "gates": np.array(grad_gates).reshape((T,) + dgates.shape)})
            return dX, (dh_next, dc_next, dgates)
        self._keep_state_grads({"h": grad_h, "c": grad_c})
        return dX, (dh_next, dc_next)

    # The fgr cell's gates see the previous step's gates; lstm.fgr_lstm.FGRLSTM fills these in.
    def _gates_prev(self, steps, carried):
        """The gate activations step t reads from step t-1 (steps: the caches so far;
        carried: the initial states beyond (h, c))."""
        return None

    def _dgates(self, da):
        """The gradient that step t's pre-activations da send to the gates of step t-1."""
        return None

    def _carried_after(self, steps, carried):
        """The states beyond (h, c) after the last step, for forward to return."""
        return ()

    def _gate_recurrence_grads(self, DA, steps, carried):
        """Gradients of the weights between the gates of consecutive steps."""
        return {}

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
