"""Several seeds of the paper setting trained in lockstep: one batched computation, K nets.

The paper setting updates after every sequence (N = 1). At that size a step of the
LSTM kernel is a dozen numpy calls on arrays of a few numbers, so the time goes into
calls, not arithmetic. K seeds trained side by side need no more calls than one: the
K nets, each with its own weights, are laid out as one net K times as wide whose
weights are block-diagonal (`lstm.fused.side_by_side`), so one step of the package's
LSTM kernel (`lstm.fused.forward` / `backward`, the layer's own) is a step of all K
nets. This module adds only what is around the recurrent layer: the readout and the
paper's sigmoid output with squared error, and plain SGD, each net with its own
weights (stacked matmuls on a seed axis K).

Each seed draws its own sequences from its own generators, as `runner.run` does, so
seed k follows the run `runner.run(name, "paper", seed_k)` up to rounding: the wide
matrix products sum each net's terms in another order. Online training is sensitive
to its own history: over thousands of updates a difference in the last bit can grow
until the two runs of a seed take different paths (one seed of 3c solved alone and
not within the same budget in lockstep). A set of seeds gives the same statistics
either way; a single seed's count is not comparable between the two. The stopping
rules "window" (adding, multiplication, temporal order), "check" (2a-2c, 3a-3c) and
"fixed" (embedded Reber) are handled here; the continual stream carries its state
across windows and stays with `runner.run`.

    results = run_lockstep("adding-100", seeds=range(100, 110), max_sequences=300_000)
"""
import time

import numpy as np

from .. import fused
from ..recurrent import weight_grads
from .training import build_model, predict
from .registry import EXPERIMENTS, score
from .runner import run_result
from .stopping import Window, stopping_rule

# The stopping rules whose training data a rule can draw one sequence at a time.
LOCKSTEP_CRITERIA = ("window", "check", "fixed")


def lockstep_capable(exp):
    """Whether the paper-setting runs of `exp` can train in lockstep: a stopping rule of
    LOCKSTEP_CRITERIA and a cell LockstepNets computes (the 1997 or standard cell)."""
    return exp.criterion in LOCKSTEP_CRITERIA and exp.paper_setting.cell in ("1997", "standard")


class LockstepNets:
    """K SequenceModels of one setting (1997 or standard cell, SGD, sigmoid output with
    squared error, no clipping) stacked along a seed axis, trained one sequence each.

    The recurrent layers run through the package's LSTM kernel (`lstm.fused`) as one
    wide layer with block-diagonal weights; `p` keeps each seed's weights stacked:
    weight_ih (K, G*H, D), weight_hh (K, G*H, H), bias (K, G*H), out_weight (K, O, I),
    out_bias (K, O)."""

    def __init__(self, models, setting):
        if not (setting.layer == "lstm" and setting.cell in ("1997", "standard") and setting.optimizer == "sgd"
                and setting.clip is None and setting.head == "sigmoid_sse" and setting.batch_size == 1):
            raise ValueError(f"lockstep training takes the online paper setting (1997 or standard cell, SGD, "
                             f"batch 1, no clipping, sigmoid_sse head), got {setting}")
        self.setting, self.kind = setting, models[0].recurrent.kind
        self.shortcut, self.H = models[0].shortcut, models[0].recurrent.hidden_size
        self.p = {name: np.stack([m.recurrent.params[name] for m in models]) for name in ("weight_ih", "weight_hh",
                                                                                       "bias")}
        self.p.update({f"out_{name}": np.stack([m.readout.params[name] for m in models])
                       for name in ("weight", "bias")})

    def keep(self, rows):
        """Drop every seed not in `rows` (indices into the current stack)."""
        self.p = {k: v[rows] for k, v in self.p.items()}

    def write_into(self, k, model):
        """Copy seed k's parameters into `model` (a SequenceModel built like the originals)."""
        for name in ("weight_ih", "weight_hh", "bias"):
            model.recurrent.params[name][...] = self.p[name][k]
        for name in ("weight", "bias"):
            model.readout.params[name][...] = self.p[f"out_{name}"][k]

    def update(self, X, targets, mask):
        """One SGD step of every seed on its own sequence. X (T, K, D), targets (T, K, O),
        mask (T, K) (sequences right-padded to the longest). Returns y (T, K, O)."""
        T, K, D = X.shape
        H, p, kind = self.H, self.p, self.kind
        # the K recurrent layers as one wide layer (N = 1, width K*H), through the layer's kernel
        wide = fused.side_by_side(p, kind)
        X_wide = X.reshape(T, 1, K * D)  # seed k's inputs in columns k*D .. (k+1)*D
        hs = np.zeros((T + 1, 1, K * H), dtype=X.dtype)
        cs = np.zeros_like(hs)
        gates, tanh_c = fused.forward(X_wide, hs, cs, wide, kind)
        # the readout of each seed, then the paper's error E = 1/2 sum (y - t)^2 at the scored
        # steps, through the sigmoid (training.head_loss "sigmoid_sse" for one sequence); seed-major
        # arrays (K, T, ...) so that each seed's products are contiguous matrices
        h_k = hs[1:].reshape(T, K, H).transpose(1, 0, 2)  # (K, T, H)
        read_k = np.concatenate([h_k, X.transpose(1, 0, 2)], axis=-1) if self.shortcut else h_k  # (K, T, I)
        z_k = np.matmul(read_k, p["out_weight"].transpose(0, 2, 1))  # (K, T, O)
        z_k += p["out_bias"][:, None, :]
        y_k = predict(z_k, "sigmoid_sse")
        dz_k = np.subtract(y_k, targets.transpose(1, 0, 2))
        dz_k *= y_k * (1.0 - y_k)
        dz_k *= mask.T[:, :, None]  # 0 at the steps that are not scored, and past each sequence's end
        grads = {"out_weight": np.matmul(dz_k.transpose(0, 2, 1), read_k), "out_bias": dz_k.sum(axis=1)}
        dY = np.matmul(dz_k, p["out_weight"][:, :, :H]).transpose(1, 0, 2)  # (T, K, H)
        zero = np.zeros((1, K * H), dtype=X.dtype)
        DA = fused.backward(dY.reshape(T, 1, K * H), zero, zero, cs, gates, tanh_c, kind, wide["weight_hh"],
                            self.setting.cec_only)[0]
        grads.update(fused.diagonal_blocks(weight_grads(DA, X_wide, hs[:-1]), K, kind))  # each seed's own
        for name, grad in grads.items():  # plain SGD, the paper's update
            p[name] -= self.setting.lr * grad
        return y_k.transpose(1, 0, 2)  # (T, K, O)


