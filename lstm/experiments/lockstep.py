"""Several seeds of the paper setting trained in lockstep: one batched computation, K nets.

The paper setting updates after every sequence (N = 1). At that size a step of the
fused LSTM loop is a dozen numpy calls on arrays of a few numbers, so the time goes
into calls, not arithmetic. K seeds trained side by side need no more calls than one:
each array gets a seed axis K where a batch would have N, and each seed keeps its own
weights, so the two matrix products per step become stacked products

    a_t[k] = W_ih[k] x_t[k] + W_hh[k] h_{t-1}[k] + b[k]      W_hh: (K, G*H, H)

while the element-wise cell is exactly `LSTM._forward_fused` / `_backward_fused` with
N = K. Each seed draws its own sequences from its own generators, as `runner.run`
does, so seed k follows the run `runner.run(name, "paper", seed_k)` up to rounding in
the stacked products. Online training is sensitive to its own history: over thousands
of updates a difference in the last bit can grow until the two runs of a seed take
different paths (3c, seed 0: solved at 9,500 sequences alone, not within 12,000 in
lockstep). A set of seeds gives the same statistics either way; a single seed's count
is not comparable between the two. The stopping rules "window" (adding, multiplication, temporal
order), "check" (2a-2c, 3a-3c) and "fixed" (embedded Reber) are handled here; the
continual stream carries its state across windows and stays with `runner.run`.

    results = run_lockstep("adding-100", seeds=range(100, 110), max_sequences=300_000)
"""
import time

import numpy as np

from ..cells import gate_slices
from .training import build_model, predict
from .registry import EXPERIMENTS, score
from .runner import Window, run_result, stopping_rule

# The stopping rules whose training data a rule can draw one sequence at a time.
LOCKSTEP_CRITERIA = ("window", "check", "fixed")


def lockstep_capable(exp):
    """Whether the paper-setting runs of `exp` can train in lockstep: a stopping rule of
    LOCKSTEP_CRITERIA and a cell LockstepNets computes (the 1997 or standard cell)."""
    return exp.criterion in LOCKSTEP_CRITERIA and exp.paper_setting.cell in ("1997", "standard")


class LockstepNets:
    """K SequenceModels of one setting (1997 or standard cell, SGD, sigmoid output with
    squared error, no clipping) stacked along a seed axis, trained one sequence each."""

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
        H, p, s = self.H, self.p, gate_slices(self.kind, self.H)
        # forward: the loop of LSTM._forward_fused with per-seed weights (see its docstring)
        scale = np.full(p["bias"].shape[1], -1.0)
        scale[s["g"]] = -2.0
        W_hh_T = p["weight_hh"].transpose(0, 2, 1) * scale  # (K, H, G*H)
        A = np.matmul(X.transpose(1, 0, 2), p["weight_ih"].transpose(0, 2, 1) * scale)  # (K, T, G*H)
        A = np.ascontiguousarray((A + (p["bias"] * scale)[:, None, :]).transpose(1, 0, 2))  # (T, K, G*H)
        hs = np.zeros((T + 1, K, H))
        cs = np.zeros((T + 1, K, H))
        tanh_c = np.empty((T, K, H))
        recurrent = np.empty((K, 1, scale.size))
        ig = np.empty((K, H))
        with np.errstate(over="ignore"):
            for t in range(T):
                a = A[t]
                np.matmul(hs[t][:, None, :], W_hh_T, out=recurrent)  # (K, 1, G*H): each seed its own W_hh
                a += recurrent[:, 0]
                np.exp(a, out=a)
                a += 1
                np.reciprocal(a, out=a)
                g = a[:, s["g"]]
                g *= 2
                g -= 1
                np.multiply(a[:, s["i"]], g, out=ig)
                if "f" in s:
                    np.multiply(a[:, s["f"]], cs[t], out=cs[t + 1])
                    cs[t + 1] += ig
                else:
                    np.add(cs[t], ig, out=cs[t + 1])
                np.tanh(cs[t + 1], out=tanh_c[t])
                np.multiply(a[:, s["o"]], tanh_c[t], out=hs[t + 1])
        read = np.concatenate([hs[1:], X], axis=-1) if self.shortcut else hs[1:]  # (T, K, I)
        read_k = read.transpose(1, 0, 2)  # (K, T, I)
        z = (np.matmul(read_k, p["out_weight"].transpose(0, 2, 1)) + p["out_bias"][:, None, :]).transpose(1, 0, 2)
        y = predict(z, "sigmoid_sse")  # (T, K, O)
        # the paper's error E = 1/2 sum (y - t)^2 at the scored steps, through the sigmoid
        dz = np.zeros_like(z)
        dz[mask] = (y[mask] - targets[mask]) * (y[mask] * (1.0 - y[mask]))
        dz_k = dz.transpose(1, 0, 2)  # (K, T, O)
        grads = {"out_weight": np.matmul(dz_k.transpose(0, 2, 1), read_k), "out_bias": dz.sum(axis=0)}
        dY = np.matmul(dz_k, p["out_weight"][:, :, :H]).transpose(1, 0, 2)  # (T, K, H)
        # backward: LSTM._backward_fused with N = K
        G = len(self.kind.gates)
        DA = np.subtract(1, A)
        DA *= A
        i, g, o = A[..., s["i"]], A[..., s["g"]], A[..., s["o"]]
        DA[..., s["i"]] *= g
        if "f" in s:
            DA[..., s["f"]] *= cs[:-1]
        da_g = DA[..., s["g"]]
        np.multiply(g, g, out=da_g)
        np.subtract(1, da_g, out=da_g)
        da_g *= i
        DA[..., s["o"]] *= tanh_c
        dc_dh = np.multiply(tanh_c, tanh_c)
        np.subtract(1, dc_dh, out=dc_dh)
        dc_dh *= o
        DA_gates = DA.reshape(T, K, G, H)
        f = A[..., s["f"]] if "f" in s else None
        dh_next, dc_next = np.zeros((K, H)), np.zeros((K, H))
        dh_buf = np.empty((K, 1, H))
        for t in reversed(range(T)):
            dh = dY[t] + dh_next
            dc = dc_dh[t]
            dc *= dh
            dc += dc_next
            DA_gates[t, :, :G - 1] *= dc[:, None, :]
            DA_gates[t, :, G - 1] *= dh
            if f is not None:
                np.multiply(dc, f[t], out=dc_next)
            else:
                dc_next[...] = dc
            if not self.setting.cec_only:
                np.matmul(DA[t][:, None, :], p["weight_hh"], out=dh_buf)
                dh_next[...] = dh_buf[:, 0]
        DA_k = DA.transpose(1, 2, 0)  # (K, G*H, T)
        grads.update(weight_ih=np.matmul(DA_k, X.transpose(1, 0, 2)),
                     weight_hh=np.matmul(DA_k, hs[:-1].transpose(1, 0, 2)), bias=DA.sum(axis=0))
        for name, grad in grads.items():  # plain SGD, the paper's update
            p[name] -= self.setting.lr * grad
        return y


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
