"""The forum's network of random FSMs as a character model: N fixed random machines
read the text, and a readout trained by gradient descent predicts the next character.

    s_t^i = table_i[s_{t-1}^i, x_t]        N machines, S states, fixed (lstm.fsm.FSMNetwork)
    o_t^i = v_i(s_t^i)                     one random number per state: o_t (N,)
    y_t   = o_t W + b                      W (N, V), b (V,): the only trained numbers

Two readouts of the same features:
  "squared" (the forum's): L = mean_t sum_k (y_tk - [x_{t+1} = k])^2. Its outputs are
      not probabilities, so p(k) = max(y_k, eps) / sum_j max(y_j, eps), with eps
      chosen on the validation text.
  "softmax" (the fair one for a distribution): p = softmax(y), L = mean_t -log p(x_{t+1}).

The squared error is minimised by plain gradient descent (the forum's recipe), the
cross-entropy by Adam, both on mini-batches of characters. The features are computed
chunk by chunk as the machines read the text (never stored whole: for N = 10^4
machines one pass over 400k characters would be 4*10^9 numbers).
"""
import time
from typing import NamedTuple

import numpy as np

from ..fsm import FSMNetwork
from ..losses import log_softmax
from ..optim import SGD, Adam
from ..validate import check_positive_int, check_positive_number
from .corpus import bits_per_char, windows

LOSSES = ("squared", "softmax")
EPS_GRID = (1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1)


def fsm_features(network, ids, n_streams=16, chunk=64, dtype=np.float32, mean=None):
    """Yield (features (T, B, N), targets (T, B)) while the machines read ids.

    The text ids[:-1] is cut into B = n_streams consecutive streams of equal length
    (the remainder is dropped); every stream starts in state 0 and the target of
    each step is the next character. Chunks of `chunk` steps. mean (N,): subtracted
    from every feature vector if given.
    """
    if not isinstance(network, FSMNetwork):
        raise TypeError(f"network must be an lstm.fsm.FSMNetwork, got {type(network).__name__}")
    ids = np.asarray(ids, dtype=np.int64)
    B = check_positive_int("n_streams", n_streams)
    chunk = check_positive_int("chunk", chunk)
    L = (len(ids) - 1) // B
    if L < 1:
        raise ValueError(f"ids is too short for {B} streams")
    inputs = ids[:B * L].reshape(B, L).T  # (L, B): stream b is ids[b L : (b+1) L]
    targets = ids[1:B * L + 1].reshape(B, L).T
    state = np.zeros((B, network.n_machines), dtype=np.uint8)
    for start in range(0, L, chunk):
        x = inputs[start:start + chunk]
        states = np.empty((len(x), B, network.n_machines), dtype=np.uint8)
        for t in range(len(x)):
            state = network.step(state, x[t])
            states[t] = state
        F = network.features(states, dtype=dtype)
        yield (F if mean is None else F - mean), targets[start:start + chunk]


def squared_readout_loss(features, targets, W, b):
    """L = mean over the M rows of sum_k (y_k - onehot_k)^2 with y = features W + b.

    features (M, N), targets (M,) ints. Returns (L, dL/dW (N, V), dL/db (V,)).
    """
    r = features @ W + b  # (M, V) residuals once the one-hot is taken off
    r[np.arange(len(targets)), targets] -= 1.0
    M = len(targets)
    return float(np.sum(r ** 2) / M), 2.0 * features.T @ r / M, 2.0 * r.sum(axis=0) / M


def softmax_readout_loss(features, targets, W, b):
    """L = mean -log softmax(features W + b)[target]. Returns (L, dL/dW, dL/db)."""
    logp = log_softmax(features @ W + b)  # (M, V)
    M = len(targets)
    rows = np.arange(M)
    d = np.exp(logp)  # through the softmax: p - onehot
    d[rows, targets] -= 1.0
    return float(-logp[rows, targets].sum() / M), features.T @ d / M, d.sum(axis=0) / M


def readout_probabilities(y, loss, eps=None):
    """p over the V characters from readout outputs y (M, V)."""
    if loss == "softmax":
        return np.exp(log_softmax(np.asarray(y, dtype=np.float64)))
    clipped = np.maximum(y, eps)
    return clipped / clipped.sum(axis=-1, keepdims=True)


class _Readout:
    """W and b with the params/grads dicts lstm.Adam updates."""

    def __init__(self, n_features, vocab_size, dtype):
        self.params = {"W": np.zeros((n_features, vocab_size), dtype), "b": np.zeros(vocab_size, dtype)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}


class FSMReadoutResult(NamedTuple):
    n_machines: int
    loss: str
    mean: np.ndarray  # (N,) feature means, subtracted before the readout (a change of b only)
    W: np.ndarray  # (N, V)
    b: np.ndarray  # (V,)
    eps: float  # the floor of the squared readout's outputs (None for softmax)
    valid_bpc: float
    test_bpc: float
    weights: int  # trained numbers: N V + V
    seconds: float  # wall time of training
    train_loss: list  # mean training loss per epoch


