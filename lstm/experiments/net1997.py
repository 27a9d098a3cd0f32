"""The 1997 network as the paper writes it (section 5, tables 10-11, appendix A.1), for
several seeds in lockstep.

Hochreiter & Schmidhuber (1997) train nets that differ from `lstm.LSTM` + a readout in more
than the missing forget gate, and the nets differ between experiments. This module builds
that net item by item, each item a field of `Spec`, so that every difference between the
paper and our registered paper setting can be tried on its own (scripts/paper_spec_probe.py):

    blocks, cells_per_block  cells of one block share an input and an output gate
    output_gate     False: no output gate, y_c = h(s) (2a, 2b: "no output gate required")
    g               cell input squashing: "g2" = 4 sigma - 2 in [-2, 2], "g1" = sigma in
                    [0, 1] (2a, 2b), or "tanh" (our `lstm.cells`)
    h               cell output squashing: "h1" = 2 sigma - 1 in [-1, 1], "id" = identity
                    (2a, 2b), or "tanh"
    recurrent       what the hidden units (gates, cells) see of the previous step: "full"
                    (cell outputs and gate activations: the paper's "fully connected hidden
                    layer"), "cells" (cell outputs only, as `lstm.LSTM`), "none" (inputs only)
    shortcut        output units also see the input units ("each layer receives connections
                    from all layers below": 2a, 2b)
    hidden_bias     which hidden units have a bias: "all", "gates" (Reber) or "none" (2a-2c)
    output_bias     do the output units have a bias ("all non-input units": 4-6)
    update          "step": the weights change after every time step that carries an error
                    (appendix A gives each step's contribution); "sequence": the steps'
                    contributions are summed and applied at the sequence's end
    grow            None, or a plateau rule (window, tolerance): the memory cell and its gate
                    are added once the training error has stopped decreasing (2a: "sequential
                    network construction"); before that only the output units learn

The learning rule is appendix A's truncated gradient: an output error e_k = f'(net_k)(t_k - y_k)
reaches the cells and output gates through the output weights; it reaches the input gates
and cell inputs only through the cell state (the constant error carousel), whose derivatives
with respect to those weights are carried forward in time (eqs. 25, 27); nothing flows back
through the recurrent weights. Output units are logistic; each update is alpha * e_l * y^m.

Shapes: S seeds (each its own weights), N sequences per seed, T steps, D inputs, K outputs,
B blocks, C cells per block (BC = B * C cells), M = 1 + D + R inputs of a hidden unit
(a bias column, the input units, R recurrent units).
"""
from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np

G_KINDS = ("g2", "g1", "tanh")
H_KINDS = ("h1", "id", "tanh")
RECURRENCES = ("full", "cells", "none")
HIDDEN_BIASES = ("all", "gates", "none")
UPDATES = ("step", "sequence")


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # the logistic function, without overflow


def squash_g(x, kind):
    """(g(x), g'(x)) for the cell input: "g2" 4 sigma - 2, "g1" sigma, or tanh."""
    if kind == "tanh":
        g = np.tanh(x)
        return g, 1.0 - g * g
    s = _sigmoid(x)
    scale = 4.0 if kind == "g2" else 1.0
    return scale * s - (2.0 if kind == "g2" else 0.0), scale * s * (1.0 - s)


def squash_h(x, kind):
    """(h(x), h'(x)) for the cell output: "h1" 2 sigma - 1, "id" the identity, or tanh."""
    if kind == "id":
        return x, np.ones_like(x)
    if kind == "tanh":
        h = np.tanh(x)
        return h, 1.0 - h * h
    s = _sigmoid(x)
    return 2.0 * s - 1.0, 2.0 * s * (1.0 - s)


