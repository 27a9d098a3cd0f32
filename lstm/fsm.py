"""A network of N random, fixed finite state machines with a trained linear readout.

The model a learner proposed on a forum as a "homemade LSTM": machine i has a state
s_t^i in {0, ..., S-1}, a fixed random transition table and a fixed output per state,

    s_t^i = f_in^i(s_{t-1}^i, x_t)          table[i, s, x]: (N, S, A) ints
    o_t^i = f_out^i(s_t^i)                  a random number per state, or one-hot(s)
    y_t   = W^T o_t + b                     the only trained part, W: (F, K), b: (K,)

trained on L = sum_t sum_k (y_tk - target_tk)^2 (+ ridge * |W|^2) by gradient descent
from small random W, or solved in closed form. This is reservoir computing (Jaeger 2001;
Snyder, Goudarzi & Teuscher 2013) with automata as the reservoir: what the machines
remember is fixed by chance, and only the readout learns.

Shapes: symbols (T, B) ints in [0, A); states (T, B, N) small ints; features (M, F) with
F = N (output="random") or N*S (output="one_hot"); targets (M, K).
"""
from dataclasses import dataclass

import numpy as np

from .validate import as_float_array, check_positive_int, check_rng

OUTPUTS = ("random", "one_hot")
_CHUNK = 1 << 21  # machines x sequences updated per gather, to bound the index array