def _outputs(network, mean, W, b, ids, n_streams):
    """Readout outputs y (M, V) and the characters that came (M,) for ids."""
    ys, targets = [], []
    for F, tgt in fsm_features(network, ids, n_streams, chunk=256, dtype=W.dtype, mean=mean):
        ys.append(F.reshape(-1, F.shape[-1]) @ W + b)
        targets.append(tgt.reshape(-1))
    return np.concatenate(ys).astype(np.float64), np.concatenate(targets)


def _bpc(y, targets, loss, eps):
    return bits_per_char(readout_probabilities(y, loss, eps)[np.arange(len(targets)), targets])


def _largest_curvature(F, rng, rounds=30):
    """lambda_max of 2 F^T F / M + the bias direction, by power iteration. F (M, N)."""
    M = F.shape[0]
    A = np.concatenate([F, np.ones((M, 1), F.dtype)], axis=1).astype(np.float64)
    v = rng.normal(size=A.shape[1])
    for _ in range(rounds):
        w = A.T @ (A @ v) * (2.0 / M)
        lam = np.linalg.norm(w)
        v = w / lam
    return float(lam)


def train_fsm_readout(network, train_ids, valid_ids, test_ids, loss, rng, epochs=1, lr=None,
                      n_streams=16, chunk=64, eval_streams=4, dtype=np.float32):
    """Train the readout on train_ids by Adam, score valid and test in bits per character.

    One step per chunk of `chunk` x `n_streams` characters. For "squared", eps is picked
    from EPS_GRID by the validation score.
    "squared" uses plain gradient descent (lstm.SGD) with lr=None meaning 1 / the loss's
    largest curvature; "softmax" uses Adam with lr=None meaning 0.03 / sqrt(N): Adam
    moves every weight by about lr per step, so the output, a sum over N machines,
    moves by about lr sqrt(N); a fixed lr that suits 10 machines makes 10^4 diverge.
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    epochs = check_positive_int("epochs", epochs)
    V = network.n_symbols
    readout = _Readout(network.n_machines, V, dtype)
    # the forum's small random start, small for every N: outputs start near 0.01
    readout.params["W"][...] = 0.01 / np.sqrt(network.n_machines) * rng.normal(size=readout.params["W"].shape)
    loss_fn = squared_readout_loss if loss == "squared" else softmax_readout_loss
    history = []
    start = time.perf_counter()
    # Centre the features with their mean over the first 10,000 characters. The model
    # is the same (b absorbs the shift), but uncentred features share a large common
    # direction in which N weights moving together change every output N times as much.
    F0, _ = next(fsm_features(network, train_ids[:10_001], 1, 10_000, dtype))
    F0 = F0.reshape(-1, network.n_machines)
    mean = F0.mean(axis=0)
    if loss == "squared":
        # Plain gradient descent, the forum's recipe. On a mini-batch of m rows the loss
        # is quadratic with Hessian 2 F^T F / m, so a step of 1 / lambda_max, its largest
        # eigenvalue, is stable. With N >> m that eigenvalue is about (sqrt(N) +
        # sqrt(m))^2 / m, far above the full data's, so measure it on mini-batches.
        if lr is None:
            m = chunk * n_streams
            lr = 1.0 / max(_largest_curvature(F0[j:j + m] - mean, rng) for j in range(0, 5 * m, m))
        opt = SGD([readout], lr=check_positive_number("lr", lr))
    else:
        lr = 0.03 / np.sqrt(network.n_machines) if lr is None else check_positive_number("lr", lr)
        opt = Adam([readout], lr=lr)
    for _ in range(epochs):
        total, count = 0.0, 0
        for F, tgt in fsm_features(network, train_ids, n_streams, chunk, dtype, mean):
            value, dW, db = loss_fn(F.reshape(-1, F.shape[-1]), tgt.reshape(-1), readout.params["W"], readout.params["b"])
            readout.grads["W"], readout.grads["b"] = dW.astype(dtype), db.astype(dtype)
            opt.step()
            total, count = total + value * tgt.size, count + tgt.size
        history.append(total / count)
    seconds = time.perf_counter() - start
    W, b = readout.params["W"], readout.params["b"]
    eps = None
    y_valid, t_valid = _outputs(network, mean, W, b, valid_ids, eval_streams)
    if loss == "squared":
        scores = {e: _bpc(y_valid, t_valid, loss, e) for e in EPS_GRID}
        eps = min(scores, key=scores.get)
    valid = _bpc(y_valid, t_valid, loss, eps)
    test = _bpc(*_outputs(network, mean, W, b, test_ids, eval_streams), loss, eps)
    return FSMReadoutResult(network.n_machines, loss, mean, W, b, eps, valid, test, W.size + b.size, seconds, history)


def fsm_bpc_with_context(network, result, ids, positions, context):
    """Bits per character when the machines start in state 0 only `context` characters
    before each scored position (positions (B,) >= context): how much context the
    network actually uses."""
    x = windows(ids, positions, context)  # (context, B)
    states = network.run(x, keep="last")  # (B, N)
    y = (network.features(states, dtype=result.W.dtype) - result.mean) @ result.W + result.b
    p = readout_probabilities(y, result.loss, result.eps)
    return bits_per_char(p[np.arange(len(positions)), np.asarray(ids)[positions]])