@dataclass(frozen=True)
class Spec:
    """One reading of the paper's net and learning rule (see the module docstring)."""
    blocks: int = 1
    cells_per_block: int = 1
    lr: float = 1.0
    init_range: float = 0.2
    output_gate: bool = True
    g: str = "g2"
    h: str = "h1"
    recurrent: str = "full"
    shortcut: bool = False
    hidden_bias: str = "all"
    output_bias: bool = True
    update: str = "step"
    grow: Optional[Tuple[int, float]] = None
    input_gate_bias: tuple = ()  # per block; () leaves the random initial bias
    output_gate_bias: tuple = ()  # per block

    def __post_init__(self):
        for name, allowed in (("g", G_KINDS), ("h", H_KINDS), ("recurrent", RECURRENCES),
                              ("hidden_bias", HIDDEN_BIASES), ("update", UPDATES)):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {getattr(self, name)!r}")
        if self.blocks < 1 or self.cells_per_block < 1:
            raise ValueError(f"blocks and cells_per_block must be >= 1, got {self.blocks}, {self.cells_per_block}")
        for name in ("input_gate_bias", "output_gate_bias"):
            if len(getattr(self, name)) not in (0, self.blocks):
                raise ValueError(f"{name} needs one value per block ({self.blocks}), got {getattr(self, name)!r}")
            if getattr(self, name) and self.hidden_bias == "none":
                raise ValueError(f"{name} is set but hidden_bias='none' gives the gates no bias")
        if self.output_gate_bias and not self.output_gate:
            raise ValueError("output_gate_bias is set for a net without output gates")
        if self.grow is not None and (len(self.grow) != 2 or self.grow[0] < 1 or not 0 <= self.grow[1] < 1):
            raise ValueError(f"grow must be (window >= 1, tolerance in [0, 1)), got {self.grow!r}")