@dataclass
class FSMNetwork:
    """N random machines over an alphabet of A symbols, each with S states.

    FSMNetwork.random(n_machines=N, n_states=S, n_symbols=A, rng=..., output="random")
    table: (N, S, A) next state of machine i in state s on symbol x.
    values: (N, S) the output of machine i in state s (used when output="random").
    All machines start in state 0.
    """
    table: np.ndarray  # (N, S, A)
    values: np.ndarray  # (N, S)
    output: str = "random"

    @classmethod
    def random(cls, n_machines, n_states, n_symbols, rng, output="random"):
        n_machines = check_positive_int("n_machines", n_machines)
        n_states = check_positive_int("n_states", n_states)
        n_symbols = check_positive_int("n_symbols", n_symbols)
        if n_states > 255:
            raise ValueError(f"n_states must be at most 255 (states are stored as uint8), got {n_states}")
        check_rng(rng)
        if output not in OUTPUTS:
            raise ValueError(f"output must be one of {OUTPUTS}, got {output!r}")
        table = rng.integers(n_states, size=(n_machines, n_states, n_symbols)).astype(np.uint8)
        values = rng.normal(size=(n_machines, n_states))
        return cls(table, values, output)

    @property
    def n_machines(self):
        return self.table.shape[0]

    @property
    def n_states(self):
        return self.table.shape[1]

    @property
    def n_symbols(self):
        return self.table.shape[2]

    @property
    def n_features(self):
        return self.n_machines * (self.n_states if self.output == "one_hot" else 1)

    def _check_symbols(self, symbols):
        symbols = np.asarray(symbols)
        if symbols.ndim != 2:
            raise ValueError(f"symbols must have shape (T, B), got {symbols.shape}")
        if symbols.dtype.kind not in "iu":
            raise TypeError(f"symbols must be integers in [0, {self.n_symbols}), got dtype {symbols.dtype}")
        if symbols.size and (symbols.min() < 0 or symbols.max() >= self.n_symbols):
            raise ValueError(f"symbols must lie in [0, {self.n_symbols}), "
                             f"got values from {symbols.min()} to {symbols.max()}")
        return symbols.astype(np.int64)

    def step(self, state, x):
        """s_t = table[i, s_{t-1}, x_t] for every machine: state (B, N), x (B,) -> (B, N)."""
        N, S, A = self.table.shape
        flat = self.table.reshape(-1)
        base = (np.arange(N, dtype=np.int64) * S)[None, :]  # (1, N)
        out = np.empty_like(state)
        rows = max(1, _CHUNK // N)
        for a in range(0, state.shape[0], rows):
            s = state[a:a + rows].astype(np.int64)
            out[a:a + rows] = flat[(base + s) * A + x[a:a + rows, None]]
        return out

    def run(self, symbols, keep="all"):
        """Feed symbols (T, B) from the start state.

        keep="all": states after every symbol, (T, B, N) uint8;
        keep="last": only the state after the last symbol, (B, N).
        """
        symbols = self._check_symbols(symbols)
        if keep not in ("all", "last"):
            raise ValueError(f"keep must be 'all' or 'last', got {keep!r}")
        T, B = symbols.shape
        state = np.zeros((B, self.n_machines), dtype=np.uint8)
        history = np.empty((T, B, self.n_machines), dtype=np.uint8) if keep == "all" else None
        for t in range(T):
            state = self.step(state, symbols[t])
            if history is not None:
                history[t] = state
        return history if keep == "all" else state

    def features(self, states, dtype=np.float64):
        """o_t = f_out(s_t) for states (..., N): (..., N) values or (..., N*S) one-hot."""
        states = np.asarray(states)
        if states.shape[-1:] != (self.n_machines,):
            raise ValueError(f"states must end with N={self.n_machines}, got shape {states.shape}")
        if self.output == "random":
            return self.values[np.arange(self.n_machines), states.astype(np.int64)].astype(dtype)
        eye = np.eye(self.n_states, dtype=dtype)
        return eye[states.astype(np.int64)].reshape(states.shape[:-1] + (self.n_features,))


def _check_readout_data(features, targets, dtype=np.float64):
    F = as_float_array("features", features, dtype)
    Y = as_float_array("targets", targets, dtype)
    if F.ndim != 2:
        raise ValueError(f"features must have shape (M, F), got {F.shape}")
    if Y.ndim != 2 or Y.shape[0] != F.shape[0]:
        raise ValueError(f"targets must have shape (M={F.shape[0]}, K), got {Y.shape}")
    return F, Y


def readout_forward(features, W, b):
    """y = features W + b: (M, F) @ (F, K) + (K,) -> (M, K)."""
    return features @ W + b


def readout_loss(features, targets, W, b, ridge=0.0):
    """L = sum (y - target)^2 + ridge * sum W^2 and its gradients.

    Returns (L, dL/dW (F, K), dL/db (K,)).
    """
    F, Y = _check_readout_data(features, targets)
    if W.shape != (F.shape[1], Y.shape[1]) or b.shape != (Y.shape[1],):
        raise ValueError(f"W must be {(F.shape[1], Y.shape[1])} and b {(Y.shape[1],)}, got {W.shape} and {b.shape}")
    r = readout_forward(F, W, b) - Y  # (M, K) residuals
    L = float(np.sum(r ** 2) + ridge * np.sum(W ** 2))
    return L, 2.0 * F.T @ r + 2.0 * ridge * W, 2.0 * r.sum(axis=0)


def fit_readout_lstsq(features, targets, ridge=0.0):
    """The W, b minimising L = sum (features W + b - targets)^2 + ridge * |W|^2.

    Centring removes b (it is not penalised): W solves the normal equations of the
    centred data. With more features than samples the dual form
    W = Fc^T (Fc Fc^T + ridge I)^-1 Yc costs M^2 F instead of F^2 M. ridge = 0 gives the
    minimum-norm least-squares solution. Returns W (F, K), b (K,).
    """
    F, Y = _check_readout_data(features, targets)
    if not np.isscalar(ridge) or ridge < 0:
        raise ValueError(f"ridge must be a number >= 0, got {ridge!r}")
    f_mean, y_mean = F.mean(axis=0), Y.mean(axis=0)
    Fc, Yc = F - f_mean, Y - y_mean
    M, D = Fc.shape
    if ridge == 0:
        W = np.linalg.lstsq(Fc, Yc, rcond=None)[0]
    elif D <= M:
        W = np.linalg.solve(Fc.T @ Fc + ridge * np.eye(D), Fc.T @ Yc)
    else:
        W = Fc.T @ np.linalg.solve(Fc @ Fc.T + ridge * np.eye(M), Yc)
    return W, y_mean - f_mean @ W


def fit_readout_gd(features, targets, rng, lr=0.1, steps=1000, init_scale=0.01, ridge=0.0):
    """Gradient descent on L from small random W (the forum's recipe).

    Each step moves W, b by -lr / M times the gradient of L (M = number of samples, so
    lr does not depend on the data size). Returns W, b and the loss history (steps + 1,).
    """
    F, Y = _check_readout_data(features, targets)
    check_rng(rng)
    steps = check_positive_int("steps", steps)
    W = init_scale * rng.normal(size=(F.shape[1], Y.shape[1]))
    b = np.zeros(Y.shape[1])
    scale = lr / F.shape[0]
    history = []
    for _ in range(steps):
        L, dW, db = readout_loss(F, Y, W, b, ridge)
        history.append(L)
        W -= scale * dW
        b -= scale * db
    history.append(readout_loss(F, Y, W, b, ridge)[0])
    return W, b, np.array(history)


def distinguishing_fraction(network, first_symbols, distractors):
    """Fraction of machines whose state after the distractors still depends on the first
    symbol: run every first symbol in `first_symbols` followed by the same distractor
    string (T,) and count machines that end in more than one distinct state.

    This is the most a readout could ever decode about the first symbol: a machine
    whose trajectories have merged carries no trace of it.
    """
    first = np.asarray(first_symbols)
    distractors = np.asarray(distractors)
    if first.ndim != 1 or distractors.ndim != 1:
        raise ValueError("first_symbols and distractors must be 1-d integer arrays")
    symbols = np.concatenate([first[None, :], np.repeat(distractors[:, None], len(first), axis=1)])  # (T+1, B)
    final = network.run(symbols, keep="last")  # (B, N)
    return float(np.mean(np.any(final != final[:1], axis=0)))
