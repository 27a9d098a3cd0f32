"""The LSTM layer: a cell run over a whole sequence, with backpropagation through time.

    X (T, N, D) --> for t = 0..T-1: h_t, c_t = cell(x_t, h_{t-1}, c_{t-1}) --> Y (T, N, H)

The maths is that of `lstm.step`; what the layer adds is speed. Matrix products that do
not depend on the recursion leave the time loop: the input part of the pre-activations,
x_t W_ih^T + b, is one product for all T steps before the loop, and the weight
gradients are one product each after the backward loop, summing over time and batch at
once. Inside the loops only the recurrent product and the element-wise cell remain.

The cells without peepholes ("standard", PyTorch's, and "1997") take a fused path
(`_forward_fused`, `_backward_fused`): the same equations, written as a few in-place
numpy calls per step on preallocated (T, N, ...) arrays, because at small sizes the
time goes into the number of Python-level calls, not into arithmetic. The other cells
run the readable step functions `cell_forward` / `cell_backward` at every step.
`benchmarks/bench_lstm.py` measures both against torch.nn.LSTM.
"""
from typing import List, NamedTuple, Optional

import numpy as np

from .cells import get_cell_kind, gate_slices
from .init import init_params
from .recurrent import RecurrentLayer
from .step import CellCache, cell_backward, cell_forward
from .torch_io import from_torch_state_dict, to_torch_state_dict


class LSTMCache(NamedTuple):
    X: np.ndarray  # (T, N, D)
    hs: np.ndarray  # (T+1, N, H): h_0 (the initial state), h_1, ..., h_T
    cs: np.ndarray  # (T+1, N, H): c_0, c_1, ..., c_T
    kind: object  # the CellKind that made this cache
    gates: Optional[np.ndarray]  # fused path: (T, N, G*H) gate activations, in the order of kind.gates
    tanh_c: Optional[np.ndarray]  # fused path: (T, N, H) tanh(c_t)
    steps: Optional[List[CellCache]]  # generic path: one CellCache per time step

    @property
    def cells(self):
        """One CellCache per time step, as `cell_forward` returns it (views, for the fused path)."""
        if self.steps is not None:
            return self.steps
        H = self.cs.shape[-1]
        s = gate_slices(self.kind, H)

        def gate(name, t):
            return self.gates[t][:, s[name]] if name in s else None

        return [CellCache(gate("i", t), gate("f", t), gate("g", t), gate("o", t), self.cs[t], self.cs[t + 1],
                          self.tanh_c[t]) for t in range(len(self.gates))]