class Net1997:
    """S independent 1997 nets (one per seed) run side by side.

    Net1997(spec, D, K, seeds): weights drawn from U(-r, r) with r = spec.init_range, one
    generator per seed (np.random.default_rng([seed, 0])); absent biases are 0 and stay 0.
    Parameters (each with a leading seed axis S):
        W_in, W_out (S, B, M)  input and output gates (W_out unused without output gates)
        W_c (S, BC, M)         cell inputs
        W_k (S, K, 1 + BC [+ D])  output units: bias, cell outputs [, input units]
    """

    def __init__(self, spec, input_size, output_size, seeds):
        self.spec, self.D, self.K = spec, int(input_size), int(output_size)
        B, C = spec.blocks, spec.cells_per_block
        self.B, self.BC = B, B * C
        self.R = {"full": self.BC + 2 * B, "cells": self.BC, "none": 0}[spec.recurrent]
        self.M = 1 + self.D + self.R
        self.block = np.repeat(np.arange(B), C)  # block of each cell (BC,)
        r = spec.init_range
        shapes = {"W_in": (B, self.M), "W_out": (B, self.M), "W_c": (self.BC, self.M),
                  "W_k": (self.K, 1 + self.BC + (self.D if spec.shortcut else 0))}
        per_seed = []
        for seed in seeds:
            rng = np.random.default_rng([int(seed), 0])
            per_seed.append({name: rng.uniform(-r, r, size=shape) for name, shape in shapes.items()})
        self.params = {name: np.stack([p[name] for p in per_seed]) for name in shapes}
        # the hidden units' weights live in one array (one product per step); W_in, W_out
        # and W_c are views of it
        self.W_h = np.concatenate([self.params[name] for name in ("W_in", "W_out", "W_c")], axis=1)
        for name, rows in (("W_in", slice(0, B)), ("W_out", slice(B, 2 * B)), ("W_c", slice(2 * B, None))):
            self.params[name] = self.W_h[:, rows]
        # which weights exist (1) and learn; a missing bias is a column held at 0
        self.exists = {name: np.ones(shape) for name, shape in shapes.items()}
        biased = {"all": ("W_in", "W_out", "W_c"), "gates": ("W_in", "W_out"), "none": ()}[spec.hidden_bias]
        for name in ("W_in", "W_out", "W_c"):
            if name not in biased:
                self.exists[name][:, 0] = 0.0
        if not spec.output_bias:
            self.exists["W_k"][:, 0] = 0.0
        if not spec.output_gate:
            self.exists["W_out"][:] = 0.0
        for name in shapes:
            self.params[name] *= self.exists[name]
        for name, bias in (("W_in", spec.input_gate_bias), ("W_out", spec.output_gate_bias)):
            if bias:
                self.params[name][:, :, 0] = np.asarray(bias, dtype=float)
        self.S = len(seeds)
        self.grown = np.full(self.S, spec.grow is None)  # (S,) are the cells part of the net yet
        self._errors = [[] for _ in range(self.S)]  # per seed, sequence errors while not grown

    # -- forward ----------------------------------------------------------------------------
    def _step(self, x, y_rec, s_prev, seed=None):
        """One step of every seed's net (or of seed `seed` alone, S = 1). x (S, N, D),
        y_rec (S, N, R), s_prev (S, N, BC)."""
        spec = self.spec
        sel = slice(None) if seed is None else slice(seed, seed + 1)
        W_h, W_k, grown = self.W_h[sel], self.params["W_k"][sel], self.grown[sel]
        S, N = x.shape[:2]
        z = np.concatenate([np.ones((S, N, 1)), x, y_rec], axis=2)  # (S, N, M)
        B = self.B
        a = np.matmul(z, W_h.transpose(0, 2, 1))  # (S, N, 2B + BC): in gates, out gates, cells
        y_in = _sigmoid(a[..., :B])  # (S, N, B)
        y_out = _sigmoid(a[..., B:2 * B]) if spec.output_gate else np.ones_like(y_in)
        g, dg = squash_g(a[..., 2 * B:], spec.g)  # (S, N, BC)
        s = s_prev + y_in[..., self.block] * g  # the constant error carousel
        h, dh = squash_h(s, spec.h)
        on = grown.astype(float)[:, None, None]  # a cell not yet added sends nothing
        y_c = on * y_out[..., self.block] * h
        readout = [np.ones((S, N, 1)), y_c] + ([x] if spec.shortcut else [])
        u = np.concatenate(readout, axis=2)  # (S, N, 1 + BC [+ D])
        y = _sigmoid(np.matmul(u, W_k.transpose(0, 2, 1)))  # (S, N, K)
        return dict(z=z, y_in=y_in, y_out=y_out, g=g, dg=dg, s=s, h=h, dh=dh, y_c=y_c, u=u, y=y)

    def _recurrent(self, st):
        if self.spec.recurrent == "full":
            return np.concatenate([st["y_c"], st["y_in"], st["y_out"]], axis=2)
        if self.spec.recurrent == "cells":
            return st["y_c"]
        return st["y_c"][..., :0]

    def forward(self, X, seed=None):
        """Outputs Y (T, S, N, K) for inputs X (T, S, N, D), every seed's net on its own inputs;
        with `seed` (an index into the seed axis), that seed's net alone, X (T, 1, N, D)."""
        T, S, N, _ = X.shape
        s, y_rec = np.zeros((S, N, self.BC)), np.zeros((S, N, self.R))
        Y = np.empty((T, S, N, self.K))
        for t in range(T):
            st = self._step(X[t], y_rec, s, seed)
            s, y_rec, Y[t] = st["s"], self._recurrent(st), st["y"]
        return Y

    def keep(self, rows):
        """Drop every seed not in `rows` (indices into the current seed axis)."""
        rows = np.asarray(rows, dtype=int)
        B = self.B
        self.W_h = self.W_h[rows]
        self.params = {"W_in": self.W_h[:, :B], "W_out": self.W_h[:, B:2 * B], "W_c": self.W_h[:, 2 * B:],
                       "W_k": self.params["W_k"][rows]}
        self.grown = self.grown[rows]
        self._errors = [self._errors[k] for k in rows]
        self.S = len(rows)

    def seed_model(self, k):
        """Seed k's net as a model for `lstm.experiments.training.evaluate` (head "sigmoid_sse"):
        its forward(X (T, N, D)) returns the output units' net inputs (T, N, K)."""
        return _SeedModel(self, k)


    # -- learning ---------------------------------------------------------------------------
    def train_sequence(self, X, targets, mask, active=None):
        """Learn from one sequence per seed (N = 1). X (T, S, D), targets (T, S, K), mask (T, S).
        active (S,) bool: seeds that learn (the others run but keep their weights).
        Returns Y (T, S, K), the outputs the net gave while learning."""
        spec, p = self.spec, self.params
        T, S, _ = X.shape
        B, BC, M = self.B, self.BC, self.M
        s, y_rec = np.zeros((S, 1, BC)), np.zeros((S, 1, self.R))
        P_in = np.zeros((S, BC, M))  # d s_v / d W_in[block(v)]   (eq. 25)
        P_c = np.zeros((S, BC, M))  # d s_v / d W_c[v]           (eq. 27)
        learn = np.ones(S) if active is None else np.asarray(active, dtype=float)
        rate = {"W_k": spec.lr * learn}
        for name in ("W_in", "W_out", "W_c"):  # the hidden units learn once they are part of the net
            rate[name] = spec.lr * learn * self.grown
        total = {name: np.zeros_like(value) for name, value in p.items()}
        Y = np.empty((T, S, self.K))
        sq_error = np.zeros(S)
        for t in range(T):
            st = self._step(X[t][:, None, :], y_rec, s)
            z0 = st["z"][:, 0]  # (S, M)
            yin_c = st["y_in"][:, 0, self.block]
            P_in += (st["g"][:, 0] * yin_c * (1.0 - yin_c))[..., None] * z0[:, None, :]
            P_c += (st["dg"][:, 0] * yin_c)[..., None] * z0[:, None, :]
            s, y_rec, Y[t] = st["s"], self._recurrent(st), st["y"][:, 0]
            m = mask[t].astype(float)  # (S,) seeds with an error at this step
            if not m.any():
                continue
            y = st["y"][:, 0]
            sq_error += m * ((targets[t] - y) ** 2).sum(axis=1)
            e_k = y * (1.0 - y) * (targets[t] - y) * m[:, None]  # (19), (S, K)
            back = np.einsum("sk,skv->sv", e_k, p["W_k"][:, :, 1:1 + BC])  # sum_k w_kc e_k, (S, BC)
            y_out = st["y_out"][:, 0]
            read = (st["h"][:, 0] * back).reshape(S, B, -1).sum(axis=2)  # over the block's cells
            e_out = y_out * (1.0 - y_out) * read  # (21), (S, B)
            e_s = y_out[:, self.block] * st["dh"][:, 0] * back  # (23), (S, BC)
            # each weight's change alpha * e_l * y^m (22), (26), (28); a missing weight (the
            # columns `exists` marks 0) gets none
            u = st["u"][:, 0] * self.exists["W_k"][0]
            changes = {"W_k": (rate["W_k"][:, None] * e_k)[..., None] * u[:, None, :],
                       "W_c": (rate["W_c"][:, None] * e_s)[..., None] * (P_c * self.exists["W_c"][0]),
                       "W_in": ((rate["W_in"][:, None] * e_s)[..., None] * P_in).reshape(S, B, -1, M).sum(axis=2)
                       * self.exists["W_in"][0]}
            if spec.output_gate:
                changes["W_out"] = (rate["W_out"][:, None] * e_out)[..., None] * (z0 * self.exists["W_out"][0])[:, None, :]
            target = p if spec.update == "step" else total
            for name, change in changes.items():
                target[name] += change
        if spec.update == "sequence":
            for name, change in total.items():
                p[name] += change
        self._maybe_grow(sq_error, learn)
        return Y

    def _maybe_grow(self, sq_error, learn):
        """Add the cells of a seed once its training error has stopped decreasing: the mean
        error of the last `window` sequences is not below (1 - tolerance) times that of the
        `window` before."""
        if self.spec.grow is None:
            return
        window, tolerance = self.spec.grow
        for k in np.flatnonzero(~self.grown & (learn > 0)):
            errs = self._errors[k]
            errs.append(float(sq_error[k]))
            if len(errs) >= 2 * window:
                before, last = np.mean(errs[-2 * window:-window]), np.mean(errs[-window:])
                if last >= (1.0 - tolerance) * before:
                    self.grown[k] = True
                    self._errors[k] = []
                else:
                    del errs[:-2 * window]


class _SeedModel:
    """One seed of a Net1997, with the forward of a `SequenceModel`: X (T, N, D) -> net_k (T, N, K)."""

    def __init__(self, nets, k):
        self.nets, self.k = nets, k

    def forward(self, X):
        y = self.nets.forward(np.asarray(X, dtype=float)[:, None], seed=self.k)[:, 0]
        y = np.clip(y, 1e-300, 1 - 1e-16)
        return np.log(y) - np.log1p(-y)  # the net input whose logistic is y
