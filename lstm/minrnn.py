"""minGRU and minLSTM (Feng et al. 2024, "Were RNNs all we needed?"): gates from x_t only.

Notation (shapes): T time, N batch, D input, H hidden. sigma is the logistic sigmoid.

    minGRU                                   minLSTM
    z_t  = sigma(W_z x_t + b_z)              i_t  = sigma(W_i x_t + b_i)
    h~_t = W_h x_t + b_h                     f_t  = sigma(W_f x_t + b_f)
                                             h~_t = W_h x_t + b_h
                                             i'_t = i_t / (f_t + i_t),  f'_t = f_t / (f_t + i_t)
    h_t = (1 - z_t) * h_{t-1} + z_t * h~_t   h_t  = f'_t * h_{t-1} + i'_t * h~_t

Neither gate nor candidate reads h_{t-1}, so both are the linear recurrence of
`lstm.scan` with a_t = 1 - z_t, b_t = z_t h~_t (minGRU) or a_t = f'_t, b_t = i'_t h~_t
(minLSTM): all a_t and b_t come from one matrix product over the whole sequence, and
the recurrence is a scan. minLSTM's normalised gates sum to one, so h_t is a weighted
average of h_{t-1} and h~_t and cannot grow with T (the paper's "time-independent
scale"). The paper runs the scan in log space for very long sequences; here it runs
in linear space, which is exact in float64 for the lengths of this book.

params: weight_ih (G*H, D), bias (G*H,), rows in the order z, h~ (minGRU, G = 2) or
i, f, h~ (minLSTM, G = 3), following the book's gate order i, f, g.
"""
from typing import NamedTuple

import numpy as np

from .activations import sigmoid, sigmoid_grad
from .recurrent import RecurrentLayer, weight_grads
from .scan import scan, scan_backward


class MinCache(NamedTuple):
    X: np.ndarray  # (T, N, D)
    h0: np.ndarray  # (N, H)
    Y: np.ndarray  # (T, N, H): h_1 .. h_T
    a: np.ndarray  # (T, N, H): the coefficient of h_{t-1}
    gates: dict  # name -> (T, N, H): z, h~ (minGRU) or i, f, i', f', h~ (minLSTM)
    parallel: bool  # the mode of the forward call; backward runs the same one


class _MinRecurrent(RecurrentLayer):
    """What MinGRU and MinLSTM share: the parameters, the scan, and the backward pass
    through it; each subclass says how the gates make the coefficients a_t, b_t.

    parallel: True runs the recurrence as a parallel scan, False as a loop over t (the
    same numbers to float64 rounding); an attribute, which the backward pass of the
    same forward call follows, and which may be switched between calls.
    """

    def __init__(self, input_size, hidden_size, rng=None, dtype=np.float64, *, init_range=None, parallel=True):
        super().__init__(input_size, hidden_size, dtype)
        G, D, H = len(self.gate_names), self.input_size, self.hidden_size
        self._init_params({"weight_ih": (G * H, D), "bias": (G * H,)}, rng, init_range)
        self.parallel = parallel

    def forward(self, X, state=None):
        """Run over X (T, N, D) from state h0 (N, H) (None: zeros), by a parallel scan or
        a loop as `parallel` says. Returns Y (T, N, H) and hT (N, H).
        """
        if not isinstance(self.parallel, bool):
            raise TypeError(f"parallel must be True or False, got {self.parallel!r}")
        X = self._check_input(X)
        (h0,) = self._check_state("state", state, X.shape[1])
        a, b, gates = self._coefficients(self._input_part(X))
        Y = scan(a, b, h0, parallel=self.parallel)  # (T, N, H)
        self._cache = MinCache(X, h0, Y, a, gates, self.parallel)
        return Y, (Y[-1].copy() if len(X) else h0.copy())

    def backward(self, dY, dstate=None):
        """Gradients for the last forward call. dY (T, N, H), dstate = dhT (N, H) or None.

        Returns dX (T, N, D) and dh0 (N, H); fills self.grads (same keys as params) and
        self.grad_h.
        """
        dY = self._check_dY(dY)
        (dhT,) = self._check_state("dstate", dstate, dY.shape[1])
        X, h0, Y, a, gates, parallel = self._cache
        if len(X) == 0:
            self.zero_grad()
            self._keep_state_grads({"h": np.zeros_like(Y)})
            return np.zeros_like(X), dhT
        da, db, dh0 = scan_backward(dY, a, Y, h0, dhT, parallel=parallel)  # through the recurrence
        DA = self._coefficients_backward(da, db, gates)  # (T, N, G*H): through the gates
        self.grads = weight_grads(DA, X)  # no W_hh: no gate reads h_{t-1}
        self._keep_state_grads({"h": db})  # dL/db_t = dL/dh_t in total (lstm.scan, equation 3)
        return DA @ self.params["weight_ih"], dh0