def _stack(batches, dims):
    """Right-pad K one-sequence Batches into (T, K, ...) arrays: X, targets, mask."""
    T = max(b.X.shape[0] for b in batches)
    X = np.zeros((T, len(batches), dims[0]))
    targets = np.zeros((T, len(batches), dims[1]))
    mask = np.zeros((T, len(batches)), dtype=bool)
    for k, b in enumerate(batches):
        L = b.X.shape[0]
        X[:L, k], targets[:L, k], mask[:L, k] = b.X[:, 0], b.targets[:, 0], b.mask[:, 0]
    return X, targets, mask


def run_lockstep(name, seeds, max_sequences=None, setting=None):
    """`runner.run(name, "paper", seed, max_sequences, max_seconds=inf)` for every seed,
    trained in lockstep; a list of result dicts in the order of `seeds`.

    setting: a `training.Setting` to train instead of the experiment's paper setting
    (an online one, see LockstepNets), for probing what the paper's recipe needs.
    Each seed has its own stopping rule (`runner.stopping_rule`), which draws its
    training sequences and decides, with the seed's weights, when it is solved; a
    solved seed leaves the stack. Each result's "seconds" is the group's wall time when
    that seed stopped, and "lockstep" says how many seeds shared it.
    """
    if name not in EXPERIMENTS:
        raise ValueError(f"unknown experiment {name!r}; expected one of {sorted(EXPERIMENTS)}")
    exp = EXPERIMENTS[name]
    if not lockstep_capable(exp):
        raise ValueError(f"lockstep runs handle the stopping rules {LOCKSTEP_CRITERIA} with the 1997 or standard "
                         f"cell; {name!r} has {exp.criterion!r} and the {exp.paper_setting.cell!r} cell")
    seeds = [int(s) for s in seeds]
    if not seeds or any(s < 0 for s in seeds) or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct non-negative integers, got {seeds}")
    cfg = exp.setting("paper") if setting is None else setting
    if max_sequences is None:
        max_sequences = max(300_000, 4 * int(exp.paper.sequences or 0))
    start = time.perf_counter()
    rngs = [[np.random.default_rng([seed, k]) for k in range(3)] for seed in seeds]
    models = [build_model(cfg, exp.input_size, exp.output_size, r[0]) for r in rngs]  # as runner.run, in order
    rules = [stopping_rule(exp, cfg, r[1], r[2]) for r in rngs]
    nets = LockstepNets(models, cfg)
    active = list(range(len(seeds)))  # positions in `seeds` of the seeds still training
    windows = [Window(exp.window) for _ in seeds]
    curves, next_point = [[] for _ in seeds], [0] * len(seeds)
    results, seen = [None] * len(seeds), 0

    def point(j):
        w = windows[j]
        return seen, w.mean_error(), 1.0 - w.wrong() / max(len(w.right), 1)

    def finish(j, solved):
        train_seconds = time.perf_counter() - start
        curves[j].append(point(j))
        test = rules[j].test(models[j])
        results[j] = run_result(exp, "paper", seeds[j], solved, seen, max_sequences, test, models[j], curves[j],
                                start, train_seconds, rules[j].info)
        results[j].update(lockstep=len(seeds), config=dict(vars(cfg)))

    while active and seen < max_sequences:
        batches = [rules[j].draw(1) for j in active]
        y = nets.update(*_stack(batches, (exp.input_size, exp.output_size)))
        seen += 1
        done = []
        for k, (j, batch) in enumerate(zip(active, batches)):
            windows[j].add(*score(exp, y[:batch.X.shape[0], k:k + 1], batch))
            if seen >= next_point[j]:
                curves[j].append(point(j))
                next_point[j] = seen + max(max_sequences // 200, 1)
            nets.write_into(k, models[j])  # the rule checks with the seed's current weights
            if rules[j].solved(models[j], windows[j], seen):
                done.append(j)
        for j in done:
            finish(j, True)
        if done:
            nets.keep([k for k, j in enumerate(active) if j not in done])
            active = [j for j in active if j not in done]
    for j in list(active):
        finish(j, False)
    return results