def _fusable(kind):
    """The fused loops handle sigmoid gates i, [f], o and a tanh candidate g, no peepholes,
    with o the last gate (so i, [f], g share one block of the pre-activations)."""
    return (not kind.peephole and not kind.coupled and not kind.gate_recurrence and kind.gates[-1] == "o"
            and kind.input_activation == "tanh" and kind.output_activation == "tanh")


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

    runs_gate_recurrence = False  # FGRLSTM, which carries the gates from step to step, says True

    def __init__(self, input_size, hidden_size, cell="standard", rng=None, dtype=np.float64,
                 forget_bias=None, init_range=None):
        super().__init__(input_size, hidden_size, dtype)
        self.kind = get_cell_kind(cell)
        if self.kind.gate_recurrence and not self.runs_gate_recurrence:
            raise ValueError(f"the {self.kind.name!r} cell's gates read the previous step's gates, which this "
                             f"layer does not carry: use lstm.FGRLSTM")
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
        T, N, D = X.shape
        h0, c0 = self._check_state_pair("state", ("h0", "c0"), state, N)
        hs = np.empty((T + 1, N, self.hidden_size), dtype=self.dtype)  # h_0 .. h_T
        cs = np.empty_like(hs)  # c_0 .. c_T
        hs[0], cs[0] = h0, c0
        if _fusable(self.kind):
            self._cache = self._forward_fused(X, hs, cs)
        else:
            self._cache = self._forward_cells(X, hs, cs)
        return hs[1:], (hs[T].copy(), cs[T].copy())

    def _forward_cells(self, X, hs, cs):
        """The generic loop: `cell_forward` at every step, any cell kind."""
        T, N, D = X.shape
        p = self.params
        A_x = (X.reshape(T * N, D) @ p["weight_ih"].T + p["bias"]).reshape(T, N, p["bias"].size)  # (T, N, G*H), all steps
        steps = []
        for t in range(T):
            a = A_x[t] + hs[t] @ p["weight_hh"].T  # (N, G*H)
            hs[t + 1], cs[t + 1], cache = cell_forward(a, cs[t], self.kind, self._peepholes())
            steps.append(cache)
        return LSTMCache(X, hs, cs, self.kind, None, None, steps)

    def _forward_fused(self, X, hs, cs):
        """The loop of `_forward_cells` for cells without peepholes, in place.

        All gates of a step come from one exp, one add and one reciprocal over the whole
        (N, G*H) block: the rows of W_ih, W_hh and b are scaled by -1 for the sigmoid
        gates and by -2 for g (exact: powers of two), so that 1 / (1 + e^a') is
        sigmoid(a) for i, f, o and sigmoid(2 a_g) = (1 + tanh(a_g)) / 2 for g. This is
        the textbook sigmoid (as in PyTorch), and exp is several times cheaper than tanh
        in float64. An overflow of e^a' gives 1 / inf = 0, the right limit.
        """
        T, N, D = X.shape
        H, p = self.hidden_size, self.params
        s = gate_slices(self.kind, H)
        scale = np.full(p["bias"].shape, -1.0, dtype=self.dtype)
        scale[s["g"]] = -2.0
        W_hh_T = np.multiply(p["weight_hh"].T, scale, out=np.empty((H, scale.size), dtype=self.dtype))
        A = X.reshape(T * N, D) @ (p["weight_ih"].T * scale) + p["bias"] * scale  # (T*N, G*H), all steps
        A = A.reshape(T, N, scale.size)
        tanh_c = np.empty((T, N, H), dtype=self.dtype)
        recurrent = np.empty((N, scale.size), dtype=self.dtype)  # buffers reused at every step
        ig = np.empty((N, H), dtype=self.dtype)
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
        return LSTMCache(X, hs, cs, self.kind, A, tanh_c, None)

    def backward(self, dY, dstate=None, cec_only=False):
        """Backpropagation through time for the last forward call.

        dY: (T, N, H) gradient of the loss w.r.t. Y; dstate: (dhT, dcT), each (N, H), the
        gradient w.r.t. the final state, or None for zeros.
        cec_only: the 1997 paper's truncated gradient. Error reaches earlier time steps
        only along the cell state (the constant error carousel); what would flow back
        through the recurrent weights W_hh into h_{t-1} is dropped.
        Returns dX (T, N, D) and (dh0, dc0); fills self.grads.
        The loop below runs `cell_backward` at every step; the cells without peepholes
        take `_backward_fused`, the same equations written in place.
        """
        dY = self._check_dY(dY)
        X, hs, cs, kind, gates, tanh_c, steps = self._cache
        T, N, D = X.shape
        dh_next, dc_next = self._check_state_pair("dstate", ("dhT", "dcT"), dstate, N)
        p = self.params
        if gates is not None:
            DA, dh0, dc0 = self._backward_fused(dY, dh_next, dc_next, cec_only)
        else:
            DA = np.empty((T, N, p["bias"].shape[0]), dtype=self.dtype)  # gradient w.r.t. every pre-activation
            self.grad_h = np.empty((T, N, self.hidden_size), dtype=self.dtype)
            self.grad_c = np.empty((T, N, self.hidden_size), dtype=self.dtype)
            peephole_grads = {name: np.zeros_like(p[name]) for name in kind.peephole_names}
            for t in reversed(range(T)):
                dh = dY[t] + dh_next  # from the output at t, and from step t+1 through W_hh
                step = cell_backward(dh, dc_next, steps[t], kind, self._peepholes())
                DA[t] = step.da
                self.grad_h[t], self.grad_c[t] = dh, step.dc
                dc_next = step.dc_prev  # along the carousel
                # through the recurrent weights, unless truncated as in the 1997 paper
                dh_next = np.zeros_like(dh) if cec_only else step.da @ p["weight_hh"]
                for name, value in step.peepholes.items():
                    peephole_grads[name] += value
            dh0, dc0 = dh_next, dc_next
        # The weight gradients sum da_t^T x_t and da_t^T h_{t-1} over all steps: one product each.
        DA_flat = DA.reshape(T * N, p["bias"].size)  # (T*N, G*H)
        grads = {"weight_ih": DA_flat.T @ X.reshape(T * N, D),
                 "weight_hh": DA_flat.T @ hs[:-1].reshape(T * N, self.hidden_size),  # h_{t-1} for every t
                 "bias": DA_flat.sum(axis=0)}
        if gates is None:
            grads.update(peephole_grads)
        self.grads = grads
        dX = (DA_flat @ p["weight_ih"]).reshape(T, N, D)
        return dX, (dh0, dc0)

    def _backward_fused(self, dY, dh_next, dc_next, cec_only):
        """The backward loop for cells without peepholes, in place. Returns DA, dh0, dc0.

        The error of each gate pre-activation is a local factor, which does not depend
        on the error flowing back, times dc_t (for i, f, g) or dh_t (for o):

            da_i = dc * [g i (1 - i)]      da_f = dc * [c_{t-1} f (1 - f)]
            da_g = dc * [i (1 - g^2)]      da_o = dh * [tanh(c) o (1 - o)]
            dc_t = dc_{t+1 -> t} + dh * [o (1 - tanh^2 c)]

        `_local_factors` fills the brackets for a chunk of steps at once (few numpy calls,
        on data small enough to stay in the CPU cache); then each step of the loop is seven
        numpy calls.
        """
        X, hs, cs, kind, gates, tanh_c, _ = self._cache
        T, N, _ = X.shape
        H, G = self.hidden_size, len(kind.gates)
        f = gates[..., gate_slices(kind, H)["f"]] if kind.has_forget_gate else None
        DA = np.empty_like(gates)  # (T, N, G*H): local factors, then (in place) the gradients
        DA_gates = DA.reshape(T, N, G, H)  # o is the last gate: i, [f], g take dc, o takes dh
        self.grad_h = np.empty_like(tanh_c)
        self.grad_c = np.empty_like(tanh_c)  # holds o (1 - tanh^2 c) until step t overwrites it with dc_t
        dh_next, dc_next = dh_next.copy(), dc_next.copy()  # buffers, overwritten at every step
        W_hh = self.params["weight_hh"]
        chunk = max(1, 2 ** 16 // (N * G * H))  # steps per chunk: about 64k numbers
        for t in reversed(range(T)):
            if t % chunk == chunk - 1 or t == T - 1:
                self._local_factors(DA, t - t % chunk, t + 1)
            dh = np.add(dY[t], dh_next, out=self.grad_h[t])  # from the output at t and from step t+1
            dc = self.grad_c[t]
            dc *= dh  # through h = o * tanh(c) ...
            dc += dc_next  # ... plus what flows back along the carousel
            DA_gates[t, :, :G - 1] *= dc[:, None, :]
            DA_gates[t, :, G - 1] *= dh
            if f is not None:
                np.multiply(dc, f[t], out=dc_next)  # the carousel, scaled by f
            else:
                dc_next[...] = dc  # 1997: f = 1
            if not cec_only:  # through the recurrent weights, unless truncated as in the 1997 paper
                np.matmul(DA[t], W_hh, out=dh_next)
            elif t == T - 1:
                dh_next[...] = 0
        return DA, dh_next, dc_next

    def _local_factors(self, DA, t0, t1):
        """Fill DA[t0:t1] and grad_c[t0:t1] with the bracketed factors of `_backward_fused`."""
        _, _, cs, kind, gates, tanh_c, _ = self._cache
        s = gate_slices(kind, self.hidden_size)
        gates, DA, tanh_c = gates[t0:t1], DA[t0:t1], tanh_c[t0:t1]
        np.subtract(1, gates, out=DA)
        DA *= gates  # sigmoid'(a) = s (1 - s) for i, f, o; g is redone below
        i, g, o = gates[..., s["i"]], gates[..., s["g"]], gates[..., s["o"]]
        DA[..., s["i"]] *= g
        if "f" in s:
            DA[..., s["f"]] *= cs[t0:t1]  # c_{t-1}
        da_g = DA[..., s["g"]]
        np.multiply(g, g, out=da_g)
        np.subtract(1, da_g, out=da_g)  # tanh'(a) = 1 - g^2
        da_g *= i
        DA[..., s["o"]] *= tanh_c
        dc_dh = self.grad_c[t0:t1]
        np.multiply(tanh_c, tanh_c, out=dc_dh)
        np.subtract(1, dc_dh, out=dc_dh)
        dc_dh *= o

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