class MinGRU(_MinRecurrent):
    """minGRU: h_t = (1 - z_t) h_{t-1} + z_t h~_t, z_t = sigma(W_z x_t + b_z), h~_t = W_h x_t + b_h.

    MinGRU(input_size=D, hidden_size=H, rng=np.random.default_rng(0), dtype=np.float64,
           init_range=None, parallel=True)
    forward(X (T, N, D), state=h0) -> Y (T, N, H), hT (N, H)
    backward(dY (T, N, H), dstate=dhT) -> dX (T, N, D), dh0 (N, H); fills .grads
    """

    gate_names = ("z", "h~")

    def _coefficients(self, A):
        """a_t, b_t of the linear recurrence from the pre-activations A (T, N, 2H)."""
        rows = self.gate_rows
        z = sigmoid(A[..., rows["z"]])
        h_tilde = A[..., rows["h~"]]
        return 1.0 - z, z * h_tilde, {"z": z, "h~": h_tilde}

    def _coefficients_backward(self, da, db, gates):
        z, h_tilde = gates["z"], gates["h~"]
        dz = -da + db * h_tilde  # z enters a = 1 - z and b = z h~
        return np.concatenate([dz * sigmoid_grad(z), db * z], axis=-1)  # through sigma; h~ is linear


class MinLSTM(_MinRecurrent):
    """minLSTM: h_t = f'_t h_{t-1} + i'_t h~_t with the normalised gates f' = f/(f+i), i' = i/(f+i).

    MinLSTM(input_size=D, hidden_size=H, rng=np.random.default_rng(0), dtype=np.float64,
            forget_bias=None, init_range=None, parallel=True)
    forget_bias: if given, b_f starts at this value (as for the LSTM: large keeps h longer).
    forward(X (T, N, D), state=h0) -> Y (T, N, H), hT (N, H)
    backward(dY (T, N, H), dstate=dhT) -> dX (T, N, D), dh0 (N, H); fills .grads
    """

    gate_names = ("i", "f", "h~")

    def __init__(self, input_size, hidden_size, rng=None, dtype=np.float64, *, forget_bias=None, init_range=None,
                 parallel=True):
        super().__init__(input_size, hidden_size, rng, dtype, init_range=init_range, parallel=parallel)
        if forget_bias is not None:
            self.params["bias"][self.gate_rows["f"]] = forget_bias

    def _coefficients(self, A):
        rows = self.gate_rows
        i = sigmoid(A[..., rows["i"]])
        f = sigmoid(A[..., rows["f"]])
        h_tilde = A[..., rows["h~"]]
        s = f + i
        i_n, f_n = i / s, f / s  # the normalised gates, i' + f' = 1
        return f_n, i_n * h_tilde, {"i": i, "f": f, "i'": i_n, "f'": f_n, "h~": h_tilde}

    def _coefficients_backward(self, da, db, gates):
        i, f, i_n, h_tilde = gates["i"], gates["f"], gates["i'"], gates["h~"]
        s2 = (f + i) ** 2
        df_n, di_n = da, db * h_tilde  # f' is a, i' scales h~ in b
        # f' = f / (f + i), i' = i / (f + i): d f'/df = i/s^2, d f'/di = -f/s^2, and i' alike
        df = (df_n - di_n) * i / s2
        di = (di_n - df_n) * f / s2
        return np.concatenate([di * sigmoid_grad(i), df * sigmoid_grad(f), db * i_n], axis=-1)
